"""Signals seen from the tracer: what a guest reads in a siginfo, and signals Kevlar sends.

The host kernel generates and delivers every signal. Two things need Kevlar:

1. Ids. The host fills si_pid (and si_uid) with host ids for kill (SI_USER),
   tkill/tgkill (SI_TKILL) and SIGCHLD (CLD_*). At the signal-delivery stop, and in
   the siginfo rt_sigtimedwait returns, `guest_siginfo` rewrites them to the ids the
   guest knows: the sender's vpid (0 for a sender outside the guest world, as a pid
   namespace shows it) and the sender's Kevlar uid. SI_QUEUE and the other negative
   codes are the sender's own words (musl's sigqueue writes its getpid(), a vpid)
   and are left alone.

2. Signals Kevlar sends on a guest's behalf, where Linux would name a guest as the
   sender: kill(-1, sig) (Kevlar picks the targets: the host's kill(-1) would reach
   every host process), kill of a process group only partly permitted, SIGCHLD to a
   Kevlar parent that is not the host parent (pid 1 and every reparented orphan: the
   host told the tracer), SIGPIPE, the parent-death signal, and a guest's
   rt_sigqueueinfo to itself with a non-negative si_code. Linux lets nobody forge
   si_code >= 0 for another process, so the tracer cannot send the real siginfo.
   It sends a marker instead (`post_signal`): rt_[tg]sigqueueinfo with si_code
   SI_QUEUE, which any sender may use, carrying a record number and a per-run random
   token in the union bytes 32..48 (kernel_siginfo keeps 48 bytes). Kevlar keeps the
   siginfo the guest must see in `Process.posted[record]`; wherever the guest would
   read the marker (the delivery stop, rt_sigtimedwait, a signalfd), guest_siginfo
   swaps it for the record. The host still does the queueing, so coalescing of
   standard signals, masks, ordering and restart rules stay the host's and exact.
   Unmatched markers (a standard signal already pending drops the second one) leave a
   record that is dropped with the process.
"""

import os
import select
import struct
import time

from kevlar.abi.constants import (
    CLD_CONTINUED,
    DEFAULT_IGNORED,
    SA_RESETHAND,
    SA_RESTART,
    SI_QUEUE,
    SI_TKILL,
    SI_USER,
    SIG_DFL,
    SIG_IGN,
    SIGCHLD,
    SIGCONT,
    SIGKILL,
    STOP_SIGNALS,
)
from kevlar.abi.errors import EINTR, ERESTARTSYS
from kevlar.platform import libc
from kevlar.platform.ptrace import ORIG_RAX, R8, R9, R10, RDI, RDX, RSI

# asm-generic/siginfo.h, 64-bit: signo, errno, code, 4 bytes of padding, then the union.
# _kill/_rt/_sigchld all start with {pid, uid}; _sigchld goes on with status, utime, stime.
SIGINFO_SIZE = 128
KERNEL_SIGINFO_SIZE = 48  # what the kernel copies from and keeps of a user siginfo
HEAD = struct.Struct("<iii")
SI_PID = struct.Struct("<i")
SI_PID_OFFSET = 16
SI_UID_OFFSET = 20
SI_CODE = struct.Struct("<i")
IDS = struct.Struct("<iI")  # si_pid, si_uid at offset 16
MARK = struct.Struct("<Q8s")  # record number, token at offset 32
MARK_OFFSET = 32

TOKEN = os.urandom(8)
POSTED_LIMIT = 4096


def make_siginfo(sig: int, code: int, pid: int = 0, uid: int = 0, status: int = 0,
                 value: int = 0) -> bytes:
    """A 128-byte siginfo as a guest reads it: the kill/rt layout (value is the sigval)
    or, for SIGCHLD with a CLD_* code, the sigchld layout (status; utime and stime 0)."""
    head = HEAD.pack(sig, 0, code) + bytes(4) + IDS.pack(pid, uid)
    if sig == SIGCHLD and 0 < code <= CLD_CONTINUED:
        body = struct.pack("<i4xqq", status, 0, 0)
    else:
        body = struct.pack("<Q", value & 0xFFFFFFFFFFFFFFFF)
    raw = head + body
    return raw + bytes(SIGINFO_SIZE - len(raw))


