"""Birth, exec, stop and death of guest processes, as ptrace reports them.

clone: the parent's seccomp stop records what was asked (Thread.pending_clone) and lets
the host run it; the parent's PTRACE_EVENT_{FORK,VFORK,CLONE} names the new host tid and
Kevlar creates the thread/process before the child runs (the child's first stop is held
until then); the parent's syscall exit gets the virtual tid as its result.

exit: the tracer's waitpid reports each thread's end; when a process has no thread left
it becomes a zombie for its Kevlar parent, its children go to the nearest subreaper or
to pid 1, and when pid 1 ends every remaining guest is killed (as in a pid namespace).
"""

import os
import signal
import struct

from kevlar.abi.constants import (
    CLD_CONTINUED,
    CLD_DUMPED,
    CLD_EXITED,
    CLD_KILLED,
    CLD_STOPPED,
    CLONE_CHILD_CLEARTID,
    CLONE_CHILD_SETTID,
    CLONE_FILES,
    CLONE_FS,
    CLONE_NEWUTS,
    CLONE_PARENT,
    CLONE_PARENT_SETTID,
    CLONE_PIDFD,
    CLONE_SIGHAND,
    CLONE_THREAD,
    CLONE_VFORK,
    CLONE_VM,
    CSIGNAL,
    SA_NOCLDSTOP,
    SI_USER,
    SIG_IGN,
    SIGCHLD,
    SIGCONT,
)
from kevlar.abi.errors import LinuxError
from kevlar.ipc import sysv
from kevlar.ipc.pidfd import notify_pid
from kevlar.ipc.waitq import POLLHUP, POLLIN
from kevlar.platform.ptrace import PTRACE_CONT, PTRACE_EVENT_VFORK, PTRACE_SYSCALL
from kevlar.process.signals import make_siginfo, post_signal
from kevlar.process.task import (
    AUDIT_UNSET,
    FsContext,
    Process,
    Thread,
    exec_credentials,
    initial_credentials,
)
from kevlar.syscalls.ioprio import copy_io
from kevlar.syscalls.kcmp import share_semundo

INT = struct.Struct("<i")


def create_init(kernel, path: bytes, argv: list[bytes], env: list[bytes], cwd: bytes) -> None:
    from kevlar.fs.hostfile import initial_fd_table
    from kevlar.fs.path import walk
    from kevlar.fs.vfs import Location
    from kevlar.platform.seccomp import build_filter
    from kevlar.platform.spawn import probe, spawn

    probe()
    kernel.prepare_host()
    kernel.host_cpus = frozenset(os.sched_getaffinity(0))  # before spawn pins the tracer
    host_pid, release = spawn(path, argv, env, build_filter(kernel.config.profile),
                              kernel.config.cpu)
    proc = Process(kernel, kernel.pids.allocate(), host_pid, None)
    proc.host_parent_is_tracer = True
    proc.sid = 0  # the session is the host's: outside the guest's pid space
    cfg = kernel.config
    proc.creds = initial_credentials(cfg.uid, cfg.gid)
    root = Location(kernel.mounts.root, kernel.mounts.root.root)
    proc.fs = FsContext(root, root)
    proc.fds = initial_fd_table(kernel)
    proc.comm = os.path.basename(path)[:15]
    proc.start_time_ns = kernel.boot_time_ns
    thread = Thread(proc.pid, host_pid, proc)
    thread.ready = True
    thread.new = False
    thread.loginuid, thread.sessionid = host_audit_ids()
    kernel.add_process(proc)
    kernel.add_thread(thread)
    kernel.init = proc
    try:
        proc.fs.cwd = walk(thread, root, cwd)
    except Exception:  # noqa: BLE001 - ENOENT: --cwd names a directory to create
        _make_cwd(kernel, proc, root, cwd)
        proc.fs.cwd = walk(thread, root, cwd)
    take_terminal(kernel, host_pid)
    release()


def _make_cwd(kernel, proc: Process, root, cwd: bytes) -> None:
    """mkdir -p of --cwd, crossing mounts (/dev/shm/x is made in the shm tmpfs), owned
    by the guest's user so it can work there."""
    from kevlar.abi.constants import S_IFDIR
    from kevlar.fs.vfs import Location
    loc = root
    for part in [p for p in cwd.split(b"/") if p]:
        try:
            child = loc.inode.lookup(part)
        except Exception:  # noqa: BLE001 - ENOENT: make it
            child = loc.inode.mkdir(part, S_IFDIR | 0o755, proc.creds.fsuid, proc.creds.fsgid)
        loc = kernel.mounts.cross(Location(loc.mount, child))


