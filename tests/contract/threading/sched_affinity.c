/* sched_getaffinity(2)/sched_setaffinity(2): at least one CPU, pinning to the first allowed CPU reads back exactly one, sched_getcpu matches, a too-small cpusetsize is EINVAL, an empty mask EINVAL. */
#define _GNU_SOURCE
#include "../lib/contract.h"
#include <sched.h>
#include <sys/syscall.h>

int main(void)
{
    cpu_set_t s;
    CPU_ZERO(&s);
    CHECK_RET("getaffinity", sched_getaffinity(0, sizeof s, &s));
    int n = CPU_COUNT(&s), first = -1;
    FACT_BOOL("count_ge_1", n >= 1);
    for (int i = 0; i < CPU_SETSIZE; i++) if (CPU_ISSET(i, &s)) { first = i; break; }
    long raw = syscall(SYS_sched_getaffinity, 0, sizeof s, &s);
    FACT_BOOL("raw_returns_bytes_multiple_of_8", raw > 0 && raw % 8 == 0);
    cpu_set_t one;
    CPU_ZERO(&one); CPU_SET(first, &one);
    CHECK_RET("setaffinity_one", sched_setaffinity(0, sizeof one, &one));
    CPU_ZERO(&s);
    sched_getaffinity(0, sizeof s, &s);
    FACT_INT("count_after_pin", CPU_COUNT(&s));
    FACT_BOOL("pinned_cpu_set", CPU_ISSET(first, &s));
    FACT_BOOL("getcpu_matches", sched_getcpu() == first);
    CHECK_RET("raw_small_size", syscall(SYS_sched_getaffinity, 0, 1, &s));
    cpu_set_t empty;
    CPU_ZERO(&empty);
    CHECK_RET("set_empty", sched_setaffinity(0, sizeof empty, &empty));
    CHECK_RET("missing_pid", sched_getaffinity(0x3ffffff0, sizeof s, &s));
    CHECK_RET("sched_yield", sched_yield());
    /* raw syscall: musl's sched_getscheduler() is an ENOSYS stub */
    CHECK_RET("sched_getscheduler_other", syscall(SYS_sched_getscheduler, 0));
    DONE();
}