def post_signal(kernel, proc, sig: int, info: bytes | None = None, thread=None) -> None:
    """Send sig from the tracer to a guest process (thread: to that thread only) so that
    the guest reads `info` (a siginfo from make_siginfo; None: SI_USER from outside,
    si_pid 0). A process already gone is not an error."""
    if proc.zombie or proc.reaped or sig == 0:
        return
    if sig == SIGKILL or info is None:
        try:
            if thread is None:
                os.kill(proc.host_pid, sig)
            else:
                libc.tgkill(proc.host_pid, thread.host_tid, sig)
        except ProcessLookupError:
            pass
        return
    kernel.posted_serial = serial = getattr(kernel, "posted_serial", 0) + 1
    proc.posted[serial] = info
    if len(proc.posted) > POSTED_LIMIT:  # markers the host dropped (a standard signal
        del proc.posted[next(iter(proc.posted))]  # already pending) are never read
    marker = bytearray(info[:SIGINFO_SIZE].ljust(SIGINFO_SIZE, b"\0"))
    SI_CODE.pack_into(marker, 8, SI_QUEUE)
    MARK.pack_into(marker, MARK_OFFSET, serial, TOKEN)
    marker[KERNEL_SIGINFO_SIZE:] = bytes(SIGINFO_SIZE - KERNEL_SIGINFO_SIZE)
    try:
        libc.sigqueueinfo(proc.host_pid, thread.host_tid if thread is not None else 0, sig,
                          bytes(marker))
    except OSError:
        proc.posted.pop(serial, None)  # gone meanwhile (ESRCH), or over RLIMIT_SIGPENDING


def guest_siginfo(kernel, proc, info: bytes) -> bytes | None:
    """The siginfo the guest process proc must read instead of the host's `info`, or
    None when the host's is already right. See the module docstring."""
    signo, _errno, code = HEAD.unpack_from(info)
    if code == SI_QUEUE and info[MARK_OFFSET + 8:MARK_OFFSET + 16] == TOKEN:
        serial = MARK.unpack_from(info, MARK_OFFSET)[0]
        record = proc.posted.pop(serial, None)
        if record is None:  # not ours to read (never happens): strip the marker
            record = make_siginfo(signo, SI_USER)
        return record[:len(info)].ljust(len(info), b"\0")
    if not (code in (SI_USER, SI_TKILL) or (signo == SIGCHLD and 0 < code <= CLD_CONTINUED)):
        return None
    host_pid, host_uid = IDS.unpack_from(info, SI_PID_OFFSET)
    sender = kernel.by_host_pid.get(host_pid)
    if sender is None:
        thread = kernel.tasks.get(host_pid)
        sender = thread.process if thread is not None else None
    if sender is not None:
        vpid, uid = sender.pid, sender.creds.uid
    else:
        # A child reaped before its SIGCHLD is read (sigtimedwait, signalfd) is still
        # named: lifecycle.release keeps the ids of recent reaps.
        vpid, uid = getattr(kernel, "reaped_ids", {}).get(host_pid, (0, host_uid))
    if (vpid, uid) == (host_pid, host_uid):
        return None
    return info[:SI_PID_OFFSET] + IDS.pack(vpid, uid) + info[SI_PID_OFFSET + IDS.size:]


def translate_siginfo(kernel, task, sig: int) -> None:
    """At a signal-delivery stop: show the guest its own ids (and Kevlar's siginfo for
    the signals Kevlar posted)."""
    if sig == 0:
        return
    engine = kernel.engine
    try:
        info = engine.siginfo(task.host_tid)
    except OSError:
        return
    patched = guest_siginfo(kernel, task.process, info)
    if patched is not None:
        engine.set_siginfo(task.host_tid, patched)


