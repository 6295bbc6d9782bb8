/* poll(2) on pipes and sockets: POLLHUP is reported even when only POLLIN was asked (writer closed), POLLERR for a pipe writer whose reader closed, POLLRDHUP after peer shutdown. */
#include "../lib/contract.h"
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>

int main(void)
{
    int p[2];
    SETUP(pipe(p));
    close(p[1]);
    struct pollfd a = { p[0], POLLIN, 0 };
    CHECK_RET("poll_reader_writer_closed", poll(&a, 1, 0));
    FACT("reader_revents", "0x%x", a.revents);
    SETUP(pipe(p));
    close(p[0]);
    struct pollfd b = { p[1], POLLOUT, 0 };
    CHECK_RET("poll_writer_reader_closed", poll(&b, 1, 0));
    FACT("writer_revents", "0x%x", b.revents);
    int s[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
    SETUP(shutdown(s[1], SHUT_WR));
    struct pollfd c = { s[0], POLLIN | POLLRDHUP, 0 };
    poll(&c, 1, 0);
    FACT("sock_peer_shut_wr", "0x%x", c.revents);
    close(s[1]);
    c.revents = 0;
    poll(&c, 1, 0);
    FACT("sock_peer_closed", "0x%x", c.revents);
    struct pollfd d = { s[0], POLLOUT, 0 };
    poll(&d, 1, 0);
    FACT("sock_write_peer_closed", "0x%x", d.revents);
    /* a blocking poll wakes when the last writer (a child) exits */
    SETUP(pipe(p));
    if (fork() == 0) { close(p[0]); sleep_ms(20); _exit(0); }
    close(p[1]);
    struct pollfd e = { p[0], POLLIN, 0 };
    CHECK_RET("blocking_poll_wakes_on_hup", poll(&e, 1, 2000));
    FACT("woken_revents", "0x%x", e.revents);
    wait(NULL);
    DONE();
}
