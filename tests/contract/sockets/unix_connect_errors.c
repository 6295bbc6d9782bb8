/* unix(7) connect/bind errors: nonexistent path ENOENT, bound-but-not-listening ECONNREFUSED, stale socket file after close ECONNREFUSED, path in use EADDRINUSE, non-socket file ECONNREFUSED, wrong type EPROTOTYPE, bad family/length EINVAL. */
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
    struct sockaddr_un a;
    socklen_t l;
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    l = mk(&a, "nope");
    CHECK_RET("connect_enoent", connect(c, (struct sockaddr *)&a, l));
    int b = socket(AF_UNIX, SOCK_STREAM, 0);
    l = mk(&a, "s1");
    SETUP(bind(b, (struct sockaddr *)&a, l));
    CHECK_RET("connect_not_listening", connect(c, (struct sockaddr *)&a, l));
    int b2 = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_RET("bind_path_in_use", bind(b2, (struct sockaddr *)&a, l));
    close(b);
    int c2 = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_RET("connect_stale_file", connect(c2, (struct sockaddr *)&a, l));
    CHECK_RET("bind_stale_file", bind(b2, (struct sockaddr *)&a, l));
    SETUP(write_file("plain", "x"));
    l = mk(&a, "plain");
    CHECK_RET("connect_regular_file", connect(c2, (struct sockaddr *)&a, l));
    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    l = mk(&a, "dg");
    SETUP(bind(d, (struct sockaddr *)&a, l));
    int s3 = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_RET("connect_stream_to_dgram", connect(s3, (struct sockaddr *)&a, l));
    struct sockaddr_un bad = a;
    bad.sun_family = AF_INET;
    CHECK_RET("bind_wrong_family", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&bad, l));
    CHECK_RET("bind_len_too_big", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, sizeof a + 1));
    CHECK_RET("bind_len_zero", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, 0));
    int x = socket(AF_UNIX, SOCK_STREAM, 0);
    l = mk(&a, "x1");
    SETUP(bind(x, (struct sockaddr *)&a, l));
    l = mk(&a, "x2");
    CHECK_RET("bind_twice_same_socket", bind(x, (struct sockaddr *)&a, l));
    l = mk(&a, "nodir/s");
    CHECK_RET("bind_missing_dir", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, l));
    CHECK_RET("listen_dgram", listen(d, 1));
    DONE();
}
