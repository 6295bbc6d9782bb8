"""procfs, generated from Kevlar's state (fs/proc/).

Directories list their children from a function of the kernel's state; files are
`generate(kernel) -> bytes` functions run at read time; links return text (or, for the
magic ones such as /proc/PID/exe, cwd, root and fd/N, jump straight to the object).
Inodes are cached by path so an inode number stays the same while the object exists.
Per-process files that describe memory or CPU use the host's view of the guest process
(/proc/HOSTPID/...) with every id translated to the guest's.
"""

import os
import time

from kevlar.abi.constants import PROC_SUPER_MAGIC, S_IFDIR, S_IFLNK, S_IFREG
from kevlar.abi.errors import EACCES, ENOENT
from kevlar.fs.vfs import FileSystem, Inode, Location


class ProcFs(FileSystem):
    name = "proc"
    magic = PROC_SUPER_MAGIC

    def __init__(self, kernel):
        super().__init__()
        self.kernel = kernel
        self.cache: dict[tuple, Inode] = {}
        self.root = ProcDir(self, (), root_children)
        self.root.mode = S_IFDIR | 0o555

    def node(self, key: tuple, factory) -> Inode:
        inode = self.cache.get(key)
        if inode is None:
            inode = self.cache[key] = factory()
        return inode

    def forget_process(self, pid: int) -> None:
        for key in [k for k in self.cache if len(k) >= 1 and k[0] == pid]:
            del self.cache[key]


class ProcDir(Inode):
    """children(fs, key) -> [(name, factory)] in a stable order."""

    def __init__(self, fs: ProcFs, key: tuple, children, mode: int = S_IFDIR | 0o555):
        super().__init__(fs, mode)
        self.key = key
        self.children_fn = children
        self.parent_dir: Inode | None = None

    def _children(self):
        return self.children_fn(self.fs, self.key)

    def lookup(self, name: bytes) -> Inode:
        if name == b".":
            return self
        if name == b"..":
            return self.parent_dir or self
        for child_name, factory in self._children():
            if child_name == name:
                inode = self.fs.node(self.key + (name,), factory)
                if isinstance(inode, ProcDir):
                    inode.parent_dir = self
                return inode
        raise ENOENT()

    def entries(self):
        out = [(1, b".", self), (2, b"..", self.parent_dir or self)]
        for index, (name, factory) in enumerate(self._children()):
            inode = self.fs.node(self.key + (name,), factory)
            if isinstance(inode, ProcDir):
                inode.parent_dir = self
            out.append((cookie_for(name, index), name, inode))
        out.sort(key=lambda e: e[0])
        return out

    @property
    def nlink_count(self) -> int:
        return 2


def cookie_for(name: bytes, index: int) -> int:
    """Stable getdents offsets: numbered entries (pids, fds) by number, others by place."""
    if name.isdigit():
        return 1_000_000 + int(name)
    return 3 + index


class ProcFile(Inode):
    def __init__(self, fs: ProcFs, generate, mode: int = S_IFREG | 0o444):
        super().__init__(fs, mode)
        self.generate = generate

    def read(self, offset: int, size: int) -> bytes:
        data = self.generate(self.fs.kernel)
        return data[offset:offset + size]

    @property
    def size(self) -> int:
        return 0  # as procfs reports


class ProcLink(Inode):
    """text(kernel) -> bytes; jump(kernel, task) -> Location for magic links."""

    def __init__(self, fs: ProcFs, text, jump=None):
        super().__init__(fs, S_IFLNK | 0o777)
        self.text = text
        self.jump = jump

    def readlink(self) -> bytes:
        return self.text(self.fs.kernel)

    def follow(self, task):
        if self.jump is None:
            return None
        return self.jump(self.fs.kernel, task)

    @property
    def size(self) -> int:
        return 0


# -- the root -----------------------------------------------------------------------------------
def root_children(fs: ProcFs, key: tuple):
    kernel = fs.kernel
    out = [
        (b"self", lambda: ProcLink(fs, lambda k: b"%d" % k.current_reader_pid())),
        (b"thread-self", lambda: ProcLink(fs, lambda k: b"%d/task/%d" % k.current_reader_ids())),
        (b"mounts", lambda: ProcLink(fs, lambda k: b"self/mounts")),
        (b"cpuinfo", lambda: ProcFile(fs, host_file("/proc/cpuinfo"))),
        (b"meminfo", lambda: ProcFile(fs, host_file("/proc/meminfo"))),
        (b"uptime", lambda: ProcFile(fs, gen_uptime)),
        (b"loadavg", lambda: ProcFile(fs, gen_loadavg)),
        (b"version", lambda: ProcFile(fs, host_file("/proc/version"))),
        (b"filesystems", lambda: ProcFile(fs, gen_filesystems)),
        (b"stat", lambda: ProcFile(fs, host_file("/proc/stat"))),
        (b"sys", lambda: ProcDir(fs, (b"sys",), sys_children)),
    ]
    for pid in sorted(kernel.processes):
        if not kernel.processes[pid].reaped:
            out.append((b"%d" % pid, lambda pid=pid: ProcDir(fs, (pid,), pid_children)))
    return out


