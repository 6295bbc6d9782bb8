/* pidfd_open(2) (kernel/pid.c, fs/pidfs.c): flag and pid checks, ESRCH/ENOENT, always close-on-exec, PIDFD_NONBLOCK/PIDFD_THREAD in F_GETFL, one pidfs inode per process (mode 0700), read/write EINVAL, lseek ESPIPE, "anon_inode:[pidfd]", fdinfo Pid (-1 once reaped); zombies still get a pidfd. */
#include "../lib/contract.h"
#include <poll.h>
#include <pthread.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define PIDFD_NONBLOCK O_NONBLOCK
#define PIDFD_THREAD O_EXCL

static int pidfd_open(pid_t pid, unsigned flags) { return syscall(SYS_pidfd_open, pid, flags); }

static long fdinfo_pid(int fd)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    if (read_file(path, buf, sizeof buf) < 0) return -100;
    char *p = strstr(buf, "\nPid:\t");
    char *q = strstr(buf, "\nNSpid:\t");
    if (!p || !q || atol(p + 6) != atol(q + 8)) return -200;
    return atol(p + 6);
}

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
    CHECK_RET("bad_flags", pidfd_open(me, 1));
    CHECK_RET("bad_flags_high", pidfd_open(me, 0x80000000u));
    CHECK_RET("pid_zero", pidfd_open(0, 0));
    CHECK_RET("pid_negative", pidfd_open(-1, 0));
    int fd = pidfd_open(me, 0);
    SETUP(fd);
    FACT_INT("getfd_cloexec", fcntl(fd, F_GETFD));
    FACT("getfl", "%o", fcntl(fd, F_GETFL));
    int fdt = pidfd_open(me, PIDFD_NONBLOCK | PIDFD_THREAD);
    SETUP(fdt);
    FACT("getfl_thread_nonblock", "%o", fcntl(fdt, F_GETFL));
    struct stat a, b;
    SETUP(fstat(fd, &a));
    SETUP(fstat(fdt, &b));
    FACT_BOOL("same_inode", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
    FACT("mode", "%o", a.st_mode);
    FACT_INT("nlink", a.st_nlink);
    FACT_INT("size", a.st_size);
    struct statfs sfs;
    SETUP(fstatfs(fd, &sfs));
    FACT("statfs_type", "%lx", (unsigned long)sfs.f_type);
    char buf[16];
    CHECK_RET("read", read(fd, buf, sizeof buf));
    CHECK_RET("write", write(fd, "x", 1));
    CHECK_RET("lseek", lseek(fd, 0, SEEK_SET));
    char path[64], link[64] = {0};
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    SETUP(readlink(path, link, sizeof link - 1));
    FACT_STR("readlink", link);
    FACT_BOOL("fdinfo_pid_is_me", fdinfo_pid(fd) == me);

    pid_t c = fork();
    if (c == 0) { pause(); _exit(0); }
    int cfd = pidfd_open(c, 0);
    SETUP(cfd);
    struct stat cs;
    SETUP(fstat(cfd, &cs));
    FACT_BOOL("child_other_inode", cs.st_ino != a.st_ino);
    FACT_BOOL("fdinfo_pid_is_child", fdinfo_pid(cfd) == c);
    kill(c, SIGKILL);
    siginfo_t si;
    SETUP(waitid(P_PID, c, &si, WEXITED | WNOWAIT));
    int zfd = pidfd_open(c, 0);
    CHECK_OK("open_zombie", zfd);
    FACT_BOOL("fdinfo_zombie_pid", fdinfo_pid(cfd) == c);
    SETUP(waitpid(c, NULL, 0));
    CHECK_RET("open_reaped", pidfd_open(c, 0));
    FACT_INT("fdinfo_reaped_pid", fdinfo_pid(cfd));

    SETUP(pipe(gate));
    pthread_t t;
    if (pthread_create(&t, NULL, thread_main, NULL)) return 1;
    while (!thread_tid) sleep_ms(1);
    CHECK_RET("open_thread_no_flag", pidfd_open(thread_tid, 0));
    int tfd = pidfd_open(thread_tid, PIDFD_THREAD);
    CHECK_OK("open_thread", tfd);
    struct stat ts;
    SETUP(fstat(tfd, &ts));
    FACT_BOOL("thread_other_inode", ts.st_ino != a.st_ino);
    FACT_BOOL("fdinfo_thread_tid", fdinfo_pid(tfd) == thread_tid);
    write(gate[1], "x", 1);
    pthread_join(t, NULL);
    /* join returns at the futex wake, before the thread is released: poll for it */
    struct pollfd pfd = {tfd, POLLIN, 0};
    FACT_INT("thread_exit_polled", poll(&pfd, 1, 5000));
    FACT_INT("fdinfo_thread_gone", fdinfo_pid(tfd));
    CHECK_RET("open_thread_gone", pidfd_open(thread_tid, PIDFD_THREAD));
    DONE();
}
