"""Threads and processes as Kevlar sees them.

A guest process is a real host process; Kevlar keeps its own record of it: virtual ids,
parent and children, process group and session, fd table, fs context, credentials,
limits and its view of signal dispositions. Pieces that clone(2) can share (CLONE_FILES,
CLONE_FS, CLONE_SIGHAND, CLONE_VM) are separate objects so sharing is aliasing.
"""

import resource as _resource
from dataclasses import dataclass, field

from kevlar.abi.constants import RLIM_INFINITY, RLIM_NLIMITS, SIG_DFL
from kevlar.ipc.waitq import WaitQueue
from kevlar.process.ioacct import IoCounters

CAP_LAST_CAP = 40  # CAP_CHECKPOINT_RESTORE (include/uapi/linux/capability.h)
CAP_FULL = (1 << (CAP_LAST_CAP + 1)) - 1


AUDIT_UNSET = 4294967295  # AUDIT_UID_UNSET, AUDIT_SID_UNSET


@dataclass
class Credentials:
    """uid/gid sets and capability sets of a process (include/linux/cred.h); copied on
    fork, shared by threads.

    The capability sets follow Linux's rules (security/commoncap.c): root gets the
    bounding set on exec, setuid away from root drops them unless SECBIT_KEEP_CAPS,
    capset may only shrink. Kevlar's file-system checks still ask `is_root` (euid 0);
    `capable()` answers for the calls that name a capability (kill, nice, capset...).
    """

    uid: int = 0
    euid: int = 0
    suid: int = 0
    fsuid: int = 0
    gid: int = 0
    egid: int = 0
    sgid: int = 0
    fsgid: int = 0
    groups: tuple[int, ...] = ()
    cap_inheritable: int = 0
    cap_permitted: int = 0
    cap_effective: int = 0
    cap_bset: int = CAP_FULL
    cap_ambient: int = 0
    securebits: int = 0

    def copy(self) -> "Credentials":
        return Credentials(**self.__dict__)

    @property
    def is_root(self) -> bool:
        """Kevlar grants every capability to euid 0 and none to anyone else."""
        return self.euid == 0

    def capable(self, cap: int) -> bool:
        """capable(cap): the bit in the effective set."""
        return bool(self.cap_effective >> cap & 1)

    def in_group(self, gid: int) -> bool:
        return gid == self.fsgid or gid in self.groups


def host_cap_bset() -> int:
    """The tracer's capability bounding set: Kevlar's root gets what the host grants."""
    try:
        with open("/proc/self/status", "rb") as f:
            for line in f:
                if line.startswith(b"CapBnd:"):
                    return int(line.split()[1], 16) & CAP_FULL
    except (OSError, ValueError, IndexError):
        pass
    return CAP_FULL


def initial_credentials(uid: int, gid: int) -> Credentials:
    """pid 1's credentials: root holds every capability of the bounding set (as after
    an exec by root, security/commoncap.c), anyone else none."""
    bset = host_cap_bset()
    caps = bset if uid == 0 else 0
    return Credentials(uid, uid, uid, uid, gid, gid, gid, gid, (), 0, caps, caps, bset)


# include/uapi/linux/securebits.h
SECBIT_NOROOT = 1 << 0
SECBIT_NO_SETUID_FIXUP = 1 << 2
SECBIT_KEEP_CAPS = 1 << 4
SECBIT_NO_CAP_AMBIENT_RAISE = 1 << 6
SECURE_ALL_BITS = 0x555  # the settable bits (6.14 added EXEC_RESTRICT_FILE, EXEC_DENY_INTERACTIVE)
SECURE_ALL_LOCKS = SECURE_ALL_BITS << 1
CAP_FS_MASK = 0x10800001F  # CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID MKNOD MAC_OVERRIDE


