/* Blocking: accept waits for a connection and wakes when one comes; connect waits while
 * the listener's backlog is full and wakes on accept (non-blocking: EAGAIN); a stream
 * writer waits for buffer space and keeps its progress (a 1 MiB write arrives whole and
 * in order); a datagram sender waits for room in a receiver's queue; MSG_WAITALL waits
 * for every byte; signals end waits with EINTR, restart them with SA_RESTART (never
 * when a timeout is set), and a write that moved data returns its count. */
#include "../../contract/lib/contract.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <poll.h>
#include <stddef.h>

static volatile sig_atomic_t hits;
static void on_alarm(int s) { (void)s; hits++; }

static void handler(int restart)
{
    struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = restart ? SA_RESTART : 0 };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
}

/* a child that sends SIGUSR1 to the parent after ms, then exits */
static pid_t poke_later(int ms)
{
    pid_t parent = getpid(), c = fork();
    if (c == 0) { sleep_ms(ms); kill(parent, SIGUSR1); _exit(0); }
    return c;
}

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
    socklen_t al = mk(&a, "blk");
    char buf[256];
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    SETUP(bind(l, (struct sockaddr *)&a, al));
    SETUP(listen(l, 1));
    /* accept blocks until a child connects */
    pid_t c = fork();
    if (c == 0) {
        sleep_ms(50);
        int s = socket(AF_UNIX, SOCK_STREAM, 0);
        connect(s, (struct sockaddr *)&a, al);
        write(s, "hi", 2);
        _exit(0);
    }
    long t0 = mono_ms();
    int acc = accept(l, NULL, NULL);
    FACT_BOOL("accept_woke", acc >= 0);
    FACT_BOOL("accept_waited", mono_ms() - t0 >= 30);
    CHECK_RET("read_from_child", read(acc, buf, sizeof buf));
    waitpid(c, NULL, 0);
    close(acc);
    /* backlog 1 allows two pending connections; the third waits (or EAGAIN) */
    int c1 = socket(AF_UNIX, SOCK_STREAM, 0), c2 = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_RET("pending1", connect(c1, (struct sockaddr *)&a, al));
    CHECK_RET("pending2", connect(c2, (struct sockaddr *)&a, al));
    int c3 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    CHECK_RET("backlog_full_nonblock", connect(c3, (struct sockaddr *)&a, al));
    struct pollfd lp = { .fd = l, .events = POLLIN | POLLOUT };
    poll(&lp, 1, 0);
    FACT("listener_poll", "%x", lp.revents);
    c = fork();
    if (c == 0) {
        sleep_ms(50);
        close(accept(l, NULL, NULL));
        _exit(0);
    }
    int c4 = socket(AF_UNIX, SOCK_STREAM, 0);
    t0 = mono_ms();
    CHECK_RET("connect_waits_for_room", connect(c4, (struct sockaddr *)&a, al));
    FACT_BOOL("connect_waited", mono_ms() - t0 >= 30);
    waitpid(c, NULL, 0);
    struct timeval tv = { 0, 30000 };
    int c5 = socket(AF_UNIX, SOCK_STREAM, 0);
    setsockopt(c5, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    CHECK_RET("connect_timeout", connect(c5, (struct sockaddr *)&a, al));
    handler(1);
    pid_t k = poke_later(40);
    int c6 = socket(AF_UNIX, SOCK_STREAM, 0);
    errno = 0;
    c = fork();
    if (c == 0) { sleep_ms(150); close(accept(l, NULL, NULL)); _exit(0); }
    CHECK_RET("connect_sa_restart", connect(c6, (struct sockaddr *)&a, al));
    FACT_INT("hits1", hits);
    waitpid(k, NULL, 0); waitpid(c, NULL, 0);
    handler(0);
    k = poke_later(40);
    int c7 = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_RET("connect_interrupted", connect(c7, (struct sockaddr *)&a, al));
    FACT_INT("hits2", hits);
    waitpid(k, NULL, 0);
    close(l);
    /* a big stream write blocks and keeps its progress */
    int s[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
    enum { N = 1 << 20 };
    static unsigned int data[N / 4], got[N / 4 + 64];
    for (int i = 0; i < N / 4; i++) data[i] = i * 2654435761u;
    c = fork();
    if (c == 0) {
        close(s[1]);
        ssize_t w = write(s[0], data, N);
        _exit(w == N ? 0 : 1);
    }
    close(s[0]);
    sleep_ms(30);
    long total = 0, reads = 0;
    for (;;) { ssize_t r = read(s[1], (char *)got + total, sizeof got - total); if (r <= 0) break; total += r; reads++; }
    int st;
    waitpid(c, &st, 0);
    FACT_INT("big_total", total);
    FACT_BOOL("big_in_order", total == N && memcmp(got, data, N) == 0);
    FACT_BOOL("big_writer_ok", WIFEXITED(st) && WEXITSTATUS(st) == 0);
    close(s[1]);
    /* sendmsg of several iovecs blocks the same way */
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
    c = fork();
    if (c == 0) {
        close(s[1]);
        struct iovec v[4];
        for (int i = 0; i < 4; i++) { v[i].iov_base = (char *)data + i * (N / 4); v[i].iov_len = N / 4; }
        struct msghdr m = { .msg_iov = v, .msg_iovlen = 4 };
        _exit(sendmsg(s[0], &m, 0) == N ? 0 : 1);
    }
    close(s[0]);
    sleep_ms(30);
    total = 0;
    for (;;) { ssize_t r = recv(s[1], (char *)got + total, 65536, MSG_WAITALL); if (r <= 0) break; total += r; }
    waitpid(c, &st, 0);
    FACT_BOOL("sendmsg_big_in_order", total == N && memcmp(got, data, N) == 0);
    FACT_BOOL("sendmsg_writer_ok", WIFEXITED(st) && WEXITSTATUS(st) == 0);
    close(s[1]);
    /* a signal during a blocked write that moved data: the write returns its count */
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
    handler(1);
    k = poke_later(50);
    ssize_t w = write(s[0], data, N);
    FACT_BOOL("interrupted_write_partial", w > 0 && w < N);
    FACT_INT("hits3", hits);
    waitpid(k, NULL, 0);
    long drained = 0;
    for (;;) { ssize_t r = recv(s[1], got, sizeof got, MSG_DONTWAIT); if (r <= 0) break; drained += r; }
    FACT_BOOL("drained_equals_written", drained == w);
    /* blocked read: SA_RESTART restarts, no SA_RESTART is EINTR, a timeout is EINTR */
    k = poke_later(40);
    c = fork();
    if (c == 0) { sleep_ms(120); write(s[0], "late", 4); _exit(0); }
    memset(buf, 0, sizeof buf);
    CHECK_RET("read_restarted", read(s[1], buf, sizeof buf));
    FACT_STR("read_restarted_data", buf);
    FACT_INT("hits4", hits);
    waitpid(k, NULL, 0); waitpid(c, NULL, 0);
    handler(0);
    k = poke_later(40);
    CHECK_RET("read_interrupted", read(s[1], buf, sizeof buf));
    waitpid(k, NULL, 0);
    handler(1);
    struct timeval longt = { 5, 0 };
    setsockopt(s[1], SOL_SOCKET, SO_RCVTIMEO, &longt, sizeof longt);
    k = poke_later(40);
    CHECK_RET("read_with_timeout_interrupted", read(s[1], buf, sizeof buf));
    waitpid(k, NULL, 0);
    struct timeval zero = { 0, 0 };
    setsockopt(s[1], SOL_SOCKET, SO_RCVTIMEO, &zero, sizeof zero);
    /* MSG_WAITALL waits for all of it across writes; a signal returns what came */
    c = fork();
    if (c == 0) { write(s[0], "ab", 2); sleep_ms(30); write(s[0], "cd", 2); sleep_ms(30); write(s[0], "ef", 2); _exit(0); }
    memset(buf, 0, sizeof buf);
    CHECK_RET("waitall", recv(s[1], buf, 6, MSG_WAITALL));
    FACT_STR("waitall_data", buf);
    waitpid(c, NULL, 0);
    handler(1);
    write(s[0], "xy", 2);
    k = poke_later(40);
    CHECK_RET("waitall_interrupted_partial", recv(s[1], buf, 6, MSG_WAITALL));
    waitpid(k, NULL, 0);
    c = fork();
    if (c == 0) { write(s[0], "12", 2); sleep_ms(30); shutdown(s[0], SHUT_WR); _exit(0); }
    CHECK_RET("waitall_until_eof", recv(s[1], buf, 6, MSG_WAITALL));
    waitpid(c, NULL, 0);
    /* a datagram sender waits for room in a receiver's queue */
    struct sockaddr_un qa;
    socklen_t ql = mk(&qa, "blkq");
    int q = socket(AF_UNIX, SOCK_DGRAM, 0);
    SETUP(bind(q, (struct sockaddr *)&qa, ql));
    int snd = socket(AF_UNIX, SOCK_DGRAM, 0);
    for (int i = 0; i < 11; i++) sendto(snd, "m", 1, 0, (struct sockaddr *)&qa, ql);
    c = fork();
    if (c == 0) { sleep_ms(50); recv(q, buf, 1, 0); _exit(0); }
    t0 = mono_ms();
    CHECK_RET("dgram_waits_for_room", sendto(snd, "m", 1, 0, (struct sockaddr *)&qa, ql));
    FACT_BOOL("dgram_waited", mono_ms() - t0 >= 30);
    waitpid(c, NULL, 0);
    int cs = socket(AF_UNIX, SOCK_DGRAM, 0);
    connect(cs, (struct sockaddr *)&qa, ql);
    struct pollfd pp = { .fd = cs, .events = POLLOUT };
    CHECK_RET("poll_full_peer", poll(&pp, 1, 0));
    c = fork();
    if (c == 0) { sleep_ms(50); recv(q, buf, 1, 0); _exit(0); }
    CHECK_RET("poll_wakes_when_room", poll(&pp, 1, 5000));
    FACT("poll_wake_revents", "%x", pp.revents);
    waitpid(c, NULL, 0);
    c = fork();
    if (c == 0) { sleep_ms(50); close(q); _exit(0); }
    CHECK_RET("send_to_full_closing_peer", send(cs, "m", 1, 0));
    waitpid(c, NULL, 0);
    /* dgram receive wakes on a datagram */
    int d[2];
    SETUP(socketpair(AF_UNIX, SOCK_DGRAM, 0, d));
    c = fork();
    if (c == 0) { sleep_ms(40); send(d[0], "dgram", 5, 0); _exit(0); }
    memset(buf, 0, sizeof buf);
    CHECK_RET("dgram_recv_woke", recv(d[1], buf, sizeof buf, 0));
    FACT_STR("dgram_recv_data", buf);
    waitpid(c, NULL, 0);
    /* peer close wakes a blocked reader */
    c = fork();
    if (c == 0) { sleep_ms(40); _exit(0); }
    int e[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, e));
    pid_t closer = fork();
    if (closer == 0) { close(e[1]); sleep_ms(40); close(e[0]); _exit(0); }
    close(e[0]);
    CHECK_RET("reader_woken_by_close", read(e[1], buf, sizeof buf));
    waitpid(c, NULL, 0); waitpid(closer, NULL, 0);
    DONE();
}
