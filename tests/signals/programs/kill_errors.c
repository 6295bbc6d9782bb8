/* kill(2)/tgkill(2)/tkill(2)/rt_sigqueueinfo(2)/rt_tgsigqueueinfo(2): Linux's errno order (ESRCH before EINVAL for a missing target, EFAULT before EINVAL/EPERM for a bad siginfo), bad signals and pids, and permission checks for an unprivileged sender (EPERM, SIGCONT within the session, own children, kill(-1) that may signal nobody). */
#include "../../contract/lib/contract.h"
#include <sys/syscall.h>
#include <sys/wait.h>
#include <limits.h>

#define MISSING 0x3ffffff0

static int child_report(int p[2], int (*fn)(void))
{
    pid_t c = fork();
    if (c == 0) { int r = fn(); write(p[1], &r, sizeof r); _exit(0); }
    int r = 0, st;
    read(p[0], &r, sizeof r);
    waitpid(c, &st, 0);
    return r;
}

static pid_t root_pid, sleeper;
static int errno_of(long r) { return r == -1 ? errno : 0; }
static int kill_root_usr1(void) { setuid(65534); return errno_of(kill(root_pid, SIGUSR1)); }
static int kill_root_cont(void) { setuid(65534); return errno_of(kill(sleeper, SIGCONT)); }
static int kill_root_cont_other_session(void) { setsid(); setuid(65534); return errno_of(kill(sleeper, SIGCONT)); }
static int kill_root_zero(void) { setuid(65534); return errno_of(kill(root_pid, 0)); }
static int kill_all_nobody(void) { setuid(65534); return errno_of(kill(-1, 0)); }
static int kill_group_nobody(void) { setuid(65534); return errno_of(kill(-getpgid(sleeper), 0)); }
static int tgkill_root(void) { setuid(65534); return errno_of(syscall(SYS_tgkill, root_pid, root_pid, SIGUSR1)); }
static int sqi_root(void)
{
    setuid(65534);
    siginfo_t si; memset(&si, 0, sizeof si); si.si_code = SI_QUEUE;
    return errno_of(syscall(SYS_rt_sigqueueinfo, root_pid, SIGUSR1, &si));
}
static int own_child(void)
{
    setuid(65534);
    pid_t g = fork();
    if (g == 0) { for (;;) pause(); }
    int e = errno_of(kill(g, SIGKILL));
    waitpid(g, NULL, 0);
    return e;
}

