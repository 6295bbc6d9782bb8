/* sigtimedwait(2)/sigwaitinfo(2): times out with EAGAIN, returns a pending blocked signal with its siginfo (si_code SI_QUEUE, si_value), invalid timeout EINVAL. */
#include "../lib/contract.h"

int main(void)
{
    sigset_t m;
    sigemptyset(&m); sigaddset(&m, SIGUSR1); sigaddset(&m, SIGUSR2);
    sigprocmask(SIG_BLOCK, &m, NULL);
    siginfo_t si;
    struct timespec ts = { 0, 20000000 };
    long t0 = mono_ms();
    CHECK_RET("timeout", sigtimedwait(&m, &si, &ts));
    FACT_BOOL("waited_ge_15ms", mono_ms() - t0 >= 15);
    union sigval v = { .sival_int = 77 };
    sigqueue(getpid(), SIGUSR2, v);
    CHECK_RET("sigtimedwait_got", sigtimedwait(&m, &si, &ts));
    FACT_INT("si_signo", si.si_signo);
    FACT_INT("si_code", si.si_code);
    FACT_INT("si_value", si.si_value.sival_int);
    FACT_BOOL("si_pid_self", si.si_pid == getpid());
    raise(SIGUSR1);
    CHECK_RET("sigwaitinfo", sigwaitinfo(&m, &si));
    FACT_INT("sigwaitinfo_code", si.si_code);
    struct timespec zero = { 0, 0 };
    CHECK_RET("zero_timeout_poll", sigtimedwait(&m, &si, &zero));
    struct timespec bad = { 0, 2000000000 };
    CHECK_RET("bad_timeout", sigtimedwait(&m, &si, &bad));
    /* lowest-numbered pending signal first */
    raise(SIGUSR2); raise(SIGUSR1);
    FACT_INT("first_of_two", sigtimedwait(&m, &si, &zero));
    FACT_INT("second_of_two", sigtimedwait(&m, &si, &zero));
    DONE();
}
