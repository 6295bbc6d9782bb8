/* unix(7) bound SOCK_DGRAM sockets: sendto a path, recvfrom reports the sender's bound path; send on an unconnected dgram socket without address is ENOTCONN; connect() sets the default peer. */
#include "../lib/contract.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <stddef.h>

static socklen_t mk(struct sockaddr_un *a, const char *p)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    strcpy(a->sun_path, p);
    return offsetof(struct sockaddr_un, sun_path) + strlen(p) + 1;
}

int main(void)
{
    struct sockaddr_un ra, sa, from;
    socklen_t rl = mk(&ra, "recv"), sl = mk(&sa, "send");
    int r = socket(AF_UNIX, SOCK_DGRAM, 0), s = socket(AF_UNIX, SOCK_DGRAM, 0), u = socket(AF_UNIX, SOCK_DGRAM, 0);
    SETUP(bind(r, (struct sockaddr *)&ra, rl));
    SETUP(bind(s, (struct sockaddr *)&sa, sl));
    CHECK_RET("sendto", sendto(s, "d1", 2, 0, (struct sockaddr *)&ra, rl));
    char buf[16] = {0};
    socklen_t fl = sizeof from;
    memset(&from, 0, sizeof from);
    CHECK_RET("recvfrom", recvfrom(r, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl));
    FACT_STR("data", buf);
    FACT_STR("from_path", from.sun_path);
    CHECK_RET("sendto_unbound_sender", sendto(u, "d2", 2, 0, (struct sockaddr *)&ra, rl));
    fl = sizeof from;
    memset(&from, 0, sizeof from);
    CHECK_RET("recvfrom_unbound", recvfrom(r, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl));
    FACT_INT("unbound_from_len", fl);
    CHECK_RET("send_unconnected", send(u, "x", 1, 0));
    CHECK_RET("connect", connect(u, (struct sockaddr *)&ra, rl));
    CHECK_RET("send_connected", send(u, "d3", 2, 0));
    memset(buf, 0, sizeof buf);
    CHECK_RET("recv", recv(r, buf, sizeof buf, 0));
    FACT_STR("data3", buf);
    struct sockaddr_un nx; socklen_t nxl = mk(&nx, "nobody");
    CHECK_RET("sendto_missing", sendto(s, "x", 1, 0, (struct sockaddr *)&nx, nxl));
    DONE();
}
