/* A socket inherited from the host on fd 0: the calls that carry no names or files pass
 * through to it (getsockopt, recv, send, write, getpeername, shutdown). */
#include "../../contract/lib/contract.h"
#include <sys/socket.h>
#include <sys/un.h>
int main(void)
{
    int v; socklen_t l = sizeof v;
    CHECK_RET("getsockopt_type", getsockopt(0, SOL_SOCKET, SO_TYPE, &v, &l));
    FACT_INT("type", v);
    char buf[16] = {0};
    CHECK_RET("recv", recv(0, buf, sizeof buf - 1, 0));
    FACT_STR("data", buf);
    CHECK_RET("send", send(0, "pong", 4, 0));
    CHECK_RET("write", write(0, "!", 1));
    struct sockaddr_un a; socklen_t al = sizeof a;
    CHECK_RET("getpeername", getpeername(0, (struct sockaddr *)&a, &al));
    FACT_INT("peer_len", al);
    CHECK_RET("shutdown_wr", shutdown(0, SHUT_WR));
    CHECK_RET("getsockopt_stdout_pipe", getsockopt(1, SOL_SOCKET, SO_TYPE, &v, &l));
    DONE();
}
