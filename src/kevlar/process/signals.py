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
import struct

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
    SIGKILL,
    STOP_SIGNALS,
)
from kevlar.abi.errors import EINTR, ERESTARTSYS
from kevlar.platform import libc

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
    vpid = sender.pid if sender is not None else 0
    uid = sender.creds.uid if sender is not None else host_uid
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


def parked_call_restarts(sighand, sig: int, interrupt: int) -> bool:
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
      ERESTART_RESTARTBLOCK and EINTR calls fail with EINTR.
    """
    handler = sighand.handler(sig)
    if handler == SIG_IGN or sig == SIGKILL:
        return True
    if handler == SIG_DFL:
        if sig in DEFAULT_IGNORED:
            return True
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
