"""signalfd (fs/signalfd.c): reading the caller's pending signals as a file.

The host kernel owns every guest's pending signals: it queues what kill, tgkill,
timers, the terminal and exiting children send, and the guest blocks them natively.
So a signalfd asks the host, never a copy of its own:

- Readiness (signalfd_poll): the calling thread's pending set, private and shared
  (SigPnd | ShdPnd of /proc/TID/status), against the signalfd's mask.
- Reading (signalfd_dequeue): Kevlar injects rt_sigtimedwait(mask, &info, {0, 0})
  into the reading thread, which dequeues exactly what Linux would, in Linux's order,
  and converts each siginfo to the 128-byte signalfd_siginfo (signalfd_copyinfo), with
  pids shown as the guest sees them.
- Waiting without polling: a blocked signal makes no stop the tracer could see. So a
  thread that waits on a signalfd (read, poll, select, epoll_wait on a set holding
  one) parks in rt_sigsuspend with a mask that unblocks the watched signals
  (`Block.catch`). Whatever sends one (a guest's kill, a child's exit, an alarm, the
  terminal, a host process) then ends the sleep with a signal-delivery stop. The
  tracer takes the signal there instead of delivering it (Kernel.catch_parked_signal:
  its siginfo is kept, the delivery dropped, the call re-issued), and the re-issued
  handler first puts it back with an injected rt_tgsigqueueinfo to the thread itself
  (a thread may queue any si_code to itself), where it is pending and blocked again,
  as it was. Nothing escapes this: every sender reaches the host's queue.

  What differs from Linux: a caught process-wide signal comes back thread-directed
  (only multi-threaded programs can tell), and a caught signal whose re-issued call is
  abandoned (a handler of another signal that longjmps out) is lost.

signalfd_poll runs against the *current* task, and epoll registers on the sighand of
the thread that called epoll_ctl; Kevlar keeps both quirks (one wait queue per process).
Because the host queues signals without telling Kevlar, epoll re-polls signalfd items on
every epoll_wait (kevlar.ipc.epoll `repoll`).
"""

import os
import struct

from kevlar.abi.constants import CLD_CONTINUED, O_CLOEXEC, O_NONBLOCK, O_RDWR, SIGCHLD, SIGKILL, SIGSTOP
from kevlar.abi.errors import EAGAIN, EINVAL
from kevlar.abi.sysnums import SYSCALLS
from kevlar.ipc.anon import AnonFile
from kevlar.ipc.waitq import POLLIN, WaitQueue
from kevlar.process.blocking import Reissue

SFD_CLOEXEC = O_CLOEXEC
SFD_NONBLOCK = O_NONBLOCK
NR_RT_SIGTIMEDWAIT = SYSCALLS["rt_sigtimedwait"]
NR_RT_TGSIGQUEUEINFO = SYSCALLS["rt_tgsigqueueinfo"]
UNCATCHABLE = (1 << (SIGKILL - 1)) | (1 << (SIGSTOP - 1))
SIGINFO_SIZE = 128
SSI_SIZE = 128
SIGSET_SIZE = 8

# include/uapi/linux/signalfd.h struct signalfd_siginfo (128 bytes)
SIGNALFD_SIGINFO = struct.Struct("<IiiIIiIIIIiiQQQQHHiQI28x")
assert SIGNALFD_SIGINFO.size == SSI_SIZE

# asm-generic/siginfo.h si_code values and layouts (kernel/signal.c siginfo_layout)
SI_USER = 0
SI_KERNEL = 0x80
SI_TIMER = -2
SI_SIGIO = -5
SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGSEGV, SIGPOLL, SIGSYS = 4, 5, 7, 8, 11, 29, 31
_SICODES = {SIGILL: (11, "fault"), SIGFPE: (15, "fault"), SIGSEGV: (10, "fault"),
            SIGBUS: (5, "fault"), SIGTRAP: (6, "fault"), SIGCHLD: (6, "chld"),
            SIGPOLL: (6, "poll"), SIGSYS: (2, "sys")}
NSIGPOLL = 6


