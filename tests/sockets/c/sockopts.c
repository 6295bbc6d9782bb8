/* getsockopt/setsockopt on AF_UNIX sockets: defaults of every SOL_SOCKET option a unix
 * socket answers, set/get round trips (buffer sizes double, with their floor and the
 * host's maximum; timeouts round to jiffies; linger), optlen rules (short lengths
 * truncate, negative is EINVAL), options that are refused, SO_PEERCRED/SO_PEERNAME/
 * SO_PEERGROUPS, SO_ERROR, SO_INQ with SCM_INQ. */
#include "../../contract/lib/contract.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <stddef.h>
#include <grp.h>
#ifndef SO_BUF_LOCK
#define SO_BUF_LOCK 72
#endif
#ifndef SO_PASSRIGHTS
#define SO_PASSRIGHTS 83
#endif
#ifndef SO_INQ
#define SO_INQ 84
#define SCM_INQ SO_INQ
#endif

static void get_int(const char *tag, int fd, int opt)
{
    int v = -12345; socklen_t l = sizeof v;
    errno = 0;
    int r = getsockopt(fd, SOL_SOCKET, opt, &v, &l);
    if (r) printf("%s=%s\n", tag, errname(errno));
    else printf("%s=%d/%d\n", tag, v, (int)l);
}

static void set_get(const char *tag, int fd, int opt, int val)
{
    char k[64];
    snprintf(k, sizeof k, "set_%s", tag);
    CHECK_RET(k, setsockopt(fd, SOL_SOCKET, opt, &val, sizeof val));
    snprintf(k, sizeof k, "get_%s", tag);
    get_int(k, fd, opt);
}

