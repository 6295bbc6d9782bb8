"""Process syscalls: clone family, execve, wait, ids, sessions, credentials, limits, prctl.

kernel/fork.c, fs/exec.c, kernel/exit.c, kernel/sys.c. The host creates and runs the
processes; Kevlar decides what the guest sees (virtual ids, its parent, its groups) and
translates ids wherever they cross between the two.
"""

import struct

from kevlar.abi.constants import (
    __WALL,
    __WCLONE,
    __WNOTHREAD,
    AT_EMPTY_PATH,
    AT_FDCWD,
    AT_SYMLINK_NOFOLLOW,
    CLD_DUMPED,
    CLD_EXITED,
    CLD_KILLED,
    CLONE_FILES,
    CLONE_FS,
    CLONE_NAMESPACES,
    CLONE_NEWCGROUP,
    CLONE_NEWIPC,
    CLONE_NEWNET,
    CLONE_NEWNS,
    CLONE_NEWPID,
    CLONE_NEWTIME,
    CLONE_NEWUSER,
    CLONE_NEWUTS,
    CLONE_PARENT,
    CLONE_PARENT_SETTID,
    CLONE_PIDFD,
    CLONE_SIGHAND,
    CLONE_SYSVSEM,
    CLONE_THREAD,
    CLONE_UNTRACED,
    CLONE_VFORK,
    CLONE_VM,
    P_ALL,
    P_PGID,
    P_PID,
    P_PIDFD,
    RLIM_INFINITY,
    RLIM_NLIMITS,
    RLIMIT_NOFILE,
    SIGCHLD,
    WCONTINUED,
    WEXITED,
    WNOHANG,
    WNOWAIT,
    WUNTRACED,
)
from kevlar.abi.errors import (
    E2BIG,
    EACCES,
    EAGAIN,
    ECHILD,
    EINVAL,
    ELOOP,
    ENOEXEC,
    ENOSYS,
    EPERM,
    ESRCH,
)
from kevlar.abi.structs import RLIMIT, RUSAGE, SIGINFO_SIZE
from kevlar.fs.path import resolve
from kevlar.ipc.waitq import POLLIN
from kevlar.platform.inject import scratch_write
from kevlar.platform.interface import ACT_STORE_SYSCALL, ACT_SYSCALL
from kevlar.platform.ptrace import ORIG_RAX, RDI, RDX, RSI
from kevlar.process import exec as image
from kevlar.process.blocking import Block
from kevlar.process.lifecycle import release
from kevlar.syscalls.args import Fd, Int, Pid, Ptr, Size, UInt, ULong
from kevlar.syscalls.common import INT, access_ok, nofile_limit, read_path, rewrite_args
from kevlar.syscalls.pidfd import pidfd_file

NR_EXECVE = 59
CLONE_DETACHED = 0x00400000
PTR = struct.Struct("<Q")


# -- clone family ----------------------------------------------------------------------------
def _check_clone_flags(flags: int) -> None:
    """The flag combinations copy_process rejects with EINVAL, checked before any
    permission (kernel/fork.c)."""
    if flags & (CLONE_NEWNS | CLONE_FS) == CLONE_NEWNS | CLONE_FS:
        raise EINVAL()
    if flags & (CLONE_NEWUSER | CLONE_FS) == CLONE_NEWUSER | CLONE_FS:
        raise EINVAL()
    if flags & CLONE_THREAD and not flags & CLONE_SIGHAND:
        raise EINVAL()
    if flags & CLONE_SIGHAND and not flags & CLONE_VM:
        raise EINVAL()
    if flags & (CLONE_NEWUSER | CLONE_NEWPID) and flags & (CLONE_THREAD | CLONE_PARENT):
        raise EINVAL()


