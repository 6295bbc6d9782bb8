"""Signal syscalls: Kevlar's view of dispositions and masks, and pid translation for
every way of sending a signal (kernel/signal.c). The host delivers; Kevlar decides who
the target is and keeps the view that restart rules and execve need."""

import struct

from kevlar.abi.constants import SIG_BLOCK, SIG_SETMASK, SIG_UNBLOCK, SIGKILL, SIGSTOP, sigbit
from kevlar.abi.errors import EINVAL, EPERM, ESRCH
from kevlar.abi.structs import KSIGACTION
from kevlar.platform.interface import ACT_CONTINUE, ACT_SYSCALL
from kevlar.syscalls.args import Int, Pid, Ptr, Size

SIGSET = struct.Struct("<Q")
UNBLOCKABLE = sigbit(SIGKILL) | sigbit(SIGSTOP)


def sys_rt_sigaction(task, sig: Int, act: Ptr, oact: Ptr, sigsetsize: Size) -> int:
    """rt_sigaction(2): the host runs it; Kevlar records the new action on success."""
    if sigsetsize != 8 or not 1 <= sig <= 64:
        raise EINVAL()
    if act and sig in (SIGKILL, SIGSTOP):
        raise EINVAL()
    if not act:
        return ACT_CONTINUE
    new = KSIGACTION.unpack(task.read(act, KSIGACTION.size))

    def record(thread, result: int) -> int:
        if result == 0:
            thread.process.sighand.actions[sig] = (new.sa_handler, new.sa_flags, new.sa_mask)
        return result

    task.exit_hook = record
    return ACT_SYSCALL


def sys_rt_sigprocmask(task, how: Int, nset: Ptr, oset: Ptr, sigsetsize: Size) -> int:
    """rt_sigprocmask(2): the host runs it; Kevlar predicts the new mask (the checks are
    Linux's, so the prediction holds whenever the host call succeeds)."""
    if sigsetsize != 8:
        raise EINVAL()
    if nset:
        if how not in (SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK):
            raise EINVAL()
        value = SIGSET.unpack(task.read(nset, 8))[0] & ~UNBLOCKABLE
        if how == SIG_BLOCK:
            task.sigmask |= value
        elif how == SIG_UNBLOCK:
            task.sigmask &= ~value
        else:
            task.sigmask = value
    return ACT_CONTINUE


def _check_sig(sig: int) -> None:
    if not 0 <= sig <= 64:
        raise EINVAL()


def _may_signal(task, target) -> None:
    """kill_ok_by_cred(): root, or a real/effective uid matching the target's real or
    saved uid."""
    c = task.creds
    t = target.creds
    if c.euid == 0 or c.euid in (t.uid, t.suid) or c.uid in (t.uid, t.suid):
        return
    raise EPERM()


def sys_kill(task, pid: Pid, sig: Int) -> int:
    """kill(2) with guest pids: pid, 0 (own group), -1 (everyone but pid 1 and the
    caller), -pgid."""
    from kevlar.syscalls.common import rewrite_args
    _check_sig(sig)
    kernel = task.kernel
    if pid > 0:
        target = kernel.find_process(pid)
        if target is None:
            thread = kernel.threads.get(pid)
            target = thread.process if thread is not None else None
        if target is None or target.reaped:
            raise ESRCH()
        _may_signal(task, target)
        if target.zombie:
            return 0
        return rewrite_args(task, {0: target.host_pid})
    if pid == -1:
        hit = False
        for proc in list(kernel.processes.values()):
            if proc.pid == 1 or proc is task.process or proc.zombie:
                continue
            _may_signal(task, proc)
            if sig:
                kernel.send_signal(proc, sig)
            hit = True
        if not hit:
            raise ESRCH()
        return 0
    pgid = task.process.pgid if pid == 0 else -pid
    if pid == -(1 << 31):
        raise ESRCH()
    host_pgid = kernel.host_pgid(pgid)
    if host_pgid is None:
        raise ESRCH()
    return rewrite_args(task, {0: -host_pgid})


def _thread(task, tgid: int, tid: int):
    if tid <= 0 or tgid == 0 or tgid < -1:
        raise EINVAL()
    thread = task.kernel.threads.get(tid)
    if thread is None or (tgid > 0 and thread.process.pid != tgid):
        raise ESRCH()
    return thread


def sys_tgkill(task, tgid: Pid, tid: Pid, sig: Int) -> int:
    """tgkill(2)."""
    from kevlar.syscalls.common import rewrite_args
    if tgid <= 0:
        raise EINVAL()
    _check_sig(sig)
    thread = _thread(task, tgid, tid)
    _may_signal(task, thread.process)
    return rewrite_args(task, {0: thread.process.host_pid, 1: thread.host_tid})


def sys_tkill(task, tid: Pid, sig: Int) -> int:
    """tkill(2)."""
    from kevlar.syscalls.common import rewrite_args
    if tid <= 0:
        raise EINVAL()
    _check_sig(sig)
    thread = _thread(task, -1, tid)
    _may_signal(task, thread.process)
    return rewrite_args(task, {0: thread.host_tid})


def sys_rt_sigqueueinfo(task, tgid: Pid, sig: Int, info: Ptr) -> int:
    """rt_sigqueueinfo(2): the sender's siginfo goes as written (it names itself)."""
    from kevlar.syscalls.common import rewrite_args
    _check_sig(sig)
    target = task.kernel.find_process(tgid)
    if target is None or target.reaped:
        raise ESRCH()
    _may_signal(task, target)
    return rewrite_args(task, {0: target.host_pid})


def sys_rt_tgsigqueueinfo(task, tgid: Pid, tid: Pid, sig: Int, info: Ptr) -> int:
    """rt_tgsigqueueinfo(2)."""
    from kevlar.syscalls.common import rewrite_args
    if tgid <= 0:
        raise EINVAL()
    _check_sig(sig)
    thread = _thread(task, tgid, tid)
    _may_signal(task, thread.process)
    return rewrite_args(task, {0: thread.process.host_pid, 1: thread.host_tid})


def sys_rt_sigtimedwait(task, uthese: Ptr, uinfo: Ptr, uts: Ptr, sigsetsize: Size) -> int:
    """rt_sigtimedwait(2): waits natively; the sender pid in the siginfo is translated."""
    if sigsetsize != 8:
        raise EINVAL()
    if not uinfo:
        return ACT_CONTINUE
    from kevlar.process.signals import SI_PID, SI_PID_OFFSET

    def translate(thread, result: int) -> int:
        if result > 0:
            raw = thread.read(uinfo, 24)
            code = struct.unpack_from("<i", raw, 8)[0]
            if code in (0, -6) or (result == 17 and code > 0):
                host = SI_PID.unpack_from(raw, SI_PID_OFFSET)[0]
                thread.write(uinfo + SI_PID_OFFSET, SI_PID.pack(thread.kernel.vpid_of_host(host)))
        return result

    task.exit_hook = translate
    return ACT_SYSCALL
