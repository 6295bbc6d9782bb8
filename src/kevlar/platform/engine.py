"""The pure-Python engine: the reference twin of kevlar/_fast/engine.pyx.

Both engines do the same things in the same order (see kevlar.platform.interface);
tox runs the whole suite on each. This one talks to the kernel through ctypes and the
os module; the Cython one calls libc directly.
"""

import ctypes
import os

from kevlar.abi.errors import EFAULT, ENAMETOOLONG
from kevlar.platform import libc
from kevlar.platform.interface import (
    ACT_BASE,
    ACT_CONTINUE,
    ACT_NONE,
    ACT_STORE_CONTINUE,
    ACT_STORE_SYSCALL,
    ACT_SYSCALL,
    RESULT_MASK,
    SKIP_SYSCALL,
)
from kevlar.platform.ptrace import (
    NREGS,
    ORIG_RAX,
    PTRACE_CONT,
    PTRACE_GETEVENTMSG,
    PTRACE_GETREGS,
    PTRACE_GETSIGINFO,
    PTRACE_INTERRUPT,
    PTRACE_SETREGS,
    PTRACE_SETSIGINFO,
    PTRACE_SYSCALL,
    R8,
    R9,
    R10,
    RAX,
    RDI,
    RDX,
    RSI,
    SECCOMP_STOP,
    WALL,
    WNOHANG,
)

PAGE = 4096


class Engine:
    """Stops, registers and guest memory through ctypes."""

    name = "pure"

    def __init__(self, kernel):
        self.kernel = kernel
        self._regs = (ctypes.c_uint64 * NREGS)()
        self._regs_addr = ctypes.addressof(self._regs)
        self.regs = memoryview(self._regs).cast("B").cast("Q")
        self._msg = ctypes.c_ulong()
        self._siginfo = ctypes.create_string_buffer(128)

    # -- registers ------------------------------------------------------------------
    def load_regs(self, tid: int) -> None:
        libc.ptrace(PTRACE_GETREGS, tid, 0, self._regs_addr)

    def store_regs(self, tid: int) -> None:
        libc.ptrace(PTRACE_SETREGS, tid, 0, self._regs_addr)

    # -- thread control -------------------------------------------------------------
    def resume(self, tid: int, how: int = PTRACE_CONT, sig: int = 0) -> None:
        """Restart a stopped thread; a thread that died meanwhile is not an error."""
        try:
            libc.ptrace(how, tid, 0, sig)
        except ProcessLookupError:
            pass

    def interrupt(self, tid: int) -> None:
        try:
            libc.ptrace(PTRACE_INTERRUPT, tid, 0, 0)
        except ProcessLookupError:
            pass

    def event_msg(self, tid: int) -> int:
        libc.ptrace(PTRACE_GETEVENTMSG, tid, 0, ctypes.addressof(self._msg))
        return self._msg.value

    def siginfo(self, tid: int) -> bytes:
        libc.ptrace(PTRACE_GETSIGINFO, tid, 0, ctypes.addressof(self._siginfo))
        return self._siginfo.raw

    def set_siginfo(self, tid: int, data: bytes) -> None:
        self._siginfo.raw = data[:128]
        libc.ptrace(PTRACE_SETSIGINFO, tid, 0, ctypes.addressof(self._siginfo))

    # -- guest memory ---------------------------------------------------------------
    def read(self, pid: int, addr: int, size: int) -> bytes:
        """Exactly size bytes at addr, or EFAULT (as copy_from_user)."""
        if size == 0:
            return b""
        try:
            data = libc.process_vm_read(pid, addr, size)
        except OSError as exc:
            raise EFAULT() from exc
        if len(data) != size:
            raise EFAULT()
        return data

    def write(self, pid: int, addr: int, data: bytes) -> None:
        """Write all of data at addr, or EFAULT (read-only pages fault, as copy_to_user)."""
        if not data:
            return
        try:
            done = libc.process_vm_write(pid, addr, data)
        except OSError as exc:
            raise EFAULT() from exc
        if done != len(data):
            raise EFAULT()

    def read_cstring(self, pid: int, addr: int, limit: int) -> bytes:
        """A NUL-terminated string of at most limit-1 bytes (strncpy_from_user rules):
        EFAULT if unreadable before the NUL, ENAMETOOLONG if no NUL within limit."""
        out = bytearray()
        while len(out) < limit:
            chunk = min(PAGE - (addr % PAGE), limit - len(out))
            try:
                data = libc.process_vm_read(pid, addr, chunk)
            except OSError as exc:
                raise EFAULT() from exc
            if not data:
                raise EFAULT()
            nul = data.find(b"\0")
            if nul >= 0:
                out += data[:nul]
                return bytes(out)
            out += data
            addr += len(data)
        raise ENAMETOOLONG()

    # -- the loop -------------------------------------------------------------------
    def apply(self, tid: int, action: int) -> None:
        """Carry out kernel.syscall's action for a thread at a syscall stop."""
        regs = self.regs
        if action < ACT_BASE:
            regs[ORIG_RAX] = SKIP_SYSCALL
            regs[RAX] = action & RESULT_MASK
            try:
                self.store_regs(tid)
            except ProcessLookupError:
                return
            self.resume(tid, PTRACE_CONT)
        elif action == ACT_CONTINUE:
            self.resume(tid, PTRACE_CONT)
        elif action == ACT_SYSCALL:
            self.resume(tid, PTRACE_SYSCALL)
        elif action == ACT_STORE_CONTINUE or action == ACT_STORE_SYSCALL:
            try:
                self.store_regs(tid)
            except ProcessLookupError:
                return
            self.resume(tid, PTRACE_CONT if action == ACT_STORE_CONTINUE else PTRACE_SYSCALL)
        elif action != ACT_NONE:
            raise ValueError(f"unknown engine action {action}")

    def drain(self, block: bool = False) -> int:
        """Handle every stop waitpid has for us; return how many. With block, wait for
        the first one (the loop does this when nothing but a stop can happen)."""
        kernel = self.kernel
        tasks = kernel.tasks
        regs = self.regs
        handled = 0
        flags = WALL if block else WALL | WNOHANG
        while True:
            try:
                tid, status = os.waitpid(-1, flags)
            except ChildProcessError:
                return handled
            flags = WALL | WNOHANG
            if tid == 0:
                return handled
            handled += 1
            if (status & 0xFF) == 0x7F and (status >> 8) == SECCOMP_STOP:
                task = tasks.get(tid)
                if task is not None and task.ready:
                    try:
                        self.load_regs(tid)
                    except ProcessLookupError:
                        continue  # killed while stopped; its exit status follows
                    action = kernel.syscall(task, regs[ORIG_RAX], regs[RDI], regs[RSI],
                                            regs[RDX], regs[R10], regs[R8], regs[R9])
                    self.apply(tid, action)
                    continue
            kernel.on_stop(tid, status)