def parked_call_restarts(sighand, sig: int, interrupt: int, partial: int | None = None) -> bool:
    """Does a parked call restart (True) or end with EINTR/its partial count (False) when
    sig is delivered to its thread? One place for Linux's rules (kernel/signal.c
    get_signal, arch/x86/kernel/signal.c handle_signal), from the call's `interrupt`:

    - a signal Linux would discard (SIG_IGN, or a default-ignored one: SIGCHLD, SIGURG,
      SIGWINCH, SIGCONT) never woke the call natively: it goes on;
    - a default stop signal stops the process; when SIGCONT resumes it, ERESTARTSYS and
      ERESTARTNOHAND calls restart, while calls that never restart (interrupt EINTR:
      epoll_wait, sigtimedwait...) fail with EINTR (signal(7), "Interruption of system
      calls and library functions by stop signals");
    - a default action that kills: nothing returns, restart is as good as anything;
    - a handler runs: ERESTARTSYS restarts only with SA_RESTART; ERESTARTNOHAND,
      ERESTART_RESTARTBLOCK and EINTR calls fail with EINTR;
    - a call that already moved data (`partial`) returns that count for any signal that
      wakes it, SA_RESTART or a stop signal alike: restarting applies only to
      -ERESTARTSYS, which a call returns when it did nothing (fs/pipe.c pipe_write).
    """
    handler = sighand.handler(sig)
    if handler == SIG_IGN or sig == SIGKILL:
        return True
    if handler == SIG_DFL and sig in DEFAULT_IGNORED:
        return True
    if partial is not None:
        return False
    if handler == SIG_DFL:
        if sig in STOP_SIGNALS:
            return interrupt not in (EINTR, EINTR.errno)  # Block takes either spelling
        return True
    if interrupt == ERESTARTSYS:
        return bool(sighand.flags(sig) & SA_RESTART)
    return False


def delivering(task, sig: int) -> None:
    """The host is about to deliver sig to task (its signal-delivery stop): keep
    Kevlar's view of the disposition exact. SA_RESETHAND makes the handler SIG_DFL once
    it is used (get_signal: SA_ONESHOT)."""
    if sig == 0:
        return
    sighand = task.process.sighand
    action = sighand.actions.get(sig)
    if action is not None and action[0] not in (SIG_DFL, SIG_IGN) and action[1] & SA_RESETHAND:
        sighand.actions[sig] = (SIG_DFL, action[1], action[2])


SIGNAL_SETS = (b"SigPnd", b"ShdPnd", b"SigBlk", b"SigIgn", b"SigCgt")


def host_signal_sets(task) -> dict[str, int]:
    """The exact pending/blocked/ignored/caught sets of a guest thread, from the host
    (its signal state lives there: rt_sigprocmask and rt_sigaction run natively, handlers
    change the mask and sigreturn restores it without a stop). Keys: SigPnd (this
    thread), ShdPnd (the process), SigBlk, SigIgn, SigCgt; bit n-1 is signal n."""
    proc = task.process
    out = dict.fromkeys((k.decode() for k in SIGNAL_SETS), 0)
    try:
        with open(f"/proc/{proc.host_pid}/task/{task.host_tid}/status", "rb") as f:
            for line in f:
                key, _, value = line.partition(b":")
                if key in SIGNAL_SETS:
                    out[key.decode()] = int(value.strip(), 16)
    except (OSError, ValueError):
        pass
    return out


SETTLE_NS = 200_000_000  # how long a sender may wait for its targets to react
WALL = 0x40000000
SECCOMP_STOP = 5 | (7 << 8)  # SIGTRAP | PTRACE_EVENT_SECCOMP << 8
# Default action: terminate (or dump core): signal(7).
DEFAULT_FATAL = frozenset(range(1, 65)) - DEFAULT_IGNORED - STOP_SIGNALS


