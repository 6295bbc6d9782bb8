"""procfs, generated from Kevlar's state (fs/proc/).

Every directory is a table of entries, as fs/proc/base.c declares tgid_base_stuff: a
regular file is a `generate(kernel, ctx) -> bytes` function run when the file is read
(seq_file: generated at offset 0, then served from that snapshot), a symlink has a
`text` function and, for the magic links (/proc/PID/exe, cwd, root, fd/N), a `jump`
that goes straight to the object; a directory lists its children from a function of the
kernel's state. The same machinery builds sysfs (fs/sysfs.py).

Identity: inodes are cached in their directory while the object they describe lives,
so an inode number stays the same; a /proc/PID directory belongs to one Process object
and disappears from lookups and listings when that process is reaped (an fd still open
on one of its files then reads ESRCH, as in Linux).

Ownership follows task_dump_owner(): the entries of /proc/PID belong to the process's
euid/egid (root when it is not dumpable); everything else belongs to root.

What comes from the host: per-process memory and CPU facts (/proc/HOSTPID/stat, statm,
status, maps) and machine facts (cpuinfo, meminfo, version, the cpu lines of stat), with
every id translated to the guest's (pids, ppids, process groups, sessions, the terminal's
foreground group), times as the host counts them (the guest's clocks are the host's),
and the materialized executable cache never named (maps, exe, comm show guest paths).
Values the host keeps for the guest's host process are read and written there
(oom_score_adj, coredump_filter, timerslack_ns), with Kevlar's permission checks first;
/proc/PID/mem opens the host's mem file (fs/procmem.py); io adds Kevlar's counts to the
host's. Not there (ENOENT), among others: pagemap, smaps_rollup, stack, syscall, the
autogroup/sched/schedstat files and mountstats.
"""

import itertools
import os
import time
from typing import NamedTuple

from kevlar.abi.constants import (
    CAP_SYS_NICE,
    O_ACCMODE,
    O_RDONLY,
    O_RDWR,
    O_WRONLY,
    PROC_SUPER_MAGIC,
    RLIM_INFINITY,
    S_IFDIR,
    S_IFLNK,
    S_IFREG,
)
from kevlar.abi.errors import EACCES, EINVAL, ENOENT, EPERM, ERANGE, ESRCH, from_oserror
from kevlar.fs.file import RegularFile
from kevlar.fs.nsfs import NS_NAMES, namespace_inode
from kevlar.fs.procmem import MemFile
from kevlar.fs.vfs import FileSystem, Inode, Location
from kevlar.ipc.waitq import POLLERR, POLLIN, POLLOUT, POLLPRI, POLLRDNORM, POLLWRNORM
from kevlar.process.pids import PID_MAX_LIMIT
from kevlar.process.task import AUDIT_UNSET

PROC_ROOT_INO = 1
CLK_TCK = os.sysconf("SC_CLK_TCK")
RESERVED_PIDS = 300
SUID_DUMP_USER = 1
HOST_NAME_MAX = 64  # __NEW_UTS_LEN
# Capability sets as Linux 6.x prints them for root (CAP_LAST_CAP = 40).
CAP_FULL = (1 << 41) - 1


# -- the generic pseudo-file-system nodes (procfs and sysfs) ------------------------------------
class Entry(NamedTuple):
    """One row of a directory table (struct pid_entry)."""

    name: bytes
    kind: int  # S_IFREG, S_IFLNK or S_IFDIR
    mode: int  # permission bits
    a: object = None  # REG: generate; LNK: text; DIR: children
    b: object = None  # REG: write (None: read-only); LNK: jump (None: plain symlink)
    ctx: object = None  # DIR: the context its subtree sees (default: the parent's)
    size: int = 0  # st_size (sysfs attributes say 4096)
    strict: bool = False  # REG: the mode binds root too (/proc/sys, sysfs attributes)


def REG(name, mode, generate, write=None, size=0):
    return Entry(name, S_IFREG, mode, generate, write, size=size)


def KNOB(name, mode, generate, write=None):
    """A /proc/sys file."""
    return Entry(name, S_IFREG, mode, generate, write, strict=True)


def LNK(name, text, jump=None, size=0):
    return Entry(name, S_IFLNK, 0o777, text, jump, size=size)


def DIR(name, mode, children, ctx=None):
    return Entry(name, S_IFDIR, mode, children, None, ctx)


DEFAULT_POLLMASK = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM


class Node(Inode):
    """A generated inode: its owner may follow a process (`ctx.owner()`), and chmod or
    chown of it is EPERM (proc_setattr refuses ATTR_MODE; sysfs has no such notion)."""

    parent_dir: Inode | None = None

    def __init__(self, fs, entry: Entry, ctx):
        super().__init__(fs, entry.kind | entry.mode)
        self.entry = entry
        self.ctx = ctx

    @property
    def uid(self) -> int:
        return self._owner()[0]

    @uid.setter
    def uid(self, value) -> None:
        pass  # the owner is a function of the process, never stored

    @property
    def gid(self) -> int:
        return self._owner()[1]

    @gid.setter
    def gid(self, value) -> None:
        pass

    def _owner(self) -> tuple[int, int]:
        override = getattr(self, "owner_override", None)
        if override is not None:
            return override
        owner = getattr(self.ctx, "owner", None)
        if owner is None:
            return 0, 0
        # task_dump_owner: world-readable, searchable directories always show the
        # task's ids (what `stat /proc/PID` tells ps); other entries only if dumpable.
        return owner(self.entry.kind == S_IFDIR and self.entry.mode == 0o555)

    @property
    def size(self) -> int:
        return self.entry.size

    @property
    def blocks(self) -> int:
        return 0

    def setattr(self, mode=None, uid=None, gid=None, atime=None, mtime=None) -> None:
        """proc_setattr refuses a mode change of a process's entry (its owner is reset
        from the task on every revalidation, so chown changes nothing); /proc/sys
        refuses mode and owner changes (proc_sys_setattr); other proc entries and sysfs
        attributes keep what they are given."""
        if getattr(self.ctx, "owner", None) is not None:
            if mode is not None:
                raise EPERM()
            uid = gid = None
        elif self.entry.strict and isinstance(self.fs, ProcFs):
            if mode is not None or uid is not None or gid is not None:
                raise EPERM()
        elif uid is not None or gid is not None:
            current = self._owner()
            self.owner_override = (current[0] if uid is None else uid,
                                   current[1] if gid is None else gid)
        super().setattr(mode=mode, atime=atime, mtime=mtime)

    def check_alive(self, error=ESRCH) -> None:
        alive = getattr(self.ctx, "alive", None)
        if alive is not None and not alive():
            raise error()


class Dir(Node):
    """A directory whose children come from `entry.a(fs, dir) -> [Entry]`."""

    def __init__(self, fs, entry: Entry, ctx):
        super().__init__(fs, entry, ctx)
        self.parent_dir: Inode | None = None
        self.cache: dict[bytes, Inode] = {}

    def children(self) -> list[Entry]:
        return self.entry.a(self.fs, self)

    def child(self, entry: Entry) -> Inode:
        """The cached inode for entry (made on first use; remade if what it describes
        changed, e.g. a pid now names another process)."""
        inode = self.cache.get(entry.name)
        ctx = entry.ctx if entry.ctx is not None else self.ctx
        if inode is None or inode.entry.kind != entry.kind or inode.ctx != ctx:
            cls = {S_IFDIR: Dir, S_IFLNK: Link}.get(entry.kind, File)
            inode = self.cache[entry.name] = cls(self.fs, entry, ctx)
            inode.parent_dir = self
        else:
            inode.entry = entry
        return inode

    def lookup(self, name: bytes) -> Inode:
        if name == b".":
            return self
        if name == b"..":
            return self.parent_dir or self
        self.check_alive(ENOENT)
        extra = getattr(self.entry.a, "lookup_extra", None)
        for entry in self.children():
            if entry.name == name:
                return self.child(entry)
        if extra is not None:
            entry = extra(self.fs, self, name)
            if entry is not None:
                return self.child(entry)
        self.cache.pop(name, None)
        raise ENOENT()

    def entries(self):
        self.check_alive(ENOENT)
        out = [(1, b".", self), (2, b"..", self.parent_dir or self)]
        names = set()
        for index, entry in enumerate(self.children()):
            names.add(entry.name)
            out.append((cookie_for(entry.name, index), entry.name, self.child(entry)))
        for name in [n for n in self.cache if n not in names]:
            del self.cache[name]  # gone (a reaped pid, a closed fd): forget its inode
        out.sort(key=lambda e: e[0])
        return out

    @property
    def nlink(self) -> int:
        """2 + subdirectories (pid_entry_nlink; /proc adds a link per process)."""
        count = getattr(self.entry.a, "nlink", None)
        if count is not None:
            return count(self.fs, self)
        try:
            return 2 + sum(1 for e in self.children() if e.kind == S_IFDIR)
        except (ESRCH, ENOENT):
            return 2

    @nlink.setter
    def nlink(self, value) -> None:
        pass

    @property
    def size(self) -> int:
        size = getattr(self.entry.a, "size", None)
        return size(self.fs, self) if size is not None else 0

    def unlinked(self) -> bool:
        return False

    # Names cannot be made or removed here. procfs's lookups fail with ENOENT instead of
    # giving a negative dentry, so making a name is ENOENT; kernfs (sysfs) has no create
    # or mkdir: EACCES for open(O_CREAT) (lookup_open), EPERM for the others (vfs_mkdir,
    # vfs_unlink, vfs_rename with no inode operation).
    def create(self, name: bytes, mode: int, uid: int, gid: int) -> Inode:
        raise self.fs.no_new_name(EACCES)()

    def mkdir(self, name: bytes, mode: int, uid: int, gid: int) -> Inode:
        raise self.fs.no_new_name(EPERM)()

    def mknod(self, name: bytes, mode: int, rdev: int, uid: int, gid: int) -> Inode:
        raise self.fs.no_new_name(EPERM)()

    def symlink(self, name: bytes, target: bytes, uid: int, gid: int) -> Inode:
        raise self.fs.no_new_name(EPERM)()

    def link(self, name: bytes, inode: Inode) -> None:
        raise self.fs.no_new_name(EPERM)()

    def unlink(self, name: bytes) -> None:
        raise EPERM()

    def rmdir(self, name: bytes) -> None:
        raise EPERM()

    def rename(self, old_name: bytes, new_dir: Inode, new_name: bytes, flags: int) -> None:
        raise self.fs.no_new_name(EPERM)()

    def key_path(self) -> list[bytes]:
        """Names from the file system's root down to this directory."""
        parts = []
        node = self
        while node is not None and node.parent_dir is not None:
            parts.append(node.entry.name)
            node = node.parent_dir
        return list(reversed(parts))


