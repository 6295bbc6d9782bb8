/* clock_gettime(2): CLOCK_MONOTONIC, MONOTONIC_RAW, MONOTONIC_COARSE, BOOTTIME and the CPU-time clocks never go backwards over 10000 reads, BOOTTIME >= MONOTONIC, CPU-time advances with work, invalid clock ids EINVAL. */
#include "../lib/contract.h"
#include <sys/syscall.h>

static int nondecreasing(clockid_t c)
{
    struct timespec a, b;
    if (clock_gettime(c, &a)) return -1;
    for (int i = 0; i < 10000; i++) {
        clock_gettime(c, &b);
        if (b.tv_sec < a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec < a.tv_nsec)) return 0;
        if (b.tv_nsec < 0 || b.tv_nsec >= 1000000000) return 0;
        a = b;
    }
    return 1;
}

int main(void)
{
    FACT_INT("monotonic", nondecreasing(CLOCK_MONOTONIC));
    FACT_INT("monotonic_raw", nondecreasing(CLOCK_MONOTONIC_RAW));
    FACT_INT("monotonic_coarse", nondecreasing(CLOCK_MONOTONIC_COARSE));
    FACT_INT("boottime", nondecreasing(CLOCK_BOOTTIME));
    FACT_INT("process_cputime", nondecreasing(CLOCK_PROCESS_CPUTIME_ID));
    FACT_INT("thread_cputime", nondecreasing(CLOCK_THREAD_CPUTIME_ID));
    struct timespec m, b;
    clock_gettime(CLOCK_MONOTONIC, &m);
    clock_gettime(CLOCK_BOOTTIME, &b);
    FACT_BOOL("boottime_ge_monotonic", b.tv_sec > m.tv_sec || (b.tv_sec == m.tv_sec && b.tv_nsec >= m.tv_nsec));
    FACT_BOOL("monotonic_positive", m.tv_sec > 0 || m.tv_nsec > 0);
    struct timespec c0, c1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    volatile unsigned long x = 0;
    for (unsigned long i = 0; i < 20000000UL; i++) x += i;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    long ns = (c1.tv_sec - c0.tv_sec) * 1000000000L + (c1.tv_nsec - c0.tv_nsec);
    FACT_BOOL("cputime_advanced_with_work", ns > 1000000);
    struct timespec t;
    CHECK_RET("invalid_clock_42", syscall(SYS_clock_gettime, 42, &t));
    CHECK_RET("invalid_clock_neg_pid_cpu_clock", syscall(SYS_clock_gettime, -1, &t));
    CHECK_RET("raw_monotonic", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &t));
    DONE();
}
