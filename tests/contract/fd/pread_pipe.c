/* pread(2)/pwrite(2) on pipes and sockets: ESPIPE; preadv too. */
#include "../lib/contract.h"
#include <sys/uio.h>
#include <sys/socket.h>

int main(void)
{
    int p[2], s[2];
    char buf[4];
    SETUP(pipe(p));
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
    SETUP(write(p[1], "abc", 3));
    CHECK_RET("pread_pipe", pread(p[0], buf, 1, 0));
    CHECK_RET("pwrite_pipe", pwrite(p[1], "x", 1, 0));
    struct iovec v = { buf, 1 };
    CHECK_RET("preadv_pipe", preadv(p[0], &v, 1, 0));
    CHECK_RET("pread_socket", pread(s[0], buf, 1, 0));
    CHECK_RET("pwrite_socket", pwrite(s[1], "x", 1, 0));
    CHECK_RET("data_still_there", read(p[0], buf, sizeof buf));
    DONE();
}
