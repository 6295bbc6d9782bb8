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


@dataclass
class Credentials:
    """uid/gid sets of a process (include/linux/cred.h); copied on fork, shared by threads."""

    uid: int = 0
    euid: int = 0
    suid: int = 0
    fsuid: int = 0
    gid: int = 0
    egid: int = 0
    sgid: int = 0
    fsgid: int = 0
    groups: tuple[int, ...] = ()

    def copy(self) -> "Credentials":
        return Credentials(**self.__dict__)

    @property
    def is_root(self) -> bool:
        """Kevlar grants every capability to euid 0 and none to anyone else."""
        return self.euid == 0

    def in_group(self, gid: int) -> bool:
        return gid == self.fsgid or gid in self.groups


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

    def copy(self) -> "AddressSpace":
        return AddressSpace(self.scratch, self.scratch_size, dict(self.mappings))


class Thread:
    """One guest thread: a host tid under ptrace, with Kevlar's per-thread state."""

    __slots__ = ("tid", "host_tid", "process", "ready", "block", "parked_nr", "wake",
                 "current", "restart", "exit_hook", "clear_child_tid", "pending_clone",
                 "pending_exec", "sigmask", "stopped_signal", "new", "name", "syscall_args",
                 "waking")

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
        self.fds = None
        self.fs: FsContext | None = None
        self.creds = Credentials()
        self.rlimits = default_rlimits()
        self.sighand = SignalHandlers()
        self.mm = AddressSpace()
        self.exe = b""  # guest path of the executable
        self.exe_location = None
        self.comm = b""
        self.argv: list[bytes] = []
        self.env: list[bytes] = []
        self.subreaper = False
        self.pdeathsig = 0
        self.dumpable = 1
        self.keepcaps = 0
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
