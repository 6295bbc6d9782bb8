/* epoll(7): an epoll fd is itself pollable (readable when its set has ready events); adding epfds into each other in a cycle is ELOOP. */
#include "../lib/contract.h"
#include <sys/epoll.h>
#include <poll.h>

int main(void)
{
    int p[2];
    SETUP(pipe(p));
    int inner = epoll_create1(0), outer = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN }, out[2];
    SETUP(epoll_ctl(inner, EPOLL_CTL_ADD, p[0], &ev));
    ev.data.u32 = 55;
    CHECK_RET("add_inner_to_outer", epoll_ctl(outer, EPOLL_CTL_ADD, inner, &ev));
    CHECK_RET("outer_idle", epoll_wait(outer, out, 2, 0));
    struct pollfd pf = { inner, POLLIN, 0 };
    CHECK_RET("poll_inner_idle", poll(&pf, 1, 0));
    SETUP(write(p[1], "x", 1));
    CHECK_RET("outer_ready", epoll_wait(outer, out, 2, 0));
    FACT_INT("outer_data", out[0].data.u32);
    FACT_BOOL("outer_event_in", out[0].events == EPOLLIN);
    CHECK_RET("poll_inner_ready", poll(&pf, 1, 0));
    FACT_BOOL("poll_inner_revents_in", pf.revents == POLLIN);
    ev.data.u32 = 0;
    CHECK_RET("add_outer_to_inner_loop", epoll_ctl(inner, EPOLL_CTL_ADD, outer, &ev));
    DONE();
}
