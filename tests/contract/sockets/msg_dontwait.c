/* MSG_DONTWAIT and SOCK_NONBLOCK: empty recv is EAGAIN, accept with no pending connection is EAGAIN, a full socket buffer gives EAGAIN on send. */
#include "../lib/contract.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <stddef.h>

int main(void)
{
    int s[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
    char buf[4096];
    CHECK_RET("recv_dontwait_empty", recv(s[0], buf, sizeof buf, MSG_DONTWAIT));
    FACT_BOOL("blocking_flag_unchanged", !(fcntl(s[0], F_GETFL) & O_NONBLOCK));
    memset(buf, 'x', sizeof buf);
    long total = 0;
    for (int i = 0; i < 100000; i++) {
        ssize_t n = send(s[0], buf, sizeof buf, MSG_DONTWAIT);
        if (n < 0) { FACT_ERRNO("send_until_full", errno); break; }
        total += n;
    }
    FACT_BOOL("buffered_some", total > 0);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    strcpy(a.sun_path, "l");
    int srv = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    SETUP(bind(srv, (struct sockaddr *)&a, offsetof(struct sockaddr_un, sun_path) + 2));
    SETUP(listen(srv, 1));
    CHECK_RET("accept_nonblock_empty", accept(srv, NULL, NULL));
    int d[2];
    SETUP(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, d));
    CHECK_RET("dgram_recv_nonblock_empty", recv(d[0], buf, 1, 0));
    DONE();
}