def cookie_for(name: bytes, index: int) -> int:
    """Stable getdents offsets: numbered entries (pids, fds, tids) by number, the others
    by their place in the table."""
    if name.isdigit():
        return (1 << 32) + int(name)
    return 3 + index


class File(Node):
    """A generated regular file; `entry.b(kernel, ctx, data) -> int` takes writes."""

    @property
    def nlink(self) -> int:
        return 1

    @nlink.setter
    def nlink(self, value) -> None:
        pass

    def contents(self) -> bytes:
        self.check_alive()
        return self.entry.a(self.fs.kernel, self.ctx)

    def read(self, offset: int, size: int) -> bytes:
        return self.contents()[offset:offset + size]

    def write(self, offset: int, data: bytes) -> int:
        writer = self.entry.b
        if writer is None:
            raise EINVAL()  # no write op: vfs_write sees no FMODE_CAN_WRITE
        self.check_alive()
        return writer(self.fs.kernel, self.ctx, data)

    def truncate(self, size: int) -> None:
        """O_TRUNC on a writable proc/sys file is accepted and does nothing."""

    def open(self, task, location, flags: int):
        if self.entry.strict:
            sysctl_permission(task.creds, self.mode, flags)
        self.check_alive()
        opener = getattr(self.entry.a, "open_file", None)  # a file that is not text
        if opener is not None:
            return opener(self, task, location, flags)
        return SeqFile(location, flags)

    def poll_mask(self) -> int | None:
        """What poll reports for this file, None when it has no poll method (epoll_ctl
        is then EPERM), as measured natively: sysfs attributes always wake with
        POLLERR|POLLPRI (sysfs_kf_poll), files at the top of /proc and under /proc/sys
        have the default mask (proc_reg_poll, proc_sys_poll), a process's mounts files
        are readable (mounts_poll), and its other files have none."""
        if self.fs.name == "sysfs":
            return DEFAULT_POLLMASK | POLLERR | POLLPRI
        parent = self.parent_dir
        if parent is self.fs.root:
            return DEFAULT_POLLMASK
        top = parent
        while top is not None and top.parent_dir is not self.fs.root:
            top = top.parent_dir
        if top is not None and top.entry.name == b"sys":
            return DEFAULT_POLLMASK
        if self.entry.name in (b"mounts", b"mountinfo", b"mountstats"):
            return POLLIN | POLLRDNORM
        return None

    def unlinked(self) -> bool:
        return False


def sysctl_permission(creds, mode: int, flags: int) -> None:
    """proc_sys_permission -> test_perm(): root gets the owner bits, a member of group 0
    the group bits, anyone else the other bits; no capability overrides them."""
    access = flags & O_ACCMODE
    want = {O_RDONLY: 4, O_WRONLY: 2, O_RDWR: 6}.get(access, 6)
    if creds.euid == 0:
        bits = mode >> 6
    elif creds.egid == 0 or 0 in creds.groups:
        bits = mode >> 3
    else:
        bits = mode
    if want & ~bits & 7:
        raise EACCES()


class SeqFile(RegularFile):
    """An open generated file (seq_file): the text is made by a read at offset 0, and a
    read that continues where the last one ended (read, pread or sendfile) goes on in
    that snapshot, so a file read in pieces is consistent; a read anywhere else makes
    the text again (seq_read_iter's traverse)."""

    def __init__(self, location, flags: int):
        super().__init__(location, flags)
        self.snapshot: bytes | None = None
        self.next_offset = 0

    def _text(self, offset: int) -> bytes:
        if self.snapshot is None or offset == 0 or offset != self.next_offset:
            self.snapshot = self.inode.contents()
        return self.snapshot

    def read(self, task, size: int) -> bytes:
        data = self._text(self.pos)[self.pos:self.pos + size]
        self.pos += len(data)
        self.next_offset = self.pos
        return data

    def pread(self, task, offset: int, size: int) -> bytes:
        data = self._text(offset)[offset:offset + size]
        self.next_offset = offset + len(data)
        return data

    def read_size_hint(self) -> int:
        return 0

    @property
    def pollable(self) -> bool:
        return self.inode.poll_mask() is not None

    def poll(self) -> int:
        """vfs_poll(): a file without a poll method is always ready (DEFAULT_POLLMASK);
        only epoll refuses it."""
        mask = self.inode.poll_mask()
        return DEFAULT_POLLMASK if mask is None else mask


class Link(Node):
    """A symlink: `entry.a(kernel, ctx) -> bytes`; magic ones jump with
    `entry.b(kernel, ctx, task) -> Location`."""

    @property
    def nlink(self) -> int:
        return 1

    @nlink.setter
    def nlink(self, value) -> None:
        pass

    @property
    def mode(self) -> int:
        mode = getattr(self.entry.a, "mode", None)
        return S_IFLNK | (mode(self.fs.kernel, self.ctx) if mode is not None else 0o777)

    @mode.setter
    def mode(self, value) -> None:
        pass

    def readlink(self) -> bytes:
        self.check_alive()
        return self.entry.a(self.fs.kernel, self.ctx)

    def follow(self, task):
        if self.entry.b is None:
            return None
        self.check_alive()
        return self.entry.b(self.fs.kernel, self.ctx, task)

    def unlinked(self) -> bool:
        return False


class PseudoFs(FileSystem):
    """A file system made of Dir/File/Link nodes over one root table."""

    def __init__(self, kernel, root: Entry, ctx=None):
        super().__init__()
        self.kernel = kernel
        self.root = Dir(self, root, ctx)

    def no_new_name(self, errno):
        """The error for making a name here (kernfs: what the VFS says for a missing
        inode operation)."""
        return errno


# -- procfs -------------------------------------------------------------------------------------
class ProcFs(PseudoFs):
    name = "proc"
    magic = PROC_SUPER_MAGIC

    def __init__(self, kernel):
        super().__init__(kernel, DIR(b"", 0o555, root_children))
        self.root.ino = PROC_ROOT_INO

    def no_new_name(self, errno):
        return ENOENT  # proc_lookup: -ENOENT, not a negative dentry

    def statfs(self) -> dict:
        stats = super().statfs()
        stats["f_bsize"] = stats["f_frsize"] = 4096
        return stats


