/* sigaction(2): query old action, EINVAL for SIGKILL/SIGSTOP/0/65, SA_RESETHAND resets after one delivery, the handling signal is blocked unless SA_NODEFER, sa_mask is added during the handler. */
#include "../lib/contract.h"

static volatile int blocked_self, blocked_mask, calls;
static void h(int s)
{
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    blocked_self = sigismember(&cur, s);
    blocked_mask = sigismember(&cur, SIGUSR2);
    calls++;
}

int main(void)
{
    struct sigaction sa = { .sa_handler = h }, old;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    CHECK_RET("set", sigaction(SIGUSR1, &sa, NULL));
    CHECK_RET("query", sigaction(SIGUSR1, NULL, &old));
    FACT_BOOL("query_handler", old.sa_handler == h);
    FACT_BOOL("query_mask", sigismember(&old.sa_mask, SIGUSR2));
    raise(SIGUSR1);
    FACT_INT("self_blocked_in_handler", blocked_self);
    FACT_INT("sa_mask_blocked_in_handler", blocked_mask);
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    FACT_INT("nodefer_self_blocked", blocked_self);
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGUSR1, &sa, NULL);
    calls = 0;
    raise(SIGUSR1);
    sigaction(SIGUSR1, NULL, &old);
    FACT_INT("resethand_calls", calls);
    FACT_BOOL("resethand_now_dfl", old.sa_handler == SIG_DFL);
    CHECK_RET("sigkill", sigaction(SIGKILL, &sa, NULL));
    CHECK_RET("sigstop", sigaction(SIGSTOP, &sa, NULL));
    CHECK_RET("sigkill_query_ok", sigaction(SIGKILL, NULL, &old));
    CHECK_RET("signal0", sigaction(0, &sa, NULL));
    CHECK_RET("signal65", sigaction(65, &sa, NULL));
    FACT_BOOL("signal_returns_old", signal(SIGUSR2, SIG_IGN) == SIG_DFL);
    FACT_BOOL("signal_returns_ign", signal(SIGUSR2, SIG_DFL) == SIG_IGN);
    DONE();
}
