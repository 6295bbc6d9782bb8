/* Readiness of AF_UNIX sockets as net/unix/af_unix.c unix_poll (stream) and
 * unix_dgram_poll (dgram, seqpacket) compute it, through poll(2) and epoll: fresh,
 * bound, listening (with and without pending connections), connected, with data, with
 * a full send buffer, after each kind of shutdown, after the peer closed (with and
 * without unread data), datagram sockets whose peer's queue is full; and that epoll
 * hears the changes (EPOLLET edges on new data, EPOLLOUT when space returns). */
#include "../../contract/lib/contract.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/epoll.h>
#include <poll.h>
#include <stddef.h>

#define ALL (POLLIN | POLLPRI | POLLOUT | POLLRDHUP | POLLRDNORM | POLLRDBAND | POLLWRNORM | POLLWRBAND)

static void show(const char *tag, int fd)
{
    struct pollfd p = { .fd = fd, .events = ALL };
    int r = poll(&p, 1, 0);
    printf("%s=%d/%x\n", tag, r, p.revents);
    struct pollfd q = { .fd = fd, .events = 0 };
    poll(&q, 1, 0);
    printf("%s_none=%x\n", tag, q.revents);
}

static socklen_t mk(struct sockaddr_un *a, const char *p)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    strcpy(a->sun_path, p);
    return offsetof(struct sockaddr_un, sun_path) + strlen(p) + 1;
}