def _layout(sig: int, code: int) -> str:
    if SI_USER < code < SI_KERNEL:
        limit, layout = _SICODES.get(sig, (0, "kill"))
        if code <= limit:
            if sig == SIGBUS and code in (4, 5):
                return "mceerr"
            return layout
        if code <= NSIGPOLL:
            return "poll"
        return "kill"
    if code == SI_TIMER:
        return "timer"
    if code == SI_SIGIO:
        return "poll"
    if code < 0:
        return "rt"
    return "kill"


def to_signalfd_siginfo(info: bytes) -> bytes:
    """signalfd_copyinfo(): the fields of a (guest-view) siginfo that its layout has."""
    signo, errno, code = struct.unpack_from("<iii", info)
    f = dict(signo=signo, errno=errno, code=code, pid=0, uid=0, fd=0, tid=0, band=0,
             overrun=0, trapno=0, status=0, int=0, ptr=0, utime=0, stime=0, addr=0,
             addr_lsb=0, syscall=0, call_addr=0, arch=0)
    layout = _layout(signo, code)
    if layout in ("kill", "rt", "chld"):
        f["pid"], f["uid"] = struct.unpack_from("<iI", info, 16)
    if layout == "rt":
        f["ptr"] = struct.unpack_from("<Q", info, 24)[0]
        f["int"] = struct.unpack_from("<i", info, 24)[0]
    elif layout == "timer":
        f["tid"], f["overrun"] = struct.unpack_from("<iI", info, 16)
        f["ptr"] = struct.unpack_from("<Q", info, 24)[0]
        f["int"] = struct.unpack_from("<i", info, 24)[0]
    elif layout == "poll":
        f["band"], f["fd"] = struct.unpack_from("<qi", info, 16)
    elif layout in ("fault", "mceerr"):
        f["addr"] = struct.unpack_from("<Q", info, 16)[0]
        if layout == "mceerr":
            f["addr_lsb"] = struct.unpack_from("<H", info, 24)[0]
    elif layout == "chld":
        f["status"], f["utime"], f["stime"] = struct.unpack_from("<i4xqq", info, 24)
    elif layout == "sys":
        f["call_addr"], f["syscall"], f["arch"] = struct.unpack_from("<QiI", info, 16)
    return SIGNALFD_SIGINFO.pack(
        f["signo"] & 0xFFFFFFFF, f["errno"], f["code"], f["pid"] & 0xFFFFFFFF,
        f["uid"] & 0xFFFFFFFF, f["fd"], f["tid"] & 0xFFFFFFFF, f["band"] & 0xFFFFFFFF,
        f["overrun"] & 0xFFFFFFFF, f["trapno"] & 0xFFFFFFFF, f["status"], f["int"],
        f["ptr"], f["utime"] & (2**64 - 1), f["stime"] & (2**64 - 1), f["addr"],
        f["addr_lsb"], 0, f["syscall"], f["call_addr"], f["arch"] & 0xFFFFFFFF)


def guest_view(kernel, proc, info: bytes) -> bytes:
    """The siginfo as the guest process must read it (pids and uids it knows; Kevlar's
    own record for a signal Kevlar posted): kevlar.process.signals decides."""
    from kevlar.process.signals import guest_siginfo
    signo, _errno, code = struct.unpack_from("<iii", info)
    host_pid = struct.unpack_from("<i", info, 16)[0]
    patched = guest_siginfo(kernel, proc, info)
    if signo == SIGCHLD and 0 < code <= CLD_CONTINUED and host_pid not in kernel.by_host_pid:
        gone = getattr(kernel, "reaped_ids", {}).get(host_pid)
        if gone is not None:  # the child was reaped before its SIGCHLD was read
            base = info if patched is None else patched
            return base[:16] + struct.pack("<iI", *gone) + base[24:]
    return info if patched is None else patched


