/* getdents64(2): buffer too small for one entry is EINVAL, a regular file is ENOTDIR, bad fd EBADF; small buffers return entries across several calls without loss. */
#include "../lib/contract.h"
#include <sys/syscall.h>

struct d64 { unsigned long long ino; long long off; unsigned short reclen; unsigned char type; char name[]; };

int main(void)
{
    SETUP(mkdir("d", 0755));
    for (int i = 0; i < 30; i++) { char p[64]; snprintf(p, sizeof p, "d/file_with_long_name_%02d", i); SETUP(write_file(p, "")); }
    int fd = open("d", O_RDONLY | O_DIRECTORY);
    char buf[4096] __attribute__((aligned(8)));
    CHECK_RET("tiny_buffer", syscall(SYS_getdents64, fd, buf, 8));
    int total = 0, calls = 0;
    long n;
    while ((n = syscall(SYS_getdents64, fd, buf, 64)) > 0) {
        calls++;
        for (long off = 0; off < n;) { total++; off += ((struct d64 *)(buf + off))->reclen; }
    }
    FACT_INT("entries_via_small_buffer", total);
    /* the callback's count is an int: 2 GiB or more is EINVAL, but 0 at the end (fuzzer) */
    CHECK_RET("huge_count_at_end", syscall(SYS_getdents64, fd, buf, 0x80000000UL));
    CHECK_RET("rewind", lseek(fd, 0, SEEK_SET));
    CHECK_RET("huge_count", syscall(SYS_getdents64, fd, buf, 0x80000000UL));
    CHECK_RET("huge_count_legacy", syscall(SYS_getdents, fd, buf, 0xffffffffUL));
    CHECK_RET("count_2g_minus_1", syscall(SYS_getdents64, fd, buf, 0x7fffffffUL) > 0);
    FACT_BOOL("needed_many_calls", calls >= 16);
    SETUP(write_file("f", "x"));
    int f = open("f", O_RDONLY);
    CHECK_RET("on_regular_file", syscall(SYS_getdents64, f, buf, sizeof buf));
    CHECK_RET("bad_fd", syscall(SYS_getdents64, 99, buf, sizeof buf));
    int op = open("d", O_PATH);
    CHECK_RET("on_opath_fd", syscall(SYS_getdents64, op, buf, sizeof buf));
    DONE();
}