def _clone(task, flags: int, ptid: int, ctid: int, arg_index: int | None):
    if flags & CLONE_PIDFD and flags & CLONE_PARENT_SETTID:
        raise EINVAL()  # legacy clone returns the pidfd in parent_tid (kernel_clone)
    _check_clone_flags(flags)
    if flags & CLONE_NAMESPACES & ~CLONE_NEWUTS:
        raise EPERM("namespaces other than UTS are not supported by Kevlar")
    if flags & CLONE_NEWUTS and not task.creds.is_root:
        raise EPERM()
    if flags & CLONE_PIDFD and flags & CLONE_DETACHED:
        raise EINVAL()
    if flags & CLONE_PARENT and task.process is task.kernel.init:
        raise EINVAL()  # init may not create siblings (kernel/fork.c)
    if flags & CLONE_PIDFD:
        # copy_process reserves the fd and stores its number before the child exists
        # (EMFILE, EFAULT); the pidfd itself is installed at the clone event.
        fds = task.process.fds
        fds.max_fds = nofile_limit(task)
        task.write(ptid, INT.pack(fds.lowest_free()))
    task.pending_clone = (flags & ~CLONE_UNTRACED, ptid, ctid)

    def clone_failed(thread, result: int) -> int:
        thread.pending_clone = None
        return result

    # Kevlar keeps the UTS namespace itself and the child must stay traced: neither flag
    # goes to the host (as root it would make a real namespace).
    host_flags = flags & ~(CLONE_UNTRACED | CLONE_NEWUTS | CLONE_PIDFD)
    if host_flags != flags and arg_index is not None:
        return rewrite_args(task, {arg_index: host_flags}, clone_failed)
    task.exit_hook = clone_failed
    return ACT_SYSCALL


UNSHARE_FLAGS = (CLONE_THREAD | CLONE_FS | CLONE_NEWNS | CLONE_SIGHAND | CLONE_VM | CLONE_FILES
                 | CLONE_SYSVSEM | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWUSER
                 | CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_NEWTIME)


def sys_unshare(task, flags: ULong) -> int:
    """unshare(2): fd table, fs context and the UTS namespace are Kevlar's to unshare;
    other namespaces are refused (EPERM)."""
    if flags & ~UNSHARE_FLAGS:
        raise EINVAL()
    proc = task.process
    if flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_VM) and len(proc.threads) > 1:
        raise EINVAL()  # kernel/fork.c check_unshare_flags: only a single thread may
    if flags & (CLONE_NAMESPACES | CLONE_NEWTIME) & ~CLONE_NEWUTS:
        raise EPERM("namespaces other than UTS are not supported by Kevlar")
    if flags & CLONE_NEWUTS:
        if not task.creds.is_root:
            raise EPERM()
        proc.uts = proc.uts.copy()
    if flags & CLONE_FS and proc.fs is not None:
        proc.fs = proc.fs.copy()
    if flags & CLONE_FILES and proc.fds.users > 1:
        proc.fds.users -= 1
        proc.fds = proc.fds.copy()
    if flags & CLONE_SYSVSEM and len(proc.threads) == 1:
        from kevlar.ipc.sysv import exit_sem
        exit_sem(task.kernel, proc)  # the undo list's last user: its adjustments apply now
    return 0


def sys_clone(task, flags: ULong, newsp: Ptr, ptid: Ptr, ctid: Ptr, tls: Ptr) -> int:
    """clone(2) (x86_64 order: flags, stack, parent_tid, child_tid, tls)."""
    return _clone(task, flags, ptid, ctid, 0)


CLONE_ARGS_SIZE_VER0 = 64  # include/uapi/linux/sched.h
CLONE_ARGS_SIZE_KNOWN = 88  # VER2, with cgroup: Linux 6.x's struct clone_args


def sys_clone3(task, args: Ptr, size: Size) -> int:
    """clone3(2) answers ENOSYS for every well-formed request, so libcs fall back to
    clone(2), which Kevlar implements; a malformed one gets the errno Linux's
    copy_struct_from_user checks give first (EINVAL, E2BIG, EFAULT)."""
    if size < CLONE_ARGS_SIZE_VER0:
        raise EINVAL()
    if size > 4096:
        raise E2BIG()
    if any(task.read(args, size)[CLONE_ARGS_SIZE_KNOWN:]):
        raise E2BIG()  # fields this kernel does not know must be zero
    raise ENOSYS("clone3: Kevlar implements clone(2); libcs fall back to it")


def sys_fork(task) -> int:
    """fork(2)."""
    return _clone(task, SIGCHLD, 0, 0, None)


def sys_vfork(task) -> int:
    """vfork(2): the host keeps the parent waiting until the child execs or exits."""
    return _clone(task, CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, None)


