/* fsync(2)/fdatasync(2)/syncfs(2)/sync_file_range(2): succeed on regular files and directories, EINVAL on pipes and sockets, EBADF on closed fds. */
#define _GNU_SOURCE
#include "../lib/contract.h"
#include <sys/socket.h>

int main(void)
{
    int fd = open("f", O_RDWR | O_CREAT, 0644);
    SETUP(write(fd, "data", 4));
    CHECK_RET("fsync_file", fsync(fd));
    CHECK_RET("fdatasync_file", fdatasync(fd));
    int ro = open("f", O_RDONLY);
    CHECK_RET("fsync_rdonly", fsync(ro));
    int d = open(".", O_RDONLY | O_DIRECTORY);
    CHECK_RET("fsync_dir", fsync(d));
    CHECK_RET("syncfs", syncfs(fd));
    CHECK_RET("sync_file_range", sync_file_range(fd, 0, 4, SYNC_FILE_RANGE_WRITE));
    CHECK_RET("sync_file_range_bad_flags", sync_file_range(fd, 0, 4, 0x80));
    int p[2], s[2];
    SETUP(pipe(p));
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
    CHECK_RET("fsync_pipe", fsync(p[1]));
    CHECK_RET("fdatasync_pipe", fdatasync(p[0]));
    CHECK_RET("fsync_socket", fsync(s[0]));
    CHECK_RET("fsync_closed", fsync(99));
    CHECK_RET("fsync_dev_null", fsync(open("/dev/null", O_WRONLY)));
    sync();
    FACT_INT("sync_returned", 1);
    DONE();
}
