/* SOCK_SEQPACKET: connection-oriented records (listen/connect/accept), MSG_TRUNC on a
 * short buffer, zero-length records, EOF, EPIPE without SIGPIPE once the peer is gone,
 * ENOTCONN before connecting, sendto's address ignored when connected, poll. */
#include "../../contract/lib/contract.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <poll.h>
#include <stddef.h>

static volatile sig_atomic_t pipes;
static void on_pipe(int s) { (void)s; pipes++; }

int main(void)
{
    signal(SIGPIPE, on_pipe);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    strcpy(a.sun_path, "seq");
    socklen_t al = offsetof(struct sockaddr_un, sun_path) + 4;
    int l = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    char buf[64];
    CHECK_RET("send_unconnected", send(l, "x", 1, 0));
    CHECK_RET("recv_unconnected", recv(l, buf, 1, MSG_DONTWAIT));
    CHECK_RET("write_unconnected", write(l, "x", 1));
    CHECK_RET("read_unconnected", read(l, buf, 1));
    SETUP(bind(l, (struct sockaddr *)&a, al));
    CHECK_RET("listen", listen(l, 3));
    CHECK_RET("recv_listener", recv(l, buf, 1, MSG_DONTWAIT));
    int c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    CHECK_RET("connect", connect(c, (struct sockaddr *)&a, al));
    int s = accept(l, NULL, NULL);
    FACT_BOOL("accepted", s >= 0);
    int v; socklen_t vl = sizeof v;
    getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &vl);
    FACT_INT("accepted_type", v);
    CHECK_RET("rec1", send(c, "one", 3, 0));
    CHECK_RET("rec_empty", send(c, "", 0, 0));
    CHECK_RET("rec2", write(c, "second-record", 13));
    CHECK_RET("sendto_ignores_name", sendto(c, "3rd", 3, 0, (struct sockaddr *)&a, al));
    memset(buf, 0, sizeof buf);
    CHECK_RET("read1", read(s, buf, sizeof buf)); FACT_STR("data1", buf);
    CHECK_RET("read_empty_record", recv(s, buf, sizeof buf, 0));
    struct iovec iov = { buf, 6 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
    memset(buf, 0, sizeof buf);
    CHECK_RET("recvmsg_short", recvmsg(s, &m, 0));
    FACT_BOOL("msg_trunc", m.msg_flags & MSG_TRUNC);
    FACT_STR("data2", buf);
    CHECK_RET("trunc_real_len", recv(s, buf, 1, MSG_TRUNC));
    struct pollfd p = { .fd = s, .events = POLLIN | POLLOUT | POLLRDHUP };
    poll(&p, 1, 0);
    FACT("poll_idle", "%x", p.revents);
    CHECK_RET("shutdown_wr_client", shutdown(c, SHUT_WR));
    poll(&p, 1, 0);
    FACT("poll_after_peer_shut_wr", "%x", p.revents);
    CHECK_RET("recv_eof_after_shut_wr", recv(s, buf, 1, 0));
    CHECK_RET("recv_eof_dontwait", recv(s, buf, 1, MSG_DONTWAIT));
    CHECK_RET("client_send_after_shut_wr", send(c, "x", 1, 0));
    FACT_INT("sigpipes_after_shut_wr", pipes);
    close(c);
    poll(&p, 1, 0);
    FACT("poll_after_peer_close", "%x", p.revents);
    CHECK_RET("send_to_closed_peer", send(s, "x", 1, 0));
    CHECK_RET("write_to_closed_peer", write(s, "x", 1));
    FACT_INT("sigpipes_after_close", pipes);
    CHECK_RET("recv_after_close", recv(s, buf, 1, 0));
    /* a record larger than the send buffer */
    int c2 = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    SETUP(connect(c2, (struct sockaddr *)&a, al));
    int small = 2048;
    setsockopt(c2, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    static char big[8192];
    socklen_t sl = sizeof small;
    getsockopt(c2, SOL_SOCKET, SO_SNDBUF, &small, &sl);
    FACT_INT("sndbuf_minimum", small);
    CHECK_RET("record_too_big", send(c2, big, small - 31, 0));
    CHECK_RET("record_fits", send(c2, big, small - 32, 0));
    CHECK_RET("second_record_blocks", send(c2, big, 1, MSG_DONTWAIT));
    int s2 = accept(l, NULL, NULL);
    CHECK_RET("record_received", recv(s2, big, sizeof big, 0));
    CHECK_RET("room_again", send(c2, big, 1, MSG_DONTWAIT));
    /* pending connection refused when the listener goes */
    int c3 = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    SETUP(connect(c3, (struct sockaddr *)&a, al));
    close(l);
    CHECK_RET("pending_recv_after_listener_close", recv(c3, buf, 1, MSG_DONTWAIT));
    CHECK_RET("pending_send_after_listener_close", send(c3, "x", 1, 0));
    CHECK_RET("connect_after_listener_close", connect(socket(AF_UNIX, SOCK_SEQPACKET, 0), (struct sockaddr *)&a, al));
    /* seqpacket socketpair */
    int sp[2];
    SETUP(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp));
    send(sp[0], "abc", 3, 0);
    CHECK_RET("pair_peek", recv(sp[1], buf, 2, MSG_PEEK | MSG_TRUNC));
    CHECK_RET("pair_read", recv(sp[1], buf, sizeof buf, 0));
    CHECK_RET("pair_empty", recv(sp[1], buf, sizeof buf, MSG_DONTWAIT));
    close(sp[0]);
    CHECK_RET("pair_eof", recv(sp[1], buf, sizeof buf, 0));
    CHECK_RET("pair_send_dead", send(sp[1], "x", 1, MSG_NOSIGNAL));
    FACT_INT("sigpipes_end", pipes);
    DONE();
}