# -- execve -------------------------------------------------------------------------------------
def _read_pointers(task, ptr: int) -> list[int]:
    """A NULL-terminated array of user pointers (argv/envp), EFAULT-checked."""
    if ptr == 0:
        return []
    out = []
    while True:
        value = PTR.unpack(task.read(ptr + 8 * len(out), 8))[0]
        if value == 0:
            return out
        out.append(value)
        if len(out) > 0x7FFFFFFF // 8:
            raise E2BIG()


def do_execve(task, dirfd: int, path: bytes, argv: int, envp: int, flags: int) -> int:
    if flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW):
        raise EINVAL()
    argv_ptrs = _read_pointers(task, argv)
    _read_pointers(task, envp)  # fault now, as the kernel's copy_strings would
    name = path
    if not path and flags & AT_EMPTY_PATH:
        loc = resolve(task, dirfd, path, empty_ok=True)
        name = b"/dev/fd/%d" % dirfd
    else:
        loc = resolve(task, dirfd, path, follow=not flags & AT_SYMLINK_NOFOLLOW)
        if loc.inode.is_symlink():
            raise ELOOP()
    prefix: list[bytes] = []  # interpreter arguments to put before the script path
    script = None
    for _depth in range(image.BINPRM_MAX_RECURSION + 1):
        image.check_executable(task, loc)
        header = loc.inode.read(0, image.BINPRM_BUF_SIZE)
        shebang = image.parse_shebang(header)
        if shebang is None:
            break
        interp, arg = shebang
        script = script if script is not None else name
        prefix = [interp] + ([arg] if arg else []) + prefix
        loc = resolve(task, AT_FDCWD, interp)
    else:
        raise ELOOP()
    if not header.startswith(b"\x7fELF"):
        raise ENOEXEC()
    interp_path = image.check_elf(loc.inode)
    mounts = task.kernel.mounts
    exe_path, _ = mounts.path_of(loc, task.process.fs.root)
    host_path = image.materialize(loc.inode, exe_path.rsplit(b"/", 1)[-1])
    new_argv: list[bytes | int] | None = None
    if script is not None:
        # argv becomes: interpreter [arg] script-path argv[1:] (fs/binfmt_script.c)
        new_argv = [*prefix, script, *argv_ptrs[1:]]
    if interp_path is not None:
        # A dynamic program: run its interpreter on it (it opens and maps the program
        # through Kevlar's VFS); glibc's and musl's loaders both take --argv0, so the
        # program still sees the argv[0] it was given.
        interp_loc = resolve(task, AT_FDCWD, interp_path)
        image.check_executable(task, interp_loc)
        base = new_argv if new_argv is not None else [exe_path if not argv_ptrs else argv_ptrs[0],
                                                      *argv_ptrs[1:]]
        new_argv = [interp_path, b"--argv0", base[0], exe_path, *base[1:]]
        host_path = image.materialize(interp_loc.inode, interp_path.rsplit(b"/", 1)[-1])
    build, argv_offset = _exec_scratch(host_path, new_argv)
    addr = scratch_write(task, build)
    regs = task.kernel.engine.regs
    regs[ORIG_RAX] = NR_EXECVE
    regs[RDI] = addr
    regs[RSI] = argv if argv_offset is None else addr + argv_offset
    regs[RDX] = envp
    comm_source = (script if script is not None else name).rstrip(b"/").rsplit(b"/", 1)[-1]
    task.pending_exec = (exe_path, loc, comm_source, name)

    def exec_failed(thread, result: int) -> int:
        thread.pending_exec = None
        return result

    task.exit_hook = exec_failed
    return ACT_STORE_SYSCALL


def _exec_scratch(host_path: bytes, new_argv):
    """The scratch blob for a rewritten execve: the materialized path first, then, if
    argv changed, the new strings and the pointer array. Returns (build, argv offset):
    build(base) lays the blob out for the address it will live at."""
    if new_argv is None:
        data = host_path + b"\0"
        return (lambda base: data), None
    strings = bytearray(host_path + b"\0")
    entries: list[tuple[bool, int]] = []  # (relative to the blob?, offset or pointer)
    for item in new_argv:
        if isinstance(item, bytes):
            entries.append((True, len(strings)))
            strings += item + b"\0"
        else:
            entries.append((False, item))
    strings += bytes(-len(strings) % 8)
    array_offset = len(strings)

    def build(base: int) -> bytes:
        pointers = b"".join(PTR.pack(base + value if relative else value)
                            for relative, value in entries)
        return bytes(strings) + pointers + PTR.pack(0)

    return build, array_offset


