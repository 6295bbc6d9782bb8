/* unix(7) abstract namespace: sun_path[0]==0 names are not files, getsockname returns the exact length, a second bind of the same name is EADDRINUSE, autobind via addrlen==sizeof(sa_family_t). */
#include "../lib/contract.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <stddef.h>

int main(void)
{
    char name[64];
    int nlen = snprintf(name, sizeof name, "kevlar-contract-%d", (int)getpid());
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    memcpy(a.sun_path + 1, name, nlen);
    socklen_t alen = offsetof(struct sockaddr_un, sun_path) + 1 + nlen;
    int srv = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_RET("bind_abstract", bind(srv, (struct sockaddr *)&a, alen));
    CHECK_RET("listen", listen(srv, 1));
    int other = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_RET("bind_same_name", bind(other, (struct sockaddr *)&a, alen));
    struct sockaddr_un n; socklen_t nl = sizeof n;
    getsockname(srv, (struct sockaddr *)&n, &nl);
    FACT_BOOL("sockname_len_exact", nl == alen);
    FACT_BOOL("sockname_first_byte_nul", n.sun_path[0] == 0);
    FACT_BOOL("sockname_matches", memcmp(n.sun_path + 1, name, nlen) == 0);
    int cl = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_RET("connect_abstract", connect(cl, (struct sockaddr *)&a, alen));
    int acc = accept(srv, NULL, NULL);
    SETUP(write(cl, "abs", 3));
    char buf[4] = {0};
    CHECK_RET("read", read(acc, buf, 3));
    FACT_STR("data", buf);
    struct sockaddr_un shorter = a;
    CHECK_RET("connect_prefix_name", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&shorter, alen - 1));
    int ab = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un z = { .sun_family = AF_UNIX };
    CHECK_RET("autobind", bind(ab, (struct sockaddr *)&z, sizeof(sa_family_t)));
    nl = sizeof n; memset(&n, 0, sizeof n);
    getsockname(ab, (struct sockaddr *)&n, &nl);
    FACT_INT("autobind_len", nl);
    FACT_BOOL("autobind_abstract", n.sun_path[0] == 0);
    DONE();
}
