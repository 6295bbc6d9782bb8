/* sigprocmask(2)/sigpending(2): a blocked signal stays pending, standard signals coalesce (one delivery), realtime signals queue (each delivered), SIGKILL/SIGSTOP cannot be blocked, how=99 is EINVAL. */
#include "../lib/contract.h"

static volatile sig_atomic_t n_usr1, n_rt;
static void h1(int s) { (void)s; n_usr1++; }
static void hr(int s) { (void)s; n_rt++; }

int main(void)
{
    signal(SIGUSR1, h1);
    signal(SIGRTMIN, hr);
    sigset_t m, old, pend;
    sigemptyset(&m); sigaddset(&m, SIGUSR1); sigaddset(&m, SIGRTMIN);
    CHECK_RET("block", sigprocmask(SIG_BLOCK, &m, &old));
    FACT_BOOL("old_mask_empty_usr1", !sigismember(&old, SIGUSR1));
    raise(SIGUSR1); raise(SIGUSR1); raise(SIGUSR1);
    union sigval v = { 0 };
    sigqueue(getpid(), SIGRTMIN, v); sigqueue(getpid(), SIGRTMIN, v); sigqueue(getpid(), SIGRTMIN, v);
    sigpending(&pend);
    FACT_BOOL("usr1_pending", sigismember(&pend, SIGUSR1));
    FACT_BOOL("rt_pending", sigismember(&pend, SIGRTMIN));
    FACT_INT("delivered_while_blocked", n_usr1 + n_rt);
    CHECK_RET("unblock", sigprocmask(SIG_UNBLOCK, &m, NULL));
    FACT_INT("usr1_deliveries", n_usr1);
    FACT_INT("rt_deliveries", n_rt);
    sigpending(&pend);
    FACT_BOOL("nothing_pending", !sigismember(&pend, SIGUSR1) && !sigismember(&pend, SIGRTMIN));
    sigset_t k; sigemptyset(&k); sigaddset(&k, SIGKILL); sigaddset(&k, SIGSTOP); sigaddset(&k, SIGUSR2);
    CHECK_RET("block_kill_stop", sigprocmask(SIG_SETMASK, &k, NULL));
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    FACT_BOOL("kill_not_blocked", !sigismember(&cur, SIGKILL));
    FACT_BOOL("stop_not_blocked", !sigismember(&cur, SIGSTOP));
    FACT_BOOL("usr2_blocked", sigismember(&cur, SIGUSR2));
    CHECK_RET("bad_how", sigprocmask(99, &k, NULL));
    DONE();
}
