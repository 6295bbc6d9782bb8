/* clone(2) CLONE_PIDFD (the pidfd in parent_tid, close-on-exec; EINVAL with CLONE_PARENT_SETTID, EFAULT for a bad parent_tid) and waitid(2) P_PIDFD (kernel/exit.c: EINVAL, EBADF, ECHILD for a pidfd that is not a child's; PIDFD_NONBLOCK turns a wait into WNOHANG and EAGAIN). */
#include "../lib/contract.h"
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#define PIDFD_NONBLOCK O_NONBLOCK

static int pidfd_open(pid_t pid, unsigned flags) { return syscall(SYS_pidfd_open, pid, flags); }
static long raw_clone(unsigned long flags, int *ptid) { return syscall(SYS_clone, flags, 0, ptid, 0, 0); }

int main(void)
{
    siginfo_t si;
    int pidfd = -1;
    int probe = dup(0);
    SETUP(probe);
    close(probe);
    long c = raw_clone(SIGCHLD | CLONE_PIDFD, &pidfd);
    if (c == 0) _exit(7);
    SETUP(c);
    FACT_BOOL("pidfd_is_lowest_free", pidfd == probe);
    FACT_INT("pidfd_cloexec", fcntl(pidfd, F_GETFD));
    memset(&si, 0, sizeof si);
    CHECK_RET("waitid_pidfd", waitid(P_PIDFD, pidfd, &si, WEXITED));
    FACT_INT("si_code", si.si_code);
    FACT_INT("si_status", si.si_status);
    FACT_BOOL("si_pid_is_child", si.si_pid == c);
    CHECK_RET("waitid_reaped", waitid(P_PIDFD, pidfd, &si, WEXITED));
    close(pidfd);

    /* vfork-style: the parent resumes after the child exited, with its pidfd. */
    pidfd = -1;
    c = raw_clone(SIGCHLD | CLONE_VFORK | CLONE_PIDFD, &pidfd);
    if (c == 0) _exit(5);
    SETUP(c);
    FACT_BOOL("vfork_pidfd_valid", fcntl(pidfd, F_GETFD) == FD_CLOEXEC);
    memset(&si, 0, sizeof si);
    CHECK_RET("vfork_waitid_pidfd", waitid(P_PIDFD, pidfd, &si, WEXITED));
    FACT_INT("vfork_si_status", si.si_status);
    CHECK_RET("waitid_null_infop_no_child", syscall(SYS_waitid, P_PIDFD, pidfd, NULL, WEXITED, NULL));
    close(pidfd);

    int dummy = -1;
    CHECK_RET("clone_pidfd_settid", raw_clone(SIGCHLD | CLONE_PIDFD | CLONE_PARENT_SETTID, &dummy));
    CHECK_RET("clone_pidfd_efault", raw_clone(SIGCHLD | CLONE_PIDFD, (int *)8));
    CHECK_RET("no_child_left", waitid(P_ALL, 0, &si, WEXITED | WNOHANG));

    int me = pidfd_open(getpid(), 0);
    SETUP(me);
    int p[2];
    SETUP(pipe(p));
    CHECK_RET("waitid_negative", waitid(P_PIDFD, -1, &si, WEXITED));
    CHECK_RET("waitid_closed", waitid(P_PIDFD, 99, &si, WEXITED));
    CHECK_RET("waitid_not_pidfd", waitid(P_PIDFD, p[0], &si, WEXITED));
    CHECK_RET("waitid_self", waitid(P_PIDFD, me, &si, WEXITED));
    CHECK_RET("waitid_no_options", waitid(P_PIDFD, me, &si, 0));

    pid_t k = fork();
    if (k == 0) { char ch; read(p[0], &ch, 1); _exit(3); }
    int nb = pidfd_open(k, PIDFD_NONBLOCK);
    SETUP(nb);
    memset(&si, 0xff, sizeof si);
    CHECK_RET("nonblock_running", waitid(P_PIDFD, nb, &si, WEXITED));
    FACT_INT("nonblock_running_si_pid", si.si_pid);
    memset(&si, 0xff, sizeof si);
    CHECK_RET("nonblock_running_wnohang", waitid(P_PIDFD, nb, &si, WEXITED | WNOHANG));
    FACT_INT("wnohang_si_pid", si.si_pid);
    SETUP(write(p[1], "x", 1));
    memset(&si, 0, sizeof si);
    int kfd = pidfd_open(k, 0);
    SETUP(kfd);
    CHECK_RET("blocking_wait_wnowait", waitid(P_PIDFD, kfd, &si, WEXITED | WNOWAIT));
    FACT_INT("wnowait_status", si.si_status);
    CHECK_RET("nonblock_exited", waitid(P_PIDFD, nb, &si, WEXITED));
    FACT_INT("nonblock_exited_status", si.si_status);
    CHECK_RET("kfd_after_reap", waitid(P_PIDFD, kfd, &si, WEXITED));
    DONE();
}
