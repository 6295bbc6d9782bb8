/* timerfd_settime(2) periodic timer: expirations accumulate between reads; old_value returns the previous setting; disarming with zero it_value. */
#include "../lib/contract.h"
#include <sys/timerfd.h>
#include <stdint.h>

int main(void)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, 0);
    SETUP(fd);
    struct itimerspec its = { { 0, 10000000 }, { 0, 10000000 } }, old;
    long t0 = mono_ms();
    SETUP(timerfd_settime(fd, 0, &its, NULL));
    sleep_ms(65);
    uint64_t n = 0;
    CHECK_RET("read", read(fd, &n, 8));
    long el = mono_ms() - t0;
    FACT_BOOL("expirations_ge_4", n >= 4);
    FACT_BOOL("expirations_le_elapsed", (long)n <= el / 10 + 1);
    struct itimerspec cur;
    timerfd_gettime(fd, &cur);
    FACT_BOOL("interval_reported", cur.it_interval.tv_sec == 0 && cur.it_interval.tv_nsec == 10000000);
    struct itimerspec off = { { 0, 0 }, { 0, 0 } };
    CHECK_RET("disarm", timerfd_settime(fd, 0, &off, &old));
    FACT_BOOL("old_interval", old.it_interval.tv_nsec == 10000000);
    FACT_BOOL("old_value_le_interval", old.it_value.tv_sec == 0 && old.it_value.tv_nsec <= 10000000);
    SETUP(fcntl(fd, F_SETFL, O_NONBLOCK));
    CHECK_RET("read_after_disarm", read(fd, &n, 8));
    DONE();
}
