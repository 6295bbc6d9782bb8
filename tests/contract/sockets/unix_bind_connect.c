/* unix(7) pathname sockets: bind creates an S_IFSOCK node, listen/connect/accept, getsockname/getpeername report the path, accepted socket has no name, accept4 flags apply. */
#include "../lib/contract.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <stddef.h>

int main(void)
{
    int srv = socket(AF_UNIX, SOCK_STREAM, 0);
    SETUP(srv);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    strcpy(a.sun_path, "sock");
    socklen_t alen = offsetof(struct sockaddr_un, sun_path) + 5;
    CHECK_RET("bind", bind(srv, (struct sockaddr *)&a, alen));
    struct stat st;
    CHECK_RET("stat_sock", stat("sock", &st));
    FACT_BOOL("is_sock", S_ISSOCK(st.st_mode));
    CHECK_RET("listen", listen(srv, 4));
    int v; socklen_t l = sizeof v;
    getsockopt(srv, SOL_SOCKET, SO_ACCEPTCONN, &v, &l);
    FACT_INT("so_acceptconn", v);
    int cl = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_RET("connect", connect(cl, (struct sockaddr *)&a, alen));
    int acc = accept4(srv, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    FACT_BOOL("accepted", acc >= 0);
    FACT_BOOL("accept4_cloexec", fcntl(acc, F_GETFD) & FD_CLOEXEC);
    FACT_BOOL("accept4_nonblock", fcntl(acc, F_GETFL) & O_NONBLOCK);
    struct sockaddr_un n; socklen_t nl = sizeof n;
    memset(&n, 0, sizeof n);
    CHECK_RET("getsockname_srv", getsockname(srv, (struct sockaddr *)&n, &nl));
    FACT_STR("srv_name", n.sun_path);
    FACT_INT("srv_name_len", nl);
    memset(&n, 0, sizeof n); nl = sizeof n;
    CHECK_RET("getpeername_client", getpeername(cl, (struct sockaddr *)&n, &nl));
    FACT_STR("peer_of_client", n.sun_path);
    memset(&n, 0, sizeof n); nl = sizeof n;
    getsockname(cl, (struct sockaddr *)&n, &nl);
    FACT_INT("client_unbound_name_len", nl);
    memset(&n, 0, sizeof n); nl = sizeof n;
    getpeername(acc, (struct sockaddr *)&n, &nl);
    FACT_INT("accepted_peer_name_len", nl);
    memset(&n, 0, sizeof n); nl = sizeof n;
    getsockname(acc, (struct sockaddr *)&n, &nl);
    FACT_STR("accepted_sockname", n.sun_path);
    SETUP(write(cl, "ping", 4));
    char buf[8] = {0};
    CHECK_RET("server_read", read(acc, buf, sizeof buf - 1));
    FACT_STR("server_got", buf);
    int srv2 = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_RET("getpeername_unconnected", getpeername(srv2, (struct sockaddr *)&n, &nl));
    CHECK_RET("accept_not_listening", accept(srv2, NULL, NULL));
    CHECK_RET("connect_again", connect(cl, (struct sockaddr *)&a, alen));
    CHECK_RET("unlink_sock", unlink("sock"));
    DONE();
}
