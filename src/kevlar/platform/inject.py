"""Making a guest run a syscall of Kevlar's choosing, and scratch memory in the guest.

Injection works from a seccomp stop: load the syscall and its arguments, resume to the
syscall-exit stop, read rax; then restore the registers with rip -= 2 and rax = the
original number, so that on resumption the thread executes its original syscall again
and the handler runs anew (it raises Reissue to say so). Handlers inject before any
side effect, so the re-run is the same call. Costs two stops; used once per address
space for scratch memory.

Scratch memory holds data Kevlar hands to a rewritten syscall (an execve path, a
translated process group id). It is the stack below the red zone when that is mapped,
else an anonymous mapping injected once per address space.
"""

import os

from kevlar.abi.constants import MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE
from kevlar.abi.errors import EFAULT, ENOMEM
from kevlar.abi.sysnums import SYSCALLS
from kevlar.platform.interface import RESULT_MASK
from kevlar.platform.ptrace import (
    ARG_REGS,
    NREGS,
    ORIG_RAX,
    PTRACE_SYSCALL,
    RAX,
    RIP,
    RSP,
    SYSCALL_STOP,
    WALL,
)
from kevlar.process.blocking import GuestGone, Reissue

RED_ZONE = 128
SCRATCH_CHUNK = 64 * 1024


def inject_syscall(task, nr: int, *args: int, reissue: bool = True) -> int:
    """Run syscall nr in task (stopped at a seccomp stop with its registers loaded in
    engine.regs) and return its result; leaves the thread set to re-issue its own call.

    reissue=False restores the registers as they were instead: the thread then sits at
    the injected call's exit stop, and the handler's plain result becomes the result of
    the guest's own call (one injection per handler run; it must not Block after it)."""
    if task.waking:
        raise Reissue()  # not at a syscall stop: let the thread re-issue the call first
    kernel = task.kernel
    engine = kernel.engine
    tid = task.host_tid
    regs = engine.regs
    saved = [regs[i] for i in range(NREGS)]
    regs[ORIG_RAX] = nr
    for index, value in enumerate(args):
        regs[ARG_REGS[index]] = value & RESULT_MASK
    engine.store_regs(tid)
    engine.resume(tid, PTRACE_SYSCALL)
    while True:
        _, status = os.waitpid(tid, WALL)
        if os.WIFSTOPPED(status) and (status >> 8) == SYSCALL_STOP:
            break
        if os.WIFEXITED(status) or os.WIFSIGNALED(status):
            kernel.on_stop(tid, status)
            raise GuestGone()
        kernel.deferred.append((tid, status))  # not expected here: handled after this stop
    engine.load_regs(tid)
    raw = regs[RAX]
    result = raw - (1 << 64) if raw >> 63 else raw
    for i, value in enumerate(saved):
        regs[i] = value
    if reissue:
        regs[RIP] = saved[RIP] - 2
        regs[RAX] = saved[ORIG_RAX]
    engine.store_regs(tid)
    return result


def scratch_write(task, data) -> int:
    """Put data where a rewritten syscall can read it; return its guest address.

    data is bytes, or build(address) -> bytes for data holding pointers into itself
    (its length must not depend on the address). May raise Reissue (after injecting a
    scratch mapping): the caller's handler then runs again when the thread re-issues
    its syscall."""
    build = data if callable(data) else (lambda _base: data)
    size = len(build(0))
    regs = task.kernel.engine.regs
    addr = (regs[RSP] - RED_ZONE - size) & ~15
    try:
        task.write(addr, build(addr))
        return addr
    except EFAULT:
        pass
    mm = task.process.mm
    if mm.scratch_size >= size:
        task.write(mm.scratch, build(mm.scratch))
        return mm.scratch
    length = -(-size // SCRATCH_CHUNK) * SCRATCH_CHUNK
    result = inject_syscall(task, SYSCALLS["mmap"], 0, length, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
    if -4096 < result < 0:
        raise ENOMEM()
    mm.scratch, mm.scratch_size = result, length
    raise Reissue()
