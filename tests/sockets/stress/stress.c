/* The sockets stress test: 50 processes pass 10,000 messages through pipes,
 * socketpairs and an epoll-driven AF_UNIX server, and every message is checked.
 *
 * 25 groups of two processes. A producer P writes its 400 numbered messages into a
 * pipe (at most WINDOW in flight); its forwarder F reads the pipe and sends them to
 * the server over an AF_UNIX connection (SOCK_STREAM for half the groups, so F and the
 * server must reassemble 32-byte messages from a byte stream; SOCK_SEQPACKET for the
 * others); the server, one process driving both listeners and all 25 connections with
 * epoll, checks each message (group, sequence number, checksum, payload), transforms it
 * and sends it back; F forwards the reply over a socketpair (SOCK_DGRAM or
 * SOCK_SEQPACKET) to P, which checks the transformation, the order, and that every
 * sequence number arrived exactly once. Everything is counted again at the end. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define GROUPS 25
#define PER_GROUP 400
#define WINDOW 32
#define MSG 32

struct msg {
    uint32_t group, seq, sum, magic;
    unsigned char payload[16];
};

static uint32_t checksum(const struct msg *m)
{
    uint32_t h = 2166136261u ^ m->group * 131 ^ m->seq * 7919;
    for (int i = 0; i < 16; i++) h = (h ^ m->payload[i]) * 16777619u;
    return h;
}

static void make(struct msg *m, uint32_t g, uint32_t s)
{
    m->group = g; m->seq = s; m->magic = 0x4b45564c;
    for (int i = 0; i < 16; i++) m->payload[i] = (unsigned char)(g * 31 + s * 17 + i * 3);
    m->sum = checksum(m);
}

static void die(const char *what)
{
    fprintf(stderr, "stress: %s: %s\n", what, strerror(errno));
    _exit(3);
}

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0) { if (errno == EINTR) continue; return -1; }
        c += w; n -= (size_t)w;
    }
    return 0;
}

/* P: produce PER_GROUP messages into the pipe, read the replies from the socketpair */
static void producer(int g, int out, int back)
{
    int sent = 0, got = 0;
    static unsigned char seen[PER_GROUP];
    while (got < PER_GROUP) {
        while (sent < PER_GROUP && sent - got < WINDOW) {
            struct msg m;
            make(&m, g, sent);
            if (write_all(out, &m, sizeof m)) die("producer write");
            sent++;
        }
        struct msg r;
        ssize_t n = recv(back, &r, sizeof r, 0);
        if (n != sizeof r) die("producer recv");
        if (r.group != (uint32_t)g || r.seq >= PER_GROUP || r.magic != ~0x4b45564cu) _exit(4);
        if (seen[r.seq]++) _exit(5);                      /* duplicated */
        if (r.seq != (uint32_t)got) _exit(6);             /* out of order or lost */
        struct msg want;
        make(&want, g, r.seq);
        for (int i = 0; i < 16; i++) if (r.payload[i] != (unsigned char)~want.payload[i]) _exit(7);
        if (r.sum != (want.sum ^ 0xa5a5a5a5u)) _exit(8);
        got++;
    }
    close(out);
    struct msg extra;
    if (recv(back, &extra, sizeof extra, MSG_DONTWAIT) != -1 || errno != EAGAIN) _exit(9);
    _exit(0);
}

/* F: pipe -> server connection, server connection -> socketpair, with poll */
static void forwarder(int in, int conn, int stream, int back)
{
    unsigned char up[4096], down[4096];
    size_t uphave = 0, downhave = 0;
    int in_open = 1;
    for (;;) {
        struct pollfd p[2] = { { .fd = in_open ? in : -1, .events = POLLIN }, { .fd = conn, .events = POLLIN } };
        if (poll(p, 2, 20000) <= 0) die("forwarder poll");
        if (p[0].revents) {
            ssize_t n = read(in, up + uphave, sizeof up - uphave);
            if (n < 0) die("forwarder read pipe");
            if (n == 0) { in_open = 0; shutdown(conn, SHUT_WR); }
            uphave += (size_t)n;
            size_t whole = uphave - uphave % MSG;
            if (stream) {
                if (whole && write_all(conn, up, whole)) die("forwarder send stream");
            } else {
                for (size_t o = 0; o < whole; o += MSG)
                    if (send(conn, up + o, MSG, 0) != MSG) die("forwarder send seqpacket");
            }
            memmove(up, up + whole, uphave - whole);
            uphave -= whole;
        }
        if (p[1].revents) {
            ssize_t n = stream ? read(conn, down + downhave, sizeof down - downhave)
                               : recv(conn, down + downhave, MSG, 0);
            if (n < 0) die("forwarder read conn");
            if (n == 0) break;
            downhave += (size_t)n;
            size_t o = 0;
            for (; o + MSG <= downhave; o += MSG)
                if (send(back, down + o, MSG, 0) != MSG) die("forwarder send back");
            memmove(down, down + o, downhave - o);
            downhave -= o;
        }
    }
    _exit(uphave || downhave ? 10 : 0);
}

struct conn { int fd, stream, group; uint32_t next; size_t have; unsigned char buf[4096]; };

