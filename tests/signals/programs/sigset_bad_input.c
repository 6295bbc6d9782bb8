/* Bad input to the signal calls (kernel/signal.c): sigsets of the wrong size (EINVAL, before pointers are read), bad pointers (EFAULT) and their order against bad signal numbers and bad how values, rt_sigpending accepting sizes up to 8, sigaltstack's and rt_sigreturn-free paths. */
#include "../../contract/lib/contract.h"
#include <sys/syscall.h>
#include <stdint.h>

struct ksigaction { void *handler; unsigned long flags; void *restorer; uint64_t mask; };
static void h(int s) { (void)s; }

int main(void)
{
    struct ksigaction ka = { .handler = SIG_IGN }, old;
    uint64_t set = 0, oset = 0;
    void *bad = (void *)8;
    CHECK_RET("sigaction_size_4", syscall(SYS_rt_sigaction, SIGUSR1, &ka, NULL, 4));
    CHECK_RET("sigaction_size_16", syscall(SYS_rt_sigaction, SIGUSR1, &ka, NULL, 16));
    CHECK_RET("sigaction_size_huge", syscall(SYS_rt_sigaction, SIGUSR1, &ka, NULL, (size_t)-1));
    CHECK_RET("sigaction_bad_act", syscall(SYS_rt_sigaction, SIGUSR1, bad, NULL, 8));
    CHECK_RET("sigaction_bad_act_bad_sig", syscall(SYS_rt_sigaction, 65, bad, NULL, 8));
    CHECK_RET("sigaction_bad_sig", syscall(SYS_rt_sigaction, 65, &ka, NULL, 8));
    CHECK_RET("sigaction_sig_0", syscall(SYS_rt_sigaction, 0, &ka, NULL, 8));
    CHECK_RET("sigaction_neg_sig", syscall(SYS_rt_sigaction, -1, &ka, NULL, 8));
    CHECK_RET("sigaction_kill", syscall(SYS_rt_sigaction, SIGKILL, &ka, NULL, 8));
    CHECK_RET("sigaction_kill_query", syscall(SYS_rt_sigaction, SIGKILL, NULL, &old, 8));
    CHECK_RET("sigaction_bad_oact", syscall(SYS_rt_sigaction, SIGUSR2, &ka, bad, 8));
    CHECK_RET("sigaction_bad_oact_took_effect", (syscall(SYS_rt_sigaction, SIGUSR2, NULL, &old, 8), old.handler == SIG_IGN) ? 0 : -1);
    CHECK_RET("sigaction_query_bad_sig", syscall(SYS_rt_sigaction, 65, NULL, &old, 8));
    CHECK_RET("sigaction_nothing", syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 8));

    CHECK_RET("procmask_size_4", syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 4));
    CHECK_RET("procmask_size_0", syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, NULL, 0));
    CHECK_RET("procmask_bad_how", syscall(SYS_rt_sigprocmask, 7, &set, NULL, 8));
    CHECK_RET("procmask_bad_how_no_set", syscall(SYS_rt_sigprocmask, 7, NULL, &oset, 8));
    CHECK_RET("procmask_bad_how_bad_set", syscall(SYS_rt_sigprocmask, 7, bad, NULL, 8));
    CHECK_RET("procmask_neg_how", syscall(SYS_rt_sigprocmask, -1, &set, NULL, 8));
    CHECK_RET("procmask_bad_set", syscall(SYS_rt_sigprocmask, SIG_BLOCK, bad, NULL, 8));
    set = 1ULL << (SIGUSR1 - 1);
    CHECK_RET("procmask_bad_oset", syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, bad, 8));
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &oset, 8);
    FACT_BOOL("bad_oset_still_blocked", oset & set);
    set = ~0ULL;
    CHECK_RET("procmask_block_all", syscall(SYS_rt_sigprocmask, SIG_SETMASK, &set, NULL, 8));
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &oset, 8);
    FACT("blocked_all", "%#llx", (unsigned long long)oset);
    set = 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &set, NULL, 8);

    uint64_t pend = 0xdeadbeefdeadbeefULL;
    CHECK_RET("pending_size_8", syscall(SYS_rt_sigpending, &pend, 8));
    CHECK_RET("pending_size_4", syscall(SYS_rt_sigpending, &pend, 4));
    CHECK_RET("pending_size_0", syscall(SYS_rt_sigpending, &pend, 0));
    CHECK_RET("pending_size_16", syscall(SYS_rt_sigpending, &pend, 16));
    CHECK_RET("pending_bad", syscall(SYS_rt_sigpending, bad, 8));

    CHECK_RET("suspend_size_4", syscall(SYS_rt_sigsuspend, &set, 4));
    CHECK_RET("suspend_bad", syscall(SYS_rt_sigsuspend, bad, 8));
    struct timespec zero = { 0, 0 }, neg = { -1, 0 }, big = { 0, 1000000000 };
    siginfo_t si;
    set = 1ULL << (SIGUSR1 - 1);
    CHECK_RET("timedwait_size_4", syscall(SYS_rt_sigtimedwait, &set, &si, &zero, 4));
    CHECK_RET("timedwait_bad_set", syscall(SYS_rt_sigtimedwait, bad, &si, &zero, 8));
    CHECK_RET("timedwait_bad_ts", syscall(SYS_rt_sigtimedwait, &set, &si, bad, 8));
    CHECK_RET("timedwait_neg_ts", syscall(SYS_rt_sigtimedwait, &set, &si, &neg, 8));
    CHECK_RET("timedwait_big_nsec", syscall(SYS_rt_sigtimedwait, &set, &si, &big, 8));
    CHECK_RET("timedwait_zero", syscall(SYS_rt_sigtimedwait, &set, &si, &zero, 8));
    uint64_t blk = set;
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, &blk, NULL, 8);
    raise(SIGUSR1);
    CHECK_RET("timedwait_bad_info", syscall(SYS_rt_sigtimedwait, &set, bad, &zero, 8));
    CHECK_RET("timedwait_consumed", syscall(SYS_rt_sigtimedwait, &set, &si, &zero, 8));
    raise(SIGUSR1);
    CHECK_RET("timedwait_null_info", syscall(SYS_rt_sigtimedwait, &set, NULL, &zero, 8));

    stack_t ss;
    CHECK_RET("altstack_bad_new", syscall(SYS_sigaltstack, bad, NULL));
    CHECK_RET("altstack_bad_old", syscall(SYS_sigaltstack, NULL, bad));
    signal(SIGUSR2, h);
    CHECK_RET("kill_bad_signal_big", kill(getpid(), 1000));
    CHECK_RET("kill_bad_signal_min", kill(getpid(), (int)0x80000000));
    (void)ss;
    DONE();
}
