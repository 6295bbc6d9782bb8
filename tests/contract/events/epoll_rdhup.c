/* epoll(7) EPOLLRDHUP/EPOLLHUP: a stream socket peer's shutdown(SHUT_WR) gives EPOLLIN|EPOLLRDHUP; full close adds EPOLLHUP; a pipe whose writer closed gives EPOLLHUP, whose reader closed gives EPOLLERR. */
#include "../lib/contract.h"
#include <sys/epoll.h>
#include <sys/socket.h>

static unsigned wait1(int ep)
{
    struct epoll_event out[1];
    int n = epoll_wait(ep, out, 1, 0);
    return n == 1 ? out[0].events : 0;
}

int main(void)
{
    int s[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP };
    SETUP(epoll_ctl(ep, EPOLL_CTL_ADD, s[0], &ev));
    FACT("idle_events", "0x%x", wait1(ep));
    SETUP(shutdown(s[1], SHUT_WR));
    FACT("after_peer_shut_wr", "0x%x", wait1(ep));
    close(s[1]);
    FACT("after_peer_close", "0x%x", wait1(ep));

    int p[2];
    SETUP(pipe(p));
    int ep2 = epoll_create1(0);
    struct epoll_event e2 = { .events = EPOLLIN };
    SETUP(epoll_ctl(ep2, EPOLL_CTL_ADD, p[0], &e2));
    close(p[1]);
    FACT("pipe_reader_writer_closed", "0x%x", wait1(ep2));

    SETUP(pipe(p));
    int ep3 = epoll_create1(0);
    struct epoll_event e3 = { .events = EPOLLOUT };
    SETUP(epoll_ctl(ep3, EPOLL_CTL_ADD, p[1], &e3));
    FACT("pipe_writer_idle", "0x%x", wait1(ep3));
    close(p[0]);
    FACT("pipe_writer_reader_closed", "0x%x", wait1(ep3));
    DONE();
}
