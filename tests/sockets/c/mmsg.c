/* sendmmsg/recvmmsg: batches, msg_len of each, MSG_WAITFORONE, the timeout (checked
 * between messages, the time left written back), names and control data per message,
 * a failing entry after good ones (the count is returned; recvmmsg keeps the error for
 * SO_ERROR), vlen 0 and past UIO_MAXIOV, partial stream sends ending the batch. */
#include "../../contract/lib/contract.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <stddef.h>
#include <time.h>
#ifndef MSG_CMSG_COMPAT
#define MSG_CMSG_COMPAT 0x80000000
#endif

/* Raw syscalls: musl emulates sendmmsg with sendmsg in user space and copies msghdrs
 * itself, so the kernel's own handling is reached only this way. */
#include <sys/syscall.h>
#define sendmmsg(fd, v, n, f) ((int)syscall(SYS_sendmmsg, fd, v, n, f))
#define recvmmsg(fd, v, n, f, t) ((int)syscall(SYS_recvmmsg, fd, v, n, f, t))

static socklen_t mk(struct sockaddr_un *a, const char *p)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    strcpy(a->sun_path, p);
    return offsetof(struct sockaddr_un, sun_path) + strlen(p) + 1;
}

int main(void)
{
    int s[2];
    SETUP(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
    enum { V = 8 };
    struct mmsghdr out[V], in[V];
    struct iovec ov[V], iv[V];
    char data[V][16], rb[V][16];
    memset(out, 0, sizeof out);
    for (int i = 0; i < V; i++) {
        snprintf(data[i], sizeof data[i], "msg-%d", i);
        ov[i].iov_base = data[i]; ov[i].iov_len = strlen(data[i]);
        out[i].msg_hdr.msg_iov = &ov[i]; out[i].msg_hdr.msg_iovlen = 1;
    }
#define RESET_IN() do { memset(in, 0, sizeof in); memset(rb, 0, sizeof rb); \
    for (int i = 0; i < V; i++) { iv[i].iov_base = rb[i]; iv[i].iov_len = sizeof rb[i]; \
        in[i].msg_hdr.msg_iov = &iv[i]; in[i].msg_hdr.msg_iovlen = 1; } } while (0)
    CHECK_RET("send5", sendmmsg(s[0], out, 5, 0));
    RESET_IN();
    CHECK_RET("recv_waitforone", recvmmsg(s[1], in, V, MSG_WAITFORONE, NULL));
    FACT("recv_lens", "%u,%u,%u,%u,%u,%u", in[0].msg_len, in[1].msg_len, in[2].msg_len, in[3].msg_len, in[4].msg_len, in[5].msg_len);
    FACT("recv_data", "%s,%s,%s", rb[0], rb[2], rb[4]);
    RESET_IN();
    CHECK_RET("recv_empty_dontwait", recvmmsg(s[1], in, V, MSG_DONTWAIT, NULL));
    CHECK_RET("recv_vlen0", recvmmsg(s[1], in, 0, 0, NULL));
    CHECK_RET("send_vlen0", sendmmsg(s[0], out, 0, 0));
    /* the timeout: a blocked receive is not cut short; between messages it counts */
    pid_t c = fork();
    if (c == 0) { sleep_ms(40); send(s[0], "late", 4, 0); _exit(0); }
    struct timespec to = { 5, 0 };
    RESET_IN();
    CHECK_RET("recv_with_timeout", recvmmsg(s[1], in, 1, 0, &to));
    FACT_BOOL("timeout_written_back", to.tv_sec <= 5 && (to.tv_sec < 5 || to.tv_nsec < 1000000000));
    waitpid(c, NULL, 0);
    sendmmsg(s[0], out, 3, 0);
    struct timespec zero = { 0, 0 };
    RESET_IN();
    CHECK_RET("recv_zero_timeout", recvmmsg(s[1], in, V, 0, &zero));
    RESET_IN();
    recvmmsg(s[1], in, V, MSG_DONTWAIT, NULL);
    struct timespec bad = { 0, 1000000000 };
    CHECK_RET("recv_bad_timeout", recvmmsg(s[1], in, V, 0, &bad));
    struct timespec negt = { -1, 0 };
    CHECK_RET("recv_negative_timeout", recvmmsg(s[1], in, V, 0, &negt));
    CHECK_RET("recv_unmapped_timeout", recvmmsg(s[1], in, V, 0, (struct timespec *)16));
    /* names per message */
    struct sockaddr_un ra, rb2; socklen_t rl = mk(&ra, "mm-a"), rl2 = mk(&rb2, "mm-b");
    int a = socket(AF_UNIX, SOCK_DGRAM, 0), b = socket(AF_UNIX, SOCK_DGRAM, 0);
    bind(a, (struct sockaddr *)&ra, rl); bind(b, (struct sockaddr *)&rb2, rl2);
    int u = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un nobody; socklen_t nl = mk(&nobody, "mm-nobody");
    out[0].msg_hdr.msg_name = &ra; out[0].msg_hdr.msg_namelen = rl;
    out[1].msg_hdr.msg_name = &rb2; out[1].msg_hdr.msg_namelen = rl2;
    out[2].msg_hdr.msg_name = &nobody; out[2].msg_hdr.msg_namelen = nl;
    out[3].msg_hdr.msg_name = &ra; out[3].msg_hdr.msg_namelen = rl;
    CHECK_RET("send_names_stops_at_error", sendmmsg(u, out, 4, 0));
    CHECK_RET("send_first_fails", sendmmsg(u, out + 2, 2, 0));
    RESET_IN();
    struct sockaddr_un from[V];
    for (int i = 0; i < V; i++) { in[i].msg_hdr.msg_name = &from[i]; in[i].msg_hdr.msg_namelen = sizeof from[i]; }
    CHECK_RET("recv_a", recvmmsg(a, in, V, MSG_DONTWAIT, NULL));
    FACT_INT("recv_a_namelen", in[0].msg_hdr.msg_namelen);
    for (int i = 0; i < 4; i++) { out[i].msg_hdr.msg_name = NULL; out[i].msg_hdr.msg_namelen = 0; }
    /* a bad entry after good ones */
    out[2].msg_hdr.msg_iov = (struct iovec *)16;
    CHECK_RET("send_bad_third", sendmmsg(s[0], out, 4, 0));
    out[2].msg_hdr.msg_iov = &ov[2];
    RESET_IN();
    in[1].msg_hdr.msg_iov = (struct iovec *)16;
    CHECK_RET("recv_bad_second", recvmmsg(s[1], in, V, MSG_DONTWAIT, NULL));
    int e = -1; socklen_t el = sizeof e;
    getsockopt(s[1], SOL_SOCKET, SO_ERROR, &e, &el);
    FACT_INT("so_error_after_bad_entry", e);
    RESET_IN();
    while (recvmmsg(s[1], in, V, MSG_DONTWAIT, NULL) > 0) RESET_IN();
    /* vlen past UIO_MAXIOV is clamped */
    int big[2];
    SETUP(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, big));
    int bufsz = 8 << 20;
    setsockopt(big[0], SOL_SOCKET, SO_SNDBUFFORCE, &bufsz, sizeof bufsz);
    static struct mmsghdr many[1100];
    for (int i = 0; i < 1100; i++) { many[i].msg_hdr.msg_iov = &ov[0]; many[i].msg_hdr.msg_iovlen = 1; }
    CHECK_RET("send_1100", sendmmsg(big[0], many, 1100, 0));
    /* a stream socket: a partial send ends the batch */
    int t[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, t));
    static char huge[300000];
    struct iovec hv = { huge, sizeof huge };
    struct mmsghdr hm[3];
    memset(hm, 0, sizeof hm);
    for (int i = 0; i < 3; i++) { hm[i].msg_hdr.msg_iov = &hv; hm[i].msg_hdr.msg_iovlen = 1; }
    CHECK_RET("stream_partial_batch", sendmmsg(t[0], hm, 3, 0));
    FACT_BOOL("stream_partial_len", hm[0].msg_len > 0 && hm[0].msg_len < sizeof huge);
    CHECK_RET("flags_compat", sendmmsg(s[0], out, 1, MSG_CMSG_COMPAT));
    CHECK_RET("recv_flags_compat", recvmmsg(s[1], in, 1, MSG_CMSG_COMPAT, NULL));
    CHECK_RET("sendmmsg_not_socket", sendmmsg(1, out, 1, 0));
    CHECK_RET("recvmmsg_bad_fd", recvmmsg(99, in, 1, 0, NULL));
    CHECK_RET("sendmmsg_unmapped_vector", sendmmsg(s[0], (struct mmsghdr *)16, 2, 0));
    CHECK_RET("recvmmsg_unmapped_vector", recvmmsg(s[1], (struct mmsghdr *)16, 2, MSG_DONTWAIT, NULL));
    DONE();
}