static void fill(int fd)
{
    static char buf[4096];
    while (send(fd, buf, sizeof buf, MSG_DONTWAIT) > 0) {}
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    int types[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET };
    const char *names[] = { "stream", "dgram", "seqpacket" };
    char tag[80], buf[65536];
    for (int t = 0; t < 3; t++) {
        const char *n = names[t];
#define SHOW(what, fd) do { snprintf(tag, sizeof tag, "%s_%s", n, what); show(tag, fd); } while (0)
        int f = socket(AF_UNIX, types[t], 0);
        SHOW("fresh", f);
        struct sockaddr_un a; socklen_t al;
        char path[32]; snprintf(path, sizeof path, "p-%s", n);
        al = mk(&a, path);
        bind(f, (struct sockaddr *)&a, al);
        SHOW("bound", f);
        if (types[t] != SOCK_DGRAM) {
            listen(f, 4);
            SHOW("listening", f);
            int c = socket(AF_UNIX, types[t], 0);
            SHOW("connecting_fresh", c);
            connect(c, (struct sockaddr *)&a, al);
            SHOW("listening_pending", f);
            SHOW("connected_before_accept", c);
            int s = accept(f, NULL, NULL);
            SHOW("listening_after_accept", f);
            SHOW("accepted", s);
            send(c, "x", 1, 0);
            SHOW("accepted_with_data", s);
            close(s);
            SHOW("client_after_server_closed_with_data", c);
            shutdown(f, SHUT_RD);
            SHOW("listener_shut_rd", f);
        }
        int p[2];
        socketpair(AF_UNIX, types[t], 0, p);
        SHOW("pair", p[0]);
        send(p[1], "x", 1, 0);
        SHOW("pair_data", p[0]);
        recv(p[0], buf, sizeof buf, 0);
        fill(p[0]);
        SHOW("pair_full_sender", p[0]);
        SHOW("pair_full_receiver", p[1]);
        while (recv(p[1], buf, sizeof buf, MSG_DONTWAIT) > 0) {}
        SHOW("pair_drained_sender", p[0]);
        shutdown(p[0], SHUT_RD);
        SHOW("pair_own_shut_rd", p[0]);
        SHOW("pair_peer_of_shut_rd", p[1]);
        shutdown(p[0], SHUT_WR);
        SHOW("pair_own_shut_rdwr", p[0]);
        SHOW("pair_peer_of_shut_rdwr", p[1]);
        int q[2];
        socketpair(AF_UNIX, types[t], 0, q);
        shutdown(q[0], SHUT_WR);
        SHOW("pair_own_shut_wr", q[0]);
        SHOW("pair_peer_of_shut_wr", q[1]);
        int r[2];
        socketpair(AF_UNIX, types[t], 0, r);
        send(r[0], "x", 1, 0);
        close(r[0]);
        SHOW("pair_peer_closed_data_left", r[1]);
        recv(r[1], buf, sizeof buf, MSG_DONTWAIT);
        SHOW("pair_peer_closed_drained", r[1]);
        int u[2];
        socketpair(AF_UNIX, types[t], 0, u);
        send(u[1], "x", 1, 0);
        close(u[1]);
        SHOW("pair_closed_with_unread", u[0]);
    }
    /* a datagram socket connected to a receiver whose queue is full */
    struct sockaddr_un qa; socklen_t ql = mk(&qa, "p-queue");
    int q = socket(AF_UNIX, SOCK_DGRAM, 0);
    bind(q, (struct sockaddr *)&qa, ql);
    int c = socket(AF_UNIX, SOCK_DGRAM, 0);
    connect(c, (struct sockaddr *)&qa, ql);
    for (int i = 0; i < 11; i++) send(c, "m", 1, 0);
    show("dgram_peer_full", c);
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLOUT | EPOLLET, .data.u32 = 7 }, out[4];
    epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
    CHECK_RET("epoll_out_while_full", epoll_wait(ep, out, 4, 0));
    recv(q, buf, 1, 0);
    CHECK_RET("epoll_out_after_room", epoll_wait(ep, out, 4, 100));
    FACT("epoll_out_after_room_events", "%x", out[0].events);
    show("dgram_peer_room", c);
    close(q);
    show("dgram_peer_closed", c);
    /* epoll: edges on stream data and write space */
    int s[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, s);
    int ep2 = epoll_create1(0);
    struct epoll_event e2 = { .events = EPOLLIN | EPOLLRDHUP | EPOLLET, .data.u32 = 1 };
    epoll_ctl(ep2, EPOLL_CTL_ADD, s[1], &e2);
    CHECK_RET("et_nothing", epoll_wait(ep2, out, 4, 0));
    write(s[0], "a", 1);
    CHECK_RET("et_first", epoll_wait(ep2, out, 4, 0));
    CHECK_RET("et_no_refire", epoll_wait(ep2, out, 4, 0));
    write(s[0], "b", 1);
    CHECK_RET("et_new_data_refires", epoll_wait(ep2, out, 4, 0));
    shutdown(s[0], SHUT_WR);
    CHECK_RET("et_rdhup", epoll_wait(ep2, out, 4, 0));
    FACT("et_rdhup_events", "%x", out[0].events);
    int w[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, w);
    fill(w[0]);
    struct epoll_event e3 = { .events = EPOLLOUT, .data.u32 = 2 };
    epoll_ctl(ep2, EPOLL_CTL_ADD, w[0], &e3);
    CHECK_RET("out_full", epoll_wait(ep2, out, 4, 0));
    while (recv(w[1], buf, 4096, MSG_DONTWAIT) > 0) {}
    int n = epoll_wait(ep2, out, 4, 100);
    int seen = 0;
    for (int i = 0; i < n; i++) if (out[i].data.u32 == 2) seen = out[i].events;
    FACT("out_after_drain", "%x", seen);
    /* a listener in epoll wakes on a connection */
    struct sockaddr_un la; socklen_t ll = mk(&la, "p-epl");
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(l, (struct sockaddr *)&la, ll);
    listen(l, 4);
    int ep3 = epoll_create1(0);
    struct epoll_event e4 = { .events = EPOLLIN, .data.u32 = 3 };
    epoll_ctl(ep3, EPOLL_CTL_ADD, l, &e4);
    CHECK_RET("listener_idle", epoll_wait(ep3, out, 4, 0));
    connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&la, ll);
    CHECK_RET("listener_ready", epoll_wait(ep3, out, 4, 0));
    DONE();
}
