/* sendmmsg(2)/recvmmsg(2): batch of 3 datagrams sent and received in one call each, msg_len filled per message, vlen 0 returns 0. */
#define _GNU_SOURCE
#include "../lib/contract.h"
#include <sys/socket.h>

int main(void)
{
    int s[2];
    SETUP(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
    struct iovec iv[3] = { { "a", 1 }, { "bb", 2 }, { "ccc", 3 } };
    struct mmsghdr out[3];
    memset(out, 0, sizeof out);
    for (int i = 0; i < 3; i++) { out[i].msg_hdr.msg_iov = &iv[i]; out[i].msg_hdr.msg_iovlen = 1; }
    CHECK_RET("sendmmsg", sendmmsg(s[0], out, 3, 0));
    FACT("sent_lens", "%u,%u,%u", out[0].msg_len, out[1].msg_len, out[2].msg_len);
    char b[4][8];
    memset(b, 0, sizeof b);
    struct iovec rv[4];
    struct mmsghdr in[4];
    memset(in, 0, sizeof in);
    for (int i = 0; i < 4; i++) { rv[i].iov_base = b[i]; rv[i].iov_len = 8; in[i].msg_hdr.msg_iov = &rv[i]; in[i].msg_hdr.msg_iovlen = 1; }
    CHECK_RET("recvmmsg", recvmmsg(s[1], in, 4, MSG_DONTWAIT, NULL));
    FACT("recv_lens", "%u,%u,%u", in[0].msg_len, in[1].msg_len, in[2].msg_len);
    FACT("recv_data", "%s,%s,%s", b[0], b[1], b[2]);
    CHECK_RET("recvmmsg_empty", recvmmsg(s[1], in, 4, MSG_DONTWAIT, NULL));
    CHECK_RET("sendmmsg_vlen0", sendmmsg(s[0], out, 0, 0));
    DONE();
}