def sys_execve(task, path: Ptr, argv: Ptr, envp: Ptr) -> int:
    """execve(2): resolved in Kevlar's VFS, run from the materialized file."""
    return do_execve(task, AT_FDCWD, read_path(task, path), argv, envp, 0)


def sys_execveat(task, dirfd: Fd, path: Ptr, argv: Ptr, envp: Ptr, flags: Int) -> int:
    """execveat(2)."""
    return do_execve(task, dirfd, read_path(task, path), argv, envp, flags)


# -- wait ----------------------------------------------------------------------------------------
def _wait_candidates(task, match, options: int):
    proc = task.process
    out = []
    for child in proc.children:
        if not match(child):
            continue
        clone_child = child.exit_signal != SIGCHLD
        if not options & __WALL and bool(options & __WCLONE) != clone_child:
            continue
        out.append(child)
    return out


def _match_for(task, idtype: int, ident: int):
    proc = task.process
    if idtype == P_ALL:
        return lambda child: True
    if idtype == P_PID:
        return lambda child: child.pid == ident
    if idtype == P_PGID:
        pgid = ident or proc.pgid
        return lambda child: child.pgid == pgid
    if idtype == P_PIDFD:  # ident: the Process a pidfd names (None: a non-leader thread)
        return lambda child: child is ident
    raise EINVAL()


def _wait_status(status: int) -> tuple[int, int]:
    """(si_code, si_status) for a raw wait status."""
    if status & 0x7F == 0:
        return CLD_EXITED, (status >> 8) & 0xFF
    return (CLD_DUMPED if status & 0x80 else CLD_KILLED), status & 0x7F


def do_wait(task, idtype: int, ident: int, options: int, report) -> int:
    """The shared body of wait4 and waitid (kernel/exit.c do_wait): the children in
    order, each considered for its exit, then its stop, then its continue; the first
    that has something is reported. report(child, kind) finishes the call."""
    candidates = _wait_candidates(task, _match_for(task, idtype, ident), options)
    if not candidates:
        raise ECHILD()
    # A non-blocking wait must also see a stop or continue the host already reported for
    # the child but the tracer has not handled yet: the host's SIGCHLD for it can reach
    # the parent first (a shell's WNOHANG|WUNTRACED|WCONTINUED wait on SIGCHLD).
    if len(candidates) > 1 or options & WNOHANG:
        _collect_pending(task, candidates)
        candidates = [c for c in candidates if not c.reaped]
        if not candidates:
            raise ECHILD()
    for child in candidates:
        if child.zombie:
            if options & WEXITED:
                return report(child, "exit")
            continue
        if options & WUNTRACED and child.stopped and child.stop_report and child.stop_report != 0xFFFF:
            return report(child, "stop")
        if options & WCONTINUED and child.stop_report == 0xFFFF:
            return report(child, "continue")
    if options & WNOHANG:
        return report(None, "none")
    raise Block([(task.process.child_events, POLLIN)])


def _collect_pending(task, candidates) -> None:
    """Handle the stops the host already has for these children (an exit, a group stop)
    before the wait decides. Which child a wait reports depends on the order of the
    children, but the tracer hears of their exits in its own order (waitpid reports the
    newest tracee first): two children that both exited must not come back newest first."""
    from kevlar.process.signals import dispatch_pending
    dispatch_pending(task.kernel, [t for c in candidates if not c.zombie
                                   for t in c.threads.values()])


