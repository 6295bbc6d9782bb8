/* timerfd_settime(2) TFD_TIMER_ABSTIME: an absolute deadline in the past fires immediately with 1 expiration; a future one fires at that time; CLOCK_REALTIME works too. */
#include "../lib/contract.h"
#include <sys/timerfd.h>
#include <stdint.h>
#include <poll.h>

int main(void)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    SETUP(fd);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    struct itimerspec its = { { 0, 0 }, { now.tv_sec - 1, now.tv_nsec } };
    if (its.it_value.tv_sec <= 0) its.it_value.tv_sec = 0, its.it_value.tv_nsec = 1;
    CHECK_RET("settime_past", timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL));
    uint64_t n = 0;
    CHECK_RET("read_past", read(fd, &n, 8));
    FACT_INT("past_expirations", n);
    clock_gettime(CLOCK_MONOTONIC, &now);
    its.it_value.tv_sec = now.tv_sec;
    its.it_value.tv_nsec = now.tv_nsec + 40000000;
    if (its.it_value.tv_nsec >= 1000000000) { its.it_value.tv_sec++; its.it_value.tv_nsec -= 1000000000; }
    SETUP(timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL));
    CHECK_RET("read_before_deadline", read(fd, &n, 8));
    struct itimerspec cur;
    timerfd_gettime(fd, &cur);
    FACT_BOOL("gettime_relative_remaining", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec <= 40000000);
    struct pollfd pf = { fd, POLLIN, 0 };
    long t0 = mono_ms();
    CHECK_RET("poll_until_deadline", poll(&pf, 1, 1000));
    FACT_BOOL("poll_waited_ge_20ms", mono_ms() - t0 >= 20);
    int rt = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
    clock_gettime(CLOCK_REALTIME, &now);
    struct itimerspec r = { { 0, 0 }, { now.tv_sec - 5, 0 } };
    CHECK_RET("realtime_past", timerfd_settime(rt, TFD_TIMER_ABSTIME, &r, NULL));
    CHECK_RET("realtime_read", read(rt, &n, 8));
    FACT_INT("realtime_expirations", n);
    DONE();
}