def take_terminal(kernel, host_pid: int) -> None:
    """Give the terminal's foreground to pid 1's process group, as a shell does for a
    job; restore_terminal gives it back at exit."""
    kernel.saved_foreground = None
    os.setpgid(host_pid, host_pid)
    try:
        fd = kernel.terminal_fd()
        if fd is None or os.tcgetpgrp(fd) != os.getpgrp():
            return
        os.tcsetpgrp(fd, host_pid)
        kernel.saved_foreground = (fd, os.getpgrp())
    except OSError:
        return


def restore_terminal(kernel) -> None:
    saved = getattr(kernel, "saved_foreground", None)
    if saved is None:
        return
    try:
        os.tcsetpgrp(*saved)
    except OSError:
        pass
    kernel.saved_foreground = None


def on_clone_event(kernel, task: Thread, event: int) -> None:
    engine = kernel.engine
    try:
        new_host = engine.event_msg(task.host_tid)
    except ProcessLookupError:
        return
    pending = task.pending_clone
    task.pending_clone = None
    if pending is None:  # fork()/vfork() without our handler having seen it: defaults
        flags = SIGCHLD | (CLONE_VM | CLONE_VFORK if event == PTRACE_EVENT_VFORK else 0)
        pending = (flags, 0, 0)
    flags, ptid, ctid = pending
    parent = task.process
    tid = kernel.pids.allocate()
    if flags & CLONE_THREAD:
        proc = parent
    else:
        real_parent = parent.parent if flags & CLONE_PARENT and parent.parent else parent
        proc = fork_process(kernel, parent, real_parent, tid, new_host, flags)
    child = Thread(tid, new_host, proc)
    child.sigmask = task.sigmask
    child.name = task.name
    child.affinity = task.affinity  # Kevlar's view of the CPU mask is inherited
    child.loginuid, child.sessionid = task.loginuid, task.sessionid
    child.io = copy_io(task.io, flags)
    share_semundo(task, child, flags)
    if not flags & CLONE_THREAD:
        # real_parent is a thread (the creator, or with CLONE_PARENT the creator's own
        # parent thread): its exit is what fires PR_SET_PDEATHSIG (prctl(2)).
        proc.parent_thread = (parent.parent_thread if flags & CLONE_PARENT and parent.parent
                              else task)
    if flags & CLONE_CHILD_CLEARTID:
        child.clear_child_tid = ctid
    if flags & CLONE_CHILD_SETTID:
        child.pending_clone = ctid  # the host wrote its tid there; fix it at the first stop
    if flags & CLONE_PARENT_SETTID and ptid:
        try:
            task.write(ptid, INT.pack(tid))
        except Exception:  # noqa: BLE001 - a bad ptid is the guest's problem, as in Linux
            pass
    if flags & CLONE_PIDFD:
        install_clone_pidfd(task, proc, child, flags, ptid)

    def clone_returns_vtid(_thread, result: int) -> int:
        return tid if result == new_host else result

    task.exit_hook = clone_returns_vtid
    engine.resume(task.host_tid, PTRACE_SYSCALL)
    kernel.add_thread(child)


def install_clone_pidfd(task: Thread, proc: Process, child: Thread, flags: int, ptid: int) -> None:
    """CLONE_PIDFD: the parent gets a pidfd for the child (a thread pidfd with
    CLONE_THREAD) in the fd the clone handler reserved and reported in parent_tid. The
    child's own fd table was copied before, so it does not have it (unless shared)."""
    from kevlar.ipc.pidfd import PIDFD_THREAD
    from kevlar.syscalls.pidfd import install_pidfd
    thread = child if flags & CLONE_THREAD else None
    try:
        fd = install_pidfd(task, proc, thread, PIDFD_THREAD if thread is not None else 0)
        task.write(ptid, INT.pack(fd))
    except LinuxError:  # the fd was checked at the call; a table that filled since loses it
        pass


