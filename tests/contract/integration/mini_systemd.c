/* Integration (seed 003, Kevlar M4 mini_systemd): the syscalls systemd PID 1 needs at startup working together: /proc parsing, prctl, capget v3, ids, epoll with signalfd/timerfd/eventfd, socketpair, fork+exec+wait. Prints TEST_PASS/TEST_FAIL per check. */
#include "../lib/contract.h"
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <stdint.h>

static int passed, failed;
static void report(const char *name, int ok)
{
    printf("%s %s\n", ok ? "TEST_PASS" : "TEST_FAIL", name);
    if (ok) passed++; else failed++;
}

static int t_mount_proc(void)
{
    struct statfs sf;
    if (statfs("/proc", &sf) || sf.f_type != 0x9fa0) return 0;
    char buf[1024];
    if (read_file("/proc/self/stat", buf, sizeof buf) <= 0) return 0;
    return atoi(buf) == getpid() && strchr(buf, '(') && strrchr(buf, ')');
}

static int t_mount_meminfo(void)
{
    char buf[8192];
    if (read_file("/proc/meminfo", buf, sizeof buf) <= 0) return 0;
    char *p = strstr(buf, "MemTotal:");
    return p && atol(p + 9) > 0 && strstr(buf, "MemFree:");
}

static int t_mount_mounts(void)
{
    static char buf[65536];
    if (read_file("/proc/mounts", buf, sizeof buf) <= 0) return 0;
    int lines = 0, proc = 0;
    for (char *l = buf; *l;) {
        char *e = strchr(l, '\n');
        if (!e) break;
        *e = 0;
        char dev[256], dir[256], type[64], opts[512];
        int a, b;
        if (sscanf(l, "%255s %255s %63s %511s %d %d", dev, dir, type, opts, &a, &b) != 6) return 0;
        if (!strcmp(type, "proc") && !strcmp(dir, "/proc")) proc = 1;
        lines++;
        l = e + 1;
    }
    return lines > 0 && proc;
}

static int t_prctl_name(void)
{
    char name[16] = {0};
    if (prctl(PR_SET_NAME, "systemd")) return 0;
    if (prctl(PR_GET_NAME, name)) return 0;
    char comm[32] = {0};
    read_file("/proc/self/comm", comm, sizeof comm);
    return !strcmp(name, "systemd") && !strcmp(comm, "systemd\n");
}

static int t_prctl_subreaper(void)
{
    int v = 0;
    return prctl(PR_SET_CHILD_SUBREAPER, 1) == 0 && prctl(PR_GET_CHILD_SUBREAPER, &v) == 0 && v == 1;
}

static int t_capabilities(void)
{
    struct { uint32_t version; int pid; } hdr = { 0x20080522, 0 };
    struct { uint32_t effective, permitted, inheritable; } data[2];
    memset(data, 0, sizeof data);
    if (syscall(SYS_capget, &hdr, data)) return 0;
    int root_caps = (data[0].effective & (1u << 21)) && (data[0].permitted & (1u << 0)); /* CAP_SYS_ADMIN, CAP_CHOWN */
    struct { uint32_t version; int pid; } bad = { 0x12345678, 0 };
    int einval = syscall(SYS_capget, &bad, data) == -1 && errno == EINVAL && bad.version == 0x20080522;
    return root_caps && einval;
}

static int t_uid_gid(void)
{
    return getuid() == 0 && geteuid() == 0 && getgid() == 0 && getegid() == 0;
}

static int t_epoll_create(void)
{
    int ep = epoll_create1(EPOLL_CLOEXEC);
    int ok = ep >= 0 && (fcntl(ep, F_GETFD) & FD_CLOEXEC);
    close(ep);
    return ok;
}

static int t_signalfd(void)
{
    sigset_t m;
    sigemptyset(&m); sigaddset(&m, SIGUSR1);
    if (sigprocmask(SIG_BLOCK, &m, NULL)) return 0;
    int sfd = signalfd(-1, &m, SFD_NONBLOCK | SFD_CLOEXEC);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = sfd }, out[1];
    if (sfd < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev)) return 0;
    kill(getpid(), SIGUSR1);
    int n = epoll_wait(ep, out, 1, 1000);
    struct signalfd_siginfo si;
    int ok = n == 1 && out[0].data.fd == sfd && read(sfd, &si, sizeof si) == sizeof si && si.ssi_signo == SIGUSR1;
    close(sfd); close(ep);
    return ok;
}

