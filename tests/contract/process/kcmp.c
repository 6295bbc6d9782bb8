/* kcmp(2) (kernel/kcmp.c): equal/not-equal for files (dup shares, open does not, fork shares, idx is an unsigned int), VM/FILES/FS/SIGHAND/IO/SYSVSEM between threads, a forked child and a zombie (no mm, files or fs left); KCMP_EPOLL_TFD finds an epoll's target; ESRCH before EPERM before EINVAL; EBADF, EFAULT, ENOENT. Only equal/not-equal facts: the order is the kernel's. */
#include "../lib/contract.h"
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>

enum { KCMP_FILE, KCMP_VM, KCMP_FILES, KCMP_FS, KCMP_SIGHAND, KCMP_IO, KCMP_SYSVSEM, KCMP_EPOLL_TFD };
struct slot { unsigned efd, tfd, toff; };

static long kcmp(pid_t a, pid_t b, int type, unsigned long i1, unsigned long i2)
{
    return syscall(SYS_kcmp, a, b, type, i1, i2);
}

/* "eq", "ne" or the errno name */
static const char *rel(long r)
{
    if (r == -1) return errname(errno);
    return r == 0 ? "eq" : (r == 1 || r == 2) ? "ne" : "bad";
}
#define REL(key, expr) do { errno = 0; FACT_STR(key, rel(expr)); } while (0)

static volatile int thread_tid;
static int gate[2];
static void *thread_main(void *arg)
{
    char c;
    (void)arg;
    thread_tid = syscall(SYS_gettid);
    read(gate[0], &c, 1);
    return NULL;
}

