/* unix(7) SOCK_SEQPACKET: connection-oriented with record boundaries; read of a record into a short buffer discards the rest; 0 after peer close. */
#include "../lib/contract.h"
#include <sys/socket.h>

int main(void)
{
    int s[2];
    SETUP(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, s));
    int v; socklen_t l = sizeof v;
    getsockopt(s[0], SOL_SOCKET, SO_TYPE, &v, &l);
    FACT_INT("so_type", v);
    SETUP(write(s[0], "alpha", 5));
    SETUP(write(s[0], "beta", 4));
    SETUP(write(s[0], "gamma-long", 10));
    char buf[32] = {0};
    CHECK_RET("read1", read(s[1], buf, sizeof buf)); FACT_STR("rec1", buf);
    memset(buf, 0, sizeof buf);
    CHECK_RET("read2", read(s[1], buf, sizeof buf)); FACT_STR("rec2", buf);
    memset(buf, 0, sizeof buf);
    CHECK_RET("read3_short", read(s[1], buf, 5)); FACT_STR("rec3", buf);
    CHECK_RET("rest_discarded", recv(s[1], buf, sizeof buf, MSG_DONTWAIT));
    close(s[0]);
    CHECK_RET("read_eof", read(s[1], buf, sizeof buf));
    DONE();
}