def host_audit_ids() -> tuple[int, int]:
    """The audit login uid and session pid 1 starts with: the tracer's, which a native
    run of the program would have inherited (unset if the host has no audit)."""
    ids = []
    for name in ("loginuid", "sessionid"):
        try:
            with open(f"/proc/self/{name}", "rb") as f:
                ids.append(int(f.read() or AUDIT_UNSET))
        except (OSError, ValueError):
            ids.append(AUDIT_UNSET)
    return ids[0], ids[1]


def fork_process(kernel, parent: Process, real_parent: Process, pid: int, host_pid: int,
                 flags: int) -> Process:
    proc = Process(kernel, pid, host_pid, real_parent)
    real_parent.children.append(proc)
    proc.pgid = parent.pgid
    proc.sid = parent.sid
    proc.host_pgid = parent.host_pgid
    proc.ctty = parent.ctty
    if flags & CLONE_FILES:
        proc.fds = parent.fds
        proc.fds.users += 1
    else:
        proc.fds = parent.fds.copy()
    proc.fs = parent.fs if flags & CLONE_FS else parent.fs.copy()
    proc.creds = parent.creds.copy()
    proc.rlimits = [list(limit) for limit in parent.rlimits]
    proc.sighand = parent.sighand if flags & CLONE_SIGHAND else parent.sighand.copy()
    proc.uts = parent.uts.copy() if flags & CLONE_NEWUTS else parent.uts
    proc.mm = parent.mm if flags & CLONE_VM else parent.mm.copy()
    proc.exe = parent.exe
    proc.exe_location = parent.exe_location
    proc.comm = parent.comm
    proc.argv = parent.argv
    proc.env = parent.env
    proc.exit_signal = flags & CSIGNAL
    proc.start_time_ns = __import__("time").monotonic_ns()
    proc.no_new_privs = parent.no_new_privs
    proc.dumpable = parent.dumpable
    kernel.add_process(proc)
    sysv.process_forked(kernel, parent, proc)
    return proc


def on_first_stop(kernel, child: Thread) -> None:
    child.new = False
    child.ready = True
    if child.pending_clone:
        try:
            child.write(child.pending_clone, INT.pack(child.tid))
        except Exception:  # noqa: BLE001
            pass
        child.pending_clone = None
    kernel.engine.resume(child.host_tid, PTRACE_CONT)


def on_exec_event(kernel, task: Thread) -> None:
    """execve succeeded: a new program image in the same process."""
    engine = kernel.engine
    proc = task.process
    try:
        former = engine.event_msg(task.host_tid)
    except ProcessLookupError:
        return
    if former != task.host_tid:
        # A non-leader thread exec'd: it takes over the leader's tid, and the old
        # leader vanishes without an exit report (ptrace(2), "execve(2) under ptrace").
        execer = kernel.tasks.pop(former)
        proc.threads.pop(task.tid, None)
        kernel.threads.pop(task.tid, None)
        kernel.unpark(task)
        proc.threads.pop(execer.tid, None)
        kernel.threads.pop(execer.tid, None)
        kernel.pids.free(execer.tid)
        execer.tid = proc.pid
        execer.host_tid = task.host_tid
        for child in proc.children:  # the exec'ing thread is the leader now
            if child.parent_thread is task:
                child.parent_thread = execer
        kernel.tasks[task.host_tid] = execer
        kernel.threads[proc.pid] = execer
        proc.threads[proc.pid] = execer
        task = execer
    pending = task.pending_exec
    task.pending_exec = None
    proc.did_exec = True
    if pending is not None:
        proc.exe, proc.exe_location, comm, execfn = pending
        proc.comm = comm[:15]
        task.name = proc.comm
        show_guest_execfn(task, execfn)
    if proc.fds.users > 1:  # exec unshares the fd table (fs/exec.c unshare_files)
        proc.fds.users -= 1
        proc.fds = proc.fds.copy()
    proc.fds.close_on_exec()
    # flush_signal_handlers(): caught signals go back to SIG_DFL, ignored ones stay
    # ignored; every action loses its flags and mask. The sighand is unshared (de_thread).
    proc.sighand = proc.sighand.copy()
    for signo, (handler, _flags, _mask) in list(proc.sighand.actions.items()):
        if handler == SIG_IGN:
            proc.sighand.actions[signo] = (SIG_IGN, 0, 0)
        else:
            del proc.sighand.actions[signo]
    proc.creds = exec_credentials(proc.creds)
    c = proc.creds  # begin_new_exec(): dumpable again unless the ids differ (suid_dumpable 0)
    proc.dumpable = 1 if (c.euid, c.egid) == (c.uid, c.gid) else 0
    from kevlar.process.task import AddressSpace
    old_mm, proc.mm = proc.mm, AddressSpace()
    sysv.process_exec(kernel, proc, old_mm)
    engine.resume(task.host_tid, PTRACE_SYSCALL)  # execve's exit stop runs its exit hook