int main(void)
{
    pid_t me = getpid();
    const char *names[] = {"vm", "files", "fs", "sighand", "io", "sysvsem"};
    char key[64];
    for (int t = KCMP_VM; t <= KCMP_SYSVSEM; t++) {
        snprintf(key, sizeof key, "self_%s", names[t - 1]);
        REL(key, kcmp(me, me, t, 0, 0));
    }
    SETUP(write_file("a", "x"));
    int f1 = open("a", O_RDONLY), f2 = open("a", O_RDONLY);
    SETUP(f1);
    SETUP(f2);
    int d1 = dup(f1);
    SETUP(d1);
    REL("file_dup", kcmp(me, me, KCMP_FILE, f1, d1));
    REL("file_two_opens", kcmp(me, me, KCMP_FILE, f1, f2));
    REL("file_swapped_consistent", (kcmp(me, me, KCMP_FILE, f1, f2) == 1) == (kcmp(me, me, KCMP_FILE, f2, f1) == 2) ? 0 : 1);
    REL("file_idx_truncated", kcmp(me, me, KCMP_FILE, ((unsigned long)1 << 32) | f1, f1));
    REL("file_bad_fd", kcmp(me, me, KCMP_FILE, f1, 999));
    REL("bad_type", kcmp(me, me, 99, 0, 0));
    REL("negative_type", kcmp(me, me, -1, 0, 0));
    REL("no_such_pid", kcmp(me, 999999, 99, 0, 0));

    SETUP(pipe(gate));
    pthread_t th;
    if (pthread_create(&th, NULL, thread_main, NULL)) return 1;
    while (!thread_tid) sleep_ms(1);
    for (int t = KCMP_VM; t <= KCMP_SYSVSEM; t++) {
        snprintf(key, sizeof key, "thread_%s", names[t - 1]);
        REL(key, kcmp(me, thread_tid, t, 0, 0));
    }
    REL("thread_file", kcmp(me, thread_tid, KCMP_FILE, f1, d1));
    write(gate[1], "x", 1);
    pthread_join(th, NULL);

    int ready[2], go[2];
    SETUP(pipe(ready));
    SETUP(pipe(go));
    pid_t c = fork();
    if (c == 0) {
        close(go[1]);
        int own = open("a", O_RDONLY);
        if (own < 0 || dup2(own, 30) != 30) _exit(1);
        write(ready[1], "r", 1);
        char ch;
        read(go[0], &ch, 1);
        _exit(0);
    }
    char ch;
    SETUP(read(ready[0], &ch, 1));
    for (int t = KCMP_VM; t <= KCMP_SYSVSEM; t++) {
        snprintf(key, sizeof key, "child_%s", names[t - 1]);
        REL(key, kcmp(me, c, t, 0, 0));
    }
    REL("child_inherited_file", kcmp(me, c, KCMP_FILE, f1, f1));
    REL("child_own_file", kcmp(me, c, KCMP_FILE, f1, 30));

    int ep = epoll_create1(0);
    SETUP(ep);
    int pe[2];
    SETUP(pipe(pe));
    int pd = dup(pe[0]);
    SETUP(pd);
    struct epoll_event ev = {.events = EPOLLIN};
    SETUP(epoll_ctl(ep, EPOLL_CTL_ADD, pe[0], &ev));
    SETUP(epoll_ctl(ep, EPOLL_CTL_ADD, pd, &ev));
    struct slot s = {ep, pe[0], 0};
    REL("epoll_target_same", kcmp(me, me, KCMP_EPOLL_TFD, pd, (unsigned long)&s));
    REL("epoll_target_other", kcmp(me, me, KCMP_EPOLL_TFD, pe[1], (unsigned long)&s));
    REL("epoll_target_from_child", kcmp(c, me, KCMP_EPOLL_TFD, 30, (unsigned long)&s));
    s.toff = 1;
    REL("epoll_target_toff", kcmp(me, me, KCMP_EPOLL_TFD, pe[0], (unsigned long)&s));
    s.toff = 0;
    s.tfd = pe[1];
    REL("epoll_target_not_added", kcmp(me, me, KCMP_EPOLL_TFD, pe[0], (unsigned long)&s));
    s.efd = f2;
    REL("epoll_not_epoll", kcmp(me, me, KCMP_EPOLL_TFD, pe[0], (unsigned long)&s));
    s.efd = 999;
    REL("epoll_bad_efd", kcmp(me, me, KCMP_EPOLL_TFD, pe[0], (unsigned long)&s));
    s.efd = ep;
    REL("epoll_bad_idx1", kcmp(me, me, KCMP_EPOLL_TFD, 999, (unsigned long)&s));
    REL("epoll_slot_efault", kcmp(me, me, KCMP_EPOLL_TFD, pe[0], 8));

    pid_t u = fork();
    if (u == 0) {
        if (setgid(65534) || setuid(65534)) _exit(100);
        long r = kcmp(me, getpid(), KCMP_VM, 0, 0);
        int e1 = r == -1 ? errno : 0;
        r = kcmp(getpid(), getpid(), 99, 0, 0);
        int e2 = r == -1 ? errno : 0;
        _exit(e1 == EPERM && e2 == EINVAL ? 0 : 1);
    }
    int status;
    SETUP(waitpid(u, &status, 0));
    FACT_INT("other_user_eperm_then_einval", WEXITSTATUS(status));

    SETUP(write(go[1], "g", 1));
    siginfo_t si;
    SETUP(waitid(P_PID, c, &si, WEXITED | WNOWAIT));
    pid_t z = fork();
    if (z == 0) _exit(0);
    SETUP(waitid(P_PID, z, &si, WEXITED | WNOWAIT));
    REL("zombie_file", kcmp(c, c, KCMP_FILE, 0, 0));
    REL("zombies_vm", kcmp(c, z, KCMP_VM, 0, 0));
    REL("zombies_files", kcmp(c, z, KCMP_FILES, 0, 0));
    REL("zombies_fs", kcmp(c, z, KCMP_FS, 0, 0));
    REL("zombies_sighand", kcmp(c, z, KCMP_SIGHAND, 0, 0));
    REL("zombie_vs_me_vm", kcmp(me, c, KCMP_VM, 0, 0));
    SETUP(waitpid(c, NULL, 0));
    SETUP(waitpid(z, NULL, 0));
    REL("reaped", kcmp(me, c, KCMP_VM, 0, 0));
    DONE();
}
