/* mmap(2)/getrlimit(2): the main stack is at least RLIMIT_STACK-sized capable of growing: touching 1 MiB of stack below the current frame works (stack growth on fault), and /proc/self/maps [stack] covers the new lowest address. */
#include "../lib/contract.h"
#include <stdint.h>

static uintptr_t lowest;
static int deep(int n) { volatile char buf[4096]; buf[0] = (char)n; lowest = (uintptr_t)buf; return n ? deep(n - 1) + buf[0] : 0; }

int main(void)
{
    deep(256);
    FACT_INT("recursed_ok", 1);
    char maps[65536];
    read_file("/proc/self/maps", maps, sizeof maps);
    int covered = 0;
    for (char *l = maps; *l;) {
        char *e = strchr(l, '\n');
        if (e) *e = 0;
        if (strstr(l, "[stack]")) {
            unsigned long lo, hi;
            if (sscanf(l, "%lx-%lx", &lo, &hi) == 2 && lowest >= lo && lowest < hi) covered = 1;
        }
        if (!e) break;
        l = e + 1;
    }
    FACT_BOOL("stack_mapping_covers_grown_frame", covered);
    DONE();
}