def sys_wait4(task, pid: Pid, status: Ptr, options: Int, rusage: Ptr) -> int:
    """wait4(2). A zombie whose host parent is this process is reaped by letting the
    host run wait4 on its host pid (the host returns the status and rusage); orphans the
    tracer already reaped are reported from Kevlar's record."""
    if options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL):
        raise EINVAL()
    if pid == -(1 << 31):
        raise ESRCH()
    if pid > 0:
        idtype, ident = P_PID, pid
    elif pid == 0:
        idtype, ident = P_PGID, task.process.pgid
    elif pid == -1:
        idtype, ident = P_ALL, 0
    else:
        idtype, ident = P_PGID, -pid
    kernel = task.kernel

    def report(child, kind: str) -> int:
        if child is None:
            return 0
        if kind == "exit":
            if not child.host_parent_is_tracer:
                def reaped(thread, result: int) -> int:
                    if result == child.host_pid:
                        release(kernel, child)
                        return child.pid
                    return result
                return rewrite_args(task, {0: child.host_pid, 2: (options | WNOHANG) & ~WNOWAIT},
                                    reaped)
            value = child.exit_status
            release(kernel, child)
        elif kind == "stop":
            value = child.stop_report
            child.stop_report = 0
        else:
            value = 0xFFFF
            child.stop_report = 0
        if status:
            task.write(status, INT.pack(value))
        if rusage:
            task.write(rusage, bytes(RUSAGE.size))
        return child.pid

    return do_wait(task, idtype, ident, options | WEXITED, report)


def sys_waitid(task, idtype: Int, ident: Int, infop: Ptr, options: Int, rusage: Ptr) -> int:
    """waitid(2). P_PIDFD waits for the child a pidfd names (EINVAL for a negative fd,
    EBADF for one that is not a pidfd); a PIDFD_NONBLOCK pidfd makes the wait WNOHANG,
    and EAGAIN instead of 0 when the caller did not ask for WNOHANG itself."""
    if options & ~(WNOHANG | WNOWAIT | WEXITED | WUNTRACED | WCONTINUED | __WNOTHREAD
                   | __WCLONE | __WALL):
        raise EINVAL()
    if not options & (WEXITED | WUNTRACED | WCONTINUED):
        raise EINVAL()
    if idtype not in (P_ALL, P_PID, P_PGID, P_PIDFD):
        raise EINVAL()
    if idtype == P_PID and ident <= 0:
        raise EINVAL()
    if idtype in (P_PGID, P_PIDFD) and ident < 0:
        raise EINVAL()
    would_block = 0
    if idtype == P_PIDFD:
        file = pidfd_file(task, ident)
        ident = file.process if file.thread is None else None
        if file.nonblocking and not options & WNOHANG:
            options |= WNOHANG
            would_block = 1
    kernel = task.kernel

    def report(child, kind: str) -> int:
        if child is None:
            if infop:
                task.write(infop, bytes(SIGINFO_SIZE))
            if would_block:
                raise EAGAIN()
            return 0
        if kind == "exit":
            code, value = _wait_status(child.exit_status)
            if not options & WNOWAIT:
                release(kernel, child)
        elif kind == "stop":
            code, value = 5, (child.stop_report >> 8) & 0xFF  # CLD_STOPPED
            if not options & WNOWAIT:
                child.stop_report = 0
        else:
            code, value = 6, SIGCHLD  # CLD_CONTINUED
            if not options & WNOWAIT:
                child.stop_report = 0
        if infop:
            info = struct.pack("<iii4xiIi", SIGCHLD, 0, code, child.pid, child.creds.uid, value)
            task.write(infop, info + bytes(SIGINFO_SIZE - len(info)))
        if rusage:
            task.write(rusage, bytes(RUSAGE.size))
        return 0

    return do_wait(task, idtype, ident, options, report)


# -- ids ---------------------------------------------------------------------------------------
def sys_getpid(task) -> int:
    """getpid(2)."""
    return task.process.pid


def sys_gettid(task) -> int:
    """gettid(2)."""
    return task.tid


def sys_getppid(task) -> int:
    """getppid(2): 0 for pid 1, as in a pid namespace."""
    parent = task.process.parent
    return parent.pid if parent is not None else 0


def _process_arg(task, pid: int):
    if pid == 0:
        return task.process
    proc = task.kernel.find_process(pid)
    if proc is None or proc.reaped:
        raise ESRCH()
    return proc


def sys_getpgid(task, pid: Pid) -> int:
    """getpgid(2)."""
    if pid < 0:
        raise ESRCH()
    return _process_arg(task, pid).pgid


