/* pidfd_open(2), pidfd_send_signal(2), pidfd_getfd(2), waitid(P_PIDFD) (kernel/pid.c, kernel/signal.c, fs/pidfs.c): flag and pid checks, close-on-exec, POLLIN once the process exits and POLLHUP once reaped, PIDFD_NONBLOCK waitid EAGAIN, signals through the fd, a reaped process ESRCH, read EINVAL. */
#include "../lib/contract.h"
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define P_PIDFD 3
#define PIDFD_NONBLOCK O_NONBLOCK
#define PIDFD_THREAD O_EXCL

static int pidfd_open(pid_t pid, unsigned flags) { return syscall(SYS_pidfd_open, pid, flags); }
static int pidfd_send_signal(int fd, int sig, siginfo_t *info, unsigned flags)
{
    return syscall(SYS_pidfd_send_signal, fd, sig, info, flags);
}
static int pidfd_getfd(int fd, int target, unsigned flags) { return syscall(SYS_pidfd_getfd, fd, target, flags); }

static int revents(int fd)
{
    struct pollfd p = { .fd = fd, .events = POLLIN | POLLRDNORM | POLLOUT | POLLPRI };
    if (poll(&p, 1, 0) < 0) return -errno;
    return p.revents;
}

static volatile pid_t thread_tid;
static int tgate[2];
static void *thread_main(void *arg)
{
    char b;
    (void)arg;
    thread_tid = syscall(SYS_gettid);
    read(tgate[0], &b, 1);
    return NULL;
}

