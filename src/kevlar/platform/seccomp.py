"""The guest's seccomp filter: which syscalls the host runs and which stop for Kevlar.

Order of checks (each is a BPF block below):
1. arch != AUDIT_ARCH_X86_64 (int 0x80 / i386 entry) -> SECCOMP_RET_ERRNO(ENOSYS): the
   call never reaches the host kernel or the tracer; the guest sees -ENOSYS.
2. nr has the x32 bit (0x40000000) -> the same ENOSYS.
3. the native list (profile `fast` only) -> ALLOW.
4. anonymous mmap (MAP_ANONYMOUS in arg 3) -> ALLOW in `fast`; file mappings trace.
5. everything else -> SECCOMP_RET_TRACE: a PTRACE_EVENT_SECCOMP stop for Kevlar.

Profile `full` sends every x86_64 syscall to the tracer, which then lets the native
list run (kevlar.syscalls.table marks them `native`): for --strace completeness and for
debugging. Linux re-runs the filter after the tracer changes a syscall, and a
RET_TRACE verdict on that re-check means allow (kernel/seccomp.c
__seccomp_filter(recheck_after_trace)); so Kevlar never rewrites a syscall into one it
must emulate.
"""

import errno
import struct

from kevlar.abi.constants import MAP_ANONYMOUS
from kevlar.abi.sysnums import SYSCALLS

AUDIT_ARCH_X86_64 = 0xC000003E
X32_SYSCALL_BIT = 0x40000000

SECCOMP_RET_KILL_PROCESS = 0x80000000
SECCOMP_RET_ERRNO = 0x00050000
SECCOMP_RET_TRACE = 0x7FF00000
SECCOMP_RET_ALLOW = 0x7FFF0000

# BPF opcodes (include/uapi/linux/filter.h)
BPF_LD_W_ABS = 0x20
BPF_JEQ_K = 0x15
BPF_JGE_K = 0x35
BPF_JSET_K = 0x45
BPF_RET_K = 0x06

# offsetof(struct seccomp_data, ...)
OFF_NR = 0
OFF_ARCH = 4
OFF_ARGS = 16