def _read_host(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b""


def host_file(path: str):
    """A machine fact the host knows best (cpuinfo, meminfo, version)."""
    def generate(kernel, ctx) -> bytes:
        return _read_host(path)
    return generate


def boottime_offset_ns() -> int:
    """CLOCK_BOOTTIME - CLOCK_MONOTONIC now (the time the machine spent suspended)."""
    return time.clock_gettime_ns(time.CLOCK_BOOTTIME) - time.monotonic_ns()


def gen_loadavg(kernel, ctx) -> bytes:
    fields = _read_host("/proc/loadavg").split() or [b"0.00"] * 3
    running = sum(1 for t in kernel.tasks.values()
                  if t.block is None and not t.process.stopped and not t.process.zombie)
    return b"%s %s %s %d/%d %d\n" % (fields[0], fields[1], fields[2], max(running, 1),
                                     len(kernel.tasks), kernel.pids.last)


def gen_stat_global(kernel, ctx) -> bytes:
    """The host's CPU and interrupt counters and boot time (the guest's clocks are the
    host's: CLOCK_BOOTTIME comes from the vDSO); process counts are the guest world's."""
    out = []
    running = sum(1 for t in kernel.tasks.values() if t.block is None and not t.process.stopped)
    for line in _read_host("/proc/stat").splitlines():
        key = line.split(b" ", 1)[0]
        if key == b"processes":
            line = b"processes %d" % kernel.pids.last
        elif key == b"procs_running":
            line = b"procs_running %d" % max(running, 1)
        elif key == b"procs_blocked":
            line = b"procs_blocked 0"
        out.append(line)
    return b"\n".join(out) + b"\n"


FILESYSTEMS = (b"nodev\tsysfs\nnodev\ttmpfs\nnodev\tbdev\nnodev\tproc\nnodev\tdevtmpfs\n"
               b"nodev\tpipefs\nnodev\tanon_inodefs\nnodev\tsockfs\nnodev\tdevpts\n\text2\n")


def gen_swaps(kernel, ctx) -> bytes:
    return b"Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"


def block_devices(kernel) -> list:
    return getattr(kernel, "block_devices", None) or []


def gen_partitions(kernel, ctx) -> bytes:
    """show_partition(): a header, a blank line, then 1 KiB blocks per disk."""
    return b"major minor  #blocks  name\n\n" + b"".join(
        b"%4d  %7d %10d %s\n" % (dev.major, dev.minor, dev.sectors // 2, dev.name)
        for dev in block_devices(kernel))


def gen_diskstats(kernel, ctx) -> bytes:
    out = []
    for dev in block_devices(kernel):
        out.append(b"%4d %7d %s %s\n" % (dev.major, dev.minor, dev.name,
                                          b" ".join(b"%d" % n for n in dev.stat_fields())))
    return b"".join(out)


def gen_devices(kernel, ctx) -> bytes:
    blocks = sorted({(d.major, d.driver) for d in block_devices(kernel)})
    return (b"Character devices:\n  1 mem\n  5 /dev/tty\n  5 /dev/console\n\nBlock devices:\n"
            + b"".join(b"%3d %s\n" % item for item in blocks))


def root_children(fs, directory) -> list[Entry]:
    kernel = fs.kernel
    out = [
        REG(b"cpuinfo", 0o444, host_file("/proc/cpuinfo")),
        REG(b"devices", 0o444, gen_devices),
        REG(b"diskstats", 0o444, gen_diskstats),
        REG(b"filesystems", 0o444, lambda k, c: FILESYSTEMS),
        REG(b"loadavg", 0o444, gen_loadavg),
        REG(b"meminfo", 0o444, host_file("/proc/meminfo")),
        LNK(b"mounts", lambda k, c: b"self/mounts", size=11),
        REG(b"partitions", 0o444, gen_partitions),
        LNK(b"self", lambda k, c: b"%d" % k.current_reader_pid()),
        REG(b"stat", 0o444, gen_stat_global),
        REG(b"swaps", 0o444, gen_swaps),
        DIR(b"sys", 0o555, sys_children),
        DIR(b"sysvipc", 0o555, sysvipc_children),
        LNK(b"thread-self", lambda k, c: b"%d/task/%d" % k.current_reader_ids()),
        REG(b"uptime", 0o444, host_file("/proc/uptime")),
        REG(b"version", 0o444, host_file("/proc/version")),
        REG(b"vmstat", 0o444, host_file("/proc/vmstat")),
    ]
    for pid in sorted(kernel.processes):
        proc = kernel.processes[pid]
        if not proc.reaped:
            out.append(DIR(b"%d" % pid, 0o555, pid_children, ctx=PidCtx(kernel, proc, None)))
    return out


def _root_lookup_thread(fs, directory, name: bytes):
    """/proc/TID of a non-leader thread is reachable though not listed (proc_pid_lookup)."""
    if not name.isdigit():
        return None
    thread = fs.kernel.threads.get(int(name))
    if thread is None or thread.process.reaped:
        return None
    return DIR(name, 0o555, pid_children, ctx=PidCtx(fs.kernel, thread.process, thread))


root_children.lookup_extra = _root_lookup_thread


def sysvipc_children(fs, directory) -> list[Entry]:
    """/proc/sysvipc: Kevlar's IPC namespace (ipc/sysv.py)."""
    from kevlar.ipc import sysv
    return [REG(b"msg", 0o444, sysv.gen_msg), REG(b"sem", 0o444, sysv.gen_sem),
            REG(b"shm", 0o444, sysv.gen_shm)]


# -- /proc/sys ----------------------------------------------------------------------------------
def _set_hostname(attr: str):
    def write(kernel, ctx, data: bytes) -> int:
        # proc_dostring: the value ends at the first newline; longer input is cut.
        setattr(kernel, attr, data.split(b"\n", 1)[0].split(b"\0", 1)[0][:HOST_NAME_MAX])
        return len(data)
    return write


def _int_knob(value):
    return lambda kernel, ctx: b"%d\n" % value(kernel)


def _write_pid_max(kernel, ctx, data: bytes) -> int:
    try:
        value = int(data.split()[0])
    except (IndexError, ValueError):
        raise EINVAL() from None
    if not RESERVED_PIDS < value <= PID_MAX_LIMIT:
        raise EINVAL()
    kernel.pids.pid_max = value
    return len(data)


def _host_sysctl(path: str):
    return host_file("/proc/sys/" + path)


def _read_only_knob(kernel, ctx, data: bytes) -> int:
    """A knob whose value is the host's: Kevlar cannot change it for the guest alone."""
    raise EPERM()


def _uuid(kernel, ctx) -> bytes:
    import uuid
    return str(uuid.uuid4()).encode() + b"\n"


def _host_knob(name: bytes, path: str) -> Entry:
    return KNOB(name, 0o644, _host_sysctl(path), _read_only_knob)


def _sysv_namespace(kernel):
    from kevlar.ipc.sysv import namespace
    return namespace(kernel)


def _mqueue_fs(kernel):
    from kevlar.ipc.mqueue import mqueue_fs
    return mqueue_fs(kernel)


def _ipc_knob(name: bytes, attrs: tuple[str, ...], owner=_sysv_namespace) -> Entry:
    """A limit of Kevlar's IPC namespace (ipc/ipc_sysctl.c, ipc/mq_sysctl.c), kept in
    owner(kernel): root may change it (negative values are EINVAL)."""
    def generate(kernel, ctx) -> bytes:
        obj = owner(kernel)
        return b"\t".join(b"%d" % getattr(obj, a) for a in attrs) + b"\n"

    def write(kernel, ctx, data: bytes) -> int:
        try:
            values = [int(w) for w in data.split()]
        except ValueError:
            raise EINVAL() from None
        if not values or any(v < 0 for v in values):
            raise EINVAL()
        obj = owner(kernel)
        for attr, value in zip(attrs, values, strict=False):
            setattr(obj, attr, value)
        return len(data)
    return KNOB(name, 0o644, generate, write)


def _mq_knob(name: bytes) -> Entry:
    return _ipc_knob(name, (name.decode(),), _mqueue_fs)


SYS_TREE = {
    b"kernel": {
        b"cap_last_cap": KNOB(b"cap_last_cap", 0o444, lambda k, c: b"40\n"),
        # The host dumps the guests' cores and lays out their memory: its settings apply.
        b"core_pattern": _host_knob(b"core_pattern", "kernel/core_pattern"),
        b"core_uses_pid": _host_knob(b"core_uses_pid", "kernel/core_uses_pid"),
        b"domainname": KNOB(b"domainname", 0o644, lambda k, c: k.domainname + b"\n",
                           _set_hostname("domainname")),
        b"hostname": KNOB(b"hostname", 0o644, lambda k, c: k.hostname + b"\n",
                         _set_hostname("hostname")),
        b"msgmax": _ipc_knob(b"msgmax", ("msg_ctlmax",)),
        b"msgmnb": _ipc_knob(b"msgmnb", ("msg_ctlmnb",)),
        b"msgmni": _ipc_knob(b"msgmni", ("msg_ctlmni",)),
        b"ngroups_max": KNOB(b"ngroups_max", 0o444, lambda k, c: b"65536\n"),
        b"osrelease": KNOB(b"osrelease", 0o444, lambda k, c: os.uname().release.encode() + b"\n"),
        b"ostype": KNOB(b"ostype", 0o444, lambda k, c: b"Linux\n"),
        b"overflowgid": KNOB(b"overflowgid", 0o644, lambda k, c: b"65534\n", _read_only_knob),
        b"overflowuid": KNOB(b"overflowuid", 0o644, lambda k, c: b"65534\n", _read_only_knob),
        b"pid_max": KNOB(b"pid_max", 0o644, _int_knob(lambda k: k.pids.pid_max), _write_pid_max),
        b"perf_event_paranoid": _host_knob(b"perf_event_paranoid", "kernel/perf_event_paranoid"),
        b"randomize_va_space": _host_knob(b"randomize_va_space", "kernel/randomize_va_space"),
        b"sem": _ipc_knob(b"sem", ("sc_semmsl", "sc_semmns", "sc_semopm", "sc_semmni")),
        b"shmall": _ipc_knob(b"shmall", ("shm_ctlall",)),
        b"shmmax": _ipc_knob(b"shmmax", ("shm_ctlmax",)),
        b"shmmni": _ipc_knob(b"shmmni", ("shm_ctlmni",)),
        b"random": {
            b"boot_id": KNOB(b"boot_id", 0o444, _host_sysctl("kernel/random/boot_id")),
            b"entropy_avail": KNOB(b"entropy_avail", 0o444, lambda k, c: b"256\n"),
            b"poolsize": KNOB(b"poolsize", 0o444, lambda k, c: b"256\n"),
            b"uuid": KNOB(b"uuid", 0o444, _uuid),
        },
        b"threads-max": _host_knob(b"threads-max", "kernel/threads-max"),
        b"tainted": _host_knob(b"tainted", "kernel/tainted"),
        b"version": KNOB(b"version", 0o444, lambda k, c: os.uname().version.encode() + b"\n"),
    },
    b"fs": {
        b"file-max": _host_knob(b"file-max", "fs/file-max"),
        b"file-nr": KNOB(b"file-nr", 0o444, _host_sysctl("fs/file-nr")),
        b"inotify": {
            b"max_queued_events": _host_knob(b"max_queued_events", "fs/inotify/max_queued_events"),
            b"max_user_instances": _host_knob(b"max_user_instances", "fs/inotify/max_user_instances"),
            b"max_user_watches": _host_knob(b"max_user_watches", "fs/inotify/max_user_watches"),
        },
        b"mqueue": {knob: _mq_knob(knob) for knob in (b"msg_default", b"msg_max", b"msgsize_default",
                                                      b"msgsize_max", b"queues_max")},
        b"nr_open": _host_knob(b"nr_open", "fs/nr_open"),
        b"pipe-max-size": KNOB(b"pipe-max-size", 0o644, lambda k, c: b"1048576\n", _read_only_knob),
    },
    b"vm": {
        b"max_map_count": _host_knob(b"max_map_count", "vm/max_map_count"),
        b"overcommit_memory": _host_knob(b"overcommit_memory", "vm/overcommit_memory"),
        b"mmap_min_addr": _host_knob(b"mmap_min_addr", "vm/mmap_min_addr"),
        b"overcommit_ratio": _host_knob(b"overcommit_ratio", "vm/overcommit_ratio"),
        b"swappiness": _host_knob(b"swappiness", "vm/swappiness"),
    },
    b"net": {
        b"core": {b"somaxconn": _host_knob(b"somaxconn", "net/core/somaxconn")},
    },
}


def sys_children(fs, directory) -> list[Entry]:
    node = SYS_TREE
    for part in directory.key_path()[1:]:  # below /proc/sys
        node = node[part]
    out = []
    for name, value in sorted(node.items()):
        if isinstance(value, dict):
            out.append(DIR(name, 0o555, sys_children))
        else:
            out.append(value)
    return out


# -- /proc/PID and /proc/PID/task/TID ------------------------------------------------------------
class PidCtx:
    """What a /proc/PID (or task/TID) subtree describes: one Process object, and for
    task directories and /proc/TID one of its threads. Equal contexts share inodes."""

    __slots__ = ("kernel", "proc", "thread")

    def __init__(self, kernel, proc, thread):
        self.kernel = kernel
        self.proc = proc
        self.thread = thread

    def __eq__(self, other) -> bool:
        return (isinstance(other, PidCtx) and self.proc is other.proc
                and self.thread is other.thread)

    def __hash__(self) -> int:
        return hash((id(self.proc), id(self.thread)))

    def alive(self) -> bool:
        if self.proc.reaped:
            return False
        thread = self.thread
        return thread is None or self.kernel.threads.get(thread.tid) is thread

    def owner(self, always: bool = False) -> tuple[int, int]:
        """task_dump_owner(): euid/egid of a dumpable process (or for `always`), else
        root; a zombie has no mm and keeps its ids."""
        proc = self.proc
        if proc.reaped:
            return 0, 0
        if not always and not proc.zombie and proc.dumpable != SUID_DUMP_USER:
            return 0, 0
        return proc.creds.euid, proc.creds.egid

    @property
    def ident(self) -> int:
        return self.thread.tid if self.thread is not None else self.proc.pid


def _live(ctx: PidCtx):
    if not ctx.alive():
        raise ESRCH()
    return ctx.proc


def may_ptrace_read(kernel, proc) -> bool:
    """ptrace_may_access(PTRACE_MODE_READ_FSCREDS) with Kevlar's capability model:
    root may; others only for a dumpable process whose ids are all theirs."""
    task = kernel.current
    if task is None:
        return True
    me = task.process
    if me is proc or me.creds.euid == 0:
        return True
    c, mine = proc.creds, me.creds
    if proc.dumpable != SUID_DUMP_USER:
        return False
    return (mine.fsuid == c.uid == c.euid == c.suid) and (mine.fsgid == c.gid == c.egid == c.sgid)


def _path(kernel, loc, proc) -> bytes:
    path, _ = kernel.mounts.path_of(loc, proc.fs.root)
    if loc.inode.unlinked():
        path += b" (deleted)"
    return path


def _magic(getter):
    """A magic link of a process (exe, cwd, root): EACCES for readers who may not
    ptrace it, ENOENT once it is a zombie (its mm and fs are gone)."""
    def location(kernel, ctx):
        proc = _live(ctx)
        if not may_ptrace_read(kernel, proc):
            raise EACCES()
        if proc.zombie:
            raise ENOENT()
        loc = getter(proc)
        if loc is None:
            raise ENOENT()
        return loc

    def text(kernel, ctx) -> bytes:
        return _path(kernel, location(kernel, ctx), ctx.proc)

    def jump(kernel, ctx, task):
        return location(kernel, ctx)

    return text, jump


EXE_TEXT, EXE_JUMP = _magic(lambda p: p.exe_location)
CWD_TEXT, CWD_JUMP = _magic(lambda p: p.fs.cwd if p.fs is not None else None)
ROOT_TEXT, ROOT_JUMP = _magic(lambda p: p.fs.root if p.fs is not None else None)


def _host_proc(ctx: PidCtx, name: str, thread_level: bool = False) -> bytes:
    proc = ctx.proc
    if thread_level and ctx.thread is not None:
        return _read_host(f"/proc/{proc.host_pid}/task/{ctx.thread.host_tid}/{name}")
    return _read_host(f"/proc/{proc.host_pid}/{name}")


def gen_cmdline(kernel, ctx) -> bytes:
    """argv as the guest's own memory holds it (the host reads mm->arg_start..), less
    the loader Kevlar put in front of a dynamic program."""
    proc = _live(ctx)
    if proc.zombie:
        return b""
    return strip_loader(proc, _host_proc(ctx, "cmdline"))


def strip_loader(proc, cmdline: bytes) -> bytes:
    """Kevlar runs a dynamic program as `INTERP [--argv0 NAME] PROGRAM ARGS...` (the host
    kernel cannot read PT_INTERP from Kevlar's VFS), so the arguments the guest's memory
    holds start with the loader; the program's command line is what follows."""
    interp = _interp_path(proc)
    if interp is None:
        return cmdline
    args = cmdline.split(b"\0")
    if not args or args[0] != interp:
        return cmdline
    if len(args) > 3 and args[1] == b"--argv0":
        return b"\0".join([args[2], *args[4:]])
    return b"\0".join(args[1:])


def gen_environ(kernel, ctx) -> bytes:
    proc = _live(ctx)
    if not may_ptrace_read(kernel, proc):
        raise EACCES()
    if proc.zombie:
        return b""
    return _host_proc(ctx, "environ")


def gen_auxv(kernel, ctx) -> bytes:
    proc = _live(ctx)
    if not may_ptrace_read(kernel, proc):
        raise EACCES()
    return _host_proc(ctx, "auxv")


def _name(ctx: PidCtx) -> bytes:
    return ctx.thread.name if ctx.thread is not None else ctx.proc.comm


def gen_comm(kernel, ctx) -> bytes:
    _live(ctx)
    return _name(ctx) + b"\n"


def write_comm(kernel, ctx, data: bytes) -> int:
    """Writing /proc/PID/comm renames that thread (the leader for /proc/PID), as
    PR_SET_NAME does; only the thread group itself may (same_thread_group check)."""
    proc = _live(ctx)
    task = kernel.current
    if task is not None and task.process is not proc:
        raise EINVAL()
    name = data.split(b"\n", 1)[0][:15]
    thread = ctx.thread or proc.leader
    if thread is not None:
        thread.name = name
    if thread is None or thread.tid == proc.pid:
        proc.comm = name
    return len(data)


STATE_NAMES = {b"R": b"R (running)", b"S": b"S (sleeping)", b"D": b"D (disk sleep)",
               b"T": b"T (stopped)", b"t": b"t (tracing stop)", b"X": b"X (dead)",
               b"Z": b"Z (zombie)", b"P": b"P (parked)", b"I": b"I (idle)"}


def guest_state(ctx: PidCtx, host: bytes) -> bytes:
    """The state letter the guest would see. The host shows "t" (tracing stop) while
    Kevlar handles or queues a syscall: that thread is running a system call, so R;
    a job-control stop is T; a Kevlar zombie (perhaps reaped on the host) is Z."""
    proc = ctx.proc
    if proc.zombie:
        return b"Z"
    if proc.stopped:
        return b"T"
    if host in (b"t", b"T", b""):
        thread = ctx.thread or proc.leader
        return b"S" if thread is not None and thread.block is not None else b"R"
    return host


STAT_FIELDS = 52


def gen_stat(kernel, ctx) -> bytes:
    """do_task_stat(): the host's line for the guest with every id translated (times
    stay the host's: the guest's CLOCK_BOOTTIME is the host's, so is /proc/uptime)."""
    proc = _live(ctx)
    raw = b"" if proc.zombie and proc.host_parent_is_tracer else _host_proc(ctx, "stat", True)
    close = raw.rfind(b")")
    rest = raw[close + 2:].split() if close > 0 else []
    if len(rest) < STAT_FIELDS - 2:
        rest = _zombie_stat(proc)
    rest[0] = guest_state(ctx, rest[0])
    rest[1] = b"%d" % (proc.parent.pid if proc.parent is not None else 0)
    rest[2] = b"%d" % proc.pgid
    rest[3] = b"%d" % proc.sid
    host_tpgid = int(rest[5])
    rest[5] = b"%d" % (kernel.vpgid_of_host(host_tpgid) if host_tpgid > 0 else -1)
    pty = proc.ctty
    if pty is not None:  # a Kevlar pty (ipc/pty.py): tty_nr and its foreground group
        from kevlar.fs.devfs import mkdev
        rest[4] = b"%d" % mkdev(136, pty.index)
        rest[5] = b"%d" % (pty.pgrp or -1)
    return b"%d (%s) %s\n" % (ctx.ident, _name(ctx), b" ".join(rest))


def _zombie_stat(proc) -> list[bytes]:
    """The fields of a task whose host record is gone: what Linux shows for a zombie
    (no mm, no threads but the leader's corpse)."""
    rest = [b"0"] * (STAT_FIELDS - 2)
    rest[0] = b"Z"
    rest[5] = b"-1"
    rest[15] = b"20"  # priority
    rest[17] = b"1"  # num_threads
    rest[19] = b"%d" % ((proc.start_time_ns + boottime_offset_ns()) * CLK_TCK // 1_000_000_000)
    rest[22] = b"%d" % RLIM_INFINITY  # rsslim
    rest[35] = b"%d" % proc.exit_signal
    status = proc.exit_status or 0
    rest[49] = b"%d" % status
    return rest


def _fdsize(proc) -> int:
    """FDSize: the fd table's capacity (64, doubled as it grows: expand_fdtable)."""
    size = 64
    top = max(proc.fds.files) if proc.fds is not None and proc.fds.files else 0
    while size <= top:
        size *= 2
    return size


def _escape_name(name: bytes) -> bytes:
    return name.replace(b"\\", b"\\\\").replace(b"\n", b"\\n")


def gen_status(kernel, ctx) -> bytes:
    proc = _live(ctx)
    lines = [] if proc.zombie and proc.host_parent_is_tracer else \
        _host_proc(ctx, "status", True).splitlines()
    c = proc.creds
    state = b""
    for line in lines:
        if line.startswith(b"State:"):
            state = line.split()[1] if len(line.split()) > 1 else b""
    replace = {
        b"Name": _escape_name(_name(ctx)),
        b"Umask": b"%04o" % (proc.fs.umask if proc.fs is not None else 0o022),
        b"State": STATE_NAMES.get(guest_state(ctx, state), b"R (running)"),
        b"Tgid": b"%d" % proc.pid,
        b"Ngid": b"0",
        b"Pid": b"%d" % ctx.ident,
        b"PPid": b"%d" % (proc.parent.pid if proc.parent is not None else 0),
        b"TracerPid": b"0",
        b"Uid": b"%d\t%d\t%d\t%d" % (c.uid, c.euid, c.suid, c.fsuid),
        b"Gid": b"%d\t%d\t%d\t%d" % (c.gid, c.egid, c.sgid, c.fsgid),
        b"FDSize": b"%d" % _fdsize(proc),
        b"Groups": b"".join(b"%d " % g for g in c.groups) or b" ",
        b"NStgid": b"%d" % proc.pid,
        b"NSpid": b"%d" % ctx.ident,
        b"NSpgid": b"%d" % proc.pgid,
        b"NSsid": b"%d" % proc.sid,
        b"CapInh": b"%016x" % getattr(c, "cap_inheritable", 0),
        b"CapPrm": b"%016x" % getattr(c, "cap_permitted", CAP_FULL if c.euid == 0 else 0),
        b"CapEff": b"%016x" % getattr(c, "cap_effective", CAP_FULL if c.euid == 0 else 0),
        b"CapBnd": b"%016x" % getattr(c, "cap_bset", CAP_FULL),
        b"CapAmb": b"%016x" % getattr(c, "cap_ambient", 0),
        b"NoNewPrivs": b"%d" % proc.no_new_privs,
        b"Seccomp": b"%d" % proc.seccomp_mode,
        b"Seccomp_filters": b"%d" % (1 if proc.seccomp_mode == 2 else 0),
    }
    thread = ctx.thread or proc.leader
    if thread is not None:
        replace[b"Cpus_allowed"], replace[b"Cpus_allowed_list"] = _cpus_allowed(kernel, thread)
    out = []
    for line in lines:
        key, sep, _ = line.partition(b":")
        if sep and key in replace:
            value = replace.pop(key)
            out.append(key + b":\t" + value)
        else:
            out.append(line)
    if not out:  # a zombie whose host record is gone
        replace[b"Threads"] = b"0"
        order = (b"Name", b"Umask", b"State", b"Tgid", b"Ngid", b"Pid", b"PPid", b"TracerPid", b"Uid",
                 b"Gid", b"FDSize", b"Groups", b"NStgid", b"NSpid", b"NSpgid", b"NSsid",
                 b"Threads", b"CapPrm", b"CapEff", b"NoNewPrivs", b"Seccomp", b"Seccomp_filters")
        out = [k + b":\t" + replace[k] for k in order]
    return b"\n".join(out) + b"\n"


def _cpus_allowed(kernel, thread) -> tuple[bytes, bytes]:
    """Kevlar's view of the thread's affinity (the tracer pins the host threads), as
    "%*pb" (hex, a comma every 32 bits) and "%*pbl" (ranges) print it."""
    from kevlar.syscalls.sched import guest_cpus, nr_cpu_ids
    cpus = sorted(guest_cpus(kernel, thread))
    mask = sum(1 << cpu for cpu in cpus)
    digits = b"%0*x" % ((nr_cpu_ids() + 3) // 4, mask)
    groups = []
    while digits:
        groups.insert(0, digits[-8:])
        digits = digits[:-8]
    ranges = []
    for cpu in cpus:
        if ranges and ranges[-1][1] == cpu - 1:
            ranges[-1][1] = cpu
        else:
            ranges.append([cpu, cpu])
    text = b",".join(b"%d" % a if a == b else b"%d-%d" % (a, b) for a, b in ranges)
    return b",".join(groups), text


def gen_statm(kernel, ctx) -> bytes:
    proc = _live(ctx)
    data = b"" if proc.zombie else _host_proc(ctx, "statm")
    return data or b"0 0 0 0 0 0 0\n"


def gen_limits(kernel, ctx) -> bytes:
    proc = _live(ctx)

    def fmt(value: int) -> bytes:
        return b"unlimited" if value == RLIM_INFINITY else b"%d" % value

    out = [b"%-25s %-20s %-20s %-10s" % (b"Limit", b"Soft Limit", b"Hard Limit", b"Units")]
    for (name, unit), (soft, hard) in zip(LIMIT_NAMES, proc.rlimits, strict=False):
        out.append(b"%-25s %-20s %-20s %-10s" % (name, fmt(soft), fmt(hard), unit))
    return b"\n".join(out) + b"\n"


LIMIT_NAMES = [
    (b"Max cpu time", b"seconds"), (b"Max file size", b"bytes"), (b"Max data size", b"bytes"),
    (b"Max stack size", b"bytes"), (b"Max core file size", b"bytes"),
    (b"Max resident set", b"bytes"), (b"Max processes", b"processes"),
    (b"Max open files", b"files"), (b"Max locked memory", b"bytes"),
    (b"Max address space", b"bytes"), (b"Max file locks", b"locks"),
    (b"Max pending signals", b"signals"), (b"Max msgqueue size", b"bytes"),
    (b"Max nice priority", b""), (b"Max realtime priority", b""),
    (b"Max realtime timeout", b"us"),
]


def gen_oom_score_adj(kernel, ctx) -> bytes:
    _live(ctx)
    return _host_proc(ctx, "oom_score_adj") or b"0\n"


def write_oom_score_adj(kernel, ctx, data: bytes) -> int:
    """The host keeps the value (fork inherits it there); lowering it needs root
    (CAP_SYS_RESOURCE), which only a guest euid 0 has."""
    proc = _live(ctx)
    try:
        value = int(data.strip() or b"x")
    except ValueError:
        raise EINVAL() from None
    if not -1000 <= value <= 1000:
        raise EINVAL()
    current = int((_host_proc(ctx, "oom_score_adj") or b"0").strip() or 0)
    task = kernel.current
    if value < current and task is not None and not task.process.creds.is_root:
        raise EACCES()
    try:
        with open(f"/proc/{proc.host_pid}/oom_score_adj", "wb") as f:
            f.write(b"%d\n" % value)
    except OSError:
        raise ESRCH() from None
    return len(data)


def _ns_children(fs, directory) -> list[Entry]:
    """/proc/PID/ns: a link per namespace, readable and followed by whoever may ptrace
    the process (EACCES otherwise), leading to its nsfs inode."""
    _live(directory.ctx)
    return NS_ENTRIES


def _ns_link(name: bytes) -> Entry:
    def inode(kernel, ctx):
        proc = _live(ctx)
        if not may_ptrace_read(kernel, proc):
            raise EACCES()
        return namespace_inode(kernel, proc, name)

    def text(kernel, ctx) -> bytes:
        return inode(kernel, ctx).link_text()

    def jump(kernel, ctx, task):
        return Location(None, inode(kernel, ctx))

    return LNK(name, text, jump)


NS_ENTRIES = [_ns_link(name) for name in NS_NAMES]
_ns_children.nlink = lambda fs, directory: 2


def gen_personality(kernel, ctx) -> bytes:
    """The execution domain flags: the host's (personality(2) runs natively); readers
    need to be allowed to ptrace the process (lock_trace: EPERM)."""
    _live(ctx)
    if not may_ptrace_read(kernel, ctx.proc):
        raise EPERM()
    return _host_proc(ctx, "personality", True) or b"00000000\n"


# -- io, audit ids, core dump filter, timer slack, wchan, LSM attributes -------------------------
IO_KEYS = (b"rchar", b"wchar", b"syscr", b"syscw", b"read_bytes", b"write_bytes",
           b"cancelled_write_bytes")


def _host_counts(text: bytes) -> dict[bytes, int]:
    out = {}
    for line in text.splitlines():
        key, _, value = line.partition(b":")
        if value.strip().isdigit():
            out[key] = int(value)
    return out


def gen_io(kernel, ctx) -> bytes:
    """do_io_accounting(): readers need ptrace read access (EACCES). The calls Kevlar
    answered are its own count (process/ioacct.py); the host counted the rest, and its
    block-I/O bytes (tmpfs I/O has none, as on Linux)."""
    proc = _live(ctx)
    if not may_ptrace_read(kernel, proc):
        raise EACCES()
    counts = _host_counts(_host_proc(ctx, "io", True))
    mine = ctx.thread.ioac if ctx.thread is not None else proc.ioac
    for key in IO_KEYS[:4]:
        counts[key] = counts.get(key, 0) + getattr(mine, key.decode())
    return b"".join(b"%s: %d\n" % (key, counts.get(key, 0)) for key in IO_KEYS)


def _audit_thread(ctx: PidCtx):
    """The task whose audit ids a file shows: the thread, or the process's leader."""
    proc = _live(ctx)
    thread = ctx.thread or proc.threads.get(proc.pid) or next(iter(proc.threads.values()), None)
    if thread is None:
        raise ESRCH()
    return thread


def gen_loginuid(kernel, ctx) -> bytes:
    return b"%d" % _audit_thread(ctx).loginuid


def gen_sessionid(kernel, ctx) -> bytes:
    """The audit session (AUDIT_SID_UNSET until a loginuid is set), no newline."""
    return b"%d" % _audit_thread(ctx).sessionid


_audit_sessions = itertools.count(1)  # the audit session_id counter
CAP_AUDIT_CONTROL = 30


def write_loginuid(kernel, ctx, data: bytes) -> int:
    """proc_loginuid_write() and audit_set_loginuid(): only the task itself may write;
    setting an unset loginuid needs no privilege, changing a set one CAP_AUDIT_CONTROL;
    a valid uid starts a new session, AUDIT_UID_UNSET ends it."""
    thread = _audit_thread(ctx)
    if kernel.current is not thread:
        raise EPERM()
    value = parse_uint(data, 32)
    if thread.loginuid != AUDIT_UNSET and not thread.process.creds.capable(CAP_AUDIT_CONTROL):
        raise EPERM()
    thread.sessionid = AUDIT_UNSET if value == AUDIT_UNSET else next(_audit_sessions)
    thread.loginuid = value
    return len(data)


def parse_uint(data: bytes, bits: int) -> int:
    """kstrtou32/kstrtoull(s, 10): an optional '+', decimal digits, one optional
    newline; EINVAL for anything else, ERANGE past the width."""
    text = data[:-1] if data.endswith(b"\n") else data
    digits = text[1:] if text.startswith(b"+") else text
    if not digits.isdigit():
        raise EINVAL()
    value = int(digits)
    if value >= 1 << bits:
        raise ERANGE()
    return value


def _host_knob_file(name: str, thread_level: bool = False):
    """A per-process value the host keeps (fork inherits it there, prctl and the host's
    own checks see it): read and written on the guest's host process."""
    def generate(kernel, ctx) -> bytes:
        _live(ctx)
        return _host_proc(ctx, name, thread_level)

    def write(kernel, ctx, data: bytes) -> int:
        proc = _live(ctx)
        try:
            with open(f"/proc/{proc.host_pid}/{name}", "wb", buffering=0) as f:
                return f.write(data)
        except OSError as exc:
            raise from_oserror(exc) from None
    return generate, write


def _slack_check(kernel, ctx) -> None:
    """timerslack_ns_show/write(): another task's slack needs CAP_SYS_NICE (EPERM)."""
    proc = _live(ctx)
    task = kernel.current
    if task is not None and task.tid != proc.pid and not task.process.creds.capable(CAP_SYS_NICE):
        raise EPERM()


_coredump_filter = _host_knob_file("coredump_filter")
_slack_gen, _slack_write = _host_knob_file("timerslack_ns")


def gen_timerslack(kernel, ctx) -> bytes:
    _slack_check(kernel, ctx)
    return _slack_gen(kernel, ctx)


def write_timerslack(kernel, ctx, data: bytes) -> int:
    """The value is parsed first (EINVAL/ERANGE), then the permission is checked."""
    parse_uint(data, 64)
    _slack_check(kernel, ctx)
    return _slack_write(kernel, ctx, data)


def gen_wchan(kernel, ctx) -> bytes:
    """proc_pid_wchan(): the kernel function a sleeping task waits in, "0" for a running
    task or a reader without ptrace read access. A guest's sleep is a host sleep: the
    host names the function; the calling thread itself is running."""
    proc = _live(ctx)
    thread = ctx.thread or proc.threads.get(proc.pid)
    if thread is None or thread is kernel.current or not may_ptrace_read(kernel, proc):
        return b"0"
    name = _host_proc(ctx, "wchan", True).strip()
    return name if name and name != b"ptrace_stop" else b"0"


def gen_lsm_attr(kernel, ctx) -> bytes:
    """proc_pid_attr_read() with no LSM loaded: security_getprocattr is EINVAL."""
    _live(ctx)
    raise EINVAL()


def write_lsm_attr(kernel, ctx, data: bytes) -> int:
    """proc_pid_attr_write(): another task's attributes are EPERM (measured on 6.18);
    with no LSM loaded security_setprocattr is EINVAL."""
    proc = _live(ctx)
    task = kernel.current
    if task is not None and task.process is not proc:
        raise EPERM()
    raise EINVAL()


def gen_mem(kernel, ctx) -> bytes:
    """/proc/PID/mem is not text: it opens as a MemFile (fs/procmem.py)."""
    raise EINVAL()


def _open_mem(node, task, location, flags: int):
    """mem_open(): mm_access() with PTRACE_MODE_ATTACH, EACCES for another's memory
    the opener may not trace."""
    proc = _live(node.ctx)
    if not may_ptrace_read(node.fs.kernel, proc):
        raise EACCES()
    return MemFile(location, flags, proc.host_pid)


gen_mem.open_file = _open_mem

def _attr_children(fs, directory) -> list[Entry]:
    return ATTR_ENTRIES


_attr_children.nlink = lambda fs, directory: 2
ATTR_ENTRIES = [REG(name, 0o666, gen_lsm_attr, write_lsm_attr)
                for name in (b"current", b"prev", b"exec", b"fscreate", b"keycreate",
                             b"sockcreate")]
ATTR_ENTRIES[1] = REG(b"prev", 0o444, gen_lsm_attr)


# Kevlar's guests live in the initial user namespace: the identity map, setgroups allowed.
IDENTITY_MAP = b"%10u %10u %10u\n" % (0, 0, 4294967295)


def gen_id_map(kernel, ctx) -> bytes:
    _live(ctx)
    return IDENTITY_MAP


def write_id_map(kernel, ctx, data: bytes) -> int:
    """map_write(): the initial namespace's map is already written (EPERM)."""
    raise EPERM()


def gen_setgroups(kernel, ctx) -> bytes:
    _live(ctx)
    return b"allow\n"


def write_setgroups(kernel, ctx, data: bytes) -> int:
    """proc_setgroups_write(): "allow" or "deny" (EINVAL otherwise); denying once the
    gid map is written, as the initial namespace's is, is EPERM."""
    word = data.split(b"\n", 1)[0].strip()
    if word == b"allow":
        return len(data)
    if word == b"deny":
        raise EPERM()
    raise EINVAL()


def gen_oom_score(kernel, ctx) -> bytes:
    _live(ctx)
    return _host_proc(ctx, "oom_score") or b"0\n"


def gen_cgroup(kernel, ctx) -> bytes:
    _live(ctx)
    return b"0::/\n"


# -- maps: the host's view of the guest's memory, in the guest's names ---------------------------
MAPS_NAME_COLUMN = 73  # show_map_vma pads to 25 + 6 * sizeof(void *) - 1 before the name


def _interp_path(proc) -> bytes | None:
    """The dynamic loader the process's ELF names (PT_INTERP), if any."""
    loc = proc.exe_location
    if loc is None:
        return None
    inode = loc.inode
    cached = getattr(inode, "proc_interp", None)
    if cached is None or cached[0] != inode.version:
        from kevlar.process.exec import check_elf
        try:
            interp = check_elf(inode)
        except Exception:  # noqa: BLE001 - not an ELF we can parse: no interpreter
            interp = None
        cached = inode.proc_interp = (inode.version, interp)
    return cached[1]


def _interp_location(kernel, proc):
    """The dynamic loader, resolved in the guest's root."""
    interp = _interp_path(proc)
    if interp is None or proc.fs is None:
        return None
    from types import SimpleNamespace

    from kevlar.fs.path import walk
    view = SimpleNamespace(process=SimpleNamespace(kernel=kernel, creds=proc.creds, fs=proc.fs))
    try:
        return walk(view, proc.fs.root, interp)
    except Exception:  # noqa: BLE001 - gone since exec: the host line stays unnamed
        return None


def _materialized(kernel, proc) -> dict[bytes, Location]:
    """Host cache paths of this process's materialized files -> their guest location."""
    out = {}
    for loc in (proc.exe_location, _interp_location(kernel, proc)):
        if loc is None:
            continue
        cached = getattr(loc.inode, "exec_cache", None)
        if cached is not None:
            out[cached[1]] = loc
    return out


def _dev_of(inode) -> tuple[int, int]:
    return getattr(inode.fs, "dev_major", 0), inode.fs.dev


def _maps_line(start: bytes, end: bytes, perms: bytes, offset: int, dev: tuple[int, int],
               ino: int, name: bytes) -> bytes:
    line = b"%s-%s %s %08x %02x:%02x %d " % (start, end, perms, offset, dev[0], dev[1], ino)
    if name:
        line = line.ljust(MAPS_NAME_COLUMN) + name
    return line


def translate_maps(kernel, proc, data: bytes) -> bytes:
    """Rewrite a host maps/smaps text: the materialized executable and interpreter get
    their guest path, device and inode; Kevlar's private copies of mapped files get the
    file's; System V segments are "/SYSV<key> (deleted)" with the shmid as inode, as in
    Linux; Kevlar's own scratch mapping is not the guest's and is left out."""
    cache = _materialized(kernel, proc) if not proc.zombie else {}
    if not proc.zombie:  # files mapped through their host backing (syscalls/mm.py)
        from kevlar.syscalls.mm import host_names
        cache.update(host_names(kernel, proc))
    from kevlar.process.exec import cache_dir
    cache_prefix = os.fsencode(cache_dir())
    files = sorted(proc.mm.mappings.items())
    from kevlar.ipc.sysv import shm_host_inodes
    shm_ids = shm_host_inodes(proc.mm)
    scratch = proc.mm.scratch
    out = []
    skipping = False
    for line in data.splitlines():
        head = line.split(None, 5)
        if not head or b"-" not in head[0] or len(head) < 5:
            if not skipping:
                out.append(line)  # an smaps detail line
            continue
        start_s, end_s = head[0].split(b"-", 1)
        start = int(start_s, 16)
        skipping = scratch and start == scratch
        if skipping:
            continue
        perms, offset = head[1], int(head[2], 16)
        name = head[5] if len(head) == 6 else b""
        dev_major, dev_minor = (int(x, 16) for x in head[3].split(b":"))
        dev, ino = (dev_major, dev_minor), int(head[4])
        host_name = name[:-len(b" (deleted)")] if name.endswith(b" (deleted)") else name
        if host_name in cache:
            loc = cache[host_name]
            name = _path(kernel, loc, proc)
            dev, ino = _dev_of(loc.inode), loc.inode.ino
        elif ino in shm_ids and host_name.startswith(b"/memfd:SYSV"):
            name, ino = b"/" + name[len(b"/memfd:"):], shm_ids[ino]  # "/SYSV<key> (deleted)", id
        elif host_name.startswith(cache_prefix):
            name = proc.exe or os.path.basename(host_name)
            dev, ino = (0, 0), 0
        elif ino == 0 and not name:
            record = _file_mapping(files, start, cache)
            if record is not None:
                map_start, (loc, map_offset, _length, _prot, flags) = record
                offset = map_offset + (start - map_start)
                name = _path(kernel, loc, proc)
                dev, ino = _dev_of(loc.inode), loc.inode.ino
                if flags & 0x03 != 0x02:  # MAP_SHARED / MAP_SHARED_VALIDATE: "s"
                    perms = perms[:3] + b"s"
        out.append(_maps_line(start_s, end_s, perms, offset, dev, ino, name))
    return b"\n".join(out) + (b"\n" if out else b"")


def _file_mapping(files, start: int, host_backed: dict):
    """The private copy (an anonymous host mapping Kevlar filled with a file's bytes)
    that covers start. Files mapped through their host backing are named by the host;
    anonymous memory inside their range (a loader's .bss) is not theirs."""
    backed = {id(loc.inode) for loc in host_backed.values()}
    for map_start, record in files:
        if map_start <= start < map_start + record[2] and id(record[0].inode) not in backed:
            return map_start, record
    return None


def gen_maps(kernel, ctx) -> bytes:
    proc = _live(ctx)
    if proc.zombie:
        return b""
    return translate_maps(kernel, proc, _host_proc(ctx, "maps", True))


def gen_smaps(kernel, ctx) -> bytes:
    proc = _live(ctx)
    if proc.zombie:
        return b""
    return translate_maps(kernel, proc, _host_proc(ctx, "smaps", True))


# -- mounts and mountinfo -------------------------------------------------------------------------
MOUNT_FLAG_WORDS = {b"ro", b"rw", b"nosuid", b"nodev", b"noexec", b"noatime", b"nodiratime",
                    b"relatime", b"strictatime", b"nosymfollow", b"sync", b"dirsync"}


def mangle(path: bytes) -> bytes:
    """seq_path's escaping of space, tab, newline and backslash (\\040 ...)."""
    for char in (b"\\", b" ", b"\t", b"\n"):
        path = path.replace(char, b"\\%03o" % char[0])
    return path


def _mount_options(mnt) -> tuple[list[bytes], list[bytes]]:
    """(per-mount flags, super block options) from the mount's option string."""
    words = [w for w in mnt.options.split(b",") if w]
    flags = [w for w in words if w in MOUNT_FLAG_WORDS and w not in (b"ro", b"rw")]
    extra = [w for w in words if w not in MOUNT_FLAG_WORDS]
    ro = b"ro" if mnt.read_only else b"rw"
    return [ro, *flags], [b"ro" if mnt.fs.read_only else b"rw", *extra]


def _visible_mounts(kernel, proc):
    for mnt in kernel.mounts.mounts:
        path, reachable = kernel.mounts.path_of(Location(mnt, mnt.root), proc.fs.root)
        if reachable:
            yield mnt, path


def gen_mounts(kernel, ctx) -> bytes:
    proc = _live(ctx)
    if proc.fs is None:
        return b""
    lines = []
    for mnt, path in _visible_mounts(kernel, proc):
        flags, extra = _mount_options(mnt)
        lines.append(b"%s %s %s %s 0 0\n" % (mangle(mnt.source), mangle(path),
                                             _fs_type(mnt), b",".join(flags + extra[1:])))
    return b"".join(lines)


def _fs_type(mnt) -> bytes:
    """The type column: a host bind shows the host file system's type, as a bind does."""
    return getattr(mnt.fs, "host_type", mnt.fs.name).encode()


def _root_in_fs(mnt) -> bytes:
    """Where a (bind) mount's root sits inside its file system."""
    inode, parts = mnt.root, []
    for _ in range(4096):
        if inode is mnt.fs.root or not inode.is_dir():
            break
        parent = inode.lookup(b"..")
        if parent is inode:
            break
        for _cookie, name, child in parent.entries():
            if child is inode and name not in (b".", b".."):
                parts.append(name)
                break
        inode = parent
    return b"/" + b"/".join(reversed(parts))


def gen_mountinfo(kernel, ctx) -> bytes:
    proc = _live(ctx)
    if proc.fs is None:
        return b""
    lines = []
    for mnt, path in _visible_mounts(kernel, proc):
        flags, extra = _mount_options(mnt)
        major, minor = _dev_of(mnt.root)
        parent = mnt.parent.id if mnt.parent is not None else mnt.id
        lines.append(b"%d %d %d:%d %s %s %s - %s %s %s\n" % (
            mnt.id, parent, major, minor, mangle(_root_in_fs(mnt)), mangle(path),
            b",".join(flags), _fs_type(mnt), mangle(mnt.source), b",".join(extra)))
    return b"".join(lines)


# -- fd/ and fdinfo/ ------------------------------------------------------------------------------
def _fd_file(ctx, fd: int):
    proc = _live(ctx)
    if not may_ptrace_read(ctx.kernel, proc):
        raise EACCES()
    file = proc.fds.files.get(fd) if proc.fds is not None else None
    if file is None:
        raise ENOENT()
    return proc, file


def describe_file(kernel, proc, file) -> bytes:
    """What readlink(/proc/PID/fd/N) shows (d_path, or the pseudo file's name)."""
    if getattr(file, "host_fd", None) is not None:
        try:
            return os.fsencode(os.readlink(f"/proc/self/fd/{file.host_fd}"))
        except OSError:
            return b"/dev/tty"
    loc = file.location
    if loc is None or loc.mount is None:
        inode = file.inode
        link = getattr(file, "proc_link", None)  # nsfs files: "uts:[N]"
        if link is not None:
            return link
        name = getattr(file, "anon_name", None)
        if name is not None:
            return b"anon_inode:" + name
        kind = inode.fs.name if inode is not None else "anon_inode"
        kind = {"pipefs": "pipe", "sockfs": "socket"}.get(kind, kind)
        return b"%s:[%d]" % (kind.encode(), inode.ino if inode is not None else 0)
    return _path(kernel, loc, proc)


def _fd_children(fs, directory) -> list[Entry]:
    ctx = directory.ctx
    proc = _live(ctx)
    if not may_ptrace_read(fs.kernel, proc):
        raise EACCES()
    fds = sorted(proc.fds.files) if proc.fds is not None else []
    return [_fd_entry(fd) for fd in fds]


def _fd_entry(fd: int) -> Entry:
    def text(kernel, ctx) -> bytes:
        proc, file = _fd_file(ctx, fd)
        return describe_file(kernel, proc, file)

    def mode(kernel, ctx) -> int:
        """tid_fd_update_inode: r-x for a readable fd, -wx for a writable one."""
        try:
            _, file = _fd_file(ctx, fd)
        except (ENOENT, ESRCH, EACCES):
            return 0o700
        bits = 0
        if getattr(file, "readable", False):
            bits |= 0o500
        if getattr(file, "writable", False):
            bits |= 0o300
        return bits

    def jump(kernel, ctx, task):
        _, file = _fd_file(ctx, fd)
        return fd_location(kernel, file)

    text.mode = mode
    return LNK(b"%d" % fd, text, jump, size=64)


def fd_location(kernel, file):
    """Where following /proc/PID/fd/N leads: the file's place in the tree, or for a
    pipe, socket or inherited host fd an inode that reopens the same object."""
    if file.location is not None:
        return file.location
    if getattr(file, "host_fd", None) is not None:
        return Location(None, HostFdInode(kernel, file))
    inode = file.inode
    if inode is None:
        raise ENOENT()
    if getattr(file, "pipe", None) is not None:
        def reopen_pipe(self, task, location, flags: int):
            """fs/pipe.c fifo_open: a pipe (is_pipe) never waits for a partner."""
            from kevlar.ipc.pipe import PipeEnd
            return PipeEnd(file.pipe, flags)
        return Location(None, _reopen_view(inode, reopen_pipe))

    def no_reopen(self, task, location, flags: int):
        """Sockets and anonymous-inode files (eventfd, epoll, timerfd...) cannot be
        opened again through /proc: ENXIO."""
        from kevlar.abi.errors import ENXIO
        raise ENXIO()
    return Location(None, _reopen_view(inode, no_reopen))


def _reopen_view(inode, open_method):
    """The object's own inode as stat sees it (the same attributes, shared), with the
    open(2) that /proc/PID/fd/N gives it."""
    cls = type(type(inode).__name__, (type(inode),), {"open": open_method})
    view = object.__new__(cls)
    view.__dict__ = inode.__dict__
    return view


class HostFdInode(Inode):
    """The object behind an inherited host fd, reached through /proc/self/fd/N
    (/dev/stdin): opening it shares the host file, as Linux reopens the same file."""

    def __init__(self, kernel, file):
        from kevlar.fs.pseudo import ANON_INODE_FS
        try:
            st = os.fstat(file.host_fd)
            mode = st.st_mode
        except OSError:
            mode = 0o020600
        super().__init__(ANON_INODE_FS, mode)
        self.kernel = kernel
        self.host_file = file
        if mode != 0o020600:
            self.ino, self.uid, self.gid, self.rdev = st.st_ino, st.st_uid, st.st_gid, (
                (os.major(st.st_rdev) << 8) | (os.minor(st.st_rdev) & 0xFF)
                | ((os.minor(st.st_rdev) & ~0xFF) << 12))
            self.atime, self.mtime, self.ctime = st.st_atime_ns, st.st_mtime_ns, st.st_ctime_ns

    @property
    def size(self) -> int:
        try:
            return os.fstat(self.host_file.host_fd).st_size
        except OSError:
            return 0

    def truncate(self, size: int) -> None:
        """O_TRUNC through /dev/stdout truncates the file the host fd names, as on Linux
        (the guest was given that fd to write)."""
        try:
            os.ftruncate(self.host_file.host_fd, size)
        except OSError:
            raise EINVAL() from None

    def open(self, task, location, flags: int):
        from kevlar.fs.hostfile import HostFile
        host = self.host_file
        access = flags & O_ACCMODE
        if (access in (O_RDONLY, O_RDWR) and not host.readable) or (
                access in (O_WRONLY, O_RDWR) and not host.writable):
            raise EACCES()  # the host fd cannot do what the new open asks
        return HostFile(self.kernel, host.host_fd, (host.flags & ~O_ACCMODE) | access)


def _fdinfo_children(fs, directory) -> list[Entry]:
    proc = _live(directory.ctx)
    if not may_ptrace_read(fs.kernel, proc):
        raise EACCES()
    fds = sorted(proc.fds.files) if proc.fds is not None else []
    return [REG(b"%d" % fd, 0o444, _fdinfo_generator(fd)) for fd in fds]


def _fdinfo_generator(fd: int):
    def generate(kernel, ctx) -> bytes:
        proc, file = _fd_file(ctx, fd)
        loc = file.location
        mnt = loc.mount.id if loc is not None and loc.mount is not None else 0
        inode = file.inode
        ino = inode.ino if inode is not None else 0
        flags = file.flags | (0o2000000 if fd in proc.fds.cloexec else 0)
        text = b"pos:\t%d\nflags:\t0%o\nmnt_id:\t%d\nino:\t%d\n" % (file.pos, flags, mnt, ino)
        extra = getattr(file, "fdinfo", None)
        if extra is not None:
            text += extra()  # eventfd-count, tfd, inotify wd lines, ...
        return text
    return generate


def _fd_dir_size(fs, directory) -> int:
    """st_size of /proc/PID/fd: the number of open fds (proc_fd_getattr)."""
    try:
        proc = _live(directory.ctx)
    except ESRCH:
        return 0
    return len(proc.fds.files) if proc.fds is not None else 0


_fd_children.size = _fd_dir_size
_fd_children.nlink = lambda fs, directory: 2
_fdinfo_children.nlink = lambda fs, directory: 2


# -- task/ ----------------------------------------------------------------------------------------
def _task_children(fs, directory) -> list[Entry]:
    ctx = directory.ctx
    proc = _live(ctx)
    return [DIR(b"%d" % tid, 0o555, tid_children, ctx=PidCtx(fs.kernel, proc, thread))
            for tid, thread in sorted(proc.threads.items())]


def _task_nlink(fs, directory) -> int:
    try:
        return 2 + len(_live(directory.ctx).threads)
    except ESRCH:
        return 2


_task_children.nlink = _task_nlink


def gen_children(kernel, ctx) -> bytes:
    """task/TID/children: the pids of this thread's children, space separated."""
    proc = _live(ctx)
    return b"".join(b"%d " % child.pid for child in proc.children if not child.reaped)


def _common(thread_dir: bool) -> list[Entry]:
    """The entries /proc/PID and /proc/PID/task/TID share, in fs/proc/base.c order."""
    out = [
        DIR(b"fd", 0o500, _fd_children),
        DIR(b"fdinfo", 0o555, _fdinfo_children),
        DIR(b"ns", 0o511, _ns_children),
        REG(b"environ", 0o400, gen_environ),
        REG(b"auxv", 0o400, gen_auxv),
        REG(b"status", 0o444, gen_status),
        REG(b"personality", 0o400, gen_personality),
        REG(b"limits", 0o444, gen_limits),
        REG(b"comm", 0o644, gen_comm, write_comm),
        REG(b"cmdline", 0o444, gen_cmdline),
        REG(b"stat", 0o444, gen_stat),
        REG(b"statm", 0o444, gen_statm),
        REG(b"maps", 0o444, gen_maps),
        LNK(b"cwd", CWD_TEXT, CWD_JUMP),
        LNK(b"root", ROOT_TEXT, ROOT_JUMP),
        LNK(b"exe", EXE_TEXT, EXE_JUMP),
        REG(b"mounts", 0o444, gen_mounts),
        REG(b"mountinfo", 0o444, gen_mountinfo),
        REG(b"smaps", 0o444, gen_smaps),
        REG(b"cgroup", 0o444, gen_cgroup),
        REG(b"oom_score", 0o444, gen_oom_score),
        REG(b"oom_score_adj", 0o644, gen_oom_score_adj, write_oom_score_adj),
        DIR(b"attr", 0o555, _attr_children),
        REG(b"wchan", 0o444, gen_wchan),
        REG(b"io", 0o400, gen_io),
        REG(b"mem", 0o600, gen_mem),
        REG(b"loginuid", 0o644, gen_loginuid, write_loginuid),
        REG(b"sessionid", 0o444, gen_sessionid),
        REG(b"uid_map", 0o644, gen_id_map, write_id_map),
        REG(b"gid_map", 0o644, gen_id_map, write_id_map),
        REG(b"setgroups", 0o644, gen_setgroups, write_setgroups),
    ]
    if thread_dir:
        out.insert(10, REG(b"children", 0o444, gen_children))
    else:
        out += [REG(b"coredump_filter", 0o644, *_coredump_filter),
                REG(b"timerslack_ns", 0o666, gen_timerslack, write_timerslack)]
    return out


PID_ENTRIES = [DIR(b"task", 0o555, _task_children)] + _common(False)
TID_ENTRIES = _common(True)


def pid_children(fs, directory) -> list[Entry]:
    _live(directory.ctx)
    return PID_ENTRIES


def tid_children(fs, directory) -> list[Entry]:
    _live(directory.ctx)
    return TID_ENTRIES


def _pid_nlink(fs, directory) -> int:
    return 2 + sum(1 for e in PID_ENTRIES if e.kind == S_IFDIR)


def _tid_nlink(fs, directory) -> int:
    return 2 + sum(1 for e in TID_ENTRIES if e.kind == S_IFDIR)


pid_children.nlink = _pid_nlink
tid_children.nlink = _tid_nlink


def _root_nlink(fs, directory) -> int:
    """proc_root_getattr: the static subdirectories plus one link per process."""
    return 2 + sum(1 for e in root_children(fs, directory) if e.kind == S_IFDIR)


root_children.nlink = _root_nlink

__all__ = ["ProcFs", "PseudoFs", "Entry", "REG", "LNK", "DIR", "Dir", "File", "Link",
           "describe_file", "translate_maps", "mangle"]