def sys_getpgrp(task) -> int:
    """getpgrp(2)."""
    return task.process.pgid


def sys_getsid(task, pid: Pid) -> int:
    """getsid(2): 0 for a session outside the guest (pid 1's, at start)."""
    if pid < 0:
        raise ESRCH()
    return _process_arg(task, pid).sid


def sys_setpgid(task, pid: Pid, pgid: Pid) -> int:
    """setpgid(2): Linux's checks on Kevlar's table, then the host does it with host
    ids so the terminal's job control sees the same groups."""
    proc = task.process
    if pgid < 0:
        raise EINVAL()
    target = proc if pid in (0, proc.pid) else task.kernel.find_process(pid)
    if target is None or (target is not proc and target.parent is not proc):
        raise ESRCH()
    if target is not proc:
        if target.sid != proc.sid:
            raise EPERM()
        if target.did_exec:
            raise EACCES()
    if target.sid == target.pid and target.sid != 0:
        raise EPERM()  # a session leader
    pgid = pgid or target.pid
    if pgid == target.pid:
        host_pgid = target.host_pid
    else:
        host_pgid = None
        for other in task.kernel.processes.values():
            if other.pgid == pgid and other.sid == proc.sid and not other.zombie:
                host_pgid = other.host_pgid
                break
        if host_pgid is None:
            raise EPERM()

    def applied(thread, result: int) -> int:
        if result == 0:
            target.pgid = pgid
            target.host_pgid = host_pgid
        return result

    return rewrite_args(task, {0: target.host_pid, 1: host_pgid}, applied)


def sys_setsid(task) -> int:
    """setsid(2): EPERM for a process group leader."""
    proc = task.process
    if any(p.pgid == proc.pid for p in task.kernel.processes.values() if not p.reaped):
        raise EPERM()

    def applied(thread, result: int) -> int:
        if result < 0:
            return result
        proc.sid = proc.pgid = proc.pid
        proc.host_pgid = proc.host_pid
        proc.ctty = None  # proc_clear_tty: a new session has no controlling tty
        return proc.pid

    task.exit_hook = applied
    return ACT_SYSCALL


def sys_set_tid_address(task, tidptr: Ptr) -> int:
    """set_tid_address(2): the host keeps the pointer (it clears it at exit); the
    result is the caller's virtual tid."""
    task.clear_child_tid = tidptr

    def returns_vtid(thread, result: int) -> int:
        return thread.tid

    task.exit_hook = returns_vtid
    return ACT_SYSCALL


RSEQ_FLAG_UNREGISTER = 1
ORIG_RSEQ_SIZE = 32


def sys_rseq(task, rseq: Ptr, rseq_len: UInt, flags: Int, sig: UInt) -> int:
    """rseq(2): restartable sequences are not offered (the host would need to know the
    guest's critical sections); Linux's argument checks come first, then a valid
    registration gets ENOSYS, which libcs take as "do without"."""
    if flags & RSEQ_FLAG_UNREGISTER:
        raise EINVAL()  # nothing was ever registered (kernel/rseq.c)
    if flags:
        raise EINVAL()
    if rseq_len < ORIG_RSEQ_SIZE or rseq % ORIG_RSEQ_SIZE:
        raise EINVAL()
    access_ok(rseq, rseq_len)
    raise ENOSYS("rseq: restartable sequences are not offered by Kevlar")


# -- credentials ---------------------------------------------------------------------------------
def sys_getuid(task) -> int:
    """getuid(2)."""
    return task.creds.uid


def sys_geteuid(task) -> int:
    """geteuid(2)."""
    return task.creds.euid


def sys_getgid(task) -> int:
    """getgid(2)."""
    return task.creds.gid


def sys_getegid(task) -> int:
    """getegid(2)."""
    return task.creds.egid


def sys_getresuid(task, ruid: Ptr, euid: Ptr, suid: Ptr) -> int:
    """getresuid(2)."""
    c = task.creds
    for ptr, value in ((ruid, c.uid), (euid, c.euid), (suid, c.suid)):
        task.write(ptr, struct.pack("<I", value))
    return 0


def sys_getresgid(task, rgid: Ptr, egid: Ptr, sgid: Ptr) -> int:
    """getresgid(2)."""
    c = task.creds
    for ptr, value in ((rgid, c.gid), (egid, c.egid), (sgid, c.sgid)):
        task.write(ptr, struct.pack("<I", value))
    return 0


