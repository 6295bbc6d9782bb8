/* sync_file_range(2): the fd is looked up before the range and flags are checked (fs/sync.c ksys_sync_file_range: fdget, then sync_file_range's EINVAL checks), so a bad fd is EBADF whatever the other arguments. Found by fuzz/ (hostile family). */
#include "../lib/contract.h"
#include <sys/syscall.h>

int main(void)
{
    int fd;
    SETUP(fd = open("f", O_RDWR | O_CREAT, 0644));
    CHECK_RET("bad_fd_negative_nbytes", syscall(SYS_sync_file_range, -1, 0L, -1L, 0));
    CHECK_RET("bad_fd_negative_offset", syscall(SYS_sync_file_range, -1, -1L, 0L, 0));
    CHECK_RET("bad_fd_bad_flags", syscall(SYS_sync_file_range, -1, 0L, 0L, 0x100));
    CHECK_RET("closed_fd_bad_flags", syscall(SYS_sync_file_range, 99, 0L, 0L, 0x100));
    CHECK_RET("file_negative_nbytes", syscall(SYS_sync_file_range, fd, 0L, -1L, 0));
    CHECK_RET("file_bad_flags", syscall(SYS_sync_file_range, fd, 0L, 0L, 0x100));
    CHECK_RET("file_ok", syscall(SYS_sync_file_range, fd, 0L, 0L, 0));
    DONE();
}
