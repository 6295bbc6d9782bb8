/* brk(2): brk(0) returns the current break, growing by 64 KiB returns the new break and the memory is zeroed and writable, shrinking works, a request below the start is refused (returns the old break). */
#include "../lib/contract.h"
#include <sys/syscall.h>

int main(void)
{
    unsigned long cur = syscall(SYS_brk, 0);
    FACT_BOOL("brk0_nonzero", cur != 0);
    FACT_BOOL("brk0_stable", syscall(SYS_brk, 0) == (long)cur);
    unsigned long want = cur + 65536;
    unsigned long got = syscall(SYS_brk, want);
    FACT_BOOL("grow_returns_new", got == want);
    unsigned char *m = (unsigned char *)cur;
    int z = 1;
    for (int i = 0; i < 65536; i++) if (m[i]) { z = 0; break; }
    FACT_BOOL("grown_zeroed", z);
    memset(m, 0x5a, 65536);
    FACT_BOOL("grown_writable", m[65535] == 0x5a);
    got = syscall(SYS_brk, cur + 4096);
    FACT_BOOL("shrink_returns_new", got == cur + 4096);
    got = syscall(SYS_brk, cur + 65536);
    FACT_BOOL("regrow_ok", got == cur + 65536);
    FACT_BOOL("regrown_tail_zeroed", m[8192] == 0 && m[65535] == 0);
    FACT_BOOL("kept_head", m[0] == 0x5a && m[4095] == 0x5a);
    got = syscall(SYS_brk, 4096);
    FACT_BOOL("below_start_refused", got == cur + 65536);
    got = syscall(SYS_brk, cur + 1);
    FACT_BOOL("unaligned_accepted", got == cur + 1);
    syscall(SYS_brk, cur);
    DONE();
}
