/* read(2)/write(2) with count 0: return 0 without side effects on files, pipes and sockets (even an empty nonblocking pipe). */
#include "../lib/contract.h"
#include <sys/socket.h>

int main(void)
{
    int p[2], s[2];
    char c;
    SETUP(pipe2(p, O_NONBLOCK));
    SETUP(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, s));
    int f = open("f", O_RDWR | O_CREAT, 0644);
    CHECK_RET("read0_file", read(f, &c, 0));
    CHECK_RET("write0_file", write(f, &c, 0));
    CHECK_RET("read0_empty_pipe", read(p[0], &c, 0));
    CHECK_RET("write0_pipe", write(p[1], &c, 0));
    CHECK_RET("pipe_still_empty", read(p[0], &c, 1));
    CHECK_RET("read0_socket", read(s[0], &c, 0));
    CHECK_RET("write0_socket", write(s[1], &c, 0));
    CHECK_RET("read0_null_buf_file", read(f, NULL, 0));
    CHECK_RET("read_bad_buf", read(open("/dev/zero", O_RDONLY), (void *)8, 4));
    DONE();
}
