/* signal(7) sigset layout: signal n is bit n-1 of the kernel sigset (SIGCHLD=17 is bit 16, 0x10000), visible in /proc/self/status SigBlk; rt_sigprocmask needs sigsetsize 8 (else EINVAL). */
#include "../lib/contract.h"
#include <sys/syscall.h>
#include <stdint.h>

static unsigned long long status_hex(const char *field)
{
    char buf[8192];
    read_file("/proc/self/status", buf, sizeof buf);
    char *p = strstr(buf, field);
    return p ? strtoull(p + strlen(field), NULL, 16) : ~0ULL;
}

int main(void)
{
    uint64_t set = 0, old = 0;
    sigset_t m;
    sigemptyset(&m); sigaddset(&m, SIGCHLD);
    sigprocmask(SIG_SETMASK, &m, NULL);
    SETUP(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &old, 8));
    FACT("raw_mask_sigchld", "0x%llx", (unsigned long long)old);
    FACT_BOOL("sigchld_is_bit16", old == (1ULL << 16));
    FACT("proc_sigblk", "0x%llx", status_hex("SigBlk:\t"));
    set = 1ULL << (SIGUSR1 - 1);
    CHECK_RET("raw_block_usr1", syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 8));
    FACT_BOOL("libc_sees_usr1_blocked", (sigprocmask(SIG_BLOCK, NULL, &m), sigismember(&m, SIGUSR1)));
    FACT("proc_sigblk_usr1_chld", "0x%llx", status_hex("SigBlk:\t"));
    set = 1ULL << (SIGRTMIN - 1);
    FACT_INT("sigrtmin", SIGRTMIN);
    FACT_INT("sigrtmax", SIGRTMAX);
    CHECK_RET("bad_sigsetsize", syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 4));
    CHECK_RET("bad_sigsetsize_16", syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 16));
    signal(SIGUSR2, SIG_IGN);
    FACT("proc_sigign_has_usr2", "%d", (int)((status_hex("SigIgn:\t") >> (SIGUSR2 - 1)) & 1));
    raise(SIGUSR1); /* musl raise() uses tkill: thread-directed */
    FACT("raise_in_sigpnd", "%d", (int)((status_hex("SigPnd:\t") >> (SIGUSR1 - 1)) & 1));
    FACT("raise_in_shdpnd", "%d", (int)((status_hex("ShdPnd:\t") >> (SIGUSR1 - 1)) & 1));
    set = 1ULL << (SIGUSR2 - 1);
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 8);
    kill(getpid(), SIGUSR2); /* ignored but blocked: sig_ignored() is false for blocked signals, so it is queued */
    FACT("blocked_ignored_signal_still_queued", "%d", (int)((status_hex("ShdPnd:\t") >> (SIGUSR2 - 1)) & 1));
    set = 1ULL << (SIGTERM - 1);
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 8);
    kill(getpid(), SIGTERM);
    FACT("kill_in_shdpnd", "%d", (int)((status_hex("ShdPnd:\t") >> (SIGTERM - 1)) & 1));
    DONE();
}
