/* posix_fadvise(2)/readahead(2): valid advice on a regular file returns 0, invalid advice EINVAL, a pipe ESPIPE, bad fd EBADF, negative length EINVAL; readahead on a file succeeds, on a pipe EINVAL. */
#define _GNU_SOURCE
#include "../lib/contract.h"

int main(void)
{
    SETUP(write_file("f", "some file data"));
    int fd = open("f", O_RDONLY);
    CHECK_RC("normal", posix_fadvise(fd, 0, 0, POSIX_FADV_NORMAL));
    CHECK_RC("sequential", posix_fadvise(fd, 0, 100, POSIX_FADV_SEQUENTIAL));
    CHECK_RC("willneed", posix_fadvise(fd, 0, 100, POSIX_FADV_WILLNEED));
    CHECK_RC("dontneed", posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED));
    CHECK_RC("bad_advice", posix_fadvise(fd, 0, 0, 99));
    CHECK_RC("negative_len", posix_fadvise(fd, 0, -1, POSIX_FADV_NORMAL));
    int p[2];
    SETUP(pipe(p));
    CHECK_RC("pipe", posix_fadvise(p[0], 0, 0, POSIX_FADV_NORMAL));
    CHECK_RC("bad_fd", posix_fadvise(99, 0, 0, POSIX_FADV_NORMAL));
    CHECK_RET("readahead_file", readahead(fd, 0, 4096));
    CHECK_RET("readahead_pipe", readahead(p[0], 0, 4096));
    char b[4] = {0};
    CHECK_RET("data_still_readable", read(fd, b, 3));
    DONE();
}