AT_EXECFN = 31
AUXV_ENTRY = struct.Struct("<QQ")


def show_guest_execfn(task: Thread, execfn: bytes) -> None:
    """The kernel put the materialized file's host path on the new stack as AT_EXECFN;
    overwrite it in place with the path the guest passed to execve (it fits unless the
    guest path is longer than the cache path, in which case the host path stays)."""
    try:
        with open(f"/proc/{task.host_tid}/auxv", "rb") as f:
            auxv = f.read()
        for offset in range(0, len(auxv) - AUXV_ENTRY.size + 1, AUXV_ENTRY.size):
            kind, value = AUXV_ENTRY.unpack_from(auxv, offset)
            if kind == AT_EXECFN:
                if len(execfn) <= len(task.read_cstring(value, 4096)):
                    task.write(value, execfn + b"\0")
                return
    except (OSError, LinuxError):
        return


def on_group_stop(kernel, task: Thread, sig: int) -> None:
    """A job-control stop (EVENT_STOP with a stop signal, answered with PTRACE_LISTEN)."""
    proc = task.process
    if not proc.stopped:
        proc.stopped = True
        proc.stop_report = 0x7F | (sig << 8)
        notify_parent_cldstop(kernel, proc, CLD_STOPPED, sig)


def on_continued(kernel, task: Thread) -> None:
    """SIGCONT ended a group stop (the EVENT_STOP trap with SIGTRAP after LISTEN)."""
    proc = task.process
    if proc.stopped:
        proc.stopped = False
        proc.stop_report = 0xFFFF
        notify_parent_cldstop(kernel, proc, CLD_CONTINUED, SIGCONT)


def notify_parent_cldstop(kernel, proc: Process, why: int, status: int) -> None:
    """do_notify_parent_cldstop(): wake the parent's waiters and send it SIGCHLD unless it
    ignores SIGCHLD or asked SA_NOCLDSTOP. The host already signals a host parent; Kevlar
    signals a Kevlar parent whose child the host re-parented to the tracer."""
    parent = proc.parent
    if parent is None:
        return
    if proc.host_parent_is_tracer and parent.sighand.handler(SIGCHLD) != SIG_IGN \
            and not parent.sighand.flags(SIGCHLD) & SA_NOCLDSTOP:
        post_signal(kernel, parent, SIGCHLD, make_siginfo(SIGCHLD, why, proc.pid, proc.creds.uid,
                                                          status))
    parent.child_events.notify(POLLIN)


def thread_exited(kernel, task: Thread, status: int) -> None:
    proc = task.process
    kernel.unpark(task)
    proc.threads.pop(task.tid, None)
    kernel.threads.pop(task.tid, None)
    if task.tid != proc.pid:
        kernel.pids.free(task.tid)
        notify_pid(task, POLLIN | POLLHUP)  # a non-leader is released at once
    if task.host_tid == proc.host_pid:
        proc.leader_status = status
    if proc.threads:
        # forget_original_parent(): children this thread created move to a live thread
        # of the same process, and each one's parent-death signal fires (prctl(2)).
        heir = proc.any_thread()
        for child in list(proc.children):
            if child.parent_thread is task:
                child.parent_thread = heir
                send_pdeathsig(kernel, child, proc)
    if not proc.threads and not proc.zombie:
        process_exited(kernel, proc, proc.leader_status if proc.leader_status is not None
                       else status)


def send_pdeathsig(kernel, child: Process, father: Process) -> None:
    """Each thread of child with a parent-death signal sends it to the whole process,
    as from the dying father (SEND_SIG_NOINFO: SI_USER, the father's pid and uid)."""
    for thread in list(child.threads.values()):
        if thread.pdeathsig:
            post_signal(kernel, child, thread.pdeathsig,
                        make_siginfo(thread.pdeathsig, SI_USER, father.pid, father.creds.uid))