def exec_credentials(old: Credentials) -> Credentials:
    """The credentials after execve of a file without capabilities or set-id bits
    (security/commoncap.c cap_bprm_creds_from_file): root gets the bounding set (plus
    its inheritable set), effective only when euid is 0; others keep only ambient."""
    new = old.copy()
    new.securebits &= ~SECBIT_KEEP_CAPS
    effective = False
    new.cap_permitted = 0
    if not new.securebits & SECBIT_NOROOT and 0 in (new.euid, new.uid):
        new.cap_permitted = new.cap_bset | new.cap_inheritable
        effective = new.euid == 0
    new.cap_permitted |= new.cap_ambient
    new.cap_effective = new.cap_permitted if effective else new.cap_ambient
    return new


def fix_setuid(old: Credentials, new: Credentials, fs_only: bool = False) -> None:
    """cap_task_fix_setuid(): capabilities follow uid changes (unless
    SECBIT_NO_SETUID_FIXUP). Leaving root altogether clears permitted and effective
    (kept with SECBIT_KEEP_CAPS) and ambient; euid leaving 0 clears effective, euid
    becoming 0 restores it from permitted; fsuid moves only the file-system caps."""
    if new.securebits & SECBIT_NO_SETUID_FIXUP:
        return
    if not fs_only:
        was_root = 0 in (old.uid, old.euid, old.suid)
        is_root = 0 in (new.uid, new.euid, new.suid)
        if was_root and not is_root:
            if not new.securebits & SECBIT_KEEP_CAPS:
                new.cap_permitted = 0
                new.cap_effective = 0
            new.cap_ambient = 0
        if old.euid == 0 and new.euid != 0:
            new.cap_effective = 0
        if old.euid != 0 and new.euid == 0:
            new.cap_effective = new.cap_permitted
    if old.fsuid == 0 and new.fsuid != 0:
        new.cap_effective &= ~CAP_FS_MASK
    elif old.fsuid != 0 and new.fsuid == 0:
        new.cap_effective |= new.cap_permitted & CAP_FS_MASK


def creds_changed_privilege(old: Credentials, new: Credentials) -> bool:
    """commit_creds(): a change that clears the parent-death signal and makes the
    process non-dumpable (ids the kernel compares, or permitted caps not a subset)."""
    return ((old.euid, old.egid, old.fsuid, old.fsgid) != (new.euid, new.egid, new.fsuid, new.fsgid)
            or bool(new.cap_permitted & ~old.cap_permitted))


CAP_SYS_PTRACE = 19
SUID_DUMP_USER = 1


def ptrace_may_access(caller, target, fscreds: bool = False) -> bool:
    """kernel/ptrace.c __ptrace_may_access() between processes: a process may inspect
    itself; otherwise the caller's real ids (fs ids with PTRACE_MODE_FSCREDS) must equal
    all of the target's uids and gids, or it holds CAP_SYS_PTRACE, and a live target
    must be dumpable unless the caller holds CAP_SYS_PTRACE. (Yama is not modelled.)"""
    if caller is target:
        return True
    c, t = caller.creds, target.creds
    uid, gid = (c.fsuid, c.fsgid) if fscreds else (c.uid, c.gid)
    privileged = c.capable(CAP_SYS_PTRACE)
    if not privileged and not (uid == t.uid == t.euid == t.suid
                               and gid == t.gid == t.egid == t.sgid):
        return False
    return privileged or target.zombie or target.dumpable == SUID_DUMP_USER


def default_rlimits() -> list[list[int]]:
    """pid 1 starts with the limits kevlar-trace itself has (the host applies those to
    the real process too), so a guest reads what the same program reads natively."""
    limits = []
    for resource in range(RLIM_NLIMITS):
        try:
            soft, hard = _resource.getrlimit(resource)
        except (ValueError, OSError):
            soft = hard = -1
        limits.append([RLIM_INFINITY if soft < 0 else soft, RLIM_INFINITY if hard < 0 else hard])
    return limits


@dataclass
class UtsNamespace:
    """Host and domain names (struct uts_namespace): shared on fork, copied by
    clone/unshare(CLONE_NEWUTS). The host's own names are never changed."""

    hostname: bytes = b"kevlar"
    domainname: bytes = b"(none)"

    def copy(self) -> "UtsNamespace":
        return UtsNamespace(self.hostname, self.domainname)