def host_file(path: str):
    def generate(kernel) -> bytes:
        with open(path, "rb") as f:
            return f.read()
    return generate


def gen_uptime(kernel) -> bytes:
    up = (time.monotonic_ns() - kernel.boot_time_ns) / 1e9
    return b"%.2f %.2f\n" % (up, up * os.cpu_count())


def gen_loadavg(kernel) -> bytes:
    with open("/proc/loadavg", "rb") as f:
        fields = f.read().split()
    running = sum(1 for t in kernel.tasks.values() if t.block is None)
    last = max(kernel.processes) if kernel.processes else 1
    return b"%s %s %s %d/%d %d\n" % (fields[0], fields[1], fields[2], running,
                                     len(kernel.tasks), last)


def gen_filesystems(kernel) -> bytes:
    return (b"nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\nnodev\tdevtmpfs\nnodev\tpipefs\n"
            b"nodev\tsockfs\nnodev\tdevpts\n\text2\n")


def sys_children(fs: ProcFs, key: tuple):
    if key == (b"sys",):
        return [(b"kernel", lambda: ProcDir(fs, key + (b"kernel",), sys_children))]
    if key == (b"sys", b"kernel"):
        k = fs.kernel
        return [
            (b"hostname", lambda: ProcFile(fs, lambda kn: kn.hostname + b"\n", S_IFREG | 0o644)),
            (b"domainname", lambda: ProcFile(fs, lambda kn: kn.domainname + b"\n", S_IFREG | 0o644)),
            (b"osrelease", lambda: ProcFile(fs, lambda kn: os.uname().release.encode() + b"\n")),
            (b"ostype", lambda: ProcFile(fs, lambda kn: b"Linux\n")),
            (b"version", lambda: ProcFile(fs, lambda kn: os.uname().version.encode() + b"\n")),
            (b"pid_max", lambda: ProcFile(fs, lambda kn: b"%d\n" % kn.pids.pid_max, S_IFREG | 0o644)),
            (b"ngroups_max", lambda: ProcFile(fs, lambda kn: b"65536\n")),
        ] if k is not None else []
    return []


# -- /proc/PID ------------------------------------------------------------------------------------
def _proc(kernel, pid: int):
    proc = kernel.processes.get(pid)
    if proc is None or proc.reaped:
        raise ENOENT()
    return proc


def pid_children(fs: ProcFs, key: tuple):
    pid = key[0]
    kernel = fs.kernel

    def link(text, jump):
        return lambda: ProcLink(fs, lambda k: text(_proc(k, pid)), lambda k, t: jump(_proc(k, pid), t))

    def gen(fn):
        return lambda: ProcFile(fs, lambda k: fn(k, _proc(k, pid)))

    return [
        (b"exe", link(lambda p: p.exe or _deny(), lambda p, t: p.exe_location or _deny())),
        (b"cwd", link(lambda p: _path(kernel, p.fs.cwd, p), lambda p, t: p.fs.cwd)),
        (b"root", link(lambda p: _path(kernel, p.fs.root, p), lambda p, t: p.fs.root)),
        (b"fd", lambda: ProcDir(fs, key + (b"fd",), fd_children, S_IFDIR | 0o500)),
        (b"fdinfo", lambda: ProcDir(fs, key + (b"fdinfo",), fdinfo_children, S_IFDIR | 0o500)),
        (b"cmdline", gen(lambda k, p: _host_proc(p, "cmdline"))),
        (b"environ", gen(lambda k, p: _host_proc(p, "environ"))),
        (b"comm", gen(lambda k, p: p.comm + b"\n")),
        (b"stat", gen(gen_stat)),
        (b"status", gen(gen_status)),
        (b"maps", gen(gen_maps)),
        (b"mounts", gen(gen_mounts)),
        (b"limits", gen(gen_limits)),
        (b"task", lambda: ProcDir(fs, key + (b"task",), task_children)),
    ]


