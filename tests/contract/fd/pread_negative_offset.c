/* pread(2)/pwrite(2)/preadv(2): a negative offset is EINVAL, checked before the fd (fs/read_write.c ksys_pread64: "if (pos < 0) return -EINVAL;" precedes fdget). Found by fuzz/ (hostile family). */
#include "../lib/contract.h"
#include <sys/syscall.h>
#include <sys/uio.h>

int main(void)
{
    char buf[8];
    struct iovec iov = { buf, sizeof buf };
    int fd;
    SETUP(fd = open("f", O_RDWR | O_CREAT, 0644));
    CHECK_RET("pread_bad_fd_negative_offset", syscall(SYS_pread64, -1, buf, 0, -1L));
    CHECK_RET("pwrite_bad_fd_negative_offset", syscall(SYS_pwrite64, -1, buf, 1, -1L));
    CHECK_RET("pread_closed_fd_negative_offset", syscall(SYS_pread64, 99, buf, 4, -4096L));
    CHECK_RET("pread_negative_offset", syscall(SYS_pread64, fd, buf, 4, -1L));
    CHECK_RET("pwrite_negative_offset", syscall(SYS_pwrite64, fd, buf, 4, -1L));
    CHECK_RET("preadv_bad_fd_negative_offset", syscall(SYS_preadv, -1, &iov, 1, -1L, 0L));
    CHECK_RET("pread_bad_fd_zero_offset", syscall(SYS_pread64, -1, buf, 4, 0L));
    DONE();
}
