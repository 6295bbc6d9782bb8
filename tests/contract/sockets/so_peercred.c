/* unix(7) SO_PEERCRED: a socketpair and an accepted connection report the peer's pid (captured at connect/socketpair time), uid and gid; the listener itself reports its own creds. */
#include "../lib/contract.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <stddef.h>

int main(void)
{
    int s[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
    struct ucred uc; socklen_t l = sizeof uc;
    CHECK_RET("peercred_pair", getsockopt(s[0], SOL_SOCKET, SO_PEERCRED, &uc, &l));
    FACT_INT("optlen", l);
    FACT_BOOL("pair_pid_same", uc.pid == getpid());
    FACT_INT("pair_uid", uc.uid);
    FACT_INT("pair_gid", uc.gid);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    strcpy(a.sun_path, "srv");
    socklen_t al = offsetof(struct sockaddr_un, sun_path) + 4;
    int srv = socket(AF_UNIX, SOCK_STREAM, 0);
    SETUP(bind(srv, (struct sockaddr *)&a, al));
    SETUP(listen(srv, 1));
    int p[2];
    SETUP(pipe(p));
    pid_t c = fork();
    if (c == 0) {
        int cl = socket(AF_UNIX, SOCK_STREAM, 0);
        connect(cl, (struct sockaddr *)&a, al);
        char x;
        read(p[0], &x, 1);
        _exit(0);
    }
    int acc = accept(srv, NULL, NULL);
    l = sizeof uc;
    CHECK_RET("peercred_accepted", getsockopt(acc, SOL_SOCKET, SO_PEERCRED, &uc, &l));
    FACT_BOOL("accepted_pid_is_child", uc.pid == c);
    FACT_INT("accepted_uid", uc.uid);
    write(p[1], "x", 1);
    waitpid(c, NULL, 0);
    l = sizeof uc;
    getsockopt(srv, SOL_SOCKET, SO_PEERCRED, &uc, &l);
    FACT_BOOL("listener_pid_is_self", uc.pid == getpid());
    int u = socket(AF_UNIX, SOCK_STREAM, 0);
    l = sizeof uc;
    getsockopt(u, SOL_SOCKET, SO_PEERCRED, &uc, &l);
    FACT_INT("unconnected_pid", uc.pid);
    FACT_INT("unconnected_uid", (int)uc.uid);
    DONE();
}
