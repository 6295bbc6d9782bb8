/* epoll(7) integration: eventfd, timerfd, signalfd and a socketpair in one set; epoll_wait reports exactly the ready ones with their data. */
#include "../lib/contract.h"
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <stdint.h>

int main(void)
{
    int ep = epoll_create1(0);
    int efd = eventfd(0, EFD_NONBLOCK);
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    sigset_t m; sigemptyset(&m); sigaddset(&m, SIGUSR1);
    sigprocmask(SIG_BLOCK, &m, NULL);
    int sfd = signalfd(-1, &m, SFD_NONBLOCK);
    int s[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, s));
    int fds[4] = { efd, tfd, sfd, s[0] };
    for (int i = 0; i < 4; i++) {
        struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 1u << i };
        SETUP(epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev));
    }
    struct epoll_event out[8];
    CHECK_RET("none_ready", epoll_wait(ep, out, 8, 0));
    uint64_t one = 1;
    write(efd, &one, 8);
    struct itimerspec its = { { 0, 0 }, { 0, 10000000 } };
    timerfd_settime(tfd, 0, &its, NULL);
    kill(getpid(), SIGUSR1);
    write(s[1], "z", 1);
    sleep_ms(30);
    int n = epoll_wait(ep, out, 8, 1000);
    unsigned mask = 0;
    for (int i = 0; i < n; i++) mask |= out[i].data.u32;
    FACT_INT("ready_count", n);
    FACT("ready_mask", "0x%x", mask);
    uint64_t v; struct signalfd_siginfo si; char c;
    read(efd, &v, 8); read(tfd, &v, 8); read(sfd, &si, sizeof si); read(s[0], &c, 1);
    CHECK_RET("none_ready_after_drain", epoll_wait(ep, out, 8, 0));
    DONE();
}
