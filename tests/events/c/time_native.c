/* Time calls run natively under Kevlar (the host answers, in both profiles): nanosleep and clock_nanosleep interrupted by a handler give EINTR and the time left (not for TIMER_ABSTIME), restart transparently after a signal with no handler and after SIGSTOP/SIGCONT; alarm's return values and rounding; setitimer/getitimer with intervals and SIGALRM delivery; clock_gettime/clock_getres/gettimeofday/time on every clock, through libc (vDSO) and raw syscalls; their EINVAL/EFAULT cases. */
#include "../../contract/lib/contract.h"
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

static volatile sig_atomic_t alrm, usr1;
static void on_alrm(int s) { (void)s; alrm++; }
static void on_usr1(int s) { (void)s; usr1++; }

static pid_t signal_later(int sig, int ms)
{
    pid_t parent = getpid(), c = fork();
    if (c == 0) { sleep_ms(ms); kill(parent, sig); _exit(0); }
    return c;
}

int main(void)
{
    struct sigaction sa = { .sa_handler = on_usr1 };
    sigaction(SIGUSR1, &sa, NULL);
    struct sigaction sr = { .sa_handler = on_alrm, .sa_flags = SA_RESTART };
    sigaction(SIGALRM, &sr, NULL);

    struct timespec req = { 2, 0 }, rem = { -1, -1 };
    pid_t c = signal_later(SIGUSR1, 50);
    long t0 = mono_ms();
    CHECK_RET("nanosleep_interrupted", nanosleep(&req, &rem));
    FACT_BOOL("interrupted_early", mono_ms() - t0 < 1500);
    FACT_BOOL("rem_left", rem.tv_sec == 1 && rem.tv_nsec > 0);
    waitpid(c, NULL, 0);

    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    req.tv_sec = 0; req.tv_nsec = 300000000;
    c = signal_later(SIGUSR1, 50);
    CHECK_RET("nanosleep_sa_restart_still_eintr", nanosleep(&req, &rem));
    waitpid(c, NULL, 0);

    /* a signal with no handler (SIGCHLD, default ignored) does not end the sleep */
    c = fork();
    if (c == 0) { sleep_ms(20); _exit(0); }
    req.tv_nsec = 150000000;
    t0 = mono_ms();
    CHECK_RET("nanosleep_through_sigchld", nanosleep(&req, NULL));
    FACT_BOOL("slept_full", mono_ms() - t0 >= 140);
    waitpid(c, NULL, 0);

    /* SIGSTOP/SIGCONT in the middle: the sleep resumes (restart_syscall) */
    c = fork();
    if (c == 0) {
        struct timespec r2 = { 0, 200000000 };
        long s0 = mono_ms();
        int rr = nanosleep(&r2, NULL);
        _exit(rr == 0 && mono_ms() - s0 >= 190 ? 0 : 1);
    }
    sleep_ms(50);
    kill(c, SIGSTOP);
    int st;
    waitpid(c, &st, WUNTRACED);
    FACT_BOOL("child_stopped", WIFSTOPPED(st));
    sleep_ms(30);
    kill(c, SIGCONT);
    waitpid(c, &st, 0);
    FACT_BOOL("child_sleep_completed", WIFEXITED(st) && WEXITSTATUS(st) == 0);

    /* clock_nanosleep */
    struct timespec now, abs;
    clock_gettime(CLOCK_MONOTONIC, &now);
    abs = now; abs.tv_sec += 2;
    rem.tv_sec = 77; rem.tv_nsec = 77;
    c = signal_later(SIGUSR1, 50);
    CHECK_RC("clock_nanosleep_abstime_eintr", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, &rem));
    FACT_BOOL("abstime_rem_untouched", rem.tv_sec == 77 && rem.tv_nsec == 77);
    waitpid(c, NULL, 0);
    req.tv_sec = 2; req.tv_nsec = 0;
    c = signal_later(SIGUSR1, 50);
    CHECK_RC("clock_nanosleep_relative_eintr", clock_nanosleep(CLOCK_REALTIME, 0, &req, &rem));
    FACT_BOOL("relative_rem", rem.tv_sec == 1);
    waitpid(c, NULL, 0);
    clock_gettime(CLOCK_MONOTONIC, &now);
    abs = now; abs.tv_nsec += 30000000;
    if (abs.tv_nsec >= 1000000000) { abs.tv_sec++; abs.tv_nsec -= 1000000000; }
    t0 = mono_ms();
    CHECK_RC("clock_nanosleep_abstime", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL));
    FACT_BOOL("abstime_waited", mono_ms() - t0 >= 20);
    abs.tv_sec -= 10;
    CHECK_RC("clock_nanosleep_past", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL));
    struct timespec bad = { 0, 1000000000 }, neg = { -1, 0 }, tiny = { 0, 1 };
    CHECK_RC("clock_nanosleep_bad_nsec", clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL));
    CHECK_RC("clock_nanosleep_negative", clock_nanosleep(CLOCK_MONOTONIC, 0, &neg, NULL));
    CHECK_RC("clock_nanosleep_thread_cputime", clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &tiny, NULL));
    CHECK_RC("clock_nanosleep_bad_clock", clock_nanosleep(1234, 0, &tiny, NULL));
    CHECK_RC("clock_nanosleep_boottime", clock_nanosleep(CLOCK_BOOTTIME, 0, &tiny, NULL));
    CHECK_RET("raw_clock_nanosleep_bad_ptr", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, (void *)8, NULL));
    CHECK_RET("nanosleep_bad_nsec", nanosleep(&bad, NULL));
    CHECK_RET("nanosleep_negative", nanosleep(&neg, NULL));
    CHECK_RET("raw_nanosleep_bad_ptr", syscall(SYS_nanosleep, (void *)8, NULL));

    /* alarm (raw: musl implements alarm with setitimer) */
    CHECK_RET("alarm_first", syscall(SYS_alarm, 5));
    CHECK_RET("alarm_replaced_returns_left", syscall(SYS_alarm, 3));
    CHECK_RET("alarm_cancel", syscall(SYS_alarm, 0));
    CHECK_RET("alarm_none_left", syscall(SYS_alarm, 0));
    alrm = 0;
    syscall(SYS_alarm, 1);
    t0 = mono_ms();
    while (!alrm && mono_ms() - t0 < 3000) pause();
    FACT_INT("alarm_delivered", alrm);
    FACT_BOOL("alarm_after_1s", mono_ms() - t0 >= 900);

    /* setitimer / getitimer */
    struct itimerval it = { { 0, 20000 }, { 0, 30000 } }, old, cur;
    CHECK_RET("setitimer", setitimer(ITIMER_REAL, &it, &old));
    FACT_BOOL("old_was_disarmed", old.it_value.tv_sec == 0 && old.it_value.tv_usec == 0);
    CHECK_RET("getitimer", getitimer(ITIMER_REAL, &cur));
    FACT_BOOL("interval_kept", cur.it_interval.tv_usec == 20000);
    FACT_BOOL("value_counting_down", cur.it_value.tv_sec == 0 && cur.it_value.tv_usec <= 30000);
    alrm = 0;
    while (alrm < 3) pause();
    FACT_BOOL("periodic_ticks", alrm >= 3);
    struct itimerval off = { { 0, 0 }, { 0, 0 } };
    CHECK_RET("setitimer_off", setitimer(ITIMER_REAL, &off, &old));
    FACT_BOOL("old_interval_returned", old.it_interval.tv_usec == 20000);
    CHECK_RET("setitimer_bad_which", setitimer(42, &it, NULL));
    struct itimerval badv = { { 0, 0 }, { 0, 1000000 } };
    CHECK_RET("setitimer_bad_usec", setitimer(ITIMER_REAL, &badv, NULL));
    CHECK_RET("getitimer_bad_ptr", syscall(SYS_getitimer, ITIMER_REAL, (void *)8));
    CHECK_RET("getitimer_virtual", getitimer(ITIMER_VIRTUAL, &cur));
    CHECK_RET("getitimer_prof", getitimer(ITIMER_PROF, &cur));

    /* clocks */
    static const int clocks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
        CLOCK_THREAD_CPUTIME_ID, CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE,
        CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME, CLOCK_REALTIME_ALARM, CLOCK_BOOTTIME_ALARM,
        10, CLOCK_TAI, 12, -1 };
    for (unsigned i = 0; i < sizeof clocks / sizeof *clocks; i++) {
        char key[48];
        struct timespec a, b, r;
        snprintf(key, sizeof key, "gettime_clock_%d", clocks[i]);
        long ra = syscall(SYS_clock_gettime, clocks[i], &a);
        printf("%s=%s\n", key, ra ? errname(errno) : "0");
        int lb = clock_gettime(clocks[i], &b);
        snprintf(key, sizeof key, "libc_gettime_clock_%d", clocks[i]);
        printf("%s=%s\n", key, lb ? errname(errno) : "0");
        snprintf(key, sizeof key, "getres_clock_%d", clocks[i]);
        long rr = syscall(SYS_clock_getres, clocks[i], &r);
        if (rr) printf("%s=%s\n", key, errname(errno));
        else printf("%s=%ld.%09ld\n", key, (long)r.tv_sec, (long)r.tv_nsec);
    }
    struct timespec m1, m2;
    clock_gettime(CLOCK_MONOTONIC, &m1);
    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &m2);
    FACT_BOOL("monotonic_non_decreasing", m2.tv_sec > m1.tv_sec || (m2.tv_sec == m1.tv_sec && m2.tv_nsec >= m1.tv_nsec));
    CHECK_RET("clock_gettime_bad_ptr", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)8));
    CHECK_RET("clock_getres_null_ok", syscall(SYS_clock_getres, CLOCK_MONOTONIC, NULL));
    struct timeval tv;
    struct timezone tz;
    CHECK_RET("gettimeofday_tz", syscall(SYS_gettimeofday, &tv, &tz));
    CHECK_RET("gettimeofday_null", syscall(SYS_gettimeofday, NULL, NULL));
    CHECK_RET("gettimeofday_bad_ptr", syscall(SYS_gettimeofday, (void *)8, NULL));
    time_t t1 = 0;
    long t2 = syscall(SYS_time, &t1);
    FACT_BOOL("time_stores_and_returns", t2 == t1 && t1 > 1577836800);
    CHECK_RET("time_bad_ptr", syscall(SYS_time, (void *)8));
    DONE();
}
