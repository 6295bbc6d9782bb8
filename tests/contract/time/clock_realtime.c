/* clock_gettime(2) CLOCK_REALTIME: wall clock is after 2020-01-01 (not seconds since boot), gettimeofday(2) and time(2) agree with it within 1 s, REALTIME_COARSE and TAI are close to it. */
#include "../lib/contract.h"
#include <sys/time.h>
#include <sys/syscall.h>

int main(void)
{
    struct timespec rt, co, tai;
    CHECK_RET("realtime", clock_gettime(CLOCK_REALTIME, &rt));
    FACT_BOOL("after_2020", rt.tv_sec > 1577836800);
    FACT_BOOL("before_2100", rt.tv_sec < 4102444800L);
    struct timeval tv;
    CHECK_RET("gettimeofday", gettimeofday(&tv, NULL));
    FACT_BOOL("gettimeofday_within_1s", labs(tv.tv_sec - rt.tv_sec) <= 1);
    FACT_BOOL("usec_in_range", tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    time_t t = time(NULL);
    FACT_BOOL("time_within_1s", labs(t - rt.tv_sec) <= 1);
    time_t t2;
    FACT_BOOL("raw_time_stores_result", syscall(SYS_time, &t2) == t2 && labs(t2 - rt.tv_sec) <= 1);
    clock_gettime(CLOCK_REALTIME_COARSE, &co);
    FACT_BOOL("coarse_within_1s", labs(co.tv_sec - rt.tv_sec) <= 1);
    CHECK_RET("tai", clock_gettime(CLOCK_TAI, &tai));
    FACT_BOOL("tai_within_60s", labs(tai.tv_sec - rt.tv_sec) <= 60);
    struct timespec mo;
    clock_gettime(CLOCK_MONOTONIC, &mo);
    FACT_BOOL("realtime_not_uptime", rt.tv_sec - mo.tv_sec > 1000000);
    CHECK_RET("settime_monotonic", clock_settime(CLOCK_MONOTONIC, &mo));
    DONE();
}
