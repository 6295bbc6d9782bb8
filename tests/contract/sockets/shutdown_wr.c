/* shutdown(2): after SHUT_WR the peer reads remaining data then 0, our writes fail EPIPE, we can still read; SHUT_RD; invalid how is EINVAL; unconnected ENOTCONN. */
#include "../lib/contract.h"
#include <sys/socket.h>

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    int s[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
    SETUP(write(s[0], "last", 4));
    CHECK_RET("shutdown_wr", shutdown(s[0], SHUT_WR));
    char buf[8] = {0};
    CHECK_RET("peer_reads_pending", read(s[1], buf, sizeof buf));
    CHECK_RET("peer_reads_eof", read(s[1], buf, sizeof buf));
    CHECK_RET("write_after_shut_wr", write(s[0], "x", 1));
    CHECK_RET("peer_can_still_write", write(s[1], "rev", 3));
    CHECK_RET("read_still_allowed", read(s[0], buf, sizeof buf));
    CHECK_RET("shutdown_rd", shutdown(s[1], SHUT_RD));
    CHECK_RET("read_after_shut_rd", recv(s[1], buf, sizeof buf, MSG_DONTWAIT));
    CHECK_RET("shutdown_bad_how", shutdown(s[0], 7));
    int u = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_RET("shutdown_unconnected", shutdown(u, SHUT_RDWR));
    CHECK_RET("shutdown_twice", shutdown(s[0], SHUT_WR));
    DONE();
}
