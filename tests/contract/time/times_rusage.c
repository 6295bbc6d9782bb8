/* times(2)/getrusage(2): times() returns a positive tick count, user time grows with CPU work, RUSAGE_CHILDREN includes a reaped busy child, ru_maxrss > 0, invalid who EINVAL. */
#include "../lib/contract.h"
#include <sys/times.h>
#include <sys/resource.h>
#include <sys/wait.h>

static void burn(void) { volatile unsigned long x = 0; for (unsigned long i = 0; i < 60000000UL; i++) x += i; }

int main(void)
{
    struct tms t;
    clock_t c = times(&t);
    FACT_BOOL("times_positive", c > 0);
    struct rusage a, b;
    getrusage(RUSAGE_SELF, &a);
    burn();
    getrusage(RUSAGE_SELF, &b);
    long us = (b.ru_utime.tv_sec - a.ru_utime.tv_sec) * 1000000L + (b.ru_utime.tv_usec - a.ru_utime.tv_usec);
    FACT_BOOL("utime_grew", us > 0);
    FACT_BOOL("maxrss_positive", b.ru_maxrss > 0);
    getrusage(RUSAGE_CHILDREN, &a);
    FACT_BOOL("children_zero_before", a.ru_utime.tv_sec == 0 && a.ru_utime.tv_usec == 0);
    pid_t k = fork();
    if (k == 0) { burn(); _exit(0); }
    getrusage(RUSAGE_CHILDREN, &a);
    FACT_BOOL("children_zero_before_wait", a.ru_utime.tv_sec == 0 && a.ru_utime.tv_usec == 0);
    waitpid(k, NULL, 0);
    getrusage(RUSAGE_CHILDREN, &a);
    FACT_BOOL("children_after_wait", a.ru_utime.tv_sec > 0 || a.ru_utime.tv_usec > 0);
    struct tms t2;
    times(&t2);
    FACT_BOOL("tms_cutime_nonneg", t2.tms_cutime >= 0);
    CHECK_RET("rusage_thread", getrusage(1 /* RUSAGE_THREAD */, &a));
    CHECK_RET("rusage_bad_who", getrusage(42, &a));
    DONE();
}
