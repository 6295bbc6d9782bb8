/* SOCK_DGRAM: boundaries, MSG_TRUNC/MSG_PEEK, connected and unconnected sends, names
 * reported by recvfrom, autobind on send (SO_PASSCRED) and with addrlen 2, connect
 * rules (EPERM to a socket connected elsewhere, AF_UNSPEC disconnect), a dead peer
 * (ECONNREFUSED, then ENOTCONN), the receive queue limit (max_dgram_qlen), EMSGSIZE
 * past the send buffer, EPIPE to a socket shut for reading, SO_PEEK_OFF. */
#include "../../contract/lib/contract.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/uio.h>
#include <sys/ioctl.h>
#include <stddef.h>

static socklen_t mk(struct sockaddr_un *a, const char *p)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    strcpy(a->sun_path, p);
    return offsetof(struct sockaddr_un, sun_path) + strlen(p) + 1;
}

static int bound(const char *p)
{
    struct sockaddr_un a;
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    socklen_t l = mk(&a, p);
    if (bind(fd, (struct sockaddr *)&a, l)) { printf("bind_failed=%s\n", errname(errno)); exit(1); }
    return fd;
}

static int drain(int fd)
{
    static char sink[300000];
    int n = 0;
    while (recv(fd, sink, sizeof sink, MSG_DONTWAIT) >= 0) n++;
    return n;
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    char buf[512];
    struct sockaddr_un ra, from;
    socklen_t rl = mk(&ra, "server"), fl;
    int srv = bound("server");
    int c1 = socket(AF_UNIX, SOCK_DGRAM, 0);
    /* boundaries across sendto/sendmsg/write, readv of one datagram over iovecs */
    CHECK_RET("sendto1", sendto(c1, "first", 5, 0, (struct sockaddr *)&ra, rl));
    struct iovec g[2] = { { "sec", 3 }, { "ond", 3 } };
    struct msghdr m = { .msg_name = &ra, .msg_namelen = rl, .msg_iov = g, .msg_iovlen = 2 };
    CHECK_RET("sendmsg_gathered", sendmsg(c1, &m, 0));
    int n = -1;
    ioctl(srv, FIONREAD, &n);
    FACT_INT("fionread_first_datagram", n);
    char a[3] = {0}, b[8] = {0};
    struct iovec r[2] = { { a, 2 }, { b, 7 } };
    CHECK_RET("readv_one_datagram", readv(srv, r, 2));
    FACT_STR("readv_a", a);
    FACT_STR("readv_b", b);
    memset(buf, 0, sizeof buf);
    CHECK_RET("read_second", read(srv, buf, sizeof buf));
    FACT_STR("second", buf);
    /* unbound sender: recvfrom reports no name; autobind with SO_PASSCRED */
    sendto(c1, "x", 1, 0, (struct sockaddr *)&ra, rl);
    fl = sizeof from;
    CHECK_RET("recvfrom_unbound", recvfrom(srv, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl));
    FACT_INT("from_len_unbound", fl);
    int on = 1;
    int c2 = socket(AF_UNIX, SOCK_DGRAM, 0);
    setsockopt(c2, SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
    sendto(c2, "y", 1, 0, (struct sockaddr *)&ra, rl);
    fl = sizeof from; memset(&from, 0xff, sizeof from);
    CHECK_RET("recvfrom_autobound", recvfrom(srv, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl));
    FACT_INT("from_len_autobound", fl);
    FACT_BOOL("autobound_abstract", from.sun_path[0] == 0);
    int hex = 1;
    for (int i = 1; i < 6; i++) hex &= !!strchr("0123456789abcdef", from.sun_path[i]);
    FACT_BOOL("autobound_five_hex_digits", hex);
    struct sockaddr_un me; socklen_t ml = sizeof me;
    getsockname(c2, (struct sockaddr *)&me, &ml);
    FACT_BOOL("autobound_name_matches", ml == fl && memcmp(&me, &from, ml) == 0);
    /* reply to the autobound name */
    CHECK_RET("reply_to_autobound", sendto(srv, "re", 2, 0, (struct sockaddr *)&from, fl));
    CHECK_RET("autobound_gets_reply", recv(c2, buf, sizeof buf, MSG_DONTWAIT));
    /* bound sender: name reported */
    int c3 = bound("client3");
    sendto(c3, "z", 1, 0, (struct sockaddr *)&ra, rl);
    fl = sizeof from; memset(&from, 0, sizeof from);
    recvfrom(srv, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
    FACT_INT("from_len_bound", fl);
    FACT_STR("from_path", from.sun_path);
    fl = 4; memset(&from, 0, sizeof from);
    sendto(c3, "z", 1, 0, (struct sockaddr *)&ra, rl);
    recvfrom(srv, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
    FACT_INT("from_len_truncated_reports_full", fl);
    FACT_INT("from_truncated_byte2", from.sun_path[0]);
    FACT_INT("from_truncated_byte3", from.sun_path[1]);
    /* MSG_TRUNC and MSG_PEEK */
    sendto(c1, "0123456789", 10, 0, (struct sockaddr *)&ra, rl);
    CHECK_RET("peek_short", recv(srv, buf, 3, MSG_PEEK));
    CHECK_RET("peek_trunc", recv(srv, buf, 3, MSG_PEEK | MSG_TRUNC));
    struct iovec one = { buf, 4 };
    struct msghdr rm = { .msg_iov = &one, .msg_iovlen = 1 };
    CHECK_RET("recvmsg_trunc", recvmsg(srv, &rm, 0));
    FACT_BOOL("msg_trunc_set", rm.msg_flags & MSG_TRUNC);
    CHECK_RET("queue_empty", recv(srv, buf, sizeof buf, MSG_DONTWAIT));
    /* zero-length datagrams */
    CHECK_RET("send_empty", sendto(c1, "", 0, 0, (struct sockaddr *)&ra, rl));
    CHECK_RET("write_empty_unconnected", write(c1, "", 0));
    CHECK_RET("recv_empty_datagram", recv(srv, buf, sizeof buf, MSG_DONTWAIT));
    CHECK_RET("recv_nothing_left", recv(srv, buf, sizeof buf, MSG_DONTWAIT));
    struct iovec none = { buf, 0 };
    CHECK_RET("writev_zero_total", writev(c1, &none, 1));
    /* connect: default peer; only that peer may send to a connected socket */
    int c4 = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK_RET("connect", connect(c4, (struct sockaddr *)&ra, rl));
    CHECK_RET("send_connected", send(c4, "c4", 2, 0));
    CHECK_RET("write_connected", write(c4, "w4", 2));
    struct sockaddr_un pa; socklen_t pl = sizeof pa;
    CHECK_RET("getpeername", getpeername(c4, (struct sockaddr *)&pa, &pl));
    FACT_STR("peer_path", pa.sun_path);
    FACT_INT("peer_len", pl);
    int c5 = bound("client5");
    struct sockaddr_un c5a; socklen_t c5l = mk(&c5a, "client5");
    CHECK_RET("connect_to_c5", connect(c4, (struct sockaddr *)&c5a, c5l));
    CHECK_RET("c3_to_c5_ok", sendto(c3, "x", 1, 0, (struct sockaddr *)&c5a, c5l));
    CHECK_RET("c5_connect_c3", connect(c5, (struct sockaddr *)&(struct sockaddr_un){0}, 0));
    struct sockaddr_un c3a; socklen_t c3l = mk(&c3a, "client3");
    CHECK_RET("c5_connect_c3_real", connect(c5, (struct sockaddr *)&c3a, c3l));
    CHECK_RET("c4_to_c5_now_eperm", send(c4, "x", 1, 0));
    CHECK_RET("c1_to_c5_eperm", sendto(c1, "x", 1, 0, (struct sockaddr *)&c5a, c5l));
    CHECK_RET("c1_connect_c5_eperm", connect(c1, (struct sockaddr *)&c5a, c5l));
    /* reconnecting drops what the old peer had queued for us */
    int d[2];
    SETUP(socketpair(AF_UNIX, SOCK_DGRAM, 0, d));
    send(d[1], "queued", 6, 0);
    CHECK_RET("reconnect_pair", connect(d[0], (struct sockaddr *)&ra, rl));
    CHECK_RET("old_queue_purged", recv(d[0], buf, sizeof buf, MSG_DONTWAIT));
    CHECK_RET("old_peer_send", send(d[1], "x", 1, 0));
    int e = 0; socklen_t el = sizeof e;
    getsockopt(d[1], SOL_SOCKET, SO_ERROR, &e, &el);
    FACT_INT("old_peer_so_error", e);
    /* AF_UNSPEC disconnects */
    struct sockaddr unspec = { .sa_family = AF_UNSPEC };
    CHECK_RET("disconnect", connect(c4, &unspec, sizeof unspec));
    CHECK_RET("send_after_disconnect", send(c4, "x", 1, 0));
    CHECK_RET("getpeername_after_disconnect", getpeername(c4, (struct sockaddr *)&pa, &pl));
    CHECK_RET("disconnect_short", connect(c4, &unspec, 1));
    CHECK_RET("disconnect_unconnected", connect(c4, &unspec, sizeof unspec));
    /* dead peers */
    int p[2];
    SETUP(socketpair(AF_UNIX, SOCK_DGRAM, 0, p));
    send(p[1], "left", 4, 0);
    close(p[0]);
    CHECK_RET("getpeername_dead_peer", getpeername(p[1], (struct sockaddr *)&pa, &pl));
    CHECK_RET("send_dead_peer", send(p[1], "x", 1, 0));
    CHECK_RET("send_dead_peer_again", send(p[1], "x", 1, 0));
    CHECK_RET("recv_after_dead_peer", recv(p[1], buf, sizeof buf, MSG_DONTWAIT));
    int tmp = bound("gone");
    struct sockaddr_un ga; socklen_t gl = mk(&ga, "gone");
    int c6 = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK_RET("connect_gone", connect(c6, (struct sockaddr *)&ga, gl));
    close(tmp);
    CHECK_RET("send_to_closed_connected", send(c6, "x", 1, 0));
    CHECK_RET("send_after_refused", send(c6, "x", 1, 0));
    CHECK_RET("sendto_closed_name", sendto(c1, "x", 1, 0, (struct sockaddr *)&ga, gl));
    /* the receive queue limit: 11 datagrams to a socket not connected back */
    int q = bound("queue");
    struct sockaddr_un qa; socklen_t ql = mk(&qa, "queue");
    int sender = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    int sent = 0, err = 0;
    for (int i = 0; i < 100; i++) {
        if (sendto(sender, "m", 1, 0, (struct sockaddr *)&qa, ql) < 0) { err = errno; break; }
        sent++;
    }
    FACT_INT("queue_limit_sent", sent);
    FACT_ERRNO("queue_limit_errno", err);
    recv(q, buf, 1, 0);
    CHECK_RET("after_one_read", sendto(sender, "m", 1, 0, (struct sockaddr *)&qa, ql));
    CHECK_RET("full_again", sendto(sender, "m", 1, MSG_DONTWAIT, (struct sockaddr *)&qa, ql));
    int conn = socket(AF_UNIX, SOCK_DGRAM, 0);
    connect(conn, (struct sockaddr *)&qa, ql);
    CHECK_RET("connected_sender_full_dontwait", send(conn, "m", 1, MSG_DONTWAIT));
    /* a socketpair is connected both ways: no queue-length limit */
    int pp[2];
    SETUP(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, pp));
    sent = 0;
    for (int i = 0; i < 50; i++) if (send(pp[0], "m", 1, 0) == 1) sent++;
    FACT_INT("pair_sent_50", sent);
    FACT_INT("drained_server", drain(srv));
    /* EMSGSIZE: a datagram larger than sndbuf - 32 */
    int small = 4096;
    setsockopt(c1, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    static char big[300000];
    CHECK_RET("size_sndbuf_minus_32", sendto(c1, big, 8192 - 32, 0, (struct sockaddr *)&ra, rl));
    CHECK_RET("size_sndbuf_minus_31", sendto(c1, big, 8192 - 31, 0, (struct sockaddr *)&ra, rl));
    CHECK_RET("recv_big", recv(srv, big, sizeof big, 0));
    CHECK_RET("default_sndbuf_200000", sendto(c3, big, 200000, 0, (struct sockaddr *)&ra, rl));
    CHECK_RET("recv_200000", recv(srv, big, sizeof big, 0));
    CHECK_RET("default_sndbuf_too_big", sendto(c3, big, 212992 - 31, 0, (struct sockaddr *)&ra, rl));
    /* a receiver shut for reading */
    CHECK_RET("shut_rd_server", shutdown(srv, SHUT_RD));
    CHECK_RET("send_to_shut_rd", sendto(c1, "x", 1, 0, (struct sockaddr *)&ra, rl));
    CHECK_RET("recv_shut_rd_dontwait", recv(srv, buf, 1, MSG_DONTWAIT));
    CHECK_RET("recv_shut_rd_blocking", recv(srv, buf, 1, 0));
    CHECK_RET("shut_wr_self", shutdown(c3, SHUT_WR));
    CHECK_RET("send_after_own_shut_wr", sendto(c3, "x", 1, 0, (struct sockaddr *)&c5a, c5l));
    /* SO_PEEK_OFF walks datagrams */
    int k[2];
    SETUP(socketpair(AF_UNIX, SOCK_DGRAM, 0, k));
    send(k[0], "aaa", 3, 0); send(k[0], "bbbb", 4, 0);
    int off = 0;
    CHECK_RET("set_peek_off", setsockopt(k[1], SOL_SOCKET, SO_PEEK_OFF, &off, sizeof off));
    memset(buf, 0, sizeof buf);
    CHECK_RET("peek_off_1", recv(k[1], buf, sizeof buf, MSG_PEEK));
    FACT_STR("peek_off_1_data", buf);
    memset(buf, 0, sizeof buf);
    CHECK_RET("peek_off_2", recv(k[1], buf, sizeof buf, MSG_PEEK));
    FACT_STR("peek_off_2_data", buf);
    socklen_t ol = sizeof off;
    getsockopt(k[1], SOL_SOCKET, SO_PEEK_OFF, &off, &ol);
    FACT_INT("peek_off_now", off);
    memset(buf, 0, sizeof buf);
    CHECK_RET("read_after_peeks", recv(k[1], buf, sizeof buf, 0));
    FACT_STR("read_after_peeks_data", buf);
    getsockopt(k[1], SOL_SOCKET, SO_PEEK_OFF, &off, &ol);
    FACT_INT("peek_off_after_read", off);
    /* the largest datagram: a linear part kmalloc can give (4 MiB) plus 17 pages */
    int hb[2];
    SETUP(socketpair(AF_UNIX, SOCK_DGRAM, 0, hb));
    int force = 64 << 20;
    CHECK_RET("sndbufforce", setsockopt(hb[0], SOL_SOCKET, SO_SNDBUFFORCE, &force, sizeof force));
    static char huge[4300000];
    long hsizes[] = { 4194304, 4263616, 4263617, 4300000 };
    for (int i = 0; i < 4; i++) {
        char k[48];
        snprintf(k, sizeof k, "datagram_%ld", hsizes[i]);
        CHECK_RET(k, send(hb[0], huge, hsizes[i], MSG_DONTWAIT));
        recv(hb[1], huge, sizeof huge, MSG_DONTWAIT);
    }
    /* listen/accept on datagram sockets */
    CHECK_RET("listen_dgram", listen(srv, 1));
    CHECK_RET("accept_dgram", accept(srv, NULL, NULL));
    CHECK_RET("accept4_dgram_badflags", accept4(srv, NULL, NULL, 0x1));
    DONE();
}
