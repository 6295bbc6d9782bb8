"""The narrow interface between Kevlar's kernel and a platform (the thing that stops guest
threads at syscalls).

Today there is one platform, ptrace + seccomp, with two engines of identical behaviour:
`kevlar._fast.engine` (Cython) and `kevlar.platform.engine` (pure Python, the reference).
A second platform (gVisor's systrap: seccomp RET_TRAP, a stub in the guest, shared
memory and futex wake-ups) would implement the same methods; the kernel uses nothing
else.

An engine provides:
  name                      "cython" or "pure"
  regs                      a writable memoryview of 27 u64 (struct user_regs_struct),
                            the registers of the thread last loaded
  load_regs(tid) / store_regs(tid)
  read(pid, addr, size) -> bytes      EFAULT-raising guest memory access
  write(pid, addr, data)
  read_cstring(pid, addr, limit) -> bytes
  resume(tid, how, sig)     how: PTRACE_CONT / PTRACE_SYSCALL / PTRACE_LISTEN
  interrupt(tid), event_msg(tid), siginfo(tid) -> bytes
  drain()                   handle every pending stop without blocking: seccomp stops go
                            straight to kernel.syscall(task, nr, a0..a5) and its action is
                            applied; every other stop goes to kernel.on_stop(tid, status)
  apply(tid, action)        carry out an action for a thread stopped at a syscall

kernel.syscall returns an action: a plain int is the syscall's result (negative is
-errno) and skips the host call; the ACT_* values below ask for something else.
"""

import os

# Actions are ints above any 64-bit result, so the hot path is one comparison.
ACT_BASE = 1 << 64
ACT_CONTINUE = ACT_BASE + 0  # let the host run the syscall unchanged
ACT_SYSCALL = ACT_BASE + 1  # let it run, and stop at its exit (PTRACE_SYSCALL)
ACT_STORE_CONTINUE = ACT_BASE + 2  # registers were changed in engine.regs: store, continue
ACT_STORE_SYSCALL = ACT_BASE + 3  # store the registers, run, stop at the exit
ACT_NONE = ACT_BASE + 4  # leave the thread stopped; the kernel resumes it later

RESULT_MASK = (1 << 64) - 1
SKIP_SYSCALL = RESULT_MASK  # orig_rax = -1: the host skips the call


def engine_choice() -> str:
    """'pure' when KEVLAR_PURE=1, else 'cython'."""
    return "pure" if os.environ.get("KEVLAR_PURE", "") not in ("", "0") else "cython"


def load_engine_class():
    """The engine class to use, and a description for --version.

    KEVLAR_PURE=1 selects the pure engine. Otherwise the Cython extension is used; if it
    is missing the pure engine runs and says so, unless KEVLAR_REQUIRE_CYTHON=1 (the
    tox cython envs set it, so a broken build can never pass as "cython").
    """
    if engine_choice() == "pure":
        from kevlar.platform.engine import Engine
        return Engine, "pure (KEVLAR_PURE=1)"
    try:
        from kevlar._fast.engine import Engine
    except ImportError as exc:
        if os.environ.get("KEVLAR_REQUIRE_CYTHON", "") not in ("", "0"):
            raise ImportError(f"KEVLAR_REQUIRE_CYTHON=1 but the extension is missing: {exc}") from exc
        from kevlar.platform.engine import Engine
        return Engine, f"pure (Cython extension not built: {exc})"
    return Engine, "cython"