int main(void)
{
    alarm(100);
    signal(SIGPIPE, SIG_IGN);
    struct sockaddr_un sa = { .sun_family = AF_UNIX }, qa = { .sun_family = AF_UNIX };
    snprintf(sa.sun_path + 1, sizeof sa.sun_path - 1, "kevlar-stress-stream-%d", (int)getpid());
    snprintf(qa.sun_path, sizeof qa.sun_path, "stress-seqpacket.sock");
    unlink(qa.sun_path);
    int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int lq = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (bind(ls, (struct sockaddr *)&sa, sizeof sa) || bind(lq, (struct sockaddr *)&qa, sizeof qa)) die("bind");
    if (listen(ls, 64) || listen(lq, 64)) die("listen");
    pid_t kids[2 * GROUPS];
    int nkids = 0;
    for (int g = 0; g < GROUPS; g++) {
        int stream = g % 2 == 0;
        int p[2], s[2];
        if (pipe(p) || socketpair(AF_UNIX, (g % 4 < 2 ? SOCK_DGRAM : SOCK_SEQPACKET), 0, s)) die("pipe/socketpair");
        pid_t f = fork();
        if (f == 0) {
            close(p[1]); close(s[0]); close(ls); close(lq);
            int c = socket(AF_UNIX, stream ? SOCK_STREAM : SOCK_SEQPACKET, 0);
            if (connect(c, (struct sockaddr *)(stream ? &sa : &qa), sizeof sa)) die("connect");
            forwarder(p[0], c, stream, s[1]);
        }
        pid_t pr = fork();
        if (pr == 0) {
            close(p[0]); close(s[1]); close(ls); close(lq);
            producer(g, p[1], s[0]);
        }
        kids[nkids++] = f; kids[nkids++] = pr;
        close(p[0]); close(p[1]); close(s[0]); close(s[1]);
    }
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
    struct conn lsc = { .fd = ls }, lqc = { .fd = lq };
    ev.data.ptr = &lsc; epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
    ev.data.ptr = &lqc; epoll_ctl(ep, EPOLL_CTL_ADD, lq, &ev);
    static struct conn conns[GROUPS];
    int nconns = 0, closed = 0;
    long total = 0, bad = 0, dup_or_lost = 0;
    static uint32_t per_group[GROUPS];
    while (closed < GROUPS) {
        struct epoll_event evs[32];
        int n = epoll_wait(ep, evs, 32, 20000);
        if (n <= 0) die("epoll_wait");
        for (int i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;
            if (c == &lsc || c == &lqc) {
                int fd = accept4(c->fd, NULL, NULL, SOCK_CLOEXEC);
                if (fd < 0) die("accept");
                struct conn *nc = &conns[nconns++];
                nc->fd = fd; nc->stream = c == &lsc; nc->group = -1;
                struct epoll_event e = { .events = EPOLLIN | EPOLLRDHUP, .data.ptr = nc };
                epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
                continue;
            }
            ssize_t r = c->stream ? recv(c->fd, c->buf + c->have, sizeof c->buf - c->have, MSG_DONTWAIT)
                                  : recv(c->fd, c->buf + c->have, MSG, MSG_DONTWAIT);
            if (r < 0 && errno == EAGAIN) continue;
            if (r < 0) die("server recv");
            if (r == 0) {
                if (c->have) bad++;
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
                closed++;
                continue;
            }
            c->have += (size_t)r;
            size_t o = 0;
            for (; o + MSG <= c->have; o += MSG) {
                struct msg m;
                memcpy(&m, c->buf + o, sizeof m);
                if (m.magic != 0x4b45564c || m.sum != checksum(&m) || m.group >= GROUPS) { bad++; continue; }
                if (c->group < 0) c->group = (int)m.group;
                if ((int)m.group != c->group || m.seq != c->next) dup_or_lost++;
                c->next = m.seq + 1;
                per_group[m.group]++;
                total++;
                m.magic = ~m.magic;
                for (int k = 0; k < 16; k++) m.payload[k] = (unsigned char)~m.payload[k];
                m.sum ^= 0xa5a5a5a5u;
                if (c->stream ? write_all(c->fd, &m, sizeof m) : (send(c->fd, &m, sizeof m, 0) != sizeof m ? -1 : 0))
                    die("server send");
            }
            memmove(c->buf, c->buf + o, c->have - o);
            c->have -= o;
        }
    }
    int ok = 0;
    for (int i = 0; i < nkids; i++) {
        int st;
        if (waitpid(kids[i], &st, 0) == kids[i] && WIFEXITED(st) && WEXITSTATUS(st) == 0) ok++;
        else fprintf(stderr, "stress: child %d status %x\n", i, st);
    }
    int groups_complete = 0;
    for (int g = 0; g < GROUPS; g++) groups_complete += per_group[g] == PER_GROUP;
    unlink(qa.sun_path);
    printf("processes=%d\n", nkids);
    printf("connections=%d\n", nconns);
    printf("messages=%ld\n", total);
    printf("groups_complete=%d\n", groups_complete);
    printf("bad=%ld\n", bad);
    printf("duplicated_or_lost=%ld\n", dup_or_lost);
    printf("children_ok=%d\n", ok);
    printf("done\n");
    return ok == nkids && total == (long)GROUPS * PER_GROUP && !bad && !dup_or_lost ? 0 : 1;
}
