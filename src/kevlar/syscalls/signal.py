"""Signal syscalls: Kevlar's view of dispositions and masks, and pid translation for
every way of sending a signal (kernel/signal.c).

The host queues and delivers; Kevlar decides who the targets are and checks permission
with the credentials the guest has in Kevlar's world (the host processes all run as
the tracer's user), and keeps the view of dispositions that restart rules,
auto-reaping and execve need.

kill, tkill and tgkill are sent by the tracer (kevlar.process.signals.post_signal) with
the siginfo Linux builds at send time: SI_USER or SI_TKILL, the sender's vpid and its
real uid then. Letting the host run a rewritten kill would name the sender by host pid,
to be translated when the signal is read; by then the sender may have exited and been
reaped, or changed its uid. kill(-1) must not reach the host's processes anyway, and a
group only partly permitted needs per-member decisions. rt_sigqueueinfo with a negative
si_code (sigqueue's SI_QUEUE) carries the sender's own words: the host runs it with the
target's host pid. One sent to oneself with a kernel-only si_code is posted too, so its
si_pid is not taken for a host pid when read.
"""

import struct

from kevlar.abi.constants import (
    SI_TKILL,
    SI_USER,
    SIG_BLOCK,
    SIG_SETMASK,
    SIG_UNBLOCK,
    SIGCONT,
    SIGKILL,
    SIGSTOP,
    sigbit,
)
from kevlar.abi.errors import EFAULT, EINVAL, EPERM, ESRCH, LinuxError
from kevlar.abi.structs import KSIGACTION
from kevlar.platform.interface import ACT_CONTINUE, ACT_SYSCALL
from kevlar.process.signals import (
    KERNEL_SIGINFO_SIZE,
    SIGINFO_SIZE,
    guest_siginfo,
    make_siginfo,
    post_signal,
    settle,
)
from kevlar.syscalls.args import Int, Pid, Ptr, Size
from kevlar.syscalls.common import rewrite_args

SIGSET = struct.Struct("<Q")
UNBLOCKABLE = sigbit(SIGKILL) | sigbit(SIGSTOP)
SIGSET_SIZE = 8
CAP_KILL = 5
INT_MIN = -(1 << 31)


# -- dispositions and masks --------------------------------------------------------------------
def sys_rt_sigaction(task, sig: Int, act: Ptr, oact: Ptr, sigsetsize: Size) -> int:
    """rt_sigaction(2): the host runs it (its errnos, in its order: EINVAL for the size,
    EFAULT for act, EINVAL for the signal); Kevlar records the new action on success."""
    if not act:
        return ACT_CONTINUE
    try:
        new = KSIGACTION.unpack(task.read(act, KSIGACTION.size))
    except EFAULT:
        return ACT_CONTINUE  # the host fails it with EFAULT too

    def record(thread, result: int) -> int:
        if result == 0:
            thread.process.sighand.actions[sig] = (new.sa_handler, new.sa_flags,
                                                   new.sa_mask & ~UNBLOCKABLE)
        return result

    task.exit_hook = record
    return ACT_SYSCALL


def sys_rt_sigprocmask(task, how: Int, nset: Ptr, oset: Ptr, sigsetsize: Size) -> int:
    """rt_sigprocmask(2): the host runs it; Kevlar predicts the new mask where the host
    will change it (right size, readable set, valid how), so no exit stop is needed.
    task.sigmask is the mask as the thread last set it; a handler's frame widens the
    host's mask until sigreturn (process.signals.host_signal_sets reads the exact one)."""
    if sigsetsize == SIGSET_SIZE and nset and how in (SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK):
        try:
            value = SIGSET.unpack(task.read(nset, SIGSET_SIZE))[0] & ~UNBLOCKABLE
        except EFAULT:
            return ACT_CONTINUE
        if how == SIG_BLOCK:
            task.sigmask |= value
        elif how == SIG_UNBLOCK:
            task.sigmask &= ~value
        else:
            task.sigmask = value
    return ACT_CONTINUE


# -- permission --------------------------------------------------------------------------------
def check_kill_permission(task, target, sig: int, from_user: bool = True) -> None:
    """kernel/signal.c check_kill_permission(): EINVAL for an invalid signal, then (for
    a signal from user space to another process) kill_ok_by_cred(): a real or effective
    uid matching the target's real or saved uid, or CAP_KILL; SIGCONT within the
    session is always allowed."""
    if not 0 <= sig <= 64:
        raise EINVAL()
    if not from_user or target is task.process:
        return
    c = task.creds
    t = target.creds
    if c.euid in (t.suid, t.uid) or c.uid in (t.suid, t.uid) or c.capable(CAP_KILL):
        return
    if sig == SIGCONT and target.sid == task.process.sid:
        return
    raise EPERM()