static int t_timerfd(void)
{
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct itimerspec its = { { 0, 0 }, { 0, 10000000 } };
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = tfd }, out[1];
    if (tfd < 0 || timerfd_settime(tfd, 0, &its, NULL) || epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev)) return 0;
    int n = epoll_wait(ep, out, 1, 1000);
    uint64_t exp = 0;
    int ok = n == 1 && read(tfd, &exp, 8) == 8 && exp >= 1;
    close(tfd); close(ep);
    return ok;
}

static int t_eventfd(void)
{
    int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = efd }, out[1];
    if (efd < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev)) return 0;
    if (epoll_wait(ep, out, 1, 0) != 0) return 0;
    uint64_t v = 3;
    write(efd, &v, 8);
    int n = epoll_wait(ep, out, 1, 1000);
    v = 0;
    int ok = n == 1 && read(efd, &v, 8) == 8 && v == 3;
    close(efd); close(ep);
    return ok;
}

static int t_unix_socket(void)
{
    int s[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s)) return 0;
    char buf[16] = {0};
    int ok = write(s[0], "sd_notify", 9) == 9 && read(s[1], buf, sizeof buf) == 9 && !strcmp(buf, "sd_notify");
    close(s[0]); close(s[1]);
    return ok;
}

static int t_fork_exec(char *self)
{
    pid_t c = fork();
    if (c < 0) return 0;
    if (c == 0) {
        char *args[] = { self, "exit42", NULL };
        execv("/proc/self/exe", args);
        _exit(1);
    }
    int st = 0;
    return waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 42;
}

/* the event loop: eventfd written by a forked child plus a periodic timerfd, until both were seen */
static int t_epoll_loop(int want_timer)
{
    int ep = epoll_create1(EPOLL_CLOEXEC);
    int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    struct itimerspec its = { { 0, 5000000 }, { 0, 5000000 } };
    timerfd_settime(tfd, 0, &its, NULL);
    struct epoll_event e1 = { .events = EPOLLIN, .data.u32 = 1 }, e2 = { .events = EPOLLIN, .data.u32 = 2 }, out[4];
    if (epoll_ctl(ep, EPOLL_CTL_ADD, efd, &e1) || epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &e2)) return 0;
    pid_t c = fork();
    if (c == 0) { sleep_ms(15); uint64_t one = 1; write(efd, &one, 8); _exit(0); }
    int seen_e = 0, ticks = 0;
    long t0 = mono_ms();
    while ((!seen_e || ticks < 3) && mono_ms() - t0 < 1500) {
        int n = epoll_wait(ep, out, 4, 500);
        for (int i = 0; i < n; i++) {
            uint64_t v;
            if (out[i].data.u32 == 1 && read(efd, &v, 8) == 8) seen_e = 1;
            if (out[i].data.u32 == 2 && read(tfd, &v, 8) == 8) ticks += (int)v;
        }
    }
    waitpid(c, NULL, 0);
    close(ep); close(efd); close(tfd);
    return want_timer ? ticks >= 3 : seen_e;
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "exit42")) _exit(42);
    report("mount_proc", t_mount_proc());
    report("mount_meminfo", t_mount_meminfo());
    report("mount_mounts", t_mount_mounts());
    report("prctl_name", t_prctl_name());
    report("prctl_subreaper", t_prctl_subreaper());
    report("capabilities", t_capabilities());
    report("uid_gid", t_uid_gid());
    report("epoll_create", t_epoll_create());
    report("signalfd", t_signalfd());
    report("timerfd", t_timerfd());
    report("eventfd", t_eventfd());
    report("unix_socket", t_unix_socket());
    report("fork_exec", t_fork_exec(argv[0]));
    report("epoll_eventfd", t_epoll_loop(0));
    report("epoll_timerfd", t_epoll_loop(1));
    int np = passed, nf = failed;
    report("mini_systemd_all", nf == 0);
    FACT("summary", "%d_passed_%d_failed", np, nf);
    DONE();
}
