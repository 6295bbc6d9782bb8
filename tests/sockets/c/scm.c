/* SCM_RIGHTS and SCM_CREDENTIALS in depth: several fds and several cmsgs per message,
 * fds of every kind (pipe, socket, O_PATH, the socket itself), in-flight references
 * (a passed pipe end keeps the pipe open after the sender closes it), MSG_CTRUNC when
 * the control buffer is short or absent, MSG_PEEK duplicating fds, read() discarding
 * them, stream reads stopping at a message that carried fds, malformed control
 * messages, SO_PASSCRED after the fact, credentials of a non-root sender, SO_PASSRIGHTS,
 * SO_TIMESTAMP. */
#include "../../contract/lib/contract.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <stddef.h>
#include <grp.h>
#ifndef SO_PASSRIGHTS
#define SO_PASSRIGHTS 83
#endif

#include <sys/syscall.h>
#define RAW 0x1000000  /* a flag of ours: call the kernel directly */

static int send_fds(int sock, const int *fds, int n, const char *data, int flags)
{
    char cbuf[CMSG_SPACE(sizeof(int) * 300)];
    memset(cbuf, 0, sizeof cbuf);
    struct iovec iov = { (void *)data, strlen(data) };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
                        .msg_controllen = CMSG_SPACE(sizeof(int) * n) };
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_RIGHTS; c->cmsg_len = CMSG_LEN(sizeof(int) * n);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
    if (flags & RAW) return syscall(SYS_sendmsg, sock, &m, flags & ~RAW);
    return sendmsg(sock, &m, flags);
}

/* receives into a control buffer of clen bytes; prints what arrived; returns the fds */
static int recv_fds(const char *tag, int sock, size_t clen, int flags, int *out, int max)
{
    char cbuf[4096], data[64] = {0};
    memset(cbuf, 0, sizeof cbuf);
    struct iovec iov = { data, sizeof data - 1 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = clen ? cbuf : NULL, .msg_controllen = clen };
    char k[80];
    errno = 0;
    ssize_t r = recvmsg(sock, &m, flags);
    snprintf(k, sizeof k, "%s_ret", tag);
    if (r < 0) { FACT_ERRNO(k, errno); return 0; }
    FACT_INT(k, r);
    snprintf(k, sizeof k, "%s_data", tag); FACT_STR(k, data);
    snprintf(k, sizeof k, "%s_flags", tag); FACT(k, "%x", m.msg_flags);
    snprintf(k, sizeof k, "%s_controllen", tag); FACT_INT(k, m.msg_controllen);
    int n = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        snprintf(k, sizeof k, "%s_cmsg", tag);
        FACT(k, "%d/%d/%zu", c->cmsg_level, c->cmsg_type, (size_t)c->cmsg_len);
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int cnt = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            for (int i = 0; i < cnt && n < max; i++) memcpy(&out[n++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
        }
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
            struct ucred u; memcpy(&u, CMSG_DATA(c), sizeof u);
            snprintf(k, sizeof k, "%s_cred", tag);
            FACT(k, "%s/%u/%u", u.pid == getpid() ? "self" : u.pid == 0 ? "0" : "other", u.uid, u.gid);
        }
    }
    snprintf(k, sizeof k, "%s_nfds", tag); FACT_INT(k, n);
    for (int i = 0; i < n; i++) {
        snprintf(k, sizeof k, "%s_fd%d_cloexec", tag, i);
        FACT_INT(k, fcntl(out[i], F_GETFD));
    }
    return n;
}

/* the scm_fds line of /proc/self/fdinfo/fd */
static void scm_fds(const char *tag, int fd)
{
    char path[64], text[512];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    ssize_t n = read_file(path, text, sizeof text);
    char *line = n > 0 ? strstr(text, "scm_fds:") : NULL;
    if (line) *strchrnul(line, '\n') = 0;
    FACT_STR(tag, line ? line : "(none)");
}