# -- what the host has pending --------------------------------------------------------------
def host_sigstate(task) -> tuple[int, int]:
    """(pending, blocked) of a guest thread as the host kernel has them: SigPnd | ShdPnd
    and SigBlk of /proc/TID/status (bit signo-1). A thread that is gone has neither."""
    try:
        fd = os.open(f"/proc/{task.host_tid}/status", os.O_RDONLY)
    except OSError:
        return 0, 0
    try:
        data = os.read(fd, 8192)
    except OSError:
        return 0, 0
    finally:
        os.close(fd)
    pending = blocked = 0
    for line in data.split(b"\n"):
        if line.startswith((b"SigPnd:", b"ShdPnd:")):
            pending |= int(line.split()[1], 16)
        elif line.startswith(b"SigBlk:"):
            blocked = int(line.split()[1], 16)
    return pending, blocked


def process_queue(proc) -> WaitQueue:
    """sighand->signalfd_wqh: one per process."""
    queue = getattr(proc, "signalfd_wqh", None)
    if queue is None:
        queue = proc.signalfd_wqh = WaitQueue()
    return queue


# -- catching signals for waits, and putting them back ----------------------------------------
def caught(kernel, task, sig: int, real: int | None) -> None:
    """Kernel.catch_parked_signal took sig at task's delivery stop (real: the thread's
    own mask, which the park's sleep replaced): keep its siginfo
    until the re-issued call re-queues it, and wake the process's signalfd waiters.

    The thread is still in get_signal under the park's mask, which unblocks what the
    wait watches: a second such signal would be delivered right after this one. So the
    thread's own mask goes back now (PTRACE_SETSIGMASK, which also drops the pending
    restore of rt_sigsuspend's saved mask): the rest stay pending, as they should."""
    try:
        info = kernel.engine.siginfo(task.host_tid)
    except OSError:
        return
    if real is not None:
        set_sigmask(task.host_tid, real)
    store = getattr(kernel, "caught_signals", None)
    if store is None:
        store = kernel.caught_signals = {}
    for gone in [t for t in store if kernel.tasks.get(t.host_tid) is not t]:
        del store[gone]  # threads that died before re-issuing their call
    store.setdefault(task, []).append((sig, info))
    process_queue(task.process).notify(POLLIN)


PTRACE_SETSIGMASK = 0x420B


def set_sigmask(host_tid: int, mask: int) -> None:
    """Set a stopped tracee's blocked mask (PTRACE_SETSIGMASK)."""
    import ctypes

    from kevlar.platform import libc
    value = ctypes.c_uint64(mask & ~UNCATCHABLE)
    try:
        libc.ptrace(PTRACE_SETSIGMASK, host_tid, SIGSET_SIZE, ctypes.addressof(value))
    except OSError:
        pass


def requeue_caught(task) -> None:
    """Put a caught signal back on the host's queue of this thread (then Reissue), so
    that the rest of the handler finds it pending. A no-op when nothing was caught."""
    store = getattr(task.kernel, "caught_signals", None)
    if not store:
        return
    entries = store.get(task)
    if not entries:
        store.pop(task, None)
        return
    if task.waking:
        raise Reissue()  # needs a real syscall stop
    from kevlar.platform.inject import inject_syscall, scratch_write
    sig, info = entries[0]
    addr = scratch_write(task, info)  # may Reissue itself (entries stay)
    entries.pop(0)
    if not entries:
        del store[task]
    inject_syscall(task, NR_RT_TGSIGQUEUEINFO, task.process.host_pid, task.host_tid, sig, addr)
    raise Reissue()