int main(void)
{
    int gate[2], data[2];
    SETUP(pipe(gate));
    SETUP(pipe(data));
    pid_t c = fork();
    if (c == 0) {
        char b;
        close(gate[1]);
        read(gate[0], &b, 1);
        _exit(7);
    }
    close(gate[0]);
    CHECK_RET("open_bad_flags", pidfd_open(c, 1));
    CHECK_RET("open_zero", pidfd_open(0, 0));
    CHECK_RET("open_negative", pidfd_open(-1, 0));
    CHECK_RET("open_missing", pidfd_open(4000000, 0));
    int fd = pidfd_open(c, 0);
    FACT_BOOL("open_ok", fd >= 0);
    FACT_INT("cloexec", fcntl(fd, F_GETFD));
    FACT_BOOL("nonblock", fcntl(fd, F_GETFL) & O_NONBLOCK);
    char buf[8];
    CHECK_RET("read", read(fd, buf, sizeof buf));
    CHECK_RET("write", write(fd, "x", 1));
    CHECK_RET("lseek", lseek(fd, 0, SEEK_SET));
    CHECK_RET("pread", pread(fd, buf, 1, 0));
    struct stat st, st2;
    SETUP(fstat(fd, &st));
    FACT("st_mode", "0%o", st.st_mode);
    FACT_INT("st_nlink", st.st_nlink);
    FACT_INT("accmode", fcntl(fd, F_GETFL) & O_ACCMODE);
    char path[64], link[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(path, link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    FACT_STR("link", link);
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    char info[512];
    int infofd = open(path, O_RDONLY);
    n = read(infofd, info, sizeof info - 1);
    info[n > 0 ? n : 0] = 0;
    close(infofd);
    char expect[64];
    snprintf(expect, sizeof expect, "Pid:\t%d\nNSpid:\t%d\n", c, c);
    FACT_BOOL("fdinfo_pid", strstr(info, expect) != NULL);
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN }, out;
    CHECK_RET("epoll_add", epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
    CHECK_RET("epoll_running", epoll_wait(ep, &out, 1, 0));
    FACT_INT("poll_running", revents(fd));
    int nb = pidfd_open(c, PIDFD_NONBLOCK);
    FACT_BOOL("nonblock_flag", fcntl(nb, F_GETFL) & O_NONBLOCK);
    SETUP(fstat(nb, &st2));
    FACT_BOOL("same_inode", st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    CHECK_RET("waitid_nonblock_running", waitid(P_PIDFD, nb, &si, WEXITED));
    CHECK_RET("waitid_wnohang_running", waitid(P_PIDFD, fd, &si, WEXITED | WNOHANG));
    FACT_INT("wnohang_si_pid", si.si_pid);
    CHECK_RET("signal_zero", pidfd_send_signal(fd, 0, NULL, 0));
    CHECK_RET("signal_bad_flags", pidfd_send_signal(fd, 0, NULL, 8));
    CHECK_RET("signal_bad_sig", pidfd_send_signal(fd, 65, NULL, 0));
    CHECK_RET("signal_not_pidfd", pidfd_send_signal(data[0], 0, NULL, 0));
    CHECK_RET("signal_bad_fd", pidfd_send_signal(999, 0, NULL, 0));
    CHECK_RET("getfd_bad_flags", pidfd_getfd(fd, 0, 1));
    CHECK_RET("getfd_missing_target", pidfd_getfd(fd, 900, 0));
    int got = pidfd_getfd(fd, gate[0] == 0 ? 1 : 0, 0);
    FACT_BOOL("getfd_ok", got >= 0);
    if (got >= 0) {
        FACT_INT("getfd_cloexec", fcntl(got, F_GETFD));
        close(got);
    }
    CHECK_RET("getfd_not_pidfd", pidfd_getfd(data[0], 0, 0));
    /* pidfd_send_signal (only) also takes a /proc/PID directory, as killall uses it. */
    char procdir[64];
    snprintf(procdir, sizeof procdir, "/proc/%d", c);
    int dirfd = open(procdir, O_RDONLY | O_DIRECTORY);
    CHECK_RET("signal_procdir", pidfd_send_signal(dirfd, 0, NULL, 0));
    CHECK_RET("signal_procdir_thread_scope", pidfd_send_signal(dirfd, 0, NULL, 1));
    CHECK_RET("waitid_procdir", waitid(P_PIDFD, dirfd, &si, WEXITED | WNOHANG));
    CHECK_RET("getfd_procdir", pidfd_getfd(dirfd, 0, 0));
    int statfd = openat(dirfd, "stat", O_RDONLY);
    CHECK_RET("signal_procfile", pidfd_send_signal(statfd, 0, NULL, 0));
    close(statfd);
    int taskfd = open("/proc/self/task", O_RDONLY | O_DIRECTORY);
    CHECK_RET("signal_taskdir", pidfd_send_signal(taskfd, 0, NULL, 0));
    close(taskfd);
    close(gate[1]);                      /* the child exits with 7 */
    struct pollfd p = { .fd = fd, .events = POLLIN };
    CHECK_RET("epoll_wait", epoll_wait(ep, &out, 1, 2000));
    FACT_INT("epoll_exited", out.events);
    CHECK_RET("poll_wait", poll(&p, 1, 2000));
    FACT_INT("poll_exited", revents(fd));
    CHECK_RET("signal_zombie", pidfd_send_signal(fd, 0, NULL, 0));
    memset(&si, 0, sizeof si);
    CHECK_RET("waitid_pidfd", waitid(P_PIDFD, nb, &si, WEXITED));
    FACT_INT("si_code", si.si_code);
    FACT_INT("si_status", si.si_status);
    FACT_BOOL("si_pid_is_child", si.si_pid == c);
    FACT_INT("poll_reaped", revents(fd));
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    infofd = open(path, O_RDONLY);
    n = read(infofd, info, sizeof info - 1);
    info[n > 0 ? n : 0] = 0;
    close(infofd);
    FACT_BOOL("fdinfo_reaped", strstr(info, "Pid:\t-1\n") != NULL);
    CHECK_RET("signal_reaped", pidfd_send_signal(fd, SIGTERM, NULL, 0));
    CHECK_RET("signal_procdir_reaped", pidfd_send_signal(dirfd, 0, NULL, 0));
    close(dirfd);
    CHECK_RET("waitid_reaped", waitid(P_PIDFD, fd, &si, WEXITED));
    CHECK_RET("open_reaped", pidfd_open(c, 0));
    CHECK_RET("getfd_reaped", pidfd_getfd(fd, 0, 0));
    CHECK_RET("waitid_pidfd_bad_fd", waitid(P_PIDFD, 999, &si, WEXITED));
    CHECK_RET("waitid_pidfd_not_pidfd", waitid(P_PIDFD, data[0], &si, WEXITED));
    close(fd);
    close(nb);

    /* A signal through the fd: SIGTERM kills, and the child sees SI_USER from us. */
    c = fork();
    if (c == 0) { pause(); _exit(0); }
    fd = pidfd_open(c, 0);
    CHECK_RET("signal_term", pidfd_send_signal(fd, SIGTERM, NULL, 0));
    int status;
    SETUP(waitpid(c, &status, 0));
    FACT_BOOL("term_killed", WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    close(fd);

    /* Not our child: waitid through its pidfd is ECHILD; the own process works too. */
    int self = pidfd_open(getpid(), 0);
    FACT_BOOL("self_ok", self >= 0);
    CHECK_RET("waitid_self", waitid(P_PIDFD, self, &si, WEXITED | WNOHANG));
    CHECK_RET("signal_self_zero", pidfd_send_signal(self, 0, NULL, 0));

    /* Threads: a non-leader tid needs PIDFD_THREAD. */
    pthread_t t;
    SETUP(pipe(tgate));
    pthread_create(&t, NULL, thread_main, NULL);
    while (!thread_tid) usleep(1000);
    CHECK_RET("open_thread", pidfd_open(thread_tid, 0));
    int tfd = pidfd_open(thread_tid, PIDFD_THREAD);
    FACT_BOOL("open_thread_flag", tfd >= 0);
    FACT_BOOL("thread_flag_visible", tfd >= 0 && (fcntl(tfd, F_GETFL) & O_EXCL));
    FACT_INT("poll_thread", revents(tfd));
    close(tgate[1]);                     /* the thread returns */
    pthread_join(t, NULL);
    struct pollfd tp = { .fd = tfd, .events = POLLIN };
    CHECK_RET("poll_thread_wait", poll(&tp, 1, 2000));
    FACT_INT("poll_thread_exited", revents(tfd));
    CHECK_RET("signal_thread_gone", pidfd_send_signal(tfd, 0, NULL, 0));
    CHECK_RET("signal_scope_thread", pidfd_send_signal(self, 0, NULL, 1));
    CHECK_RET("signal_two_scopes", pidfd_send_signal(self, 0, NULL, 3));
    DONE();
}