def _deny():
    raise ENOENT()


def _path(kernel, loc, proc) -> bytes:
    path, _ = kernel.mounts.path_of(loc, proc.fs.root)
    return path


def _host_proc(proc, name: str) -> bytes:
    try:
        with open(f"/proc/{proc.host_pid}/{name}", "rb") as f:
            return f.read()
    except OSError:
        return b""


def fd_children(fs: ProcFs, key: tuple):
    pid = key[0]
    proc = _proc(fs.kernel, pid)
    if proc.fds is None:
        return []
    out = []
    for fd in sorted(proc.fds.files):
        def make(fd=fd):
            return ProcLink(fs, lambda k: fd_link_text(k, _proc(k, pid), fd),
                            lambda k, t: fd_jump(k, _proc(k, pid), fd))
        out.append((b"%d" % fd, make))
    return out


def fd_link_text(kernel, proc, fd: int) -> bytes:
    file = proc.fds.files.get(fd)
    if file is None:
        raise ENOENT()
    return describe_file(kernel, proc, file)


def describe_file(kernel, proc, file) -> bytes:
    """What readlink(/proc/PID/fd/N) shows (d_path, or the pseudo name)."""
    if getattr(file, "host_fd", None) is not None:
        try:
            return os.fsencode(os.readlink(f"/proc/self/fd/{file.host_fd}"))
        except OSError:
            return b"/dev/tty"
    loc = file.location
    if loc is None or loc.mount is None:
        inode = file.inode
        name = getattr(file, "anon_name", None)
        if name is not None:
            return b"anon_inode:" + name
        kind = inode.fs.name if inode is not None else "anon_inode"
        kind = {"pipefs": "pipe", "sockfs": "socket"}.get(kind, kind)
        return b"%s:[%d]" % (kind.encode(), inode.ino if inode is not None else 0)
    path, _ = kernel.mounts.path_of(loc, proc.fs.root)
    if loc.inode.unlinked():
        path += b" (deleted)"
    return path


def fd_jump(kernel, proc, fd: int):
    file = proc.fds.files.get(fd)
    if file is None:
        raise ENOENT()
    if file.location is None:
        raise ENOENT()
    return file.location


def fdinfo_children(fs: ProcFs, key: tuple):
    pid = key[0]
    proc = _proc(fs.kernel, pid)
    out = []
    for fd in sorted(proc.fds.files if proc.fds else ()):
        def make(fd=fd):
            def generate(k):
                p = _proc(k, pid)
                file = p.fds.files.get(fd)
                if file is None:
                    raise ENOENT()
                mnt = file.location.mount.id if file.location is not None and file.location.mount else 0
                ino = file.inode.ino if file.inode is not None else 0
                flags = file.flags | (0o2000000 if fd in p.fds.cloexec else 0)
                return b"pos:\t%d\nflags:\t0%o\nmnt_id:\t%d\nino:\t%d\n" % (file.pos, flags, mnt, ino)
            return ProcFile(fs, generate, S_IFREG | 0o400)
        out.append((b"%d" % fd, make))
    return out


def task_children(fs: ProcFs, key: tuple):
    pid = key[0]
    proc = _proc(fs.kernel, pid)
    return [(b"%d" % tid, lambda tid=tid: ProcDir(fs, (pid, b"task", tid), thread_children))
            for tid in sorted(proc.threads)]


def thread_children(fs: ProcFs, key: tuple):
    pid = key[0]
    tid = key[2]

    def thread():
        t = fs.kernel.threads.get(tid)
        if t is None:
            raise ENOENT()
        return t

    return [
        (b"comm", lambda: ProcFile(fs, lambda k: thread().name + b"\n")),
        (b"stat", lambda: ProcFile(fs, lambda k: gen_stat(k, _proc(k, pid), thread()))),
        (b"status", lambda: ProcFile(fs, lambda k: gen_status(k, _proc(k, pid), thread()))),
    ]


STATE_FIELDS = 52


def gen_stat(kernel, proc, thread=None) -> bytes:
    """The host's stat line for the guest, with ids and name translated."""
    host_tid = thread.host_tid if thread is not None else proc.host_pid
    raw = b""
    try:
        with open(f"/proc/{proc.host_pid}/task/{host_tid}/stat", "rb") as f:
            raw = f.read()
    except OSError:
        pass
    rest = raw[raw.rfind(b")") + 2:].split() if raw else [b"Z"] + [b"0"] * (STATE_FIELDS - 3)
    ppid = proc.parent.pid if proc.parent is not None else 0
    tty_pgrp = kernel.vpgid_of_host(int(rest[5])) if len(rest) > 5 and int(rest[5]) > 0 else -1
    if proc.zombie:
        rest[0] = b"Z"
    fields = [rest[0], b"%d" % ppid, b"%d" % proc.pgid, b"%d" % proc.sid] + rest[4:5] + [
        b"%d" % tty_pgrp] + rest[6:]
    name = (thread.name if thread is not None else proc.comm)
    ident = thread.tid if thread is not None else proc.pid
    return b"%d (%s) %s\n" % (ident, name, b" ".join(fields))