def _expected_reaction(proc, sig: int):
    """What sig will visibly do to proc, as a predicate "done?" of the process, or None
    when nothing the parent hears of (a handler runs, it is ignored or blocked)."""
    if sig == SIGKILL:
        return lambda p: p.zombie
    if sig == SIGCONT:  # continues a stopped process whatever its disposition
        return (lambda p: not p.stopped or p.zombie) if proc.stopped else None
    if proc.stopped or proc.sighand.handler(sig) != SIG_DFL:
        return None  # a stopped process keeps the signal pending until SIGCONT
    if sig not in DEFAULT_FATAL and sig not in STOP_SIGNALS:
        return None
    bit = 1 << (sig - 1)
    threads = list(proc.threads.values())
    if any(t.block is not None and t.block.catch & bit for t in threads):
        return None  # a signalfd wait takes it at the delivery stop (Block.catch)
    if threads and all(host_signal_sets(t)["SigBlk"] & bit for t in threads):
        return None
    if sig in STOP_SIGNALS:
        return lambda p: p.stopped or p.zombie
    return lambda p: p.zombie


def settle(kernel, procs, sig: int, sender) -> None:
    """After sending sig to procs, let them react before the sender's call returns.

    Natively a process that is killed, stopped or continued reacts at once (wakeup
    preemption, or another CPU), and its parent's SIGCHLD comes with kill's return.
    Under Kevlar the reaction goes through the tracer (the signal-delivery stop, the
    exit the tracer must reap, the group stop it answers with PTRACE_LISTEN), and the
    tracer shares one CPU with the guests: a shell that killed a job went on to print
    its prompt, and the SIGCHLD arrived in the middle of that write (ash's handler has
    no SA_RESTART: the prompt was lost). So the tracer handles the stops of the target
    threads, and only theirs, until each target has died, stopped or continued as the
    signal's default action says, or SETTLE_NS passed. Targets that run a handler,
    ignore or block the signal are not waited for."""
    fd = getattr(kernel, "_sigchld_fd", None)
    waits = []
    for proc in procs:
        if proc is sender or proc.zombie or proc.reaped:
            continue
        done = _expected_reaction(proc, sig)
        if done is not None:
            waits.append((proc, done))
    if fd is None or not waits:
        return
    engine = kernel.engine
    saved = list(engine.regs)  # the sender's registers: nested stops reload the buffer
    current = kernel.current
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    deadline = time.monotonic_ns() + SETTLE_NS
    try:
        while True:
            waits = [(p, done) for p, done in waits if not done(p)]
            if not waits:
                break
            progressed = False
            for proc, _done in waits:
                for thread in list(proc.threads.values()):
                    try:
                        got, status = os.waitpid(thread.host_tid, os.WNOHANG | WALL)
                    except ChildProcessError:
                        continue
                    if got:
                        progressed = True
                        _dispatch(kernel, got, status)
            left = deadline - time.monotonic_ns()
            if left <= 0:
                break
            if not progressed and poller.poll(max(1, left // 1_000_000)):
                try:
                    os.read(fd, 4096)  # drain() goes on until waitpid has nothing left
                except BlockingIOError:
                    pass
    finally:
        regs = engine.regs
        for i, value in enumerate(saved):
            regs[i] = value
        kernel.current = current


def dispatch_pending(kernel, threads) -> None:
    """Handle whatever stop or exit the host already reports for these threads (waitpid
    with WNOHANG on each), as drain() would, without waiting. The caller's registers and
    kernel.current are kept (a stop handled here loads another thread's registers)."""
    engine = kernel.engine
    saved = list(engine.regs)
    current = kernel.current
    try:
        for thread in list(threads):
            try:
                got, status = os.waitpid(thread.host_tid, os.WNOHANG | WALL)
            except ChildProcessError:
                continue
            if got:
                _dispatch(kernel, got, status)
    finally:
        regs = engine.regs
        for i, value in enumerate(saved):
            regs[i] = value
        kernel.current = current


def _dispatch(kernel, tid: int, status: int) -> None:
    """One stop of a thread, handled as the engine's drain() would."""
    engine = kernel.engine
    if (status & 0xFF) == 0x7F and (status >> 8) == SECCOMP_STOP:
        task = kernel.tasks.get(tid)
        if task is not None and task.ready:
            try:
                engine.load_regs(tid)
            except ProcessLookupError:
                return
            r = engine.regs
            engine.apply(tid, kernel.syscall(task, r[ORIG_RAX], r[RDI], r[RSI], r[RDX], r[R10],
                                             r[R8], r[R9]))
            return
    kernel.on_stop(tid, status)
