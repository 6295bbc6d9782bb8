/* getdents64(2) stability: entries that exist for the whole scan are returned exactly once even when other entries are created and removed between getdents calls (POSIX leaves only the changed entries unspecified). */
#include "../lib/contract.h"
#include <sys/syscall.h>

struct d64 { unsigned long long ino; long long off; unsigned short reclen; unsigned char type; char name[]; };

int main(void)
{
    SETUP(mkdir("d", 0755));
    char p[64];
    for (int i = 0; i < 100; i++) { snprintf(p, sizeof p, "d/keep%03d", i); SETUP(write_file(p, "")); }
    int fd = open("d", O_RDONLY | O_DIRECTORY);
    char buf[512] __attribute__((aligned(8)));
    int seen[100] = {0};
    long n;
    int round = 0;
    while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
        for (long off = 0; off < n;) {
            struct d64 *e = (struct d64 *)(buf + off);
            if (!strncmp(e->name, "keep", 4)) seen[atoi(e->name + 4)]++;
            off += e->reclen;
        }
        snprintf(p, sizeof p, "d/tmp%d", round++);
        write_file(p, "");
        if (round > 2) { snprintf(p, sizeof p, "d/tmp%d", round - 3); unlink(p); }
    }
    int once = 1;
    for (int i = 0; i < 100; i++) if (seen[i] != 1) once = 0;
    FACT_BOOL("stable_entries_seen_exactly_once", once);
    DONE();
}
