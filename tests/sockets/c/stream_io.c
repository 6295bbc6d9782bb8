/* SOCK_STREAM I/O through every path: read/write/readv/writev/send/recv/sendmsg/recvmsg,
 * zero lengths, partial reads, MSG_PEEK, MSG_WAITALL, MSG_DONTWAIT, FIONREAD/SIOCINQ,
 * SIOCOUTQ, lseek/pread ESPIPE, fstat S_IFSOCK, /proc/self/fd links, errors on
 * unconnected and listening sockets, shutdown in each direction. */
#include "../../contract/lib/contract.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/uio.h>
#include <sys/ioctl.h>
#include <stddef.h>

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    int s[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
    char buf[256];
    /* zero lengths */
    CHECK_RET("write_zero", write(s[0], buf, 0));
    CHECK_RET("send_zero", send(s[0], buf, 0, 0));
    CHECK_RET("read_zero_empty", read(s[1], buf, 0));
    CHECK_RET("recv_zero_empty_dontwait", recv(s[1], buf, 0, MSG_DONTWAIT));
    int n = -1;
    CHECK_RET("fionread_empty", ioctl(s[1], FIONREAD, &n));
    FACT_INT("fionread_empty_val", n);
    /* writev gathers, readv scatters */
    struct iovec w[3] = { { "abc", 3 }, { "", 0 }, { "defgh", 5 } };
    CHECK_RET("writev", writev(s[0], w, 3));
    CHECK_RET("write_more", write(s[0], "ijkl", 4));
    CHECK_RET("fionread", ioctl(s[1], FIONREAD, &n));
    FACT_INT("fionread_val", n);
    CHECK_RET("siocoutq", ioctl(s[0], TIOCOUTQ, &n));
    FACT_BOOL("siocoutq_positive", n > 0);
    CHECK_RET("recv_zero_with_data", recv(s[1], buf, 0, 0));
    char a[4] = {0}, b[6] = {0};
    struct iovec r[2] = { { a, 3 }, { b, 5 } };
    CHECK_RET("readv", readv(s[1], r, 2));
    FACT_STR("readv_a", a);
    FACT_STR("readv_b", b);
    memset(buf, 0, sizeof buf);
    CHECK_RET("peek_rest", recv(s[1], buf, sizeof buf, MSG_PEEK));
    FACT_STR("peeked", buf);
    memset(buf, 0, sizeof buf);
    CHECK_RET("read_rest", read(s[1], buf, sizeof buf));
    FACT_STR("rest", buf);
    CHECK_RET("read_empty_dontwait", recv(s[1], buf, sizeof buf, MSG_DONTWAIT));
    /* sendmsg/recvmsg with several iovecs */
    struct iovec sv[2] = { { "hello ", 6 }, { "world", 5 } };
    struct msghdr m = { .msg_iov = sv, .msg_iovlen = 2 };
    CHECK_RET("sendmsg", sendmsg(s[0], &m, 0));
    char x[4] = {0}, y[16] = {0};
    struct iovec rv[2] = { { x, 3 }, { y, sizeof y - 1 } };
    struct msghdr rm = { .msg_iov = rv, .msg_iovlen = 2 };
    CHECK_RET("recvmsg", recvmsg(s[1], &rm, 0));
    FACT_STR("recvmsg_x", x);
    FACT_STR("recvmsg_y", y);
    FACT_INT("recvmsg_flags", rm.msg_flags);
    FACT_INT("recvmsg_namelen", rm.msg_namelen);
    FACT_INT("recvmsg_controllen", rm.msg_controllen);
    /* recvfrom reports the sender's (unbound) name as length 0 */
    SETUP(write(s[0], "q", 1));
    struct sockaddr_un from; socklen_t fl = sizeof from;
    CHECK_RET("recvfrom", recvfrom(s[1], buf, sizeof buf, 0, (struct sockaddr *)&from, &fl));
    FACT_INT("recvfrom_len", fl);
    /* MSG_WAITALL with everything there, and short reads */
    SETUP(write(s[0], "12345678", 8));
    CHECK_RET("waitall_available", recv(s[1], buf, 8, MSG_WAITALL));
    SETUP(write(s[0], "ab", 2));
    CHECK_RET("waitall_dontwait_partial", recv(s[1], buf, 8, MSG_WAITALL | MSG_DONTWAIT));
    /* many small writes read at once coalesce */
    for (int i = 0; i < 50; i++) write(s[0], "z", 1);
    CHECK_RET("coalesced", read(s[1], buf, sizeof buf));
    /* SO_PEEK_OFF on a stream: peeks advance through the data, reads pull it back */
    int po[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, po));
    write(po[0], "abc", 3); write(po[0], "defg", 4);
    int off = 1;
    CHECK_RET("set_peek_off", setsockopt(po[1], SOL_SOCKET, SO_PEEK_OFF, &off, sizeof off));
    memset(buf, 0, sizeof buf);
    CHECK_RET("peek_off_1", recv(po[1], buf, 3, MSG_PEEK)); FACT_STR("peek_off_1_data", buf);
    memset(buf, 0, sizeof buf);
    CHECK_RET("peek_off_2", recv(po[1], buf, sizeof buf, MSG_PEEK)); FACT_STR("peek_off_2_data", buf);
    socklen_t ol = sizeof off;
    getsockopt(po[1], SOL_SOCKET, SO_PEEK_OFF, &off, &ol); FACT_INT("peek_off_now", off);
    CHECK_RET("peek_off_past_end", recv(po[1], buf, sizeof buf, MSG_PEEK | MSG_DONTWAIT));
    memset(buf, 0, sizeof buf);
    CHECK_RET("read_2", read(po[1], buf, 2)); FACT_STR("read_2_data", buf);
    getsockopt(po[1], SOL_SOCKET, SO_PEEK_OFF, &off, &ol); FACT_INT("peek_off_after_read", off);
    memset(buf, 0, sizeof buf);
    CHECK_RET("read_rest_po", read(po[1], buf, sizeof buf)); FACT_STR("read_rest_po_data", buf);
    /* seeking, positional I/O, stat */
    CHECK_RET("lseek", lseek(s[0], 0, SEEK_CUR));
    CHECK_RET("pread", pread(s[0], buf, 1, 0));
    CHECK_RET("pwrite", pwrite(s[0], buf, 1, 0));
    struct iovec one = { buf, 1 };
    CHECK_RET("preadv_offset", preadv(s[0], &one, 1, 0));
    CHECK_RET("pwritev_offset", pwritev(s[0], &one, 1, 0));
    struct stat st;
    SETUP(fstat(s[0], &st));
    FACT("fstat_mode", "%o", st.st_mode);
    FACT_INT("fstat_nlink", st.st_nlink);
    FACT_INT("fstat_size", st.st_size);
    FACT_INT("fstat_blksize", st.st_blksize);
    FACT_INT("fstat_uid", st.st_uid);
    struct stat st2;
    fstat(s[1], &st2);
    FACT_BOOL("distinct_inodes", st.st_ino != st2.st_ino);
    char link[64], want[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", s[0]);
    ssize_t ln = readlink(link, buf, sizeof buf - 1);
    buf[ln > 0 ? ln : 0] = 0;
    snprintf(want, sizeof want, "socket:[%lu]", (unsigned long)st.st_ino);
    FACT_BOOL("proc_fd_link_is_socket_ino", strcmp(buf, want) == 0);
    CHECK_RET("ftruncate", ftruncate(s[0], 0));
    CHECK_RET("fsync", fsync(s[0]));
    CHECK_RET("fchmod", fchmod(s[0], 0600));
    /* unconnected and listening sockets */
    int u = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_RET("unconnected_write", write(u, "x", 1));
    CHECK_RET("unconnected_send_nosignal", send(u, "x", 1, MSG_NOSIGNAL));
    CHECK_RET("unconnected_read", read(u, buf, 1));
    CHECK_RET("unconnected_recv", recv(u, buf, 1, MSG_DONTWAIT));
    CHECK_RET("unconnected_sendmsg", sendmsg(u, &m, 0));
    CHECK_RET("unconnected_fionread", ioctl(u, FIONREAD, &n));
    FACT_INT("unconnected_fionread_val", n);
    CHECK_RET("unconnected_shutdown", shutdown(u, SHUT_RDWR));
    CHECK_RET("unconnected_write_after_shutdown", write(u, "x", 1));
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    strcpy(addr.sun_path, "io-listener");
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    SETUP(bind(l, (struct sockaddr *)&addr, sizeof addr));
    SETUP(listen(l, 2));
    CHECK_RET("listener_read", read(l, buf, 1));
    CHECK_RET("listener_write", write(l, "x", 1));
    CHECK_RET("listener_fionread", ioctl(l, FIONREAD, &n));
    CHECK_RET("listener_sendto_named", sendto(l, "x", 1, 0, (struct sockaddr *)&addr, sizeof addr));
    CHECK_RET("connected_sendto_named", sendto(s[0], "x", 1, 0, (struct sockaddr *)&addr, sizeof addr));
    CHECK_RET("unconnected_sendto_named", sendto(u, "x", 1, 0, (struct sockaddr *)&addr, sizeof addr));
    CHECK_RET("sendto_null_addr_nonzero_len", sendto(s[0], "k", 1, 0, NULL, 5));
    CHECK_RET("sendto_addr_zero_len", sendto(s[0], "k", 1, 0, (struct sockaddr *)&addr, 0));
    read(s[1], buf, sizeof buf);
    /* shutdown both ways */
    CHECK_RET("shut_rd", shutdown(s[1], SHUT_RD));
    CHECK_RET("read_after_own_shut_rd", read(s[1], buf, 1));
    CHECK_RET("peer_write_after_shut_rd", write(s[0], "x", 1));
    CHECK_RET("own_write_after_shut_rd", write(s[1], "y", 1));
    CHECK_RET("peer_read", read(s[0], buf, 1));
    CHECK_RET("shut_wr", shutdown(s[1], SHUT_WR));
    CHECK_RET("peer_read_eof", read(s[0], buf, 1));
    CHECK_RET("own_write_after_shut_wr", write(s[1], "y", 1));
    CHECK_RET("shut_bad_neg", shutdown(s[1], -1));
    CHECK_RET("shut_bad_3", shutdown(s[1], 3));
    CHECK_RET("shut_rdwr_again", shutdown(s[1], SHUT_RDWR));
    CHECK_RET("shutdown_not_socket", shutdown(0, SHUT_RD));
    CHECK_RET("shutdown_bad_fd", shutdown(999, SHUT_RD));
    /* peer closed with unread data: ECONNRESET */
    int p[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, p));
    SETUP(write(p[0], "unread", 6));
    close(p[1]);
    CHECK_RET("read_after_peer_closed_with_unread", read(p[0], buf, sizeof buf));
    CHECK_RET("read_again", read(p[0], buf, sizeof buf));
    CHECK_RET("write_after_reset", send(p[0], "x", 1, MSG_NOSIGNAL));
    int e = -1; socklen_t el = sizeof e;
    getsockopt(p[0], SOL_SOCKET, SO_ERROR, &e, &el);
    FACT_INT("so_error_after", e);
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, p));
    SETUP(write(p[1], "unread", 6));
    close(p[1]);
    el = sizeof e;
    getsockopt(p[0], SOL_SOCKET, SO_ERROR, &e, &el);
    FACT_INT("so_error_peer_closed_cleanly", e);
    memset(buf, 0, sizeof buf);
    CHECK_RET("data_then_eof", read(p[0], buf, sizeof buf));
    FACT_STR("data_then_eof_data", buf);
    CHECK_RET("eof", read(p[0], buf, sizeof buf));
    DONE();
}