# Syscalls the host runs directly in profile `fast`. Each touches no path, no fd and no
# pid, so running it natively cannot reach outside Kevlar's world or see host ids.
NATIVE: dict[str, str] = {
    "munmap": "unmaps guest memory only",
    "mprotect": "changes protection of guest memory only",
    "madvise": "advice on guest memory (MADV_DONTNEED re-zeroes anonymous pages natively)",
    "mremap": "moves guest memory only",
    "brk": "the guest's own heap",
    "mlock": "locks guest pages",
    "munlock": "unlocks guest pages",
    "mlockall": "locks guest pages",
    "munlockall": "unlocks guest pages",
    "mincore": "reports residency of guest pages",
    "pkey_mprotect": "protection keys on guest memory",
    "pkey_alloc": "allocates a protection key of the guest",
    "pkey_free": "frees a protection key of the guest",
    "membarrier": "memory barriers across the guest's threads",
    "futex": "waits and wakes on guest memory words",
    "futex_waitv": "waits on several guest memory words",
    "futex_wake": "wakes waiters on a guest memory word",
    "futex_wait": "waits on a guest memory word",
    "futex_requeue": "moves waiters between guest memory words",
    "mlock2": "locks guest pages",
    "mseal": "seals guest mappings against change",
    "map_shadow_stack": "maps an anonymous shadow stack for the caller",
    "mbind": "NUMA policy of guest memory",
    "set_mempolicy": "the calling thread's NUMA policy",
    "get_mempolicy": "reads the caller's NUMA policy",
    "set_mempolicy_home_node": "NUMA home node of guest memory",
    "modify_ldt": "the process's own local descriptor table",
    "set_thread_area": "a TLS segment of the calling thread",
    "get_thread_area": "reads a TLS segment of the calling thread",
    "personality": "the process's own execution domain (uname reads it back)",
    "set_robust_list": "registers a list head in guest memory",
    "get_robust_list": "reads the caller's own list head (pid 0 only is meaningful here)",
    "arch_prctl": "TLS and CPUID settings of the calling thread",
    "rt_sigreturn": "returns from a signal handler; must run natively",
    "sigaltstack": "the calling thread's signal stack",
    "sched_yield": "gives up the CPU",
    "getcpu": "which CPU the caller runs on",
    "restart_syscall": "restarts an interrupted native sleep with its remaining time",
    "nanosleep": "sleeps; the host applies signal restart rules exactly",
    "clock_nanosleep": "sleeps; the host applies signal restart rules exactly",
    "pause": "sleeps until a signal; also the instruction Kevlar parks blocked guests on",
    "rt_sigsuspend": "sleeps until a signal with a temporary mask",
    "rt_sigpending": "reads the caller's own pending signals (the host holds them)",
    "clock_gettime": "reads a clock (usually the vDSO answers first)",
    "clock_getres": "reads a clock's resolution",
    "gettimeofday": "reads the wall clock",
    "time": "reads the wall clock",
    "getrandom": "fills guest memory with random bytes",
    "alarm": "arms the caller's own ITIMER_REAL; the host delivers SIGALRM",
    "setitimer": "the caller's own interval timers",
    "getitimer": "the caller's own interval timers",
    "timer_settime": "arms a timer of the caller's own process",
    "timer_gettime": "reads a timer of the caller's own process",
    "timer_getoverrun": "reads a timer of the caller's own process",
    "timer_delete": "deletes a timer of the caller's own process",
    "getrusage": "the caller's own resource usage",
    "times": "the caller's own CPU times",
    "exit": "ends the calling thread; Kevlar sees it through waitpid",
    "exit_group": "ends the process; Kevlar sees it through waitpid",
    "sched_get_priority_max": "a constant",
    "sched_get_priority_min": "a constant",
}

PROFILES = ("fast", "full")


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("<HBBI", code, jt, jf, k)


def native_numbers(profile: str) -> list[int]:
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    if profile == "full":
        return []
    return sorted(SYSCALLS[name] for name in NATIVE)


def build_filter(profile: str = "fast") -> bytes:
    """Return the packed BPF program (struct sock_filter[]) for a profile."""
    allowed = native_numbers(profile)
    deny = SECCOMP_RET_ERRNO | errno.ENOSYS
    prog = [
        _insn(BPF_LD_W_ABS, 0, 0, OFF_ARCH),
        _insn(BPF_JEQ_K, 1, 0, AUDIT_ARCH_X86_64),
        _insn(BPF_RET_K, 0, 0, deny),
        _insn(BPF_LD_W_ABS, 0, 0, OFF_NR),
        _insn(BPF_JGE_K, 0, 1, X32_SYSCALL_BIT),
        _insn(BPF_RET_K, 0, 0, deny),
    ]
    # One comparison per native syscall; a match jumps to the ALLOW at the end, past the
    # rest of the list, the 3-instruction mmap block and the TRACE.
    for i, nr in enumerate(allowed):
        remaining = len(allowed) - i - 1
        prog.append(_insn(BPF_JEQ_K, remaining + (4 if profile == "fast" else 1), 0, nr))
    if profile == "fast":
        # mmap with MAP_ANONYMOUS runs natively; a file mapping stops for Kevlar.
        prog += [
            _insn(BPF_JEQ_K, 0, 2, SYSCALLS["mmap"]),
            _insn(BPF_LD_W_ABS, 0, 0, OFF_ARGS + 3 * 8),
            _insn(BPF_JSET_K, 1, 0, MAP_ANONYMOUS),
        ]
    prog += [
        _insn(BPF_RET_K, 0, 0, SECCOMP_RET_TRACE),
        _insn(BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW),
    ]
    return b"".join(prog)
