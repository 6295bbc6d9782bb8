/* unix(7) SOCK_DGRAM socketpair: message boundaries are kept, SO_TYPE is SOCK_DGRAM, a short buffer truncates and sets MSG_TRUNC, a zero-length datagram is a real message. */
#include "../lib/contract.h"
#include <sys/socket.h>

int main(void)
{
    int s[2];
    SETUP(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
    int v; socklen_t l = sizeof v;
    getsockopt(s[0], SOL_SOCKET, SO_TYPE, &v, &l);
    FACT_INT("so_type", v);
    FACT_BOOL("so_type_is_dgram", v == SOCK_DGRAM);
    SETUP(write(s[0], "one", 3));
    SETUP(write(s[0], "second", 6));
    SETUP(write(s[0], "", 0));
    SETUP(write(s[0], "truncated-message", 17));
    char buf[64] = {0};
    CHECK_RET("read1", read(s[1], buf, sizeof buf)); FACT_STR("msg1", buf);
    memset(buf, 0, sizeof buf);
    CHECK_RET("read2", read(s[1], buf, sizeof buf)); FACT_STR("msg2", buf);
    CHECK_RET("read_empty_datagram", read(s[1], buf, sizeof buf));
    struct iovec iov = { buf, 4 };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
    memset(buf, 0, sizeof buf);
    CHECK_RET("recvmsg_short", recvmsg(s[1], &mh, 0));
    FACT_BOOL("msg_trunc_flag", mh.msg_flags & MSG_TRUNC);
    FACT_STR("truncated_data", buf);
    SETUP(write(s[0], "0123456789", 10));
    CHECK_RET("recv_msg_trunc_real_len", recv(s[1], buf, 2, MSG_TRUNC));
    CHECK_RET("nothing_left", recv(s[1], buf, sizeof buf, MSG_DONTWAIT));
    close(s[0]);
    CHECK_RET("read_after_peer_close", recv(s[1], buf, sizeof buf, MSG_DONTWAIT));
    CHECK_RET("write_after_peer_close", send(s[1], "x", 1, MSG_NOSIGNAL));
    DONE();
}
