/* clone(2) CLONE_PIDFD (kernel/fork.c): the pidfd's number is stored at parent_tid, it is close-on-exec and names the child (poll, waitid(P_PIDFD)); CLONE_PIDFD with CLONE_PARENT_SETTID or CLONE_DETACHED is EINVAL; with CLONE_THREAD it is a PIDFD_THREAD pidfd. */
#include "../lib/contract.h"
#include <poll.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define P_PIDFD 3
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x1000
#endif

static long raw_clone(unsigned long flags, int *ptid)
{
    return syscall(SYS_clone, flags, 0, ptid, 0, 0);
}

int main(void)
{
    int pidfd = -1, marker;
    int gate[2];
    SETUP(pipe(gate));
    marker = dup(0);                     /* the lowest free fd, then freed: the pidfd's */
    close(marker);
    long c = raw_clone(CLONE_PIDFD | SIGCHLD, &pidfd);
    if (c == 0) {
        char b;
        close(gate[1]);
        read(gate[0], &b, 1);
        _exit(5);
    }
    FACT_BOOL("clone_ok", c > 0);
    FACT_BOOL("pidfd_lowest", pidfd == marker);
    FACT_INT("pidfd_cloexec", fcntl(pidfd, F_GETFD));
    FACT_INT("pidfd_flags", fcntl(pidfd, F_GETFL));
    struct pollfd p = { .fd = pidfd, .events = POLLIN };
    CHECK_RET("poll_running", poll(&p, 1, 0));
    close(gate[1]);
    CHECK_RET("poll_exit", poll(&p, 1, 2000));
    FACT_INT("revents", p.revents);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    CHECK_RET("waitid", waitid(P_PIDFD, pidfd, &si, WEXITED));
    FACT_INT("si_status", si.si_status);
    FACT_BOOL("si_pid_is_child", si.si_pid == c);
    close(pidfd);
    int other = -1;
    CHECK_RET("pidfd_and_settid", raw_clone(CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, &other));
    CHECK_RET("pidfd_and_detached", raw_clone(CLONE_PIDFD | CLONE_DETACHED | SIGCHLD, &other));
    FACT_INT("untouched", other);
    DONE();
}
