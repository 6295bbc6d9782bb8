/* epoll(7) Q&A: registrations are keyed by open file description; closing one fd does not remove it while a dup keeps the file open, and DEL via the closed number is EBADF. */
#include "../lib/contract.h"
#include <sys/epoll.h>

int main(void)
{
    int p[2];
    SETUP(pipe(p));
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 1 }, out[2];
    SETUP(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    int d = dup(p[0]);
    close(p[0]);
    SETUP(write(p[1], "x", 1));
    CHECK_RET("still_reported_via_dup", epoll_wait(ep, out, 2, 0));
    FACT_INT("data", out[0].data.u32);
    CHECK_RET("del_closed_number", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
    CHECK_RET("del_via_dup_not_registered", epoll_ctl(ep, EPOLL_CTL_DEL, d, NULL));
    close(d);
    CHECK_RET("gone_after_last_close", epoll_wait(ep, out, 2, 0));
    /* one pipe registered under two fds gives two events */
    int q[2];
    SETUP(pipe(q));
    int q2 = dup(q[0]);
    struct epoll_event a = { .events = EPOLLIN, .data.u32 = 10 }, b = { .events = EPOLLIN, .data.u32 = 20 };
    SETUP(epoll_ctl(ep, EPOLL_CTL_ADD, q[0], &a));
    SETUP(epoll_ctl(ep, EPOLL_CTL_ADD, q2, &b));
    SETUP(write(q[1], "y", 1));
    int n = epoll_wait(ep, out, 2, 0);
    FACT_INT("two_registrations_events", n);
    FACT_INT("data_sum", n == 2 ? out[0].data.u32 + out[1].data.u32 : 0);
    DONE();
}
