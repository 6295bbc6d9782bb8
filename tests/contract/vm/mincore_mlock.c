/* mincore(2)/mlock(2): a touched anonymous page is resident, an unmapped range ENOMEM, unaligned start EINVAL; mlock/munlock of a small region succeed as root and VmLck in /proc/self/status reflects it. */
#include "../lib/contract.h"
#include <sys/mman.h>

static long vmlck_kb(void)
{
    char buf[4096];
    read_file("/proc/self/status", buf, sizeof buf);
    char *p = strstr(buf, "VmLck:");
    return p ? atol(p + 6) : -1;
}

int main(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p[0] = 1;
    unsigned char vec[4] = { 9, 9, 9, 9 };
    CHECK_RET("mincore", mincore(p, 4 * pg, vec));
    FACT_INT("touched_resident", vec[0] & 1);
    munmap(p + 3 * pg, pg);
    CHECK_RET("mincore_unmapped", mincore(p, 4 * pg, vec));
    CHECK_RET("mincore_unaligned", mincore(p + 1, pg, vec));
    FACT_INT("vmlck_before_kb", vmlck_kb());
    CHECK_RET("mlock", mlock(p, 2 * pg));
    FACT_INT("vmlck_after_kb", vmlck_kb());
    FACT_INT("locked_page_resident", (mincore(p + pg, pg, vec), vec[0] & 1));
    CHECK_RET("munlock", munlock(p, 2 * pg));
    FACT_INT("vmlck_after_unlock_kb", vmlck_kb());
    CHECK_RET("mlock_unmapped", mlock(p + 3 * pg, pg));
    DONE();
}
