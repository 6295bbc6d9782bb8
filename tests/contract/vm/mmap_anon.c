/* mmap(2) anonymous: zero-filled, page aligned, MAP_FIXED at a chosen address replaces it, MAP_FIXED_NOREPLACE over a mapping EEXIST, errors: len 0, unaligned offset, no MAP_SHARED/PRIVATE, unaligned FIXED addr EINVAL; bad fd EBADF. */
#include "../lib/contract.h"
#include <sys/mman.h>
#include <stdint.h>
#include <sys/syscall.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

int main(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    unsigned char *p = mmap(NULL, 8 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    FACT_BOOL("mapped", p != MAP_FAILED);
    FACT_BOOL("page_aligned", ((uintptr_t)p & (pg - 1)) == 0);
    int z = 1;
    for (long i = 0; i < 8 * pg; i++) if (p[i]) { z = 0; break; }
    FACT_BOOL("zero_filled", z);
    memset(p, 1, 8 * pg);
    unsigned char *f = mmap(p + 2 * pg, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    FACT_BOOL("fixed_at_address", f == p + 2 * pg);
    FACT_BOOL("fixed_replaced_zeroed", p[2 * pg] == 0 && p[pg] == 1 && p[3 * pg] == 1);
    void *nr = mmap(p + 4 * pg, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    FACT_ERRNO("fixed_noreplace_existing", nr == MAP_FAILED ? errno : 0);
    munmap(p + 5 * pg, pg);
    nr = mmap(p + 5 * pg, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    FACT_BOOL("fixed_noreplace_in_hole", nr == p + 5 * pg);
/* raw syscall for the error cases: musl's mmap() pre-checks offset alignment and length itself */
#define MM(k, ...) do { long r_ = syscall(SYS_mmap, __VA_ARGS__); FACT_ERRNO(k, r_ == -1 ? errno : 0); } while (0)
    MM("len_zero", NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    MM("no_type", NULL, pg, PROT_READ, MAP_ANONYMOUS, -1, 0);
    MM("fixed_unaligned", p + 1, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    MM("file_bad_fd", NULL, pg, PROT_READ, MAP_PRIVATE, 99, 0);
    SETUP(write_file("f", "x"));
    int fd = open("f", O_RDONLY);
    MM("unaligned_offset", NULL, pg, PROT_READ, MAP_PRIVATE, fd, 1);
    MM("shared_write_on_rdonly_fd", NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    MM("private_write_on_rdonly_fd_ok", NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    int p2[2];
    SETUP(pipe(p2));
    MM("pipe_fd", NULL, pg, PROT_READ, MAP_SHARED, p2[0], 0);
    SETUP(mkdir("d", 0755));
    MM("directory_fd", NULL, pg, PROT_READ, MAP_PRIVATE, open("d", O_RDONLY), 0);
    MM("huge_len", NULL, (size_t)1 << 62, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    DONE();
}
