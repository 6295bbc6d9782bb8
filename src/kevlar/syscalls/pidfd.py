"""pidfd syscalls: pidfd_open, pidfd_send_signal, pidfd_getfd (kernel/pid.c,
kernel/signal.c). The file itself is kevlar.ipc.pidfd; clone(CLONE_PIDFD) installs one
through `install_pidfd`, and waitid(P_PIDFD) finds its process through `pidfd_file`."""

import struct

from kevlar.abi.constants import SI_TKILL, SI_USER
from kevlar.abi.errors import EBADF, EINVAL, ENOENT, EPERM, ESRCH
from kevlar.ipc.pidfd import PIDFD_NONBLOCK, PIDFD_THREAD, PidFd
from kevlar.process.signals import (
    KERNEL_SIGINFO_SIZE,
    SIGINFO_SIZE,
    dispatch_pending,
    make_siginfo,
    post_signal,
    settle,
)
from kevlar.process.task import ptrace_may_access
from kevlar.syscalls.args import Fd, Int, Pid, Ptr, UInt
from kevlar.syscalls.common import install_fd
from kevlar.syscalls.signal import check_kill_permission

PIDFD_SIGNAL_THREAD = 1 << 0
PIDFD_SIGNAL_THREAD_GROUP = 1 << 1
PIDFD_SIGNAL_PROCESS_GROUP = 1 << 2
PIDFD_SEND_SIGNAL_FLAGS = PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP | PIDFD_SIGNAL_PROCESS_GROUP
PIDFD_SELF_THREAD = -10000  # include/uapi/linux/pidfd.h: the caller, without an fd
PIDFD_SELF_THREAD_GROUP = -10001


def install_pidfd(task, process, thread, flags: int) -> int:
    """A new pidfd in the caller's table; pidfds are always close-on-exec."""
    return install_fd(task, PidFd(process, thread, flags), cloexec=True)


def pidfd_file(task, fd: int) -> PidFd:
    """pidfd_get_pid(): EBADF for a closed fd and for a file that is not a pidfd."""
    file = task.process.fds.get(fd)
    if not isinstance(file, PidFd):
        raise EBADF()
    return file


def sys_pidfd_open(task, pid: Pid, flags: UInt) -> int:
    """pidfd_open(2): EINVAL for other flags or pid <= 0, ESRCH for no such task (a
    zombie still has one), ENOENT for a thread that is not a group leader unless
    PIDFD_THREAD asks for the thread itself."""
    if flags & ~(PIDFD_NONBLOCK | PIDFD_THREAD):
        raise EINVAL()
    if pid <= 0:
        raise EINVAL()
    kernel = task.kernel
    process = kernel.find_process(pid)
    if process is not None and not process.reaped:
        return install_pidfd(task, process, None, flags)
    thread = kernel.threads.get(pid)
    if thread is not None:
        # A thread's exit the host already reported is handled first: natively a
        # joined thread is gone, here its exit may still wait for the tracer.
        dispatch_pending(kernel, [thread])
        thread = kernel.threads.get(pid)
    if thread is None:
        raise ESRCH()
    if not flags & PIDFD_THREAD:
        raise ENOENT()
    return install_pidfd(task, thread.process, thread, flags)


def _target(file: PidFd):
    """The task a pidfd's struct pid still has: (process, thread or None); ESRCH once
    reaped (a non-leader thread is reaped when it exits)."""
    if file.thread is not None:
        if file.thread_gone():
            raise ESRCH()
        return file.process, file.thread
    if file.process.reaped:
        raise ESRCH()
    return file.process, None


def _signal_target(task, fd: int) -> PidFd:
    """pidfd_to_pid(): a pidfd, or a /proc/PID directory the caller opened
    (tgid_pidfd_to_pid: psmisc's killall signals through those), as a pidfd of that
    process; EBADF for any other file. /proc/TID of a thread that is not the leader
    names no thread group (ESRCH)."""
    file = task.process.fds.get(fd)
    if isinstance(file, PidFd):
        return file
    from kevlar.fs.procfs import pid_children
    inode = file.inode
    entry = getattr(inode, "entry", None)
    if entry is None or entry.a is not pid_children:
        raise EBADF()
    process, thread = inode.ctx.proc, inode.ctx.thread
    if thread is not None and thread.tid != process.pid:
        raise ESRCH()
    return PidFd(process, None, 0)


