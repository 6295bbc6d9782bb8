/* SCM_RIGHTS reference cycles (net/unix/garbage.c): sockets that are only referenced by
 * messages in each other's queues (or their own) live until the collector runs, which
 * happens when a unix socket is released; then the other ends see their peers go. */
#include "../../contract/lib/contract.h"
#include <sys/socket.h>
#include <poll.h>

static int send_fd(int s, int fd)
{
    char cb[CMSG_SPACE(sizeof(int))];
    memset(cb, 0, sizeof cb);
    struct iovec iov = { "x", 1 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cb, .msg_controllen = sizeof cb };
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_RIGHTS; c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    return sendmsg(s, &m, 0);
}

static int ready(int fd, int events, int ms)
{
    struct pollfd p = { .fd = fd, .events = events };
    int n = poll(&p, 1, ms);
    return n > 0 ? p.revents : 0;
}

int main(void)
{
    int x[2], y[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, x));
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, y));
    CHECK_RET("send_x1_over_y", send_fd(y[0], x[1]));
    CHECK_RET("send_y1_over_x", send_fd(x[0], y[1]));
    close(x[1]);
    close(y[1]);
    FACT("x0_before_gc", "%x", ready(x[0], POLLIN | POLLRDHUP, 0));
    close(socket(AF_UNIX, SOCK_STREAM, 0));  /* a release runs the collector */
    FACT("x0_after_gc", "%x", ready(x[0], POLLIN | POLLRDHUP, 2000));
    FACT("y0_after_gc", "%x", ready(y[0], POLLIN | POLLRDHUP, 2000));
    int z[2];
    SETUP(socketpair(AF_UNIX, SOCK_DGRAM, 0, z));
    CHECK_RET("send_z1_over_itself", send_fd(z[0], z[1]));
    close(z[1]);
    CHECK_RET("z_alive_in_flight", send(z[0], "q", 1, MSG_DONTWAIT));
    close(socket(AF_UNIX, SOCK_DGRAM, 0));
    sleep_ms(100);
    CHECK_RET("z_collected", send(z[0], "q", 1, MSG_DONTWAIT));
    /* a socket in flight that is still reachable is not collected */
    int a[2], b[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, a));
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, b));
    CHECK_RET("send_a1_over_b", send_fd(b[0], a[1]));
    close(a[1]);
    close(socket(AF_UNIX, SOCK_STREAM, 0));
    FACT("a0_reachable_kept", "%x", ready(a[0], POLLIN | POLLRDHUP, 100));
    char cb[64], d;
    struct iovec iov = { &d, 1 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cb, .msg_controllen = sizeof cb };
    CHECK_RET("receive_a1", recvmsg(b[1], &m, 0));
    int a1;
    memcpy(&a1, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof a1);
    CHECK_RET("a1_works", write(a1, "ok", 2));
    CHECK_RET("a0_reads", read(a[0], cb, sizeof cb));
    DONE();
}
