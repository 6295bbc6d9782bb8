/* timerfd_create(2): one-shot timer expires after the interval, blocking read returns 1 expiration, gettime then reports it_value 0; nonblocking read before expiry is EAGAIN. */
#include "../lib/contract.h"
#include <sys/timerfd.h>
#include <stdint.h>

int main(void)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    SETUP(fd);
    struct itimerspec its = { { 0, 0 }, { 0, 50 * 1000000 } }, cur;
    uint64_t n = 0;
    CHECK_RET("gettime_disarmed", timerfd_gettime(fd, &cur));
    FACT_BOOL("disarmed_zero", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);
    CHECK_RET("settime", timerfd_settime(fd, 0, &its, NULL));
    CHECK_RET("read_before_expiry", read(fd, &n, 8));
    timerfd_gettime(fd, &cur);
    FACT_BOOL("remaining_le_50ms", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec <= 50000000);
    FACT_BOOL("remaining_positive", cur.it_value.tv_nsec > 0);
    SETUP(fcntl(fd, F_SETFL, 0));
    long t0 = mono_ms();
    CHECK_RET("blocking_read", read(fd, &n, 8));
    FACT_INT("expirations", n);
    FACT_BOOL("waited_ge_30ms", mono_ms() - t0 >= 30);
    timerfd_gettime(fd, &cur);
    FACT_BOOL("after_expiry_value_zero", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);
    CHECK_RET("read_short_buf", read(fd, &n, 4));
    CHECK_RET("create_bad_clock", timerfd_create(12345, 0));
    CHECK_RET("create_bad_flags", timerfd_create(CLOCK_MONOTONIC, 0x4242));
    its.it_value.tv_nsec = 1000000000;
    CHECK_RET("settime_bad_nsec", timerfd_settime(fd, 0, &its, NULL));
    CHECK_RET("settime_not_timerfd", timerfd_settime(0 + open("/dev/null", O_RDONLY), 0, &its, NULL));
    DONE();
}