@dataclass
class FsContext:
    """root, cwd and umask (struct fs_struct); shared with CLONE_FS."""

    root: object
    cwd: object
    umask: int = 0o022

    def copy(self) -> "FsContext":
        return FsContext(self.root, self.cwd, self.umask)


@dataclass
class SignalHandlers:
    """Kevlar's view of dispositions (struct sighand_struct); shared with CLONE_SIGHAND.

    actions[signo] = (handler, flags, mask). The host keeps the real ones: rt_sigaction is
    traced and then allowed to run, so this view only decides restart and exec rules.
    """

    actions: dict[int, tuple[int, int, int]] = field(default_factory=dict)

    def copy(self) -> "SignalHandlers":
        return SignalHandlers(dict(self.actions))

    def handler(self, signo: int) -> int:
        return self.actions.get(signo, (SIG_DFL, 0, 0))[0]

    def flags(self, signo: int) -> int:
        return self.actions.get(signo, (SIG_DFL, 0, 0))[1]


@dataclass
class AddressSpace:
    """What Kevlar knows about a guest mm; shared with CLONE_VM, copied on fork."""

    scratch: int = 0  # an injected anonymous mapping for scratch data, 0 if none yet
    scratch_size: int = 0
    mappings: dict[int, object] = field(default_factory=dict)  # start -> file mapping record
    # Host fds injected into the guest for mapping Kevlar files (syscalls/mm.py): a copy of
    # the host fd table comes with fork, exec closes them (O_CLOEXEC) with a fresh mm.
    host_fds: dict[tuple, int] = field(default_factory=dict)
    # System V shared memory attached here (ipc/sysv.py): address -> (segment, length).
    sysv_shm: dict[int, tuple] = field(default_factory=dict)

    def copy(self) -> "AddressSpace":
        return AddressSpace(self.scratch, self.scratch_size, dict(self.mappings), dict(self.host_fds),
                            dict(self.sysv_shm))


class Thread:
    """One guest thread: a host tid under ptrace, with Kevlar's per-thread state."""

    __slots__ = ("tid", "host_tid", "process", "ready", "block", "parked_nr", "wake",
                 "current", "restart", "exit_hook", "clear_child_tid", "pending_clone",
                 "pending_exec", "sigmask", "stopped_signal", "new", "name", "syscall_args",
                 "waking", "pdeathsig", "affinity", "io", "semundo", "pidfs", "woken_catch",
                 "loginuid", "sessionid", "ioac")

    def __init__(self, tid: int, host_tid: int, process: "Process"):
        self.tid = tid
        self.host_tid = host_tid
        self.process = process
        # ready: the engine may dispatch this thread's seccomp stops (False until its
        # first stop has been seen, and while Kevlar is in the middle of an event).
        self.ready = False
        self.new = True
        self.block = None  # the Block the thread is parked on, if any
        self.parked_nr = -1  # the syscall number a parked thread is in
        self.wake = None  # a pending wake: ("restart", None) or ("result", value)
        self.current = None  # (nr, args) of the syscall being handled
        self.restart = None  # (nr, args, state) kept across a park and its restart
        self.exit_hook = None  # callable(thread, result) -> result, at the syscall exit
        self.clear_child_tid = 0
        self.pending_clone = None
        self.pending_exec = None
        self.sigmask = 0
        self.stopped_signal = 0
        self.name = process.comm
        self.syscall_args = ()
        self.waking = False  # its handler runs at a wake-up stop, not a syscall stop
        # (catch, real mask) of a woken park that slept with watched signals unblocked:
        # until the thread is stopped and its own mask is back, those can still arrive.
        self.woken_catch = None
        self.pdeathsig = 0  # PR_SET_PDEATHSIG: per thread, as current->pdeath_signal
        self.affinity = None  # Kevlar's view of the CPU mask (None: the online CPUs)
        self.io = None  # its io_context (syscalls/ioprio.py), shared with CLONE_IO
        self.semundo = None  # its SysV undo list (syscalls/kcmp.py), shared with CLONE_SYSVSEM
        self.pidfs = None  # the pidfs inode of a non-leader thread (ipc/pidfd.py)
        self.loginuid = AUDIT_UNSET  # the audit login uid and session (fs/procfs.py)
        self.sessionid = AUDIT_UNSET
        self.ioac = IoCounters()  # what /proc/PID/task/TID/io counts (process/ioacct.py)

    def __repr__(self) -> str:
        return f"<Thread {self.tid} host={self.host_tid} pid={self.process.pid}>"

    # Guest memory of this thread's address space.
    def read(self, addr: int, size: int) -> bytes:
        return self.process.kernel.engine.read(self.host_tid, addr, size)

    def write(self, addr: int, data: bytes) -> None:
        self.process.kernel.engine.write(self.host_tid, addr, data)

    def read_cstring(self, addr: int, limit: int) -> bytes:
        return self.process.kernel.engine.read_cstring(self.host_tid, addr, limit)

    @property
    def kernel(self):
        return self.process.kernel

    @property
    def creds(self) -> Credentials:
        return self.process.creds


