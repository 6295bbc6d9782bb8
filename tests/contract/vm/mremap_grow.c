/* mremap(2): growing in place when the next pages are free keeps the address, growing with a neighbour in the way fails ENOMEM without MREMAP_MAYMOVE and moves (keeping contents) with it; shrinking works; bad flags EINVAL. */
#define _GNU_SOURCE
#include "../lib/contract.h"
#include <sys/mman.h>

int main(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    char *r = mmap(NULL, 8 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SETUP(r == MAP_FAILED ? -1 : 0);
    SETUP(munmap(r + 2 * pg, 6 * pg));
    strcpy(r, "keep-me");
    char *g = mremap(r, 2 * pg, 4 * pg, 0);
    FACT_BOOL("grow_in_place_same_addr", g == r);
    g[4 * pg - 1] = 'x';
    FACT_BOOL("grown_tail_writable", g[4 * pg - 1] == 'x');
    char *blocker = mmap(r + 4 * pg, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    SETUP(blocker == MAP_FAILED ? -1 : 0);
    void *n = mremap(r, 4 * pg, 6 * pg, 0);
    FACT_ERRNO("grow_blocked_no_maymove", n == MAP_FAILED ? errno : 0);
    char *mv = mremap(r, 4 * pg, 6 * pg, MREMAP_MAYMOVE);
    FACT_BOOL("maymove_moved", mv != MAP_FAILED && mv != r);
    FACT_STR("contents_moved", mv);
    FACT_BOOL("old_tail_moved", mv[4 * pg - 1] == 'x');
    char *s = mremap(mv, 6 * pg, pg, 0);
    FACT_BOOL("shrink_same_addr", s == mv);
    n = mremap(s, pg, 2 * pg, 0x80);
    FACT_ERRNO("bad_flags", n == MAP_FAILED ? errno : 0);
    n = mremap(s + 1, pg, 2 * pg, MREMAP_MAYMOVE);
    FACT_ERRNO("unaligned", n == MAP_FAILED ? errno : 0);
    n = mremap(s, pg, 0, MREMAP_MAYMOVE);
    FACT_ERRNO("new_len_zero", n == MAP_FAILED ? errno : 0);
    DONE();
}
