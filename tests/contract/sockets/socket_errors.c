/* socket(2)/socketpair(2) errors: unknown family EAFNOSUPPORT, out-of-range type EINVAL, unsupported type ESOCKTNOSUPPORT (SOCK_RAW is silently treated as SOCK_DGRAM), bad protocol EPROTONOSUPPORT, bad flags EINVAL, AF_INET socketpair EOPNOTSUPP, socket ops on non-sockets ENOTSOCK. */
#include "../lib/contract.h"
#include <sys/socket.h>
#include <netinet/in.h>

int main(void)
{
    int s[2];
    CHECK_RET("unknown_family", socket(12345, SOCK_STREAM, 0));
    CHECK_RET("family_46_max", socket(46, SOCK_STREAM, 0));
    CHECK_RET("unix_type_99", socket(AF_UNIX, 99, 0));
    CHECK_RET("unix_type_rdm", socket(AF_UNIX, SOCK_RDM, 0));
    CHECK_OK("unix_raw_accepted_as_dgram", socket(AF_UNIX, SOCK_RAW, 0));
    CHECK_RET("unix_protocol_2", socket(AF_UNIX, SOCK_STREAM, 2));
    CHECK_RET("unix_bad_type_flag", socket(AF_UNIX, SOCK_STREAM | 0x40000000, 0));
    CHECK_OK("unix_protocol_pf_unix", socket(AF_UNIX, SOCK_STREAM, PF_UNIX));
    CHECK_RET("socketpair_inet", socketpair(AF_INET, SOCK_STREAM, 0, s));
    CHECK_RET("socketpair_unknown_family", socketpair(12345, SOCK_STREAM, 0, s));
    CHECK_RET("socketpair_bad_type", socketpair(AF_UNIX, 99, 0, s));
    int fd = open("/dev/null", O_RDWR);
    char c;
    CHECK_RET("send_non_socket", send(fd, "x", 1, 0));
    CHECK_RET("recv_non_socket", recv(fd, &c, 1, 0));
    CHECK_RET("listen_non_socket", listen(fd, 1));
    CHECK_RET("shutdown_non_socket", shutdown(fd, SHUT_RD));
    int v; socklen_t l = sizeof v;
    CHECK_RET("getsockopt_non_socket", getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &l));
    CHECK_RET("send_bad_fd", send(99, "x", 1, 0));
    DONE();
}
