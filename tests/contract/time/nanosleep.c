/* nanosleep(2): sleeps at least the requested 30 ms (and not absurdly longer), a zero request returns 0 immediately, tv_nsec >= 1e9 or negative is EINVAL. */
#include "../lib/contract.h"

int main(void)
{
    struct timespec req = { 0, 30000000 }, rem = { 9, 9 };
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    CHECK_RET("nanosleep_30ms", nanosleep(&req, &rem));
    clock_gettime(CLOCK_MONOTONIC, &b);
    long ns = (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec);
    FACT_BOOL("slept_ge_30ms", ns >= 30000000);
    FACT_BOOL("slept_lt_500ms", ns < 500000000);
    struct timespec z = { 0, 0 };
    CHECK_RET("zero", nanosleep(&z, NULL));
    struct timespec bad = { 0, 1000000000 };
    CHECK_RET("nsec_1e9", nanosleep(&bad, NULL));
    struct timespec neg = { 0, -1 };
    CHECK_RET("nsec_negative", nanosleep(&neg, NULL));
    struct timespec negs = { -1, 0 };
    CHECK_RET("sec_negative", nanosleep(&negs, NULL));
    DONE();
}
