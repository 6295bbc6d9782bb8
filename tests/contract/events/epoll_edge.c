/* epoll(7) EPOLLET: an event fires once per new arrival of data and does not re-fire while unread data remains; new data re-arms it. */
#include "../lib/contract.h"
#include <sys/epoll.h>

int main(void)
{
    int p[2];
    SETUP(pipe(p));
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data.fd = p[0] }, out[4];
    SETUP(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    CHECK_RET("et_initial_empty", epoll_wait(ep, out, 4, 0));
    SETUP(write(p[1], "abcdef", 6));
    CHECK_RET("et_first_wait", epoll_wait(ep, out, 4, 0));
    FACT_BOOL("et_event_in", out[0].events & EPOLLIN);
    CHECK_RET("et_second_wait_no_refire", epoll_wait(ep, out, 4, 0));
    char b[2];
    SETUP(read(p[0], b, 2));
    CHECK_RET("et_after_partial_read", epoll_wait(ep, out, 4, 0));
    SETUP(write(p[1], "g", 1));
    CHECK_RET("et_after_new_data", epoll_wait(ep, out, 4, 0));
    CHECK_RET("et_then_quiet", epoll_wait(ep, out, 4, 10));
    /* EPOLL_CTL_MOD re-arms an edge-triggered fd that is still readable */
    SETUP(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
    CHECK_RET("et_after_mod_rearm", epoll_wait(ep, out, 4, 0));
    /* writable end with EPOLLOUT|EPOLLET fires once */
    struct epoll_event wev = { .events = EPOLLOUT | EPOLLET, .data.fd = p[1] };
    SETUP(epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &wev));
    int n = epoll_wait(ep, out, 4, 0);
    int saw_out = 0;
    for (int i = 0; i < n; i++) if (out[i].data.fd == p[1] && (out[i].events & EPOLLOUT)) saw_out = 1;
    FACT_BOOL("et_out_first", saw_out);
    CHECK_RET("et_out_no_refire", epoll_wait(ep, out, 4, 0));
    DONE();
}
