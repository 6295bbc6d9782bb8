/* Bad input to every socket call, through raw syscalls (musl copies msghdrs itself):
 * sockaddr lengths and families, unmapped and kernel-space pointers for addresses,
 * lengths, msghdrs, iovecs and control buffers, negative and huge lengths and counts,
 * control messages with closed or bogus fds. Each prints Linux's errno (and whether
 * data was consumed or fds leaked); Kevlar must print the same and never fault. */
#include "../../contract/lib/contract.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <stddef.h>
#include <stdint.h>

#define R(name, ...) CHECK_RET(name, syscall(__VA_ARGS__))

static void *none;                        /* a PROT_NONE page */
static void *const low = (void *)16;      /* below mmap_min_addr */
static void *const kern = (void *)0xffff888000000000UL;

struct kmsghdr {                          /* the kernel's struct user_msghdr */
    void *name; int namelen; int pad1; struct iovec *iov; size_t iovlen;
    void *control; size_t controllen; unsigned flags; int pad2;
};

static int count_open(void)
{
    int n = 0;
    for (int fd = 0; fd < 256; fd++) if (fcntl(fd, F_GETFD) >= 0) n++;
    return n;
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char buf[256];
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    strcpy(a.sun_path, "bad-sock");
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    int lens[] = { -1, 0, 1, 3, 109, 110, 111, 127, 128, 129, 0x7fffffff, (int)0x80000000 };
    for (unsigned i = 0; i < sizeof lens / sizeof *lens; i++) {
        char k[48];
        int s = socket(AF_UNIX, SOCK_DGRAM, 0);
        snprintf(k, sizeof k, "bind_len_%d", lens[i]);
        R(k, SYS_bind, s, &a, lens[i]);
        snprintf(k, sizeof k, "connect_len_%d", lens[i]);
        R(k, SYS_connect, socket(AF_UNIX, SOCK_STREAM, 0), &a, lens[i]);
        snprintf(k, sizeof k, "sendto_len_%d", lens[i]);
        R(k, SYS_sendto, fd, "x", 1, 0, &a, lens[i]);
        close(s);
    }
    unlink("bad-sock");
    unsigned short fams[] = { 0, 2, 10, 16, 0xffff };
    for (unsigned i = 0; i < sizeof fams / sizeof *fams; i++) {
        char k[48];
        struct sockaddr_un f = a;
        f.sun_family = fams[i];
        snprintf(k, sizeof k, "bind_family_%u", fams[i]);
        R(k, SYS_bind, socket(AF_UNIX, SOCK_DGRAM, 0), &f, sizeof f);
        snprintf(k, sizeof k, "bind_family_%u_len2", fams[i]);
        R(k, SYS_bind, socket(AF_UNIX, SOCK_DGRAM, 0), &f, 2);
        snprintf(k, sizeof k, "connect_family_%u", fams[i]);
        R(k, SYS_connect, socket(AF_UNIX, SOCK_STREAM, 0), &f, sizeof f);
        snprintf(k, sizeof k, "dgram_connect_family_%u", fams[i]);
        R(k, SYS_connect, socket(AF_UNIX, SOCK_DGRAM, 0), &f, sizeof f);
        snprintf(k, sizeof k, "sendto_family_%u", fams[i]);
        R(k, SYS_sendto, fd, "x", 1, 0, &f, sizeof f);
    }
    void *ptrs[3] = { low, none, kern };
    const char *pn[3] = { "low", "none", "kernel" };
    for (int i = 0; i < 3; i++) {
        char k[64];
        snprintf(k, sizeof k, "bind_addr_%s", pn[i]);
        R(k, SYS_bind, socket(AF_UNIX, SOCK_DGRAM, 0), ptrs[i], 20);
        snprintf(k, sizeof k, "connect_addr_%s", pn[i]);
        R(k, SYS_connect, socket(AF_UNIX, SOCK_STREAM, 0), ptrs[i], 20);
        snprintf(k, sizeof k, "connect_addr_%s_not_socket", pn[i]);
        R(k, SYS_connect, 1, ptrs[i], 20);
        snprintf(k, sizeof k, "sendto_addr_%s", pn[i]);
        R(k, SYS_sendto, fd, "x", 1, 0, ptrs[i], 20);
        snprintf(k, sizeof k, "sendto_buf_%s", pn[i]);
        R(k, SYS_sendto, fd, ptrs[i], 10, 0, &a, sizeof a);
        snprintf(k, sizeof k, "getsockname_addr_%s", pn[i]);
        socklen_t l = 20;
        R(k, SYS_getsockname, fd, ptrs[i], &l);
        snprintf(k, sizeof k, "getsockname_len_%s", pn[i]);
        R(k, SYS_getsockname, fd, buf, ptrs[i]);
        snprintf(k, sizeof k, "getsockopt_val_%s", pn[i]);
        l = 4;
        R(k, SYS_getsockopt, fd, SOL_SOCKET, SO_TYPE, ptrs[i], &l);
        snprintf(k, sizeof k, "getsockopt_len_%s", pn[i]);
        R(k, SYS_getsockopt, fd, SOL_SOCKET, SO_TYPE, buf, ptrs[i]);
        snprintf(k, sizeof k, "setsockopt_val_%s", pn[i]);
        R(k, SYS_setsockopt, fd, SOL_SOCKET, SO_RCVBUF, ptrs[i], 4);
        snprintf(k, sizeof k, "socketpair_sv_%s", pn[i]);
        R(k, SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, ptrs[i]);
        snprintf(k, sizeof k, "sendmsg_hdr_%s", pn[i]);
        R(k, SYS_sendmsg, fd, ptrs[i], 0);
        snprintf(k, sizeof k, "recvmsg_hdr_%s", pn[i]);
        R(k, SYS_recvmsg, fd, ptrs[i], MSG_DONTWAIT);
        snprintf(k, sizeof k, "socketcall_fd_flags_%s", pn[i]);
        R(k, SYS_accept4, fd, ptrs[i], ptrs[i], 0);
    }
    R("setsockopt_len_negative", SYS_setsockopt, fd, SOL_SOCKET, SO_RCVBUF, buf, -1);
    R("setsockopt_len_huge", SYS_setsockopt, fd, SOL_SOCKET, SO_RCVBUF, buf, 0x7fffffff);
    socklen_t nl = -5;
    R("getsockopt_len_negative", SYS_getsockopt, fd, SOL_SOCKET, SO_TYPE, buf, &nl);
    R("getsockname_len_negative", SYS_getsockname, fd, buf, &nl);
    R("setsockopt_bad_fd", SYS_setsockopt, -1, SOL_SOCKET, SO_RCVBUF, buf, 4);
    R("getsockopt_huge_fd", SYS_getsockopt, 1 << 30, SOL_SOCKET, SO_TYPE, buf, &nl);
    int opath = open(".", O_PATH);
    R("getsockopt_opath", SYS_getsockopt, opath, SOL_SOCKET, SO_TYPE, buf, &nl);
    R("listen_negative_backlog", SYS_listen, socket(AF_UNIX, SOCK_DGRAM, 0), -1);
    R("shutdown_how_huge", SYS_shutdown, fd, 0x7fffffff);
    R("shutdown_how_negative", SYS_shutdown, fd, -2);
    /* sendto/recvfrom lengths */
    int d[2];
    SETUP(socketpair(AF_UNIX, SOCK_DGRAM, 0, d));
    static char sbuf[16];  /* not on the stack: where ASLR puts that decides access_ok */
    R("sendto_huge_len", SYS_sendto, d[0], sbuf, (size_t)-1, 0, NULL, 0);
    R("sendto_len_over_max_rw", SYS_sendto, d[0], sbuf, (size_t)0x80000000, 0, NULL, 0);
    R("sendto_low_buf_zero_len", SYS_sendto, d[0], low, 0, 0, NULL, 0);
    R("recv_empty_datagram", SYS_recvfrom, d[1], low, 0, MSG_DONTWAIT, NULL, NULL);
    send(d[0], "keep", 4, 0);
    R("recvfrom_kernel_buf", SYS_recvfrom, d[1], kern, 10, MSG_DONTWAIT, NULL, NULL);
    R("still_there_after_kernel_buf", SYS_recvfrom, d[1], buf, 10, MSG_PEEK | MSG_DONTWAIT, NULL, NULL);
    R("recvfrom_low_buf_loses_datagram", SYS_recvfrom, d[1], low, 10, MSG_DONTWAIT, NULL, NULL);
    R("gone_after_fault", SYS_recvfrom, d[1], buf, 10, MSG_DONTWAIT, NULL, NULL);
    send(d[0], "addr", 4, 0);
    R("recvfrom_bad_addrlen_ptr", SYS_recvfrom, d[1], buf, 10, MSG_DONTWAIT, buf + 100, low);
    R("consumed_anyway", SYS_recvfrom, d[1], buf, 10, MSG_DONTWAIT, NULL, NULL);
    send(d[0], "alen", 4, 0);
    socklen_t neg = -1;
    R("recvfrom_negative_addrlen", SYS_recvfrom, d[1], buf, 10, MSG_DONTWAIT, buf + 100, &neg);
    R("recvfrom_huge_len", SYS_recvfrom, d[1], sbuf, (size_t)-1, MSG_DONTWAIT, NULL, NULL);
    int t[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, t));
    R("stream_send_low", SYS_sendto, t[0], low, 10, 0, NULL, 0);
    R("stream_send_none_page", SYS_sendto, t[0], none, 10, 0, NULL, 0);
    static char two[8192];
    char *edge = (char *)none - 4096;
    void *guard = mmap(edge, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    (void)guard; (void)two;
    memset(edge, 'e', 4096);
    R("stream_send_runs_into_none", SYS_sendto, t[0], edge, 8192, 0, NULL, 0);
    write(t[0], "0123456789abcdef", 16);
    R("stream_recv_into_low", SYS_recvfrom, t[1], low, 10, 0, NULL, NULL);
    R("stream_data_kept", SYS_recvfrom, t[1], buf, 10, MSG_PEEK, NULL, NULL);
    R("stream_recv_partly_into_none", SYS_recvfrom, t[1], edge + 4090, 100, 0, NULL, NULL);
    R("stream_rest", SYS_recvfrom, t[1], buf, sizeof buf, MSG_DONTWAIT, NULL, NULL);
    /* msghdr fields */
    struct iovec iov = { "m", 1 };
    struct kmsghdr m;
#define MSG(...) do { memset(&m, 0, sizeof m); m.iov = &iov; m.iovlen = 1; __VA_ARGS__; } while (0)
    MSG(m.namelen = -1; m.name = &a);
    R("sendmsg_namelen_negative", SYS_sendmsg, d[0], &m, 0);
    MSG(m.namelen = -1);
    R("sendmsg_namelen_negative_no_name", SYS_sendmsg, d[0], &m, 0);
    MSG(m.namelen = 500; m.name = &a);
    R("sendmsg_namelen_500", SYS_sendmsg, fd, &m, 0);
    MSG(m.namelen = 20; m.name = low);
    R("sendmsg_name_low", SYS_sendmsg, fd, &m, 0);
    MSG(m.iovlen = 1025);
    R("sendmsg_iovlen_1025", SYS_sendmsg, d[0], &m, 0);
    MSG(m.iovlen = (size_t)-1);
    R("sendmsg_iovlen_huge", SYS_sendmsg, d[0], &m, 0);
    MSG(m.iov = low);
    R("sendmsg_iov_low", SYS_sendmsg, d[0], &m, 0);
    MSG(m.iov = none);
    R("sendmsg_iov_none", SYS_sendmsg, d[0], &m, 0);
    MSG(m.iov = NULL; m.iovlen = 0);
    R("sendmsg_no_iov", SYS_sendmsg, d[0], &m, 0);
    R("recv_no_iov_datagram", SYS_recvfrom, d[1], buf, 10, MSG_DONTWAIT, NULL, NULL);
    struct iovec bad[3] = { { low, 5 }, { buf, (size_t)-1 }, { buf, 1 } };
    MSG(m.iov = bad; m.iovlen = 3);
    R("sendmsg_iov_negative_len_after_bad_base", SYS_sendmsg, d[0], &m, 0);
    struct iovec bad2[2] = { { buf, 1 }, { kern, 5 } };
    MSG(m.iov = bad2; m.iovlen = 2);
    R("sendmsg_iov_kernel_base", SYS_sendmsg, d[0], &m, 0);
    struct iovec bad3[2] = { { buf, 1 }, { low, 5 } };
    MSG(m.iov = bad3; m.iovlen = 2);
    R("sendmsg_iov_low_base", SYS_sendmsg, d[0], &m, 0);
    R("nothing_sent", SYS_recvfrom, d[1], buf, 10, MSG_DONTWAIT, NULL, NULL);
    MSG(m.control = buf; m.controllen = (size_t)0x80000000);
    R("sendmsg_controllen_over_int", SYS_sendmsg, d[0], &m, 0);
    MSG(m.control = buf; m.controllen = (size_t)-1);
    R("sendmsg_controllen_huge", SYS_sendmsg, d[0], &m, 0);
    static char bigctl[300000];
    size_t ctls[] = { 1024, 1025, 65536, 131071, 131072, 200000 };
    for (unsigned i = 0; i < sizeof ctls / sizeof *ctls; i++) {
        char k[48];
        MSG(m.control = bigctl; m.controllen = ctls[i]);
        snprintf(k, sizeof k, "sendmsg_controllen_%zu", ctls[i]);
        R(k, SYS_sendmsg, d[0], &m, 0);
    }
    R("drain_ctl", SYS_recvfrom, d[1], buf, 10, MSG_DONTWAIT, NULL, NULL);
    MSG(m.control = low; m.controllen = 32);
    R("sendmsg_control_low", SYS_sendmsg, d[0], &m, 0);
    MSG(m.control = none; m.controllen = 40);
    R("sendmsg_control_none", SYS_sendmsg, d[0], &m, 0);
    MSG(m.control = NULL; m.controllen = 8);
    R("sendmsg_control_null_short", SYS_sendmsg, d[0], &m, 0);
    R("recv_it", SYS_recvfrom, d[1], buf, 10, MSG_DONTWAIT, NULL, NULL);
    /* control messages carrying bad fds */
    union { struct cmsghdr h; char b[64]; } cm;
    int fds[3];
#define RIGHTS(n, ...) do { memset(&cm, 0, sizeof cm); cm.h.cmsg_level = SOL_SOCKET; cm.h.cmsg_type = SCM_RIGHTS; \
    cm.h.cmsg_len = CMSG_LEN(n * sizeof(int)); int v_[] = { __VA_ARGS__ }; memcpy(CMSG_DATA(&cm.h), v_, sizeof v_); \
    MSG(m.control = &cm; m.controllen = CMSG_SPACE(n * sizeof(int))); } while (0)
    int closed = dup(0); close(closed);
    int before = count_open();
    RIGHTS(1, closed);
    R("rights_closed_fd", SYS_sendmsg, d[0], &m, 0);
    RIGHTS(1, 12345);
    R("rights_bogus_fd", SYS_sendmsg, d[0], &m, 0);
    RIGHTS(1, -7);
    R("rights_negative_fd", SYS_sendmsg, d[0], &m, 0);
    RIGHTS(3, 0, 1, closed);
    R("rights_good_then_closed", SYS_sendmsg, d[0], &m, 0);
    RIGHTS(2, 0, 1);
    cm.h.cmsg_len = 0;
    R("rights_cmsg_len_0", SYS_sendmsg, d[0], &m, 0);
    cm.h.cmsg_len = (size_t)-1;
    R("rights_cmsg_len_huge", SYS_sendmsg, d[0], &m, 0);
    cm.h.cmsg_len = CMSG_LEN(2 * sizeof(int)) + 1;
    R("rights_cmsg_len_odd", SYS_sendmsg, d[0], &m, 0);
    R("recv_odd_rights", SYS_recvfrom, d[1], buf, 10, MSG_DONTWAIT, NULL, NULL);
    RIGHTS(1, opath);
    R("rights_opath_fd", SYS_sendmsg, d[0], &m, 0);
    R("recv_opath_rights", SYS_recvfrom, d[1], buf, 10, MSG_DONTWAIT, NULL, NULL);
    FACT_INT("no_fd_leak_after_bad_rights", count_open() - before);
    /* receiving fds into a bad control buffer: they are closed, not leaked */
    RIGHTS(2, 0, 1);
    R("send_two_fds", SYS_sendmsg, d[0], &m, 0);
    char rb[8];
    struct iovec riov = { rb, sizeof rb };
    MSG(m.iov = &riov; m.control = low; m.controllen = 64);
    R("recvmsg_control_low", SYS_recvmsg, d[1], &m, 0);
    FACT("recvmsg_control_low_flags", "%x", m.flags);
    FACT_INT("recvmsg_control_low_controllen", m.controllen);
    FACT_INT("no_fd_leak_after_bad_control", count_open() - before);
    R("send_two_fds_again", SYS_sendmsg, d[0], &(struct kmsghdr){ .iov = &iov, .iovlen = 1, .control = &cm, .controllen = CMSG_SPACE(2 * sizeof(int)) }, 0);
    MSG(m.iov = &riov; m.control = none; m.controllen = 64);
    R("recvmsg_control_none", SYS_recvmsg, d[1], &m, 0);
    FACT("recvmsg_control_none_flags", "%x", m.flags);
    FACT_INT("no_fd_leak_after_none_control", count_open() - before);
    send(d[0], "n", 1, 0);
    MSG(m.iov = &riov; m.name = low; m.namelen = 20);
    R("recvmsg_name_low", SYS_recvmsg, d[1], &m, 0);
    R("consumed_despite_name", SYS_recvfrom, d[1], buf, 10, MSG_DONTWAIT, NULL, NULL);
    MSG(m.iov = &riov; m.namelen = -3; m.name = buf);
    R("recvmsg_namelen_negative", SYS_recvmsg, d[1], &m, MSG_DONTWAIT);
    MSG(m.iov = &riov; m.iovlen = 1025);
    R("recvmsg_iovlen_1025", SYS_recvmsg, d[1], &m, MSG_DONTWAIT);
    MSG(m.iov = low; m.iovlen = 2);
    R("recvmsg_iov_low", SYS_recvmsg, d[1], &m, MSG_DONTWAIT);
    send(d[0], "x", 1, 0);
    struct iovec rbad = { kern, 8 };
    MSG(m.iov = &rbad);
    R("recvmsg_iov_kernel", SYS_recvmsg, d[1], &m, MSG_DONTWAIT);
    R("kept_after_kernel_iov", SYS_recvfrom, d[1], buf, 10, MSG_DONTWAIT, NULL, NULL);
    R("recvmsg_flags_compat", SYS_recvmsg, d[1], &m, MSG_CMSG_CLOEXEC | 0x80000000);
    R("sendmsg_flags_compat", SYS_sendmsg, d[0], &m, 0x80000000);
    /* accept with bad address pointers: the connection is taken and lost */
    struct sockaddr_un la = { .sun_family = AF_UNIX };
    strcpy(la.sun_path, "bad-listener");
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(l, (struct sockaddr *)&la, sizeof la);
    listen(l, 4);
    int c1 = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(c1, (struct sockaddr *)&la, sizeof la);
    socklen_t al = sizeof la;
    R("accept_addr_low", SYS_accept, l, low, &al);
    R("client_sees_eof", SYS_recvfrom, c1, buf, 1, MSG_DONTWAIT, NULL, NULL);
    connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&la, sizeof la);
    R("accept_addrlen_low", SYS_accept, l, buf, low);
    connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&la, sizeof la);
    al = -1;
    R("accept_addrlen_negative", SYS_accept, l, buf, &al);
    R("accept4_flags_bad", SYS_accept4, l, NULL, NULL, 0x7);
    R("accept_not_listening", SYS_accept, fd, NULL, NULL);
    R("accept_bad_fd", SYS_accept4, 555, NULL, NULL, 0x7);
    DONE();
}
