/* getsockopt/setsockopt(2) on unix sockets: SO_ERROR 0, SO_ACCEPTCONN, SO_SNDBUF doubling of the set value, SO_RCVTIMEO makes recv time out with EAGAIN, unknown option ENOPROTOOPT, short optlen EINVAL. */
#include "../lib/contract.h"
#include <sys/socket.h>
#include <sys/time.h>

int main(void)
{
    int s[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
    int v = -1; socklen_t l = sizeof v;
    CHECK_RET("so_error", getsockopt(s[0], SOL_SOCKET, SO_ERROR, &v, &l));
    FACT_INT("so_error_val", v);
    l = sizeof v;
    getsockopt(s[0], SOL_SOCKET, SO_ACCEPTCONN, &v, &l);
    FACT_INT("so_acceptconn", v);
    int want = 65536;
    CHECK_RET("set_sndbuf", setsockopt(s[0], SOL_SOCKET, SO_SNDBUF, &want, sizeof want));
    l = sizeof v;
    getsockopt(s[0], SOL_SOCKET, SO_SNDBUF, &v, &l);
    FACT_INT("sndbuf_doubled", v);
    struct timeval tv = { 0, 30000 };
    CHECK_RET("set_rcvtimeo", setsockopt(s[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    struct timeval got; l = sizeof got;
    getsockopt(s[0], SOL_SOCKET, SO_RCVTIMEO, &got, &l);
    FACT_BOOL("rcvtimeo_roundtrip", got.tv_sec == 0 && got.tv_usec >= 28000 && got.tv_usec <= 32000);
    char c;
    long t0 = mono_ms();
    CHECK_RET("recv_times_out", recv(s[0], &c, 1, 0));
    FACT_BOOL("waited_ge_20ms", mono_ms() - t0 >= 20);
    l = sizeof v;
    CHECK_RET("unknown_optname", getsockopt(s[0], SOL_SOCKET, 9999, &v, &l));
    CHECK_RET("unknown_level", setsockopt(s[0], 9999, 1, &v, sizeof v));
    l = 1;
    CHECK_RET("short_optlen_set", setsockopt(s[0], SOL_SOCKET, SO_SNDBUF, &v, 1));
    l = sizeof v;
    getsockopt(s[0], SOL_SOCKET, SO_KEEPALIVE, &v, &l);
    FACT_INT("so_keepalive_default", v);
    DONE();
}