int main(void)
{
    siginfo_t si;
    memset(&si, 0, sizeof si);
    signal(SIGUSR1, SIG_IGN);
    signal(64, SIG_IGN);
    root_pid = getpid();
    CHECK_RET("kill_missing_badsig", kill(MISSING, 65));
    CHECK_RET("kill_self_badsig", kill(getpid(), 65));
    CHECK_RET("kill_self_negsig", kill(getpid(), -5));
    CHECK_RET("kill_self_sig64", kill(getpid(), 0) == 0 && kill(getpid(), 64) == 0 ? 0 : -1);
    CHECK_RET("kill_intmin", kill(INT_MIN, 0));
    CHECK_RET("kill_intmin_plus1", kill(INT_MIN + 1, 0));
    CHECK_RET("kill_neg_missing_badsig", kill(-MISSING, 65));
    CHECK_RET("kill_own_group_badsig", kill(0, 65));
    CHECK_RET("kill_own_group_probe", kill(0, 0));
    CHECK_RET("kill_huge_pid", kill(INT_MAX, 0));
    CHECK_RET("tgkill_zero_both", syscall(SYS_tgkill, 0, 0, 65));
    CHECK_RET("tgkill_neg_tgid", syscall(SYS_tgkill, -1, getpid(), 0));
    CHECK_RET("tgkill_missing_badsig", syscall(SYS_tgkill, getpid(), MISSING, 65));
    CHECK_RET("tgkill_self_badsig", syscall(SYS_tgkill, getpid(), getpid(), 65));
    CHECK_RET("tgkill_wrong_tgid", syscall(SYS_tgkill, MISSING, getpid(), 0));
    CHECK_RET("tgkill_self_probe", syscall(SYS_tgkill, getpid(), gettid(), 0));
    CHECK_RET("tkill_neg", syscall(SYS_tkill, -1, 0));
    CHECK_RET("tkill_zero", syscall(SYS_tkill, 0, 0));
    CHECK_RET("tkill_missing", syscall(SYS_tkill, MISSING, 0));
    CHECK_RET("tkill_self_badsig", syscall(SYS_tkill, gettid(), 65));
    si.si_code = SI_USER;
    CHECK_RET("sqi_other_si_user", syscall(SYS_rt_sigqueueinfo, 1 == getpid() ? 2 : 1, SIGUSR1, &si));
    CHECK_RET("sqi_missing_si_user", syscall(SYS_rt_sigqueueinfo, MISSING, SIGUSR1, &si));
    si.si_code = SI_TKILL;
    CHECK_RET("sqi_missing_si_tkill", syscall(SYS_rt_sigqueueinfo, MISSING, SIGUSR1, &si));
    si.si_code = SI_KERNEL;
    CHECK_RET("sqi_missing_si_kernel", syscall(SYS_rt_sigqueueinfo, MISSING, SIGUSR1, &si));
    si.si_code = SI_QUEUE;
    CHECK_RET("sqi_missing_badsig", syscall(SYS_rt_sigqueueinfo, MISSING, 65, &si));
    CHECK_RET("sqi_self_badsig", syscall(SYS_rt_sigqueueinfo, getpid(), 65, &si));
    CHECK_RET("sqi_zero_pid", syscall(SYS_rt_sigqueueinfo, 0, 0, &si));
    CHECK_RET("sqi_neg_pid", syscall(SYS_rt_sigqueueinfo, -1, 0, &si));
    CHECK_RET("sqi_efault", syscall(SYS_rt_sigqueueinfo, getpid(), 0, (void *)8));
    CHECK_RET("sqi_efault_badpid", syscall(SYS_rt_sigqueueinfo, -5, 0, (void *)8));
    CHECK_RET("sqi_self_probe", syscall(SYS_rt_sigqueueinfo, getpid(), 0, &si));
    CHECK_RET("tgsqi_zero", syscall(SYS_rt_tgsigqueueinfo, 0, 0, 0, &si));
    CHECK_RET("tgsqi_efault_zero", syscall(SYS_rt_tgsigqueueinfo, 0, 0, 0, (void *)8));
    CHECK_RET("tgsqi_missing", syscall(SYS_rt_tgsigqueueinfo, getpid(), MISSING, 0, &si));
    CHECK_RET("tgsqi_wrong_tgid", syscall(SYS_rt_tgsigqueueinfo, MISSING, gettid(), 0, &si));
    CHECK_RET("tgsqi_self_badsig", syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), 65, &si));
    si.si_code = SI_USER;
    CHECK_RET("tgsqi_other_si_user", syscall(SYS_rt_tgsigqueueinfo, getpid(), MISSING, SIGUSR1, &si));

    /* unprivileged senders */
    int p[2];
    SETUP(pipe(p));
    sleeper = fork();
    if (sleeper == 0) { for (;;) pause(); }
    FACT_ERRNO("nobody_kill_root", child_report(p, kill_root_usr1));
    FACT_ERRNO("nobody_probe_root", child_report(p, kill_root_zero));
    FACT_ERRNO("nobody_sigcont_same_session", child_report(p, kill_root_cont));
    FACT_ERRNO("nobody_sigcont_other_session", child_report(p, kill_root_cont_other_session));
    FACT_ERRNO("nobody_kill_all_probe", child_report(p, kill_all_nobody));
    FACT_ERRNO("nobody_kill_group_probe", child_report(p, kill_group_nobody));
    FACT_ERRNO("nobody_tgkill_root", child_report(p, tgkill_root));
    FACT_ERRNO("nobody_sigqueue_root", child_report(p, sqi_root));
    FACT_ERRNO("nobody_kill_own_child", child_report(p, own_child));
    kill(sleeper, SIGKILL);
    waitpid(sleeper, NULL, 0);
    CHECK_RET("kill_reaped_child", kill(sleeper, 0));
    pid_t z = fork();
    if (z == 0) _exit(0);
    sleep_ms(50);
    CHECK_RET("kill_zombie_probe", kill(z, 0));
    CHECK_RET("kill_zombie_signal", kill(z, SIGTERM));
    CHECK_RET("kill_zombie_badsig", kill(z, 65));
    waitpid(z, NULL, 0);
    DONE();
}