class Process:
    """A guest thread group with Kevlar's process-level state."""

    def __init__(self, kernel, pid: int, host_pid: int, parent: "Process | None"):
        self.kernel = kernel
        self.pid = pid
        self.host_pid = host_pid
        self.parent = parent
        self.children: list[Process] = []
        self.threads: dict[int, Thread] = {}
        self.pgid = pid
        self.sid = pid
        self.host_pgid = host_pid
        self.ctty = None  # a Kevlar pty that is the session's controlling tty (ipc/pty.py)
        self.fds = None
        self.fs: FsContext | None = None
        self.creds = Credentials()
        self.rlimits = default_rlimits()
        self.sighand = SignalHandlers()
        self.uts = kernel.init_uts if kernel is not None else UtsNamespace()
        self.mm = AddressSpace()
        self.exe = b""  # guest path of the executable
        self.exe_location = None
        self.comm = b""
        self.argv: list[bytes] = []
        self.env: list[bytes] = []
        self.subreaper = False
        self.parent_thread: Thread | None = None  # the thread that created it (pdeathsig)
        self.dumpable = 1
        self.posted: dict[int, bytes] = {}  # siginfo of signals Kevlar sent (signals.py)
        self.no_new_privs = 0  # as the guest set it; Kevlar's own (for the filter) is hidden
        self.exit_signal = 17  # SIGCHLD unless clone said otherwise
        self.exit_status: int | None = None  # raw wait status once exited
        self.zombie = False
        self.reaped = False
        # True when the host parent is the tracer (pid 1, and every orphan after its
        # parent died): the tracer's own waitpid already reaped it on the host.
        self.host_parent_is_tracer = False
        self.stopped = False
        self.stop_report = 0  # a WUNTRACED/WCONTINUED wait status not yet reported
        self.leader_status: int | None = None
        self.child_events = WaitQueue()  # a child exited, stopped or continued
        self.start_time_ns = 0
        self.did_exec = False  # setpgid on a child that exec'd is EACCES
        self.seccomp_mode = 0  # PR_GET_SECCOMP as the guest set it (Kevlar's own is hidden)
        self.pidfs = None  # the pidfs inode its pidfds share (ipc/pidfd.py), made on demand
        self.ioac = IoCounters()  # its threads' I/O, the living and the dead (/proc/PID/io)

    def __repr__(self) -> str:
        return f"<Process {self.pid} host={self.host_pid} {self.comm!r}>"

    @property
    def alive(self) -> bool:
        return not self.zombie

    @property
    def leader(self) -> Thread | None:
        return self.threads.get(self.pid)

    def any_thread(self) -> Thread | None:
        return self.leader or next(iter(self.threads.values()), None)
