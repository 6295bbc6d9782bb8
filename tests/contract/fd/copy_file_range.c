/* copy_file_range(2): copies between files with/without offsets, short at EOF, EBADF for bad fds, EINVAL for overlapping same-file ranges and flags!=0. */
#define _GNU_SOURCE
#include "../lib/contract.h"
#include <sys/syscall.h>

static long cfr(int in, off_t *ino, int out, off_t *outo, size_t n, unsigned f)
{
    return syscall(SYS_copy_file_range, in, ino, out, outo, n, f);
}

int main(void)
{
    SETUP(write_file("src", "0123456789ABCDEF"));
    int in = open("src", O_RDONLY);
    int out = open("dst", O_RDWR | O_CREAT | O_TRUNC, 0644);
    SETUP(in); SETUP(out);
    CHECK_RET("cfr_null_offsets", cfr(in, NULL, out, NULL, 4, 0));
    FACT_INT("in_pos", lseek(in, 0, SEEK_CUR));
    FACT_INT("out_pos", lseek(out, 0, SEEK_CUR));
    off_t io = 10, oo = 20;
    CHECK_RET("cfr_with_offsets", cfr(in, &io, out, &oo, 3, 0));
    FACT_INT("in_off", io); FACT_INT("out_off", oo);
    FACT_INT("in_pos_unchanged", lseek(in, 0, SEEK_CUR));
    io = 14;
    CHECK_RET("cfr_short_at_eof", cfr(in, &io, out, NULL, 10, 0));
    CHECK_RET("cfr_at_eof", cfr(in, &io, out, NULL, 10, 0));
    char buf[32];
    ssize_t n = pread(out, buf, sizeof buf, 0);
    FACT_INT("dst_size", n);
    FACT_BOOL("dst_prefix", memcmp(buf, "0123EF", 6) == 0);
    FACT_BOOL("dst_hole_zero", buf[10] == 0);
    FACT_BOOL("dst_at20", memcmp(buf + 20, "ABC", 3) == 0);
    CHECK_RET("cfr_bad_in", cfr(99, NULL, out, NULL, 1, 0));
    CHECK_RET("cfr_flags", cfr(in, NULL, out, NULL, 1, 1));
    int rw = open("src", O_RDWR);
    io = 0; oo = 2;
    CHECK_RET("cfr_same_file_overlap", cfr(rw, &io, rw, &oo, 8, 0));
    CHECK_RET("cfr_out_rdonly", cfr(in, NULL, in, NULL, 1, 0));
    int p[2];
    SETUP(pipe(p));
    CHECK_RET("cfr_pipe", cfr(in, NULL, p[1], NULL, 1, 0));
    DONE();
}