NOCHANGE = 0xFFFFFFFF
CAP_SETGID = 6
CAP_SETUID = 7


def commit_creds(task, new) -> None:
    """kernel/cred.c commit_creds(): install new credentials for the process. A change
    of euid/egid/fsuid/fsgid, or permitted capabilities gained, makes the process
    non-dumpable (suid_dumpable is 0) and clears the caller's parent-death signal."""
    from kevlar.process.task import creds_changed_privilege
    proc = task.process
    if creds_changed_privilege(proc.creds, new):
        proc.dumpable = 0
        task.pdeathsig = 0
    proc.creds = new


def _ids(c, kind: str) -> tuple[int, int, int, int]:
    return (c.uid, c.euid, c.suid, c.fsuid) if kind == "u" else (c.gid, c.egid, c.sgid, c.fsgid)


def _with_ids(task, kind: str, real: int, eff: int, saved: int, fs: int) -> int:
    """Commit the new id set; uid changes move the capabilities (cap_task_fix_setuid)."""
    from kevlar.process.task import fix_setuid
    old = task.creds
    new = old.copy()
    if kind == "u":
        new.uid, new.euid, new.suid, new.fsuid = real, eff, saved, fs
        fix_setuid(old, new)
    else:
        new.gid, new.egid, new.sgid, new.fsgid = real, eff, saved, fs
    commit_creds(task, new)
    return 0


def _privileged(c, kind: str) -> bool:
    return c.capable(CAP_SETUID if kind == "u" else CAP_SETGID)


def _setres(task, kind: str, real: int, eff: int, saved: int) -> int:
    """setres[ug]id (kernel/sys.c): without CAP_SETUID/CAP_SETGID each new id must be one
    of the current real, effective or saved ids; the fs id follows the effective one."""
    c = task.creds
    r, e, s, fs = _ids(c, kind)
    if ((real == NOCHANGE or real == r) and (eff == NOCHANGE or eff == e == fs)
            and (saved == NOCHANGE or saved == s)):
        return 0
    for value in (real, eff, saved):
        if value != NOCHANGE and value not in (r, e, s) and not _privileged(c, kind):
            raise EPERM()
    new_r = r if real == NOCHANGE else real
    new_e = e if eff == NOCHANGE else eff
    new_s = s if saved == NOCHANGE else saved
    return _with_ids(task, kind, new_r, new_e, new_s, new_e)


def sys_setresuid(task, ruid: UInt, euid: UInt, suid: UInt) -> int:
    """setresuid(2)."""
    return _setres(task, "u", ruid, euid, suid)


def sys_setresgid(task, rgid: UInt, egid: UInt, sgid: UInt) -> int:
    """setresgid(2)."""
    return _setres(task, "g", rgid, egid, sgid)


def _set_one(task, kind: str, value: int) -> int:
    """set[ug]id(2): EINVAL for -1; with CAP_SETUID/CAP_SETGID all of real, effective,
    saved and fs; otherwise effective and fs, to the real or saved id only."""
    if value == NOCHANGE:
        raise EINVAL()
    c = task.creds
    r, _e, s, _fs = _ids(c, kind)
    if _privileged(c, kind):
        return _with_ids(task, kind, value, value, value, value)
    if value not in (r, s):
        raise EPERM()
    return _with_ids(task, kind, r, value, s, value)


def sys_setuid(task, uid: UInt) -> int:
    """setuid(2)."""
    return _set_one(task, "u", uid)


def sys_setgid(task, gid: UInt) -> int:
    """setgid(2)."""
    return _set_one(task, "g", gid)


def _setre(task, kind: str, real: int, eff: int) -> int:
    """setre[ug]id(2): the real id may become the real or effective one, the effective
    id any of the three (anything with the capability); the saved id follows the new
    effective id when the real id is set or the effective one differs from the old
    real id."""
    c = task.creds
    r, e, s, _fs = _ids(c, kind)
    privileged = _privileged(c, kind)
    if real != NOCHANGE and real not in (r, e) and not privileged:
        raise EPERM()
    if eff != NOCHANGE and eff not in (r, e, s) and not privileged:
        raise EPERM()
    new_r = r if real == NOCHANGE else real
    new_e = e if eff == NOCHANGE else eff
    new_s = new_e if real != NOCHANGE or (eff != NOCHANGE and eff != r) else s
    return _with_ids(task, kind, new_r, new_e, new_s, new_e)


