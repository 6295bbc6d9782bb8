"""pidfd_open(2), pidfd_send_signal(2) and pidfd_getfd(2) (kernel/pid.c, kernel/signal.c),
in Linux 6.18's check order. The file is ipc/pidfd.py; waitid(P_PIDFD) is in
syscalls/process.py (it uses pidfd_target here)."""

import struct

from kevlar.abi.constants import O_CLOEXEC, SI_TKILL, SI_USER
from kevlar.abi.errors import EBADF, EINVAL, ENOENT, EPERM, ESRCH
from kevlar.ipc.pidfd import PIDFD_NONBLOCK, PIDFD_THREAD, PidFd
from kevlar.process.signals import KERNEL_SIGINFO_SIZE, SIGINFO_SIZE, make_siginfo, post_signal, settle
from kevlar.syscalls.args import Fd, Int, Pid, Ptr, UInt
from kevlar.syscalls.common import install_fd
from kevlar.syscalls.signal import check_kill_permission

PIDFD_SIGNAL_THREAD = 1
PIDFD_SIGNAL_THREAD_GROUP = 2
PIDFD_SIGNAL_PROCESS_GROUP = 4
CAP_SYS_PTRACE = 19


def sys_pidfd_open(task, pid: Pid, flags: UInt) -> int:
    """pidfd_open(2): EINVAL for other flags or pid <= 0, ESRCH for no such pid (a
    reaped one included), ENOENT for a thread that is not its group's leader unless
    PIDFD_THREAD asks for that thread. The fd is always close-on-exec."""
    if flags & ~(PIDFD_NONBLOCK | PIDFD_THREAD):
        raise EINVAL()
    if pid <= 0:
        raise EINVAL()
    kernel = task.kernel
    thread = kernel.threads.get(pid)
    proc = kernel.find_process(pid)
    if proc is not None and proc.reaped:
        proc = None
    if thread is None and proc is None:
        raise ESRCH()
    if flags & PIDFD_THREAD:
        if thread is None:  # a zombie leader: the thread is gone, its pid is not
            thread = _GoneThread(proc)
        return install_fd(task, PidFd(thread.process, thread, flags), True)
    if proc is None:
        raise ENOENT()
    return install_fd(task, PidFd(proc, None, flags), True)


class _GoneThread:
    """A thread that already exited but whose pid still names its zombie process."""

    def __init__(self, proc):
        self.process = proc
        self.tid = proc.pid


def pidfd_target(task, fd: int) -> PidFd:
    """pidfd_get_pid()/pidfd_pid(): the pidfd at fd; EBADF for no file or another kind."""
    file = task.process.fds.get(fd)
    if not isinstance(file, PidFd):
        raise EBADF()
    return file


def _signal_target(task, fd: int):
    """pidfd_to_pid(): (process, thread or None) of a pidfd, or of a /proc/PID directory
    the caller opened (tgid_pidfd_to_pid: killall signals through those); EBADF for any
    other file. /proc/TID of a thread other than the leader names no thread group."""
    file = task.process.fds.get(fd)
    if isinstance(file, PidFd):
        return file.proc, (file.thread if file.flags & PIDFD_THREAD else None)
    from kevlar.fs.procfs import pid_children
    inode = file.inode
    entry = getattr(inode, "entry", None)
    if entry is None or entry.a is not pid_children:
        raise EBADF()
    proc, thread = inode.ctx.proc, inode.ctx.thread
    if thread is not None and thread.tid != proc.pid:
        raise ESRCH()
    return proc, None


def sys_pidfd_send_signal(task, pidfd: Fd, sig: Int, info: Ptr, flags: UInt) -> int:
    """pidfd_send_signal(2): EINVAL for unknown flags or more than one scope, EBADF,
    then (do_pidfd_send_signal) the caller's siginfo (EFAULT; EINVAL unless si_signo is
    sig; EPERM for a kernel-only si_code aimed at anyone but the caller's own process),
    then ESRCH for a reaped target and kill's checks. Without flags the scope is the
    pidfd's: its thread for a PIDFD_THREAD pidfd (SI_TKILL), else its process. A
    /proc/PID directory fd serves as a pidfd here (only here)."""
    scopes = PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP | PIDFD_SIGNAL_PROCESS_GROUP
    if flags & ~scopes or bin(flags).count("1") > 1:
        raise EINVAL()
    proc, target_thread = _signal_target(task, pidfd)
    if flags:
        scope = flags
    else:
        scope = PIDFD_SIGNAL_THREAD if target_thread is not None else PIDFD_SIGNAL_THREAD_GROUP
    if info:
        raw = task.read(info, KERNEL_SIGINFO_SIZE)
        signo, _, code = struct.unpack_from("<iii", raw)
        if signo != sig:
            raise EINVAL()
        own = proc is task.process and scope == PIDFD_SIGNAL_THREAD_GROUP
        if not own and (code >= 0 or code == SI_TKILL):
            raise EPERM()
        siginfo = raw + bytes(SIGINFO_SIZE - KERNEL_SIGINFO_SIZE)
    else:
        code = SI_TKILL if scope == PIDFD_SIGNAL_THREAD else SI_USER
        siginfo = make_siginfo(sig, code, task.process.pid, task.creds.uid)
    kernel = task.kernel
    if scope == PIDFD_SIGNAL_PROCESS_GROUP:
        members = [p for p in kernel.processes.values() if p.pgid == proc.pgid and not p.reaped]
        if proc.reaped or not members:
            raise ESRCH()
    else:
        members = [proc]
    thread = None
    if scope == PIDFD_SIGNAL_THREAD:
        thread = target_thread or proc.leader
        if thread is None or kernel.threads.get(thread.tid) is not thread:
            raise ESRCH()
    elif proc.reaped:
        raise ESRCH()
    allowed, refused = [], None
    for member in members:
        try:
            check_kill_permission(task, member, sig, from_user=code <= 0 or member is task.process)
        except (EINVAL, EPERM) as exc:
            refused = exc
            continue
        allowed.append(member)
    if not allowed:
        raise refused
    if sig:
        for member in allowed:
            post_signal(kernel, member, sig, siginfo, thread)
        settle(kernel, allowed, sig, task.process)
    return 0


def _may_attach(task, proc) -> bool:
    """ptrace_may_access(PTRACE_MODE_ATTACH_REALCREDS): the same process, CAP_SYS_PTRACE,
    or a dumpable process whose user and group ids all are the caller's real ones."""
    me = task.creds
    if proc is task.process or me.capable(CAP_SYS_PTRACE):
        return True
    c = proc.creds
    return (proc.dumpable == 1 and me.uid == c.uid == c.euid == c.suid
            and me.gid == c.gid == c.egid == c.sgid)


def sys_pidfd_getfd(task, pidfd: Fd, targetfd: Int, flags: UInt) -> int:
    """pidfd_getfd(2): EINVAL for flags, EBADF for the pidfd, ESRCH once the process
    exited (its files are gone), EPERM unless the caller may attach to it, EBADF for a
    fd it does not have; the new fd shares the open file and is close-on-exec."""
    if flags:
        raise EINVAL()
    target = pidfd_target(task, pidfd)
    proc = target.proc
    if proc.zombie or proc.reaped:
        raise ESRCH()
    if not _may_attach(task, proc):
        raise EPERM()
    file = proc.fds.files.get(targetfd) if targetfd >= 0 else None
    if file is None:
        raise EBADF()
    return install_fd(task, file, bool(O_CLOEXEC))