def process_exited(kernel, proc: Process, status: int) -> None:
    proc.zombie = True
    proc.exit_status = status
    sysv.process_exited(kernel, proc)  # exit_sem, exit_shm: before the parent hears
    notify_pid(proc, POLLIN)
    if proc.fds is not None:
        proc.fds.users -= 1
        if proc.fds.users == 0:
            proc.fds.close_all()
    if proc.ctty is not None and proc.sid == proc.pid:
        from kevlar.ipc.pty import session_leader_exited
        session_leader_exited(kernel, proc)
    reaper = find_reaper(kernel, proc)
    for child in list(proc.children):
        proc.children.remove(child)
        child.host_parent_is_tracer = True  # the host re-parents orphans to the tracer
        if reaper is None:
            continue
        child.parent = reaper
        child.parent_thread = reaper.any_thread()
        reaper.children.append(child)
        send_pdeathsig(kernel, child, proc)
        child.exit_signal = SIGCHLD  # reparent_leader(): "we don't want people slaying init"
        if child.zombie:
            notify_parent(kernel, child)
    if proc is kernel.init:
        kernel.exit_status = status
        for other in kernel.processes.values():
            if other is not proc and not other.zombie:
                kernel.send_signal(other, signal.SIGKILL)
        release(kernel, proc)
        return
    if proc.parent is None:
        release(kernel, proc)
        return
    notify_parent(kernel, proc)


def notify_parent(kernel, proc: Process) -> None:
    """do_notify_parent() for a process that became a zombie: SIGCHLD (its exit signal)
    with CLD_EXITED/KILLED/DUMPED, or auto-reaping when the parent ignores SIGCHLD."""
    parent = proc.parent
    autoreap = proc.exit_signal == SIGCHLD and kernel.sigchld_ignored(parent)
    if proc.host_parent_is_tracer and proc.exit_signal and not (
            autoreap and parent.sighand.handler(SIGCHLD) == SIG_IGN):
        # The host told the tracer, not the Kevlar parent: tell it, with the siginfo
        # Linux gives (an SA_NOCLDWAIT parent still gets its SIGCHLD).
        code, value = wait_code(proc.exit_status or 0)
        post_signal(kernel, parent, proc.exit_signal,
                    make_siginfo(proc.exit_signal, code, proc.pid, proc.creds.uid, value))
    if autoreap:
        release(kernel, proc)  # no zombie (kernel/exit.c do_notify_parent)
    parent.child_events.notify(POLLIN)  # waiters re-check: a reaped last child is ECHILD


def wait_code(status: int) -> tuple[int, int]:
    """(si_code, si_status) of SIGCHLD and waitid for a raw wait status."""
    if status & 0x7F == 0:
        return CLD_EXITED, (status >> 8) & 0xFF
    return (CLD_DUMPED if status & 0x80 else CLD_KILLED), status & 0x7F


def find_reaper(kernel, proc: Process) -> Process | None:
    """The nearest living ancestor marked PR_SET_CHILD_SUBREAPER, else pid 1."""
    ancestor = proc.parent
    while ancestor is not None:
        if ancestor.subreaper and not ancestor.zombie:
            return ancestor
        ancestor = ancestor.parent
    init = kernel.init
    return init if init is not None and not init.zombie and init is not proc else None


def release(kernel, proc: Process) -> None:
    """Forget a reaped process (release_task)."""
    proc.reaped = True
    notify_pid(proc, POLLIN | POLLHUP)
    if proc.parent is not None and proc in proc.parent.children:
        proc.parent.children.remove(proc)
    kernel.processes.pop(proc.pid, None)
    if kernel.by_host_pid.get(proc.host_pid) is proc:
        del kernel.by_host_pid[proc.host_pid]
    kernel.pids.free(proc.pid)
    # A SIGCHLD can be read after the reap (signalfd, sigtimedwait): its si_pid still
    # names the child. Recent reaps only; a host pid met again is a new process.
    reaped = kernel.__dict__.setdefault("reaped_ids", {})
    reaped[proc.host_pid] = (proc.pid, proc.creds.uid)
    if len(reaped) > 4096:
        del reaped[next(iter(reaped))]
