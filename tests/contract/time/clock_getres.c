/* clock_getres(2): high-resolution clocks report 1 ns, coarse clocks report the tick (<= 10 ms), NULL res is allowed, invalid clock EINVAL. */
#include "../lib/contract.h"
#include <sys/syscall.h>

int main(void)
{
    struct timespec r;
    clockid_t hi[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_BOOTTIME, CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID };
    const char *names[] = { "realtime", "monotonic", "monotonic_raw", "boottime", "process_cputime", "thread_cputime" };
    for (int i = 0; i < 6; i++) {
        char k[64];
        snprintf(k, sizeof k, "%s_res_ns", names[i]);
        if (clock_getres(hi[i], &r) == 0) FACT_INT(k, r.tv_sec * 1000000000L + r.tv_nsec);
        else FACT_ERRNO(k, errno);
    }
    clock_getres(CLOCK_MONOTONIC_COARSE, &r);
    FACT_BOOL("coarse_res_le_10ms", r.tv_sec == 0 && r.tv_nsec > 1 && r.tv_nsec <= 10000000);
    CHECK_RET("null_res", clock_getres(CLOCK_MONOTONIC, NULL));
    CHECK_RET("invalid", syscall(SYS_clock_getres, 99, &r));
    DONE();
}
