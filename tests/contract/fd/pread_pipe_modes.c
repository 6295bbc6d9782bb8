/* pread64/pwrite64/preadv/pwritev on a pipe end opened the other way: ESPIPE, which
 * ksys_pread64 answers before vfs_read looks at the access mode (EBADF). Found by the
 * fuzzer (Kevlar said EBADF). */
#include "../lib/contract.h"
#include <sys/syscall.h>
#include <sys/uio.h>

int main(void)
{
    int p[2];
    SETUP(pipe(p));
    char c = 'x';
    struct iovec v = {&c, 1};
    CHECK_RET("pwrite_read_end", pwrite(p[0], &c, 1, 0));
    CHECK_RET("pread_write_end", pread(p[1], &c, 1, 0));
    CHECK_RET("pwritev_read_end", syscall(SYS_pwritev, p[0], &v, 1, 0L, 0L));
    CHECK_RET("preadv_write_end", syscall(SYS_preadv, p[1], &v, 1, 0L, 0L));
    CHECK_RET("preadv2_cur_write_end", syscall(SYS_preadv2, p[1], &v, 1, -1L, 0L, 0L));
    CHECK_RET("pwritev2_cur_read_end", syscall(SYS_pwritev2, p[0], &v, 1, -1L, 0L, 0L));
    int fd = open(".", O_RDONLY | O_DIRECTORY);
    CHECK_RET("pwrite_dir", pwrite(fd, &c, 1, 0));
    CHECK_RET("pread_dir", pread(fd, &c, 1, 0));
    SETUP(write_file("f", "abc"));
    int ro = open("f", O_RDONLY);
    CHECK_RET("pwrite_readonly_file", pwrite(ro, &c, 1, 0));
    DONE();
}