def wait_block(task, waits, files, deadline=None, interrupt=None, tempmask: int | None = None,
               tempmask_addr: int | None = None, state=None, on_interrupt=None):
    """The Block for a wait on `waits` (from a call that polls `files`), sleeping under
    the call's temporary mask if it has one, and unblocking (catching) the signals the
    signalfds among files watch, so that their arrival ends the sleep."""
    from kevlar.abi.errors import ERESTARTSYS
    from kevlar.ipc.epoll import watched_signals
    from kevlar.platform.inject import scratch_write
    from kevlar.process.blocking import Block
    watched = watched_signals(files) & ~UNCATCHABLE
    sigmask = tempmask_addr
    catch = real = 0
    if watched:
        if task.waking:
            # At a wake-up stop the thread is still inside the last park's sleep, under
            # its mask: /proc would show that one. Re-issue, and look at a real stop.
            raise Reissue()
        real = host_sigstate(task)[1]
        effective = tempmask if tempmask is not None else real
        catch = watched & effective
        if catch:
            sigmask = scratch_write(task, struct.pack("<Q", effective & ~catch))
    block = Block(waits, deadline=deadline,
                  interrupt=ERESTARTSYS if interrupt is None else interrupt,
                  state=state, sigmask=sigmask, catch=catch, on_interrupt=on_interrupt)
    block.real_mask = real if catch else None
    return block


# -- the file ------------------------------------------------------------------------------------
class SignalFd(AnonFile):
    """A signalfd: a mask (bit signo-1) over the reader's pending signals."""

    repoll = True
    anon_name = b"[signalfd]"

    def __init__(self, kernel, mask: int, flags: int):
        super().__init__(None, O_RDWR | (flags & (O_CLOEXEC | O_NONBLOCK)))
        self.kernel = kernel
        self.mask = mask & ~UNCATCHABLE

    @property
    def waitq(self) -> WaitQueue | None:
        task = self.kernel.current
        return process_queue(task.process) if task is not None else None

    def watched_signals(self) -> int:
        return self.mask

    def fdinfo(self) -> bytes:
        return b"sigmask:\t%016x\n" % self.mask

    def poll(self) -> int:
        task = self.kernel.current
        if task is None:
            return 0
        pending, _ = host_sigstate(task)
        return POLLIN if pending & self.mask else 0

    def read(self, task, size: int) -> bytes:
        """signalfd_read: as many records as fit, blocking only for the first."""
        count = size // SSI_SIZE
        if not count:
            raise EINVAL()
        requeue_caught(task)
        key = (id(self), size)
        stash = getattr(self.kernel, "signalfd_stash", None)
        if stash is None:
            stash = self.kernel.signalfd_stash = {}
        for gone in [t for t in stash if self.kernel.tasks.get(t.host_tid) is not t]:
            del stash[gone]
        records = []
        held = stash.pop(task, None)
        if held is not None and held[0] == key:
            records = held[1]
        pending, _ = host_sigstate(task)
        if not records and not pending & self.mask:
            if self.nonblocking:
                raise EAGAIN()
            raise wait_block(task, [(self.waitq, POLLIN)], [self])
        if task.waking:
            if records:
                stash[task] = (key, records)
            raise Reissue()  # injection needs a real syscall stop
        if pending & self.mask:
            info = self._dequeue(task)
            if info is not None:
                records.append(to_signalfd_siginfo(guest_view(self.kernel, task.process, info)))
                if len(records) < count and host_sigstate(task)[0] & self.mask:
                    stash[task] = (key, records)
                    _reissue(task)
        if not records:
            if self.nonblocking:
                raise EAGAIN()
            _reissue(task)  # someone else took it: wait again from the top
        return b"".join(records)

    def _dequeue(self, task) -> bytes | None:
        """One rt_sigtimedwait(mask, info, {0, 0}) in the reading thread."""
        from kevlar.platform.inject import inject_syscall, scratch_write
        addr = scratch_write(task, struct.pack("<Q", self.mask) + bytes(SIGINFO_SIZE + 16))
        result = inject_syscall(task, NR_RT_SIGTIMEDWAIT, addr, addr + 8, addr + 8 + SIGINFO_SIZE,
                                8, reissue=False)
        if result <= 0:
            return None
        return task.read(addr + 8, SIGINFO_SIZE)


def _reissue(task) -> None:
    """After an injection that kept the registers (reissue=False): make the thread run
    its own call again instead of returning."""
    from kevlar.platform.ptrace import ORIG_RAX, RAX, RIP
    engine = task.kernel.engine
    regs = engine.regs
    regs[RIP] -= 2
    regs[RAX] = regs[ORIG_RAX]
    engine.store_regs(task.host_tid)
    raise Reissue()
