/* What Kevlar answers where it deliberately differs from the host;
 * test_sockets_python.py checks each value against the Linux source it comes from. */
#include "../../contract/lib/contract.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>

#ifndef AF_NETLINK
#define AF_NETLINK 16
#endif

int main(void)
{
    /* no networking: every family but AF_UNIX is EAFNOSUPPORT */
    CHECK_RET("inet_stream", socket(AF_INET, SOCK_STREAM, 0));
    CHECK_RET("inet_dgram", socket(AF_INET, SOCK_DGRAM, 0));
    CHECK_RET("inet6_stream", socket(AF_INET6, SOCK_STREAM, 0));
    CHECK_RET("netlink_raw", socket(AF_NETLINK, SOCK_RAW, 0));
    CHECK_RET("packet_raw", socket(17, SOCK_RAW, 0));
    CHECK_RET("inet_bad_type", socket(AF_INET, 12, 0));
    int s[2];
    CHECK_RET("socketpair_inet6_dgram", socketpair(AF_INET6, SOCK_DGRAM, 0, s));
    CHECK_RET("socketpair_netlink", socketpair(AF_NETLINK, SOCK_RAW, 0, s));
    char buf[8];
    /* out-of-band data is not modelled */
    int t[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, t));
    CHECK_RET("send_oob", send(t[0], "o", 1, MSG_OOB));
    CHECK_RET("recv_oob", recv(t[1], buf, 1, MSG_OOB | MSG_DONTWAIT));
    DONE();
}
