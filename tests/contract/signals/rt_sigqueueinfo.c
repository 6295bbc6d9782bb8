/* sigqueue(3)/rt_sigqueueinfo(2): si_value.sival_int and si_code SI_QUEUE reach an SA_SIGINFO handler; queued RT signals are delivered in order with their values; rt_sigqueueinfo to oneself may pass any si_code. */
#include "../lib/contract.h"
#include <sys/syscall.h>

static volatile int vals[8], nv;
static volatile int code;
static void h(int s, siginfo_t *si, void *u) { (void)s; (void)u; if (nv < 8) vals[nv++] = si->si_value.sival_int; code = si->si_code; }

int main(void)
{
    struct sigaction sa = { .sa_sigaction = h, .sa_flags = SA_SIGINFO };
    sigaction(SIGRTMIN + 1, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    union sigval v = { .sival_int = 42 };
    CHECK_RET("sigqueue", sigqueue(getpid(), SIGUSR1, v));
    FACT_INT("handler_value", vals[0]);
    FACT_INT("handler_si_code", code);
    nv = 0;
    sigset_t m; sigemptyset(&m); sigaddset(&m, SIGRTMIN + 1);
    sigprocmask(SIG_BLOCK, &m, NULL);
    for (int i = 1; i <= 4; i++) { v.sival_int = i * 11; sigqueue(getpid(), SIGRTMIN + 1, v); }
    sigprocmask(SIG_UNBLOCK, &m, NULL);
    FACT_INT("rt_count", nv);
    FACT("rt_order", "%d,%d,%d,%d", vals[0], vals[1], vals[2], vals[3]);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = SIGUSR1;
    si.si_code = SI_USER;
    CHECK_RET("raw_si_user_to_self", syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &si));
    CHECK_RET("bad_signal", sigqueue(getpid(), 0x7f, v));
    CHECK_RET("missing_pid", sigqueue(0x3ffffff0, SIGUSR1, v));
    DONE();
}
