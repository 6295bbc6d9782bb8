/* ioctl(2) FIONREAD on pipes, sockets and regular files reports readable bytes; unknown ioctl on a regular file is ENOTTY. */
#include "../lib/contract.h"
#include <sys/ioctl.h>
#include <sys/socket.h>

int main(void)
{
    int p[2], s[2], n = -1;
    SETUP(pipe(p));
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
    CHECK_RET("fionread_pipe_empty", ioctl(p[0], FIONREAD, &n));
    FACT_INT("pipe_empty_n", n);
    SETUP(write(p[1], "12345", 5));
    ioctl(p[0], FIONREAD, &n);
    FACT_INT("pipe_n", n);
    SETUP(write(s[1], "abc", 3));
    ioctl(s[0], FIONREAD, &n);
    FACT_INT("socket_n", n);
    SETUP(write_file("f", "0123456789"));
    int fd = open("f", O_RDONLY);
    lseek(fd, 4, SEEK_SET);
    CHECK_RET("fionread_file", ioctl(fd, FIONREAD, &n));
    FACT_INT("file_n", n);
    CHECK_RET("tcgets_on_file", ioctl(fd, TCGETS, &n));
    CHECK_RET("ioctl_bad_fd", ioctl(99, FIONREAD, &n));
    DONE();
}
