/* pidfd_send_signal(2) (kernel/signal.c): flag checks (one scope at most), EBADF for a non-pidfd, the siginfo rules (EFAULT, EINVAL if si_signo differs, EPERM for a kernel-only si_code sent to another process), SI_USER (SI_TKILL with PIDFD_SIGNAL_THREAD) naming the sender when info is NULL, a user SI_QUEUE siginfo kept, kill's permission check (EPERM), a zombie still accepts signals, ESRCH once reaped, PIDFD_SIGNAL_PROCESS_GROUP signals the group the pid leads. */
#include "../lib/contract.h"
#include <sys/syscall.h>
#include <sys/wait.h>

#define PIDFD_SIGNAL_THREAD (1 << 0)
#define PIDFD_SIGNAL_THREAD_GROUP (1 << 1)
#define PIDFD_SIGNAL_PROCESS_GROUP (1 << 2)

static int pidfd_open(pid_t pid, unsigned flags) { return syscall(SYS_pidfd_open, pid, flags); }
static int send_sig(int fd, int sig, siginfo_t *info, unsigned flags)
{
    return syscall(SYS_pidfd_send_signal, fd, sig, info, flags);
}

struct report { int code, pid_is_parent, uid, value; };

int main(void)
{
    int ready[2], res[2];
    SETUP(pipe(ready));
    SETUP(pipe(res));
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    SETUP(sigprocmask(SIG_BLOCK, &set, NULL));
    pid_t parent = getpid();
    pid_t c = fork();
    if (c == 0) {
        for (int i = 0; i < 3; i++) {
            siginfo_t si;
            if (sigwaitinfo(&set, &si) != SIGUSR1) _exit(1);
            struct report r = {si.si_code, si.si_pid == parent, (int)si.si_uid, si.si_value.sival_int};
            write(res[1], &r, sizeof r);
        }
        char ch;
        read(ready[0], &ch, 1);
        _exit(0);
    }
    int fd = pidfd_open(c, 0);
    SETUP(fd);
    int p[2];
    SETUP(pipe(p));
    CHECK_RET("bad_flags", send_sig(fd, 0, NULL, 8));
    CHECK_RET("two_scopes", send_sig(fd, 0, NULL, PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP));
    CHECK_RET("not_pidfd", send_sig(p[0], 0, NULL, 0));
    CHECK_RET("closed_fd", send_sig(99, 0, NULL, 0));
    CHECK_RET("bad_signal", send_sig(fd, 65, NULL, 0));
    CHECK_RET("signal_zero", send_sig(fd, 0, NULL, 0));
    CHECK_RET("info_efault", send_sig(fd, SIGUSR1, (siginfo_t *)8, 0));
    siginfo_t info;
    memset(&info, 0, sizeof info);
    info.si_signo = SIGUSR2;
    info.si_code = SI_QUEUE;
    CHECK_RET("info_signo_mismatch", send_sig(fd, SIGUSR1, &info, 0));
    info.si_signo = SIGUSR1;
    info.si_code = SI_USER;
    CHECK_RET("info_forged_code", send_sig(fd, SIGUSR1, &info, 0));
    info.si_code = SI_TKILL;
    CHECK_RET("info_forged_tkill", send_sig(fd, SIGUSR1, &info, 0));

    struct report r;
    CHECK_RET("send_null_info", send_sig(fd, SIGUSR1, NULL, 0));
    SETUP(read(res[0], &r, sizeof r));
    FACT_INT("null_info_code", r.code);
    FACT_INT("null_info_pid_is_parent", r.pid_is_parent);
    FACT_INT("null_info_uid", r.uid);
    CHECK_RET("send_thread_scope", send_sig(fd, SIGUSR1, NULL, PIDFD_SIGNAL_THREAD));
    SETUP(read(res[0], &r, sizeof r));
    FACT_INT("thread_scope_code", r.code);
    memset(&info, 0, sizeof info);
    info.si_signo = SIGUSR1;
    info.si_code = SI_QUEUE;
    info.si_pid = parent;
    info.si_value.sival_int = 1234;
    CHECK_RET("send_queue_info", send_sig(fd, SIGUSR1, &info, 0));
    SETUP(read(res[0], &r, sizeof r));
    FACT_INT("queue_info_code", r.code);
    FACT_INT("queue_info_value", r.value);
    FACT_INT("queue_info_pid_is_parent", r.pid_is_parent);

    /* The caller itself, without a pidfd: PIDFD_SELF_THREAD and PIDFD_SELF_THREAD_GROUP. */
    CHECK_RET("self_thread_zero", send_sig(-10000, 0, NULL, 0));
    CHECK_RET("self_group_zero", send_sig(-10001, 0, NULL, 0));
    CHECK_RET("self_group_bad_signal", send_sig(-10001, 65, NULL, 0));
    CHECK_RET("self_other_negative", send_sig(-10002, 0, NULL, 0));
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    SETUP(sigprocmask(SIG_BLOCK, &usr2, NULL));
    memset(&info, 0, sizeof info);
    info.si_signo = SIGUSR2;
    info.si_code = SI_USER;
    info.si_value.sival_int = 77;
    CHECK_RET("self_forged_code_allowed", send_sig(-10000, SIGUSR2, &info, 0));
    siginfo_t got;
    struct timespec zero = {0, 0};
    FACT_BOOL("self_got_it", sigtimedwait(&usr2, &got, &zero) == SIGUSR2 && got.si_code == SI_USER);
    CHECK_RET("self_thread_usr2", send_sig(-10000, SIGUSR2, NULL, 0));
    FACT_BOOL("self_thread_code_tkill", sigtimedwait(&usr2, &got, &zero) == SIGUSR2 && got.si_code == SI_TKILL && got.si_pid == getpid());

    SETUP(write(ready[1], "x", 1));
    siginfo_t si;
    SETUP(waitid(P_PID, c, &si, WEXITED | WNOWAIT));
    FACT_INT("child_status", si.si_status);
    CHECK_RET("send_zombie", send_sig(fd, SIGTERM, NULL, 0));
    SETUP(waitpid(c, NULL, 0));
    CHECK_RET("send_reaped", send_sig(fd, SIGTERM, NULL, 0));
    CHECK_RET("send_reaped_bad_signal", send_sig(fd, 65, NULL, 0));

    /* Another user may not signal us. */
    int me = pidfd_open(getpid(), 0);
    SETUP(me);
    c = fork();
    if (c == 0) {
        if (setgid(65534) || setuid(65534)) _exit(100);
        int rc = send_sig(me, 0, NULL, 0);
        _exit(rc == -1 ? errno : 0);
    }
    int status;
    SETUP(waitpid(c, &status, 0));
    FACT_ERRNO("other_user", WEXITSTATUS(status));

    /* A process group: the pidfd names its leader. */
    c = fork();
    if (c == 0) { setpgid(0, 0); pause(); _exit(0); }
    setpgid(c, c);
    int gfd = pidfd_open(c, 0);
    SETUP(gfd);
    CHECK_RET("group_send", send_sig(gfd, SIGTERM, NULL, PIDFD_SIGNAL_PROCESS_GROUP));
    SETUP(waitpid(c, &status, 0));
    FACT_BOOL("group_leader_terminated", WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    memset(&info, 0, sizeof info);
    info.si_signo = SIGTERM;
    info.si_code = SI_QUEUE;
    CHECK_RET("group_reaped_leader", send_sig(gfd, SIGTERM, &info, PIDFD_SIGNAL_PROCESS_GROUP));
    DONE();
}