def _process_of(kernel, pid: int):
    """The process a pid names (a tid names its process, as find_vpid does); zombies
    count until they are reaped."""
    proc = kernel.find_process(pid)
    if proc is None:
        thread = kernel.threads.get(pid)
        proc = thread.process if thread is not None else None
    if proc is None or proc.reaped:
        return None
    return proc


def _sender_info(task, sig: int) -> bytes:
    """The siginfo kill() gives: SI_USER, the sender's pid and real uid."""
    return make_siginfo(sig, SI_USER, task.process.pid, task.creds.uid)


def _tkill_info(task, sig: int) -> bytes:
    """The siginfo tkill()/tgkill() give: SI_TKILL, the sender's pid and real uid."""
    return make_siginfo(sig, SI_TKILL, task.process.pid, task.creds.uid)


# -- sending -----------------------------------------------------------------------------------
def sys_kill(task, pid: Pid, sig: Int) -> int:
    """kill(2) with guest pids (kill_something_info): pid > 0 one process (any of its
    tids names it), 0 the caller's group, -1 every process but pid 1 and the caller,
    < -1 the group -pid."""
    kernel = task.kernel
    if pid > 0:
        target = _process_of(kernel, pid)
        if target is None:
            raise ESRCH()
        check_kill_permission(task, target, sig)
        if sig and not target.zombie:
            post_signal(kernel, target, sig, _sender_info(task, sig))
            settle(kernel, [target], sig, task.process)
        return 0
    if pid == INT_MIN:
        raise ESRCH()  # -INT_MIN is undefined
    if pid == -1:
        return _kill_all(task, sig)
    return _kill_group(task, task.process.pgid if pid == 0 else -pid, sig)


def _kill_all(task, sig: int) -> int:
    """kill(-1, sig): every process the caller may signal except pid 1 and itself; 0 if
    there was any such process (even when each refused with EPERM: Linux keeps the
    last error that is not EPERM), else ESRCH. The tracer posts each signal, naming the
    caller as sender (the host's kill(-1) would reach host processes)."""
    count = 0
    error = None
    me = task.process
    killed = []
    for proc in list(task.kernel.processes.values()):
        if proc.pid <= 1 or proc is me or proc.reaped:
            continue
        count += 1
        try:
            check_kill_permission(task, proc, sig)
        except EPERM:
            continue
        except LinuxError as exc:
            error = exc
            continue
        error = None
        if sig and not proc.zombie:
            post_signal(task.kernel, proc, sig, _sender_info(task, sig))
            killed.append(proc)
    if sig:
        settle(task.kernel, killed, sig, me)
    if not count:
        raise ESRCH()
    if error is not None:
        raise error
    return 0


def _kill_group(task, pgid: int, sig: int) -> int:
    """kill(-pgid, sig) (__kill_pgrp_info): 0 if any member was signalled, else the last
    error; ESRCH for an empty group. When every member may be signalled the host does
    it on the host group (the groups are the same there: setpgid/setsid are applied to
    the host); otherwise the tracer posts to the permitted members."""
    kernel = task.kernel
    members = [p for p in kernel.processes.values() if p.pgid == pgid and not p.reaped]
    if not members:
        raise ESRCH()
    allowed = []
    last = None
    for proc in members:
        try:
            check_kill_permission(task, proc, sig)
        except LinuxError as exc:
            last = exc
            continue
        allowed.append(proc)
    if not allowed:
        raise last
    if sig:
        for proc in allowed:
            if not proc.zombie:
                post_signal(kernel, proc, sig, _sender_info(task, sig))
        settle(kernel, allowed, sig, task.process)
    return 0


def _specific(task, tgid: int, tid: int):
    """do_send_specific(): the thread tid, of process tgid when tgid > 0 (else ESRCH)."""
    thread = task.kernel.threads.get(tid)
    if thread is None or (tgid > 0 and thread.process.pid != tgid):
        raise ESRCH()
    return thread


