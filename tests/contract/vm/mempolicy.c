/* get_mempolicy(2)/set_mempolicy(2)/mbind(2) (mm/mempolicy.c): the default policy, a preferred node set and read back, EINVAL for an unknown mode or an empty preferred-many mask, mbind on a mapping and MPOL_F_ADDR reading it, EFAULT for an address outside any mapping. numactl and procps (top, ps via libnuma) call them. */
#include "../lib/contract.h"
#include <sys/mman.h>
#include <sys/syscall.h>

#define MPOL_DEFAULT 0
#define MPOL_PREFERRED 1
#define MPOL_BIND 2
#define MPOL_INTERLEAVE 3
#define MPOL_PREFERRED_MANY 5
#define MPOL_F_NODE 1
#define MPOL_F_ADDR 2

static long getpol(int *mode, unsigned long *mask, unsigned long maxnode, void *addr, unsigned long flags)
{
    return syscall(SYS_get_mempolicy, mode, mask, maxnode, addr, flags);
}

int main(void)
{
    int mode = -1;
    unsigned long mask = 0, node0 = 1, none = 0;
    CHECK_RET("get_default", getpol(&mode, &mask, 64, NULL, 0));
    FACT_INT("default_mode", mode);
    CHECK_RET("set_preferred", syscall(SYS_set_mempolicy, MPOL_PREFERRED, &node0, 64));
    mode = -1;
    CHECK_RET("get_preferred", getpol(&mode, &mask, 64, NULL, 0));
    FACT_INT("preferred_mode", mode);
    FACT_INT("preferred_mask", mask);
    CHECK_RET("set_bad_mode", syscall(SYS_set_mempolicy, 42, &node0, 64));
    CHECK_RET("set_many_empty", syscall(SYS_set_mempolicy, MPOL_PREFERRED_MANY, &none, 64));
    CHECK_RET("set_default", syscall(SYS_set_mempolicy, MPOL_DEFAULT, NULL, 0));
    char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SETUP(p == MAP_FAILED ? -1 : 0);
    CHECK_RET("mbind", syscall(SYS_mbind, p, 8192, MPOL_BIND, &node0, 64, 0));
    mode = -1;
    CHECK_RET("get_addr", getpol(&mode, &mask, 64, p, MPOL_F_ADDR));
    FACT_INT("addr_mode", mode);
    SETUP(munmap(p, 8192));
    CHECK_RET("get_addr_unmapped", getpol(&mode, &mask, 64, p, MPOL_F_ADDR));
    CHECK_RET("get_bad_flags", getpol(&mode, &mask, 64, NULL, 0x100));
    DONE();
}
