/* epoll_pwait(2): the sigmask is installed only while waiting, so a pending blocked signal interrupts it with EINTR and runs the handler; mask is restored afterwards. */
#include "../lib/contract.h"
#include <sys/epoll.h>

static volatile sig_atomic_t got;
static void h(int s) { (void)s; got++; }

int main(void)
{
    int p[2];
    SETUP(pipe(p));
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN }, out[1];
    SETUP(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    signal(SIGUSR1, h);
    sigset_t blk, empty, cur;
    sigemptyset(&blk); sigaddset(&blk, SIGUSR1); sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &blk, NULL);
    raise(SIGUSR1);
    FACT_INT("handler_before", got);
    CHECK_RET("pwait_blocked_pending_timeout", epoll_pwait(ep, out, 1, 10, &blk));
    CHECK_RET("pwait_unblocking_mask", epoll_pwait(ep, out, 1, 1000, &empty));
    FACT_INT("handler_ran", got);
    sigprocmask(SIG_BLOCK, NULL, &cur);
    FACT_BOOL("mask_restored", sigismember(&cur, SIGUSR1));
    DONE();
}
