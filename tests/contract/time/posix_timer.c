/* timer_create(2)/timer_settime(2): a CLOCK_MONOTONIC timer with SIGEV_SIGNAL delivers the signal with si_code SI_TIMER and the sival, gettime reports the remaining time, overrun counts, timer_delete; bad ids EINVAL. */
#include "../lib/contract.h"
#include <sys/syscall.h>

static volatile sig_atomic_t got, code, val;
static void h(int s, siginfo_t *si, void *u) { (void)s; (void)u; got++; code = si->si_code; val = si->si_value.sival_int; }

int main(void)
{
    struct sigaction sa = { .sa_sigaction = h, .sa_flags = SA_SIGINFO };
    sigaction(SIGRTMIN, &sa, NULL);
    struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN, .sigev_value.sival_int = 99 };
    timer_t t;
    CHECK_RET("create", timer_create(CLOCK_MONOTONIC, &sev, &t));
    struct itimerspec its = { { 0, 0 }, { 0, 20000000 } }, cur;
    CHECK_RET("settime", timer_settime(t, 0, &its, NULL));
    timer_gettime(t, &cur);
    FACT_BOOL("remaining_le_20ms", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 20000000);
    long t0 = mono_ms();
    while (!got && mono_ms() - t0 < 1000) pause();
    FACT_INT("delivered", got);
    FACT_INT("si_code", code);
    FACT_INT("si_value", val);
    FACT_INT("overrun", timer_getoverrun(t));
    /* periodic timer while the signal is blocked: expirations beyond the first count as overrun */
    sigset_t m; sigemptyset(&m); sigaddset(&m, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &m, NULL);
    struct itimerspec per = { { 0, 5000000 }, { 0, 5000000 } };
    timer_settime(t, 0, &per, NULL);
    sleep_ms(40);
    got = 0;
    sigprocmask(SIG_UNBLOCK, &m, NULL);
    FACT_INT("blocked_periodic_delivered_once", got);
    FACT_BOOL("overrun_counted", timer_getoverrun(t) >= 3);
    CHECK_RET("delete", timer_delete(t));
    CHECK_RET("raw_delete_again", syscall(SYS_timer_delete, 0x7ffff));
    CHECK_RET("raw_create_bad_clock", syscall(SYS_timer_create, 99, NULL, &t));
    DONE();
}