def sys_setreuid(task, ruid: UInt, euid: UInt) -> int:
    """setreuid(2)."""
    return _setre(task, "u", ruid, euid)


def sys_setregid(task, rgid: UInt, egid: UInt) -> int:
    """setregid(2)."""
    return _setre(task, "g", rgid, egid)


def _setfs(task, kind: str, value: int) -> int:
    """setfs[ug]id(2): always returns the previous fs id; changes it to one of the
    real, effective, saved or fs ids, or to anything with the capability."""
    from kevlar.process.task import fix_setuid
    c = task.creds
    r, e, s, fs = _ids(c, kind)
    if value == NOCHANGE or value == fs:
        return fs
    if value in (r, e, s) or _privileged(c, kind):
        new = c.copy()
        if kind == "u":
            new.fsuid = value
            fix_setuid(c, new, fs_only=True)
        else:
            new.fsgid = value
        commit_creds(task, new)
    return fs


def sys_setfsuid(task, uid: UInt) -> int:
    """setfsuid(2)."""
    return _setfs(task, "u", uid)


def sys_setfsgid(task, gid: UInt) -> int:
    """setfsgid(2)."""
    return _setfs(task, "g", gid)


NGROUPS_MAX = 65536


def sys_getgroups(task, size: Int, groups: Ptr) -> int:
    """getgroups(2)."""
    mine = task.creds.groups
    if size < 0:
        raise EINVAL()
    if size == 0:
        return len(mine)
    if size < len(mine):
        raise EINVAL()
    task.write(groups, b"".join(struct.pack("<I", g) for g in mine))
    return len(mine)


def sys_setgroups(task, size: Int, groups: Ptr) -> int:
    """setgroups(2): EPERM without CAP_SETGID, then EINVAL for a size out of range; the
    list is kept sorted, duplicates and all (groups_sort)."""
    if not task.creds.capable(CAP_SETGID):
        raise EPERM()
    if not 0 <= size <= NGROUPS_MAX:
        raise EINVAL()
    raw = task.read(groups, 4 * size) if size else b""
    new = task.creds.copy()
    new.groups = tuple(sorted(struct.unpack(f"<{size}I", raw)))
    commit_creds(task, new)
    return 0


# -- resource limits -----------------------------------------------------------------------------
def do_prlimit(task, pid: int, resource: int, new_ptr: int, old_ptr: int) -> int:
    if resource >= RLIM_NLIMITS or resource < 0:
        raise EINVAL()
    target = _process_arg(task, pid)
    new = None
    if new_ptr:
        new = list(RLIMIT.struct.unpack(task.read(new_ptr, RLIMIT.size)))
        if new[0] > new[1]:
            raise EINVAL()
        if resource == RLIMIT_NOFILE and new[1] > 1048576 and new[1] != RLIM_INFINITY:
            raise EPERM()  # fs.nr_open
        if resource == RLIMIT_NOFILE and new[1] == RLIM_INFINITY:
            raise EPERM()
    current = target.rlimits[resource]
    if new is not None and new[1] > current[1] and not task.creds.is_root:
        raise EPERM()
    if old_ptr:
        task.write(old_ptr, RLIMIT.pack(*current))
    if new is not None:
        target.rlimits[resource] = new
    return 0


def sys_prlimit64(task, pid: Pid, resource: UInt, new: Ptr, old: Ptr) -> int:
    """prlimit64(2): Kevlar's table (RLIMIT_NOFILE bounds Kevlar's fd tables)."""
    return do_prlimit(task, pid, resource, new, old)


def sys_getrlimit(task, resource: UInt, rlim: Ptr) -> int:
    """getrlimit(2)."""
    return do_prlimit(task, 0, resource, 0, rlim)


def sys_setrlimit(task, resource: UInt, rlim: Ptr) -> int:
    """setrlimit(2)."""
    return do_prlimit(task, 0, resource, rlim, 0)