def gen_status(kernel, proc, thread=None) -> bytes:
    host_tid = thread.host_tid if thread is not None else proc.host_pid
    lines = []
    try:
        with open(f"/proc/{proc.host_pid}/task/{host_tid}/status", "rb") as f:
            lines = f.read().splitlines()
    except OSError:
        pass
    c = proc.creds
    tid = thread.tid if thread is not None else proc.pid
    replace = {
        b"Name": (thread.name if thread is not None else proc.comm),
        b"Tgid": b"%d" % proc.pid,
        b"Pid": b"%d" % tid,
        b"PPid": b"%d" % (proc.parent.pid if proc.parent is not None else 0),
        b"TracerPid": b"0",
        b"Uid": b"%d\t%d\t%d\t%d" % (c.uid, c.euid, c.suid, c.fsuid),
        b"Gid": b"%d\t%d\t%d\t%d" % (c.gid, c.egid, c.sgid, c.fsgid),
        b"Groups": b" ".join(b"%d" % g for g in c.groups),
        b"NStgid": b"%d" % proc.pid,
        b"NSpid": b"%d" % tid,
        b"NSpgid": b"%d" % proc.pgid,
        b"NSsid": b"%d" % proc.sid,
        b"NoNewPrivs": b"%d" % proc.no_new_privs,
        b"Seccomp": b"%d" % proc.seccomp_mode,
        b"Seccomp_filters": b"0",
    }
    out = []
    for line in lines:
        key, sep, _ = line.partition(b":")
        if sep and key in replace:
            out.append(key + b":\t" + replace[key])
        else:
            out.append(line)
    if not out:
        out = [k + b":\t" + v for k, v in replace.items()]
    return b"\n".join(out) + b"\n"


def gen_maps(kernel, proc) -> bytes:
    """The host's maps with Kevlar's names: the materialized executable shows its guest
    path, and mappings Kevlar made for files show the file."""
    data = _host_proc(proc, "maps")
    out = []
    for line in data.splitlines():
        parts = line.split(None, 5)
        start = int(parts[0].split(b"-")[0], 16) if parts else 0
        mapping = proc.mm.mappings.get(start)
        if mapping is not None:
            loc, offset = mapping[0], mapping[1]
            path, _ = kernel.mounts.path_of(loc, proc.fs.root)
            parts = parts[:2] + [b"%08x" % offset, b"00:%02x" % loc.mount.fs.dev,
                                 b"%d" % loc.inode.ino, path]
            line = b"%s %s %s %s %s %s" % tuple(parts[:5] + [b" " * 10 + parts[5]])
        elif len(parts) == 6 and b"/kevlar/exec/" in parts[5]:
            line = line[:line.rfind(parts[5])] + (proc.exe or parts[5])
        out.append(line)
    return b"\n".join(out) + (b"\n" if out else b"")


def gen_mounts(kernel, proc) -> bytes:
    lines = []
    for mnt in kernel.mounts.mounts:
        path, reachable = kernel.mounts.path_of(Location(mnt, mnt.root), proc.fs.root)
        if not reachable:
            continue
        opts = mnt.options if not mnt.read_only else b"ro" + mnt.options[2:]
        lines.append(b"%s %s %s %s 0 0" % (mnt.source, path, mnt.fs.name.encode(), opts))
    return b"\n".join(lines) + b"\n"


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


def gen_limits(kernel, proc) -> bytes:
    def fmt(value: int) -> bytes:
        return b"unlimited" if value == (1 << 64) - 1 else b"%d" % value
    out = [b"%-25s %-20s %-20s %-10s" % (b"Limit", b"Soft Limit", b"Hard Limit", b"Units")]
    for (name, unit), (soft, hard) in zip(LIMIT_NAMES, proc.rlimits, strict=False):
        out.append(b"%-25s %-20s %-20s %-10s" % (name, fmt(soft), fmt(hard), unit))
    return b"\n".join(out) + b"\n"


__all__ = ["ProcFs", "EACCES"]