def sys_tgkill(task, tgid: Pid, tid: Pid, sig: Int) -> int:
    """tgkill(2): EINVAL for ids <= 0, ESRCH unless tid is a thread of tgid, then
    EINVAL for the signal, EPERM."""
    if tid <= 0 or tgid <= 0:
        raise EINVAL()
    thread = _specific(task, tgid, tid)
    check_kill_permission(task, thread.process, sig)
    if sig:
        post_signal(task.kernel, thread.process, sig, _tkill_info(task, sig), thread)
        settle(task.kernel, [thread.process], sig, task.process)
    return 0


def sys_tkill(task, tid: Pid, sig: Int) -> int:
    """tkill(2)."""
    if tid <= 0:
        raise EINVAL()
    thread = _specific(task, 0, tid)
    check_kill_permission(task, thread.process, sig)
    if sig:
        post_signal(task.kernel, thread.process, sig, _tkill_info(task, sig), thread)
        settle(task.kernel, [thread.process], sig, task.process)
    return 0


def _read_user_siginfo(task, uinfo: int, sig: int) -> bytes:
    """copy_siginfo_from_user(): the 48 bytes the kernel keeps (EFAULT), si_signo set
    to the signal being sent."""
    raw = task.read(uinfo, KERNEL_SIGINFO_SIZE)
    return struct.pack("<i", sig) + raw[4:] + bytes(SIGINFO_SIZE - KERNEL_SIGINFO_SIZE)


def _forged(info: bytes) -> bool:
    """A si_code only the kernel may use for another process (si_code >= 0, SI_TKILL)."""
    code = struct.unpack_from("<i", info, 8)[0]
    return code >= 0 or code == SI_TKILL


def sys_rt_sigqueueinfo(task, tgid: Pid, sig: Int, uinfo: Ptr) -> int:
    """rt_sigqueueinfo(2): EFAULT for the siginfo, EPERM for a kernel-only si_code aimed
    at another process, then as kill(pid). The sender's siginfo reaches the target as
    written (musl's sigqueue names itself with its vpid); one sent to oneself with a
    kernel-only si_code is posted by the tracer, so its si_pid is not taken for a host
    pid at delivery."""
    info = _read_user_siginfo(task, uinfo, sig)
    forged = _forged(info)
    if forged and tgid != task.tid:
        raise EPERM()
    target = _process_of(task.kernel, tgid) if tgid > 0 else None
    if target is None:
        raise ESRCH()
    check_kill_permission(task, target, sig, from_user=struct.unpack_from("<i", info, 8)[0] <= 0)
    if sig == 0 or target.zombie:
        return 0
    if forged:
        post_signal(task.kernel, target, sig, info)
        return 0
    return rewrite_args(task, {0: target.host_pid})


def sys_rt_tgsigqueueinfo(task, tgid: Pid, tid: Pid, sig: Int, uinfo: Ptr) -> int:
    """rt_tgsigqueueinfo(2): EFAULT, then EINVAL for ids <= 0, EPERM for a kernel-only
    si_code aimed at another thread, then as tgkill."""
    info = _read_user_siginfo(task, uinfo, sig)
    if tid <= 0 or tgid <= 0:
        raise EINVAL()
    forged = _forged(info)
    if forged and tid != task.tid:
        raise EPERM()
    thread = _specific(task, tgid, tid)
    check_kill_permission(task, thread.process, sig,
                          from_user=struct.unpack_from("<i", info, 8)[0] <= 0)
    if sig == 0:
        return 0
    if forged:
        post_signal(task.kernel, thread.process, sig, info, thread)
        return 0
    return rewrite_args(task, {0: thread.process.host_pid, 1: thread.host_tid})


# -- waiting -----------------------------------------------------------------------------------
def sys_rt_sigtimedwait(task, uthese: Ptr, uinfo: Ptr, uts: Ptr, sigsetsize: Size) -> int:
    """rt_sigtimedwait(2): the thread waits natively (signals are the host's; the host
    gives the errnos); the siginfo it dequeued is shown with guest ids."""
    if not uinfo:
        return ACT_CONTINUE

    def translate(thread, result: int) -> int:
        if result > 0:
            try:
                raw = thread.read(uinfo, KERNEL_SIGINFO_SIZE)
            except EFAULT:
                return result
            patched = guest_siginfo(thread.kernel, thread.process, raw)
            if patched is not None:
                thread.write(uinfo, patched)
        return result

    task.exit_hook = translate
    return ACT_SYSCALL