static int count_open(void)
{
    int n = 0;
    for (int fd = 0; fd < 1024; fd++) if (fcntl(fd, F_GETFD) >= 0) n++;
    return n;
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    int s[2], p[2], got[300];
    char buf[64];
    SETUP(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
    SETUP(pipe(p));
    int base = count_open();
    /* three fds, one message; the sender closes its copies: the pipe stays open in flight */
    int three[3] = { p[0], p[1], s[0] };
    CHECK_RET("send3", send_fds(s[0], three, 3, "three", 0));
    scm_fds("fdinfo_sender", s[0]);
    scm_fds("fdinfo_receiver", s[1]);
    close(p[1]);
    int n = recv_fds("recv3", s[1], CMSG_SPACE(3 * sizeof(int)), MSG_CMSG_CLOEXEC, got, 300);
    scm_fds("fdinfo_receiver_after", s[1]);
    if (n == 3) {
        CHECK_RET("write_via_passed_pipe", write(got[1], "ok", 2));
        memset(buf, 0, sizeof buf);
        CHECK_RET("read_original_end", read(p[0], buf, sizeof buf));
        FACT_STR("pipe_data", buf);
        close(got[1]);
        CHECK_RET("pipe_eof_after_last_writer", read(p[0], buf, sizeof buf));
        struct stat a, b;
        fstat(got[2], &a); fstat(s[0], &b);
        FACT_BOOL("passed_socket_same_inode", a.st_ino == b.st_ino);
        close(got[0]); close(got[2]);
    }
    FACT_INT("open_fd_delta", count_open() - base);
    /* short control buffers */
    SETUP(pipe(p));
    int two[2] = { p[0], p[1] };
    send_fds(s[0], two, 2, "ctrunc", 0);
    n = recv_fds("short", s[1], CMSG_SPACE(sizeof(int)), 0, got, 300);
    for (int i = 0; i < n; i++) close(got[i]);
    send_fds(s[0], two, 2, "tiny", 0);
    recv_fds("tiny", s[1], sizeof(struct cmsghdr), 0, got, 300);
    send_fds(s[0], two, 2, "none", 0);
    recv_fds("nocontrol", s[1], 0, 0, got, 300);
    send_fds(s[0], two, 2, "readit", 0);
    CHECK_RET("read_discards_fds", read(s[1], buf, sizeof buf));
    send_fds(s[0], two, 2, "odd", 0);
    recv_fds("odd_len", s[1], CMSG_LEN(sizeof(int)) + 2, 0, got, 300);
    FACT_INT("open_fd_delta_2", count_open() - base);
    /* MSG_PEEK duplicates the fds; the real read gets them again */
    send_fds(s[0], two, 2, "peek", 0);
    n = recv_fds("peek", s[1], CMSG_SPACE(2 * sizeof(int)), MSG_PEEK, got, 300);
    for (int i = 0; i < n; i++) close(got[i]);
    n = recv_fds("after_peek", s[1], CMSG_SPACE(2 * sizeof(int)), 0, got, 300);
    for (int i = 0; i < n; i++) close(got[i]);
    /* two cmsgs in one message, and a non-SOL_SOCKET one ignored */
    {
        char cbuf[CMSG_SPACE(sizeof(int)) * 2 + CMSG_SPACE(4)];
        memset(cbuf, 0, sizeof cbuf);
        struct iovec iov = { "two-cmsgs", 9 };
        struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_RIGHTS; c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &p[0], sizeof(int));
        c = CMSG_NXTHDR(&m, c);
        c->cmsg_level = 6 /* IPPROTO_TCP */; c->cmsg_type = 99; c->cmsg_len = CMSG_LEN(4);
        c = CMSG_NXTHDR(&m, c);
        c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_RIGHTS; c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &p[1], sizeof(int));
        CHECK_RET("send_two_cmsgs", sendmsg(s[0], &m, 0));
        n = recv_fds("two_cmsgs", s[1], 256, 0, got, 300);
        for (int i = 0; i < n; i++) close(got[i]);
        /* malformed */
        c = CMSG_FIRSTHDR(&m);
        size_t saved = c->cmsg_len;
        c->cmsg_len = sizeof cbuf + 1;
        CHECK_RET("cmsg_len_beyond", sendmsg(s[0], &m, 0));
        c->cmsg_len = 8;
        CHECK_RET("cmsg_len_short", sendmsg(s[0], &m, 0));
        c->cmsg_len = sizeof(struct cmsghdr);
        CHECK_RET("cmsg_rights_no_fds", sendmsg(s[0], &m, 0));
        recv(s[1], buf, sizeof buf, MSG_DONTWAIT);
        c->cmsg_len = saved;
        c->cmsg_type = 77;
        CHECK_RET("cmsg_unknown_type", sendmsg(s[0], &m, 0));
        c->cmsg_type = SCM_RIGHTS;
        m.msg_controllen = 10;
        CHECK_RET("controllen_under_header", sendmsg(s[0], &m, 0));
        recv(s[1], buf, sizeof buf, MSG_DONTWAIT);
        int closed = dup(p[0]); close(closed);
        memcpy(CMSG_DATA(c), &closed, sizeof(int));
        m.msg_controllen = sizeof cbuf;
        CHECK_RET("closed_fd", sendmsg(s[0], &m, 0));
        int neg = -1;
        memcpy(CMSG_DATA(c), &neg, sizeof(int));
        CHECK_RET("negative_fd", sendmsg(s[0], &m, 0));
        int huge = 100000;
        memcpy(CMSG_DATA(c), &huge, sizeof(int));
        CHECK_RET("huge_fd", sendmsg(s[0], &m, 0));
        CHECK_RET("nothing_queued", recv(s[1], buf, sizeof buf, MSG_DONTWAIT));
    }
    /* SCM_MAX_FD: 253 fds in one message, not 254 (raw syscalls: musl's sendmsg
       refuses control buffers it cannot copy with ENOMEM before the kernel sees them) */
    int many[254];
    for (int i = 0; i < 254; i++) many[i] = p[0];
    CHECK_RET("send_253", send_fds(s[0], many, 253, "253", RAW));
    n = recv_fds("r253", s[1], CMSG_SPACE(253 * sizeof(int)), 0, got, 300);
    for (int i = 0; i < n; i++) close(got[i]);
    CHECK_RET("send_254", send_fds(s[0], many, 254, "254", RAW));
    CHECK_RET("musl_refuses_254", send_fds(s[0], many, 254, "254", 0));
    /* O_PATH fds can be passed */
    int op = open(".", O_PATH);
    CHECK_RET("send_opath", send_fds(s[0], &op, 1, "opath", 0));
    n = recv_fds("opath", s[1], 64, 0, got, 300);
    if (n) { FACT("opath_flags", "%o", fcntl(got[0], F_GETFL) & O_PATH); close(got[0]); }
    /* EMFILE in the receiver: fds that do not fit are closed, MSG_CTRUNC */
    pid_t c = fork();
    if (c == 0) {
        struct rlimit rl = { 64, 64 };
        setrlimit(RLIMIT_NOFILE, &rl);
        int last = -1;
        for (;;) { int fd = open("/dev/null", O_RDONLY); if (fd < 0) break; last = fd; }
        close(last);
        recv_fds("emfile", s[1], CMSG_SPACE(3 * sizeof(int)), 0, got, 300);
        fflush(stdout);
        _exit(0);
    }
    int three2[3] = { p[0], p[1], p[0] };
    send_fds(s[0], three2, 3, "emfile", 0);
    waitpid(c, NULL, 0);
    /* stream: a read stops at a message that carried fds, fds go with the first byte */
    int t[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, t));
    write(t[0], "aa", 2);
    send_fds(t[0], two, 2, "bb", 0);
    write(t[0], "cc", 2);
    n = recv_fds("stream1", t[1], 256, 0, got, 300);
    n = recv_fds("stream2", t[1], 256, 0, got, 300);
    for (int i = 0; i < n; i++) close(got[i]);
    n = recv_fds("stream3", t[1], 256, MSG_DONTWAIT, got, 300);
    send_fds(t[0], two, 2, "partial", 0);
    {
        char cbuf[256], d[3] = {0};
        struct iovec iov = { d, 2 };
        struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
        CHECK_RET("stream_partial_read", recvmsg(t[1], &m, 0));
        FACT_INT("stream_partial_controllen", m.msg_controllen);
        m.msg_controllen = sizeof cbuf;
        CHECK_RET("stream_rest_read", recvmsg(t[1], &m, 0));
        FACT_INT("stream_rest_controllen", m.msg_controllen);
        struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
        (void)cm;
    }
    /* SO_PASSRIGHTS off: the receiver refuses fds */
    int off = 0;
    CHECK_RET("passrights_off", setsockopt(s[1], SOL_SOCKET, SO_PASSRIGHTS, &off, sizeof off));
    CHECK_RET("send_to_passrights_off", send_fds(s[0], two, 1, "nope", 0));
    int on = 1;
    setsockopt(s[1], SOL_SOCKET, SO_PASSRIGHTS, &on, sizeof on);
    /* credentials */
    int d[2];
    SETUP(socketpair(AF_UNIX, SOCK_DGRAM, 0, d));
    send(d[0], "before", 6, 0);
    setsockopt(d[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
    recv_fds("creds_sent_before_passcred", d[1], 64, 0, got, 300);
    send(d[0], "after", 5, 0);
    recv_fds("creds_after_passcred", d[1], 64, 0, got, 300);
    send(d[0], "nobuf", 5, 0);
    recv_fds("creds_no_buffer", d[1], 0, 0, got, 300);
    send(d[0], "short", 5, 0);
    recv_fds("creds_short_buffer", d[1], CMSG_LEN(4), 0, got, 300);
    setsockopt(d[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
    send_fds(d[0], two, 1, "creds+fd", 0);
    n = recv_fds("creds_and_fd", d[1], 256, 0, got, 300);
    for (int i = 0; i < n; i++) close(got[i]);
    c = fork();
    if (c == 0) {
        setgroups(0, NULL);
        setresgid(1000, 1001, 1002);
        setresuid(2000, 2001, 2002);
        struct ucred u;
        char cb[CMSG_SPACE(sizeof u)];
        struct iovec iov = { "u", 1 };
        struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cb, .msg_controllen = sizeof cb };
        struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
        cm->cmsg_level = SOL_SOCKET; cm->cmsg_type = SCM_CREDENTIALS; cm->cmsg_len = CMSG_LEN(sizeof u);
        struct { const char *k; pid_t pid; uid_t uid; gid_t gid; } cases[] = {
            { "own_ruid", 0, 2000, 1000 }, { "own_euid_egid", 0, 2001, 1001 }, { "own_suid_sgid", 0, 2002, 1002 },
            { "root_uid", 0, 0, 1000 }, { "root_gid", 0, 2000, 0 }, { "parent_pid", 1, 2000, 1000 },
            { "uid_minus1", 0, (uid_t)-1, 1000 }, { "gid_minus1", 0, 2000, (gid_t)-1 },
        };
        for (unsigned i = 0; i < sizeof cases / sizeof *cases; i++) {
            u.pid = cases[i].pid == 1 ? getppid() : getpid();
            u.uid = cases[i].uid; u.gid = cases[i].gid;
            memcpy(CMSG_DATA(cm), &u, sizeof u);
            CHECK_RET(cases[i].k, sendmsg(d[0], &m, 0));
        }
        cm->cmsg_len = CMSG_LEN(sizeof u) + 4;
        m.msg_controllen = CMSG_SPACE(sizeof u) + 8;
        CHECK_RET("creds_bad_len", sendmsg(d[0], &m, 0));
        send(d[0], "implicit", 8, 0);
        fflush(stdout);
        _exit(0);
    }
    waitpid(c, NULL, 0);
    for (int i = 0; i < 3; i++) {
        char tag[32]; snprintf(tag, sizeof tag, "nonroot_%d", i);
        recv_fds(tag, d[1], 64, 0, got, 300);
    }
    recv_fds("nonroot_implicit", d[1], 64, 0, got, 300);
    /* stream with SO_PASSCRED: writes of different writers are not merged */
    int w[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, w));
    setsockopt(w[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
    write(w[0], "parent", 6);
    c = fork();
    if (c == 0) { write(w[0], "child", 5); _exit(0); }
    waitpid(c, NULL, 0);
    write(w[0], "again", 5);
    recv_fds("merge1", w[1], 64, 0, got, 300);
    recv_fds("merge2", w[1], 64, 0, got, 300);
    recv_fds("merge3", w[1], 64, 0, got, 300);
    /* SO_TIMESTAMP on a datagram socket */
    int ts[2];
    SETUP(socketpair(AF_UNIX, SOCK_DGRAM, 0, ts));
    CHECK_RET("so_timestamp", setsockopt(ts[1], SOL_SOCKET, SO_TIMESTAMP, &on, sizeof on));
    struct timeval before; gettimeofday(&before, NULL);
    send(ts[0], "t", 1, 0);
    {
        char cb[256], dd[4];
        struct iovec iov = { dd, sizeof dd };
        struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cb, .msg_controllen = sizeof cb };
        CHECK_RET("recv_timestamped", recvmsg(ts[1], &m, 0));
        struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
        FACT_BOOL("timestamp_cmsg", cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMP);
        if (cm) {
            FACT_INT("timestamp_len", cm->cmsg_len);
            struct timeval tv; memcpy(&tv, CMSG_DATA(cm), sizeof tv);
            long diff = (tv.tv_sec - before.tv_sec) * 1000000L + (tv.tv_usec - before.tv_usec);
            FACT_BOOL("timestamp_recent", diff >= -1000 && diff < 5000000);
        }
        FACT_INT("timestamp_controllen", m.msg_controllen);
    }
    DONE();
}
