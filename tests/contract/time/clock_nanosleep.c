/* clock_nanosleep(2): TIMER_ABSTIME sleeps until the absolute deadline, a past deadline returns at once, relative works on MONOTONIC/REALTIME/BOOTTIME; errors are returned (not errno): EINVAL for bad clock/nsec, CPU-time clock of self EINVAL. */
#include "../lib/contract.h"

static long diff_ns(struct timespec a, struct timespec b) { return (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec); }

int main(void)
{
    struct timespec now, dl, after;
    clock_gettime(CLOCK_MONOTONIC, &now);
    dl = now;
    dl.tv_nsec += 40000000;
    if (dl.tv_nsec >= 1000000000) { dl.tv_sec++; dl.tv_nsec -= 1000000000; }
    CHECK_RC("abstime", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &dl, NULL));
    clock_gettime(CLOCK_MONOTONIC, &after);
    FACT_BOOL("woke_at_or_after_deadline", diff_ns(dl, after) >= 0);
    FACT_BOOL("not_too_late", diff_ns(dl, after) < 400000000);
    struct timespec past = { now.tv_sec - 1, 0 };
    long t0 = mono_ms();
    CHECK_RC("abstime_past", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL));
    FACT_BOOL("past_immediate", mono_ms() - t0 < 50);
    struct timespec rel = { 0, 10000000 };
    CHECK_RC("relative_realtime", clock_nanosleep(CLOCK_REALTIME, 0, &rel, NULL));
    CHECK_RC("relative_boottime", clock_nanosleep(CLOCK_BOOTTIME, 0, &rel, NULL));
    struct timespec rt;
    clock_gettime(CLOCK_REALTIME, &rt);
    rt.tv_nsec = 0; rt.tv_sec -= 10;
    CHECK_RC("realtime_abs_past", clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &rt, NULL));
    struct timespec bad = { 0, 1000000000 };
    CHECK_RC("bad_nsec", clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL));
    CHECK_RC("bad_clock", clock_nanosleep(99, 0, &rel, NULL));
    CHECK_RC("thread_cputime_clock", clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &rel, NULL));
    DONE();
}