int main(void)
{
    int s[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct { const char *name; int opt; } ints[] = {
        { "debug", SO_DEBUG }, { "reuseaddr", SO_REUSEADDR }, { "type", SO_TYPE },
        { "error", SO_ERROR }, { "dontroute", SO_DONTROUTE }, { "broadcast", SO_BROADCAST },
        { "sndbuf", SO_SNDBUF }, { "rcvbuf", SO_RCVBUF }, { "keepalive", SO_KEEPALIVE },
        { "oobinline", SO_OOBINLINE }, { "no_check", SO_NO_CHECK }, { "priority", SO_PRIORITY },
        { "bsdcompat", SO_BSDCOMPAT }, { "reuseport", SO_REUSEPORT }, { "passcred", SO_PASSCRED },
        { "rcvlowat", SO_RCVLOWAT }, { "sndlowat", SO_SNDLOWAT }, { "timestamp", SO_TIMESTAMP },
        { "acceptconn", SO_ACCEPTCONN }, { "passsec", SO_PASSSEC }, { "timestampns", SO_TIMESTAMPNS },
        { "mark", SO_MARK }, { "protocol", SO_PROTOCOL }, { "domain", SO_DOMAIN },
        { "rxq_ovfl", SO_RXQ_OVFL }, { "wifi_status", SO_WIFI_STATUS }, { "peek_off", SO_PEEK_OFF },
        { "nofcs", SO_NOFCS }, { "lock_filter", SO_LOCK_FILTER }, { "select_err_queue", SO_SELECT_ERR_QUEUE },
        { "busy_poll", SO_BUSY_POLL }, { "incoming_cpu", SO_INCOMING_CPU }, { "zerocopy", SO_ZEROCOPY },
        { "bindtoifindex", SO_BINDTOIFINDEX }, { "buf_lock", SO_BUF_LOCK }, { "passrights", SO_PASSRIGHTS },
        { "unknown_1000", 1000 }, { "unknown_neg", -1 },
    };
    for (unsigned i = 0; i < sizeof ints / sizeof *ints; i++) {
        char k[64];
        snprintf(k, sizeof k, "stream_%s", ints[i].name); get_int(k, s[0], ints[i].opt);
        snprintf(k, sizeof k, "dgram_%s", ints[i].name); get_int(k, d, ints[i].opt);
    }
    /* optlen handling */
    int v = 0x11223344; socklen_t l = 1;
    CHECK_RET("get_type_len1", getsockopt(s[0], SOL_SOCKET, SO_TYPE, &v, &l));
    FACT("get_type_len1_val", "%x/%d", v, (int)l);
    l = 0; v = 7;
    CHECK_RET("get_type_len0", getsockopt(s[0], SOL_SOCKET, SO_TYPE, &v, &l));
    FACT("get_type_len0_val", "%d/%d", v, (int)l);
    long big = 0; l = sizeof big;
    CHECK_RET("get_type_len8", getsockopt(s[0], SOL_SOCKET, SO_TYPE, &big, &l));
    FACT_INT("get_type_len8_len", l);
    l = -1;
    CHECK_RET("get_negative_len", getsockopt(s[0], SOL_SOCKET, SO_TYPE, &v, &l));
    CHECK_RET("get_other_level", getsockopt(s[0], 0 /* SOL_IP */, 1, &v, &l));
    CHECK_RET("get_other_level_dgram", getsockopt(d, 6, 1, &v, &l));
    v = 1;
    CHECK_RET("set_len3", setsockopt(s[0], SOL_SOCKET, SO_KEEPALIVE, &v, 3));
    CHECK_RET("set_len_negative", setsockopt(s[0], SOL_SOCKET, SO_KEEPALIVE, &v, -1));
    CHECK_RET("set_len_8", setsockopt(s[0], SOL_SOCKET, SO_KEEPALIVE, &big, 8));
    CHECK_RET("set_other_level", setsockopt(s[0], 0, 1, &v, sizeof v));
    CHECK_RET("set_other_level_dgram", setsockopt(d, 0, 1, &v, sizeof v));
    CHECK_RET("set_type", setsockopt(s[0], SOL_SOCKET, SO_TYPE, &v, sizeof v));
    CHECK_RET("set_error", setsockopt(s[0], SOL_SOCKET, SO_ERROR, &v, sizeof v));
    CHECK_RET("set_acceptconn", setsockopt(s[0], SOL_SOCKET, SO_ACCEPTCONN, &v, sizeof v));
    CHECK_RET("set_peercred", setsockopt(s[0], SOL_SOCKET, SO_PEERCRED, &v, sizeof v));
    CHECK_RET("set_unknown", setsockopt(s[0], SOL_SOCKET, 1000, &v, sizeof v));
    /* round trips */
    int sizes[] = { 0, 1, 1000, 2304, 4608, 65536, 106496, -1, 0x40000000 };
    for (unsigned i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        char tag[48];
        snprintf(tag, sizeof tag, "sndbuf_%d", sizes[i]); set_get(tag, s[0], SO_SNDBUF, sizes[i]);
        snprintf(tag, sizeof tag, "rcvbuf_%d", sizes[i]); set_get(tag, s[0], SO_RCVBUF, sizes[i]);
    }
    set_get("sndbufforce", s[0], SO_SNDBUFFORCE, 1000000);
    set_get("rcvbufforce_neg", s[0], SO_RCVBUFFORCE, -5);
    get_int("buf_lock_after", s[0], SO_BUF_LOCK);
    set_get("buf_lock_0", s[0], SO_BUF_LOCK, 0);
    set_get("buf_lock_4", s[0], SO_BUF_LOCK, 4);
    set_get("keepalive_5", s[0], SO_KEEPALIVE, 5);
    set_get("reuseaddr", s[0], SO_REUSEADDR, 1);
    set_get("reuseport_1", s[0], SO_REUSEPORT, 1);
    set_get("reuseport_0", s[0], SO_REUSEPORT, 0);
    set_get("priority_6", s[0], SO_PRIORITY, 6);
    set_get("priority_7_root", s[0], SO_PRIORITY, 7);
    set_get("rcvlowat_0", s[0], SO_RCVLOWAT, 0);
    set_get("rcvlowat_neg", s[0], SO_RCVLOWAT, -3);
    set_get("rcvlowat_5", s[0], SO_RCVLOWAT, 5);
    set_get("sndlowat", s[0], SO_SNDLOWAT, 5);
    set_get("passcred_7", s[0], SO_PASSCRED, 7);
    set_get("timestamp", s[0], SO_TIMESTAMP, 1);
    get_int("timestampns_after_timestamp", s[0], SO_TIMESTAMPNS);
    set_get("timestampns", s[0], SO_TIMESTAMPNS, 1);
    get_int("timestamp_after_ns", s[0], SO_TIMESTAMP);
    set_get("timestamp_off", s[0], SO_TIMESTAMP, 0);
    set_get("peek_off_neg", s[0], SO_PEEK_OFF, -5);
    set_get("mark", s[0], SO_MARK, 42);
    set_get("lock_filter", s[0], SO_LOCK_FILTER, 1);
    set_get("lock_filter_off", s[0], SO_LOCK_FILTER, 0);
    set_get("zerocopy", s[0], SO_ZEROCOPY, 1);
    set_get("debug", s[0], SO_DEBUG, 1);
    set_get("dontroute", s[0], SO_DONTROUTE, 1);
    set_get("oobinline", s[0], SO_OOBINLINE, 1);
    set_get("inq_2", s[0], SO_INQ, 2);
    set_get("inq_dgram", d, SO_INQ, 1);
    /* linger */
    struct linger lg = { 1, 30 }, lg2; socklen_t ll = sizeof lg2;
    CHECK_RET("set_linger", setsockopt(s[0], SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
    getsockopt(s[0], SOL_SOCKET, SO_LINGER, &lg2, &ll);
    FACT("linger", "%d/%d/%d", lg2.l_onoff, lg2.l_linger, (int)ll);
    lg.l_onoff = 0; lg.l_linger = 5;
    setsockopt(s[0], SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    getsockopt(s[0], SOL_SOCKET, SO_LINGER, &lg2, &ll);
    FACT("linger_off", "%d/%d", lg2.l_onoff, lg2.l_linger);
    CHECK_RET("set_linger_short", setsockopt(s[0], SOL_SOCKET, SO_LINGER, &lg, 4));
    /* timeouts */
    struct timeval tvs[] = { { 1, 500000 }, { 0, 1 }, { 0, 999999 }, { 0, 0 }, { -1, 0 }, { 0, 1000000 }, { 0, -1 }, { 100000, 0 } };
    for (unsigned i = 0; i < sizeof tvs / sizeof *tvs; i++) {
        char k[48];
        snprintf(k, sizeof k, "rcvtimeo_%u", i);
        CHECK_RET(k, setsockopt(d, SOL_SOCKET, SO_RCVTIMEO, &tvs[i], sizeof tvs[i]));
        struct timeval got = { 99, 99 }; socklen_t gl = sizeof got;
        getsockopt(d, SOL_SOCKET, SO_RCVTIMEO, &got, &gl);
        snprintf(k, sizeof k, "rcvtimeo_%u_got", i);
        FACT(k, "%ld/%ld/%d", (long)got.tv_sec, (long)got.tv_usec, (int)gl);
    }
    CHECK_RET("rcvtimeo_short", setsockopt(d, SOL_SOCKET, SO_RCVTIMEO, &tvs[0], 8));
    CHECK_RET("rcvtimeo_int", setsockopt(d, SOL_SOCKET, SO_RCVTIMEO, &tvs[0], 4));
    struct timeval neg = { -1, 0 };
    setsockopt(d, SOL_SOCKET, SO_RCVTIMEO, &neg, sizeof neg);
    char c;
    CHECK_RET("negative_timeout_is_nonblocking", recv(d, &c, 1, 0));
    struct timeval shortt = { 0, 20000 };
    setsockopt(s[0], SOL_SOCKET, SO_SNDTIMEO, &shortt, sizeof shortt);
    static char fill[65536];
    long sent = 0, t0 = mono_ms();
    for (;;) { ssize_t w = send(s[0], fill, sizeof fill, 0); if (w < 0) { FACT_ERRNO("sndtimeo_send", errno); break; } sent += w; }
    FACT_BOOL("sndtimeo_waited", mono_ms() - t0 >= 15);
    struct timeval got; socklen_t gl = sizeof got;
    getsockopt(s[0], SOL_SOCKET, SO_SNDTIMEO, &got, &gl);
    FACT("sndtimeo", "%ld/%ld", (long)got.tv_sec, (long)got.tv_usec);
    /* SO_RCVTIMEO on accept */
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    strcpy(a.sun_path + 1, "opts-l");  /* abstract: the child below is not root */
    int lsn = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(lsn, (struct sockaddr *)&a, sizeof a);
    listen(lsn, 1);
    setsockopt(lsn, SOL_SOCKET, SO_RCVTIMEO, &shortt, sizeof shortt);
    t0 = mono_ms();
    CHECK_RET("accept_timeout", accept(lsn, NULL, NULL));
    FACT_BOOL("accept_waited", mono_ms() - t0 >= 15);
    get_int("listener_acceptconn", lsn, SO_ACCEPTCONN);
    /* peer credentials, names, groups */
    struct ucred uc; socklen_t ul = sizeof uc;
    getsockopt(lsn, SOL_SOCKET, SO_PEERCRED, &uc, &ul);
    FACT_BOOL("listener_peercred_self", uc.pid == getpid());
    ul = 8; memset(&uc, 0, sizeof uc);
    CHECK_RET("peercred_len8", getsockopt(s[0], SOL_SOCKET, SO_PEERCRED, &uc, &ul));
    FACT("peercred_len8_val", "%d/%d/%u", (int)ul, uc.pid == getpid(), uc.gid);
    ul = 64;
    CHECK_RET("peercred_len64", getsockopt(s[0], SOL_SOCKET, SO_PEERCRED, &uc, &ul));
    FACT_INT("peercred_len64_len", ul);
    int cl = socket(AF_UNIX, SOCK_STREAM, 0);
    struct timeval zero = { 0, 0 };
    setsockopt(lsn, SOL_SOCKET, SO_RCVTIMEO, &zero, sizeof zero);
    pid_t ch = fork();
    if (ch == 0) {
        gid_t g[2] = { 5, 6 };
        setgroups(2, g);
        setresgid(300, 301, 302);
        setresuid(400, 401, 402);
        CHECK_RET("nonroot_connect", connect(cl, (struct sockaddr *)&a, sizeof a));
        fflush(stdout);
        _exit(0);
    }
    waitpid(ch, NULL, 0);
    int acc = accept(lsn, NULL, NULL);
    ul = sizeof uc;
    getsockopt(acc, SOL_SOCKET, SO_PEERCRED, &uc, &ul);
    FACT("accepted_peercred", "%d/%u/%u", uc.pid == ch, uc.uid, uc.gid);
    ul = sizeof uc;
    getsockopt(cl, SOL_SOCKET, SO_PEERCRED, &uc, &ul);
    FACT("client_peercred_is_listener", "%d/%u/%u", uc.pid == getpid(), uc.uid, uc.gid);
    gid_t groups[8]; socklen_t gsz = sizeof groups;
    CHECK_RET("peergroups", getsockopt(acc, SOL_SOCKET, SO_PEERGROUPS, groups, &gsz));
    FACT("peergroups_val", "%d/%u/%u", (int)gsz, groups[0], groups[1]);
    gsz = 4;
    CHECK_RET("peergroups_short", getsockopt(acc, SOL_SOCKET, SO_PEERGROUPS, groups, &gsz));
    FACT_INT("peergroups_short_needed", gsz);
    gsz = sizeof groups;
    CHECK_RET("peergroups_unconnected", getsockopt(d, SOL_SOCKET, SO_PEERGROUPS, groups, &gsz));
    struct sockaddr_un pn; socklen_t pl = sizeof pn;
    CHECK_RET("peername_big_buffer", getsockopt(cl, SOL_SOCKET, SO_PEERNAME, &pn, &pl));
    pl = offsetof(struct sockaddr_un, sun_path) + 7;
    CHECK_RET("peername_exact", getsockopt(cl, SOL_SOCKET, SO_PEERNAME, &pn, &pl));
    FACT_INT("peername_exact_len", pl);
    pl = 4;
    CHECK_RET("peername_short", getsockopt(cl, SOL_SOCKET, SO_PEERNAME, &pn, &pl));
    FACT_INT("peername_short_len", pl);
    CHECK_RET("peername_unconnected", getsockopt(d, SOL_SOCKET, SO_PEERNAME, &pn, &pl));
    unsigned long long ck1 = 0, ck2 = 0; socklen_t ckl = sizeof ck1;
    CHECK_RET("cookie", getsockopt(s[0], SOL_SOCKET, SO_COOKIE, &ck1, &ckl));
    getsockopt(s[0], SOL_SOCKET, SO_COOKIE, &ck2, &ckl);
    FACT_BOOL("cookie_stable_nonzero", ck1 == ck2 && ck1 != 0);
    getsockopt(s[1], SOL_SOCKET, SO_COOKIE, &ck2, &ckl);
    FACT_BOOL("cookie_distinct", ck1 != ck2);
    ckl = 4;
    CHECK_RET("cookie_short", getsockopt(s[0], SOL_SOCKET, SO_COOKIE, &ck1, &ckl));
    /* SO_ERROR is taken by reading it */
    int p[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, p));
    write(p[0], "x", 1);
    close(p[1]);
    get_int("so_error_reset", p[0], SO_ERROR);
    get_int("so_error_again", p[0], SO_ERROR);
    /* SO_INQ and SCM_INQ */
    int q[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, q));
    int one = 1;
    CHECK_RET("set_inq", setsockopt(q[1], SOL_SOCKET, SO_INQ, &one, sizeof one));
    CHECK_RET("set_inq_len8", setsockopt(q[1], SOL_SOCKET, SO_INQ, &big, 8));
    get_int("get_inq", q[1], SO_INQ);
    write(q[0], "abcdef", 6);
    char cb[64], dd[4];
    struct iovec iov = { dd, 2 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cb, .msg_controllen = sizeof cb };
    CHECK_RET("recv_inq", recvmsg(q[1], &m, 0));
    struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
    if (cm) { int inq; memcpy(&inq, CMSG_DATA(cm), sizeof inq);
        FACT("scm_inq", "%d/%d/%d/%d", cm->cmsg_level, cm->cmsg_type, (int)cm->cmsg_len, inq); }
    FACT_INT("inq_controllen", m.msg_controllen);
    DONE();
}
