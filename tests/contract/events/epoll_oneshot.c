/* epoll(7) EPOLLONESHOT: after one event the fd is disabled (still registered: ADD gives EEXIST) until EPOLL_CTL_MOD re-arms it. */
#include "../lib/contract.h"
#include <sys/epoll.h>

int main(void)
{
    int p[2];
    SETUP(pipe(p));
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN | EPOLLONESHOT, .data.u32 = 7 }, out[2];
    SETUP(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    SETUP(write(p[1], "x", 1));
    CHECK_RET("oneshot_first", epoll_wait(ep, out, 2, 0));
    FACT_INT("oneshot_data", out[0].data.u32);
    CHECK_RET("oneshot_disabled", epoll_wait(ep, out, 2, 0));
    SETUP(write(p[1], "y", 1));
    CHECK_RET("oneshot_disabled_new_data", epoll_wait(ep, out, 2, 0));
    CHECK_RET("oneshot_add_again", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    CHECK_RET("oneshot_mod_rearm", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
    CHECK_RET("oneshot_after_rearm", epoll_wait(ep, out, 2, 0));
    CHECK_RET("oneshot_disabled_again", epoll_wait(ep, out, 2, 0));
    CHECK_RET("oneshot_del", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
    DONE();
}