def sys_pidfd_send_signal(task, pidfd: Fd, sig: Int, info: Ptr, flags: UInt) -> int:
    """pidfd_send_signal(2): flags (at most one scope), the pidfd (EBADF), the siginfo
    (EFAULT; EINVAL if its si_signo is not sig; EPERM for a kernel-only si_code unless
    sent to the caller itself), then as kill: ESRCH once reaped, EINVAL for the signal,
    EPERM by check_kill_permission. The scope is the pidfd's (thread or thread group)
    unless a flag says thread, thread group or process group. PIDFD_SELF_THREAD and
    PIDFD_SELF_THREAD_GROUP name the caller's thread and process; a /proc/PID directory
    fd serves as a pidfd here (only here)."""
    if flags & ~PIDFD_SEND_SIGNAL_FLAGS or bin(flags).count("1") > 1:
        raise EINVAL()
    if pidfd == PIDFD_SELF_THREAD:
        leader = task.tid == task.process.pid
        file = PidFd(task.process, None if leader else task, PIDFD_THREAD)
    elif pidfd == PIDFD_SELF_THREAD_GROUP:
        file = PidFd(task.process, None, 0)
    else:
        file = _signal_target(task, pidfd)
    scope = PIDFD_SIGNAL_THREAD if file.is_thread else PIDFD_SIGNAL_THREAD_GROUP
    scope = flags or scope
    kernel = task.kernel
    if info:
        raw = task.read(info, KERNEL_SIGINFO_SIZE)
        signo, _errno, code = struct.unpack_from("<iii", raw)
        if signo != sig:
            raise EINVAL()
        if file.thread is not None:
            named_me = file.thread is task
        else:
            named_me = file.process is task.process and task.tid == task.process.pid
        if (not named_me or scope == PIDFD_SIGNAL_PROCESS_GROUP) and (code >= 0 or code == SI_TKILL):
            raise EPERM()
        siginfo = raw + bytes(SIGINFO_SIZE - KERNEL_SIGINFO_SIZE)
    else:
        code = SI_TKILL if scope == PIDFD_SIGNAL_THREAD else SI_USER
        siginfo = make_siginfo(sig, code, task.process.pid, task.creds.uid)
    from_user = code <= 0
    if scope == PIDFD_SIGNAL_PROCESS_GROUP:
        return _signal_group(task, file.pid_nr(), sig, siginfo, from_user)
    process, thread = _target(file)
    if scope == PIDFD_SIGNAL_THREAD and thread is None:
        thread = process.leader
    check_kill_permission(task, process, sig, from_user)
    if sig and not process.zombie:
        post_signal(kernel, process, sig, siginfo, thread)
        settle(kernel, [process], sig, task.process)
    return 0


def _signal_group(task, pgid: int, sig: int, siginfo: bytes, from_user: bool) -> int:
    """kill_pgrp_info() on the group the pidfd's pid leads: 0 if any member was
    signalled, else the last error; ESRCH for an empty group."""
    kernel = task.kernel
    members = [p for p in kernel.processes.values() if p.pgid == pgid and not p.reaped]
    if pgid <= 0 or not members:
        raise ESRCH()
    allowed = []
    last = None
    for proc in members:
        try:
            check_kill_permission(task, proc, sig, from_user)
        except (EINVAL, EPERM) as exc:
            last = exc
            continue
        allowed.append(proc)
    if not allowed:
        raise last
    if sig:
        for proc in allowed:
            post_signal(kernel, proc, sig, siginfo)
        settle(kernel, allowed, sig, task.process)
    return 0


def sys_pidfd_getfd(task, pidfd: Fd, fd: Int, flags: UInt) -> int:
    """pidfd_getfd(2): EINVAL for any flag, EBADF for the pidfd, ESRCH once the
    process has exited, EPERM unless the caller may ptrace-attach to it (real
    credentials), EBADF for a target fd it does not have; the copy is close-on-exec."""
    if flags:
        raise EINVAL()
    file = pidfd_file(task, pidfd)
    process, _thread = _target(file)
    if process.zombie or process.fds is None:
        raise ESRCH()
    if not ptrace_may_access(task.process, process):
        raise EPERM()
    if fd < 0:
        raise EBADF()
    return install_fd(task, process.fds.get_raw(fd), cloexec=True)


__all__ = [name for name in dir() if name.startswith("sys_")]
