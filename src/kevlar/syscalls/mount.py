"""mount(2) and umount2(2), and the registry of file system types.

fs/namespace.c path_mount and path_umount. One mount namespace; every call needs
CAP_SYS_ADMIN (Kevlar: euid 0). What mount(2) does is chosen by its flags, in Linux's
order:

  MS_REMOUNT|MS_BIND    change the flags of one mount (ro, nosuid, ...)     (EINVAL unless
  MS_REMOUNT            reconfigure the file system and the mount's flags     a mount root)
  MS_BIND [MS_REC]      attach the subtree at source (and, with MS_REC, the mounts under it)
  MS_SHARED/PRIVATE/
  SLAVE/UNBINDABLE      propagation: accepted (one namespace, nothing propagates)
  MS_MOVE               move a mount elsewhere
  otherwise             a new mount of type `fstype` (ENODEV if no such type)

File system types register here: `register_filesystem(name, factory, requires_device)`.
The factory is `factory(task, source: bytes, sb_flags: int, options: list[bytes]) ->
FileSystem` and raises Linux errors (EINVAL for a bad option, ENOTBLK / ENXIO / ENODEV
for a bad device, EACCES or EROFS for a device that cannot be written). The storage
code registers ext2 this way:

    from kevlar.syscalls.mount import register_filesystem
    register_filesystem("ext2", ext2_factory, requires_device=True)

umount2 refuses a mount that is in use (EBUSY: an open file, a cwd or root, or a mount
below it), unless MNT_DETACH, which takes the mount and everything under it out of the
tree at once and lets the files already open keep working.
"""

from collections.abc import Callable

from kevlar.abi.errors import EBUSY, EINVAL, ELOOP, ENAMETOOLONG, ENODEV, ENOTDIR, EPERM
from kevlar.fs.path import is_ancestor, resolve
from kevlar.fs.vfs import Location
from kevlar.syscalls.args import Int, Ptr, ULong
from kevlar.syscalls.common import read_path

# include/uapi/linux/mount.h
MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_SYNCHRONOUS = 16
MS_REMOUNT = 32
MS_MANDLOCK = 64
MS_DIRSYNC = 128
MS_NOSYMFOLLOW = 256
MS_NOATIME = 1024
MS_NODIRATIME = 2048
MS_BIND = 4096
MS_MOVE = 8192
MS_REC = 16384
MS_SILENT = 32768
MS_POSIXACL = 1 << 16
MS_UNBINDABLE = 1 << 17
MS_PRIVATE = 1 << 18
MS_SLAVE = 1 << 19
MS_SHARED = 1 << 20
MS_RELATIME = 1 << 21
MS_KERNMOUNT = 1 << 22
MS_I_VERSION = 1 << 23
MS_STRICTATIME = 1 << 24
MS_LAZYTIME = 1 << 25
MS_NOUSER = 1 << 31
MS_MGC_VAL = 0xC0ED0000
MS_MGC_MSK = 0xFFFF0000
PROPAGATION = MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE
# The flags that belong to a mount rather than to the file system (MNT_*).
MOUNT_FLAGS = (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME
               | MS_RELATIME | MS_NOSYMFOLLOW)
ATIME_FLAGS = MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME

MNT_FORCE = 1
MNT_DETACH = 2
MNT_EXPIRE = 4
UMOUNT_NOFOLLOW = 8

PAGE_SIZE = 4096


class FsType:
    """struct file_system_type: how to make an instance from mount(2)'s arguments."""

    def __init__(self, name: str, factory: Callable, requires_device: bool):
        self.name = name
        self.factory = factory
        self.requires_device = requires_device


FILESYSTEMS: dict[str, FsType] = {}


def register_filesystem(name: str, factory: Callable, requires_device: bool = False) -> None:
    """Make `mount -t name` work (register_filesystem in fs/filesystems.c)."""
    FILESYSTEMS[name] = FsType(name, factory, requires_device)


def filesystems() -> list[tuple[str, bool]]:
    """(name, requires_device) in registration order, for /proc/filesystems."""
    return [(t.name, t.requires_device) for t in FILESYSTEMS.values()]


# -- the mount flags as text (what /proc/mounts prints) ---------------------------------------
FLAG_NAMES = ((MS_NOSUID, b"nosuid"), (MS_NODEV, b"nodev"), (MS_NOEXEC, b"noexec"),
              (MS_NOSYMFOLLOW, b"nosymfollow"), (MS_NOATIME, b"noatime"),
              (MS_NODIRATIME, b"nodiratime"), (MS_RELATIME, b"relatime"))
OPTION_FLAGS = {name: flag for flag, name in FLAG_NAMES}


def flags_from_options(options: bytes) -> int:
    """MS_* per-mount flags from an option string ("rw,nosuid,relatime,mode=755")."""
    flags = 0
    for opt in options.split(b","):
        if opt == b"ro":
            flags |= MS_RDONLY
        flag = OPTION_FLAGS.get(opt)
        if flag is not None:
            flags |= flag
    return flags


def mount_options(mnt) -> bytes:
    """show_vfsmnt's option text: ro/rw, the mount flags, then the file system's own."""
    parts = [b"ro" if mnt.read_only else b"rw"]
    parts += [name for flag, name in FLAG_NAMES if mnt.flags & flag]
    extra = getattr(mnt.fs, "mount_options", b"")
    if extra:
        parts.append(extra)
    return b",".join(parts)


def _refresh(mnt) -> None:
    mnt.options = mount_options(mnt)


# -- the built-in types -----------------------------------------------------------------------
SB_FLAG_OPTIONS = {b"ro", b"rw", b"sync", b"async", b"dirsync", b"lazytime", b"nolazytime",
                   b"mand", b"nomand", b"silent", b"loud", b"posixacl", b"noposixacl",
                   b"iversion", b"noiversion"}


def _size_value(text: bytes, total_pages: int) -> int:
    """memparse() with tmpfs's % suffix; bytes."""
    try:
        if text.endswith(b"%"):
            return int(text[:-1]) * total_pages * PAGE_SIZE // 100
        mult = 1
        suffix = text[-1:].lower()
        if suffix in (b"k", b"m", b"g", b"t", b"p", b"e"):
            mult = 1024 ** (b"kmgtpe".index(suffix) + 1)
            text = text[:-1]
        return int(text, 0) * mult
    except (ValueError, IndexError):
        raise EINVAL() from None


def _tmpfs_factory(task, source: bytes, sb_flags: int, options: list[bytes]):
    """shmem_parse_one: size, nr_blocks, nr_inodes, mode, uid, gid (and the options
    that only tune memory policy, accepted)."""
    from kevlar.fs.tmpfs import Tmpfs
    mode, uid, gid, size_pages, nr_inodes = 0o1777, 0, 0, 0, 0
    shown = []
    for opt in options:
        key, eq, value = opt.partition(b"=")
        try:
            if key == b"size" and eq:
                size_pages = max(1, -(-_size_value(value, (4 << 30) // PAGE_SIZE) // PAGE_SIZE))
            elif key == b"nr_blocks" and eq:
                size_pages = _size_value(value, 0)
            elif key == b"nr_inodes" and eq:
                nr_inodes = _size_value(value, 0)
            elif key == b"mode" and eq:
                mode = int(value, 8) & 0o7777
            elif key == b"uid" and eq:
                uid = int(value)
            elif key == b"gid" and eq:
                gid = int(value)
            elif key in (b"huge", b"mpol") and eq:
                pass
            elif key in (b"inode32", b"inode64", b"noswap", b"quota", b"usrquota", b"grpquota") and not eq:
                pass
            elif opt in SB_FLAG_OPTIONS:
                continue
            else:
                raise EINVAL()
        except ValueError:
            raise EINVAL() from None
        shown.append(opt)
    fs = Tmpfs(mode=mode, uid=uid, gid=gid, read_only=bool(sb_flags & MS_RDONLY),
               size_pages=size_pages, nr_inodes=nr_inodes)
    fs.mount_options = b",".join(shown)
    return fs


def _existing(task, name: str):
    for mnt in task.kernel.mounts.mounts:
        if mnt.fs.name == name:
            return mnt.fs
    return None


def _proc_factory(task, source: bytes, sb_flags: int, options: list[bytes]):
    """One proc instance per pid namespace: a second mount shows the same tree."""
    fs = getattr(task.kernel, "procfs", None) or _existing(task, "proc")
    if fs is None:
        from kevlar.fs.procfs import ProcFs
        fs = task.kernel.procfs = ProcFs(task.kernel)
    return fs


def _sysfs_factory(task, source: bytes, sb_flags: int, options: list[bytes]):
    fs = getattr(task.kernel, "sysfs", None) or _existing(task, "sysfs")
    if fs is None:
        from kevlar.world import make_sysfs
        fs = make_sysfs()
    return fs


def _devtmpfs_factory(task, source: bytes, sb_flags: int, options: list[bytes]):
    """devtmpfs is a single instance, whatever the mount options."""
    fs = _existing(task, "devtmpfs")
    if fs is None:
        from kevlar.fs.devfs import make_devfs
        fs = make_devfs()
    return fs


register_filesystem("sysfs", _sysfs_factory)
register_filesystem("tmpfs", _tmpfs_factory)
register_filesystem("proc", _proc_factory)
register_filesystem("devtmpfs", _devtmpfs_factory)


def _ext2_factory(task, source: bytes, sb_flags: int, options: list[bytes]):
    """ext2 on a virtio-blk disk (kevlar.block.mount)."""
    from kevlar.block.mount import ext2_factory
    return ext2_factory(task, source, sb_flags, options)


register_filesystem("ext2", _ext2_factory, requires_device=True)


# -- mount(2) ---------------------------------------------------------------------------------
def _mount_string(task, ptr: int) -> bytes | None:
    """copy_mount_string: NULL stays None; else a string of at most a page."""
    if ptr == 0:
        return None
    return task.read_cstring(ptr, PAGE_SIZE)


def _mount_data(task, ptr: int) -> bytes:
    """copy_mount_options: up to a page, stopping where the mapping ends."""
    if ptr == 0:
        return b""
    try:
        return task.read_cstring(ptr, PAGE_SIZE)
    except ENAMETOOLONG:  # a full page without a NUL: the kernel cuts it at PAGE_SIZE - 1
        return task.read(ptr, PAGE_SIZE - 1)


def sys_mount(task, source: Ptr, target: Ptr, fstype: Ptr, flags: ULong, data: Ptr) -> int:
    """mount(2)."""
    kind = _mount_string(task, fstype)
    dev = _mount_string(task, source)
    options = _mount_data(task, data)
    loc = resolve(task, -100, read_path(task, target))
    if flags & MS_MGC_MSK == MS_MGC_VAL:
        flags &= ~MS_MGC_MSK
    flags &= 0xFFFFFFFF
    if flags & MS_NOUSER:
        raise EINVAL()
    if not task.creds.is_root:
        raise EPERM()
    mnt_flags = 0 if flags & MS_NOATIME else MS_RELATIME
    mnt_flags |= flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME
                          | MS_RDONLY | MS_NOSYMFOLLOW)
    if flags & MS_STRICTATIME:
        mnt_flags &= ~(MS_RELATIME | MS_NOATIME)
    if flags & MS_REMOUNT and not flags & ATIME_FLAGS:
        mnt_flags = (mnt_flags & ~ATIME_FLAGS) | (loc.mount.flags & ATIME_FLAGS)
    mounts = task.kernel.mounts
    if flags & (MS_REMOUNT | MS_BIND) == MS_REMOUNT | MS_BIND:
        mnt = _mount_root(mounts, loc)
        mnt.flags = mnt_flags
        _refresh(mnt)
        return 0
    if flags & MS_REMOUNT:
        mnt = _mount_root(mounts, loc)
        reconfigure = getattr(mnt.fs, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(flags, _split(options))
        else:
            mnt.fs.read_only = bool(flags & MS_RDONLY)
        mnt.flags = mnt_flags
        for other in mounts.mounts:
            if other.fs is mnt.fs:
                _refresh(other)
        return 0
    if flags & MS_BIND:
        return _bind(task, loc, dev, bool(flags & MS_REC))
    if flags & PROPAGATION:
        _mount_root(mounts, loc)
        kinds = flags & PROPAGATION
        if kinds & (kinds - 1):
            raise EINVAL()  # exactly one propagation type
        return 0
    if flags & MS_MOVE:
        return _move(task, loc, dev)
    if kind is None:
        raise EINVAL()
    fstype = FILESYSTEMS.get(kind.decode(errors="replace"))
    if fstype is None:
        raise ENODEV()
    if fstype.requires_device and not dev:
        raise EINVAL()
    fs = fstype.factory(task, dev or b"none", flags & MS_RDONLY, _split(options))
    if not loc.inode.is_dir():
        raise ENOTDIR()
    mnt = mounts.mount(fs, loc, source=dev or b"none", flags=mnt_flags, options=b"")
    _refresh(mnt)
    return 0


def _split(options: bytes) -> list[bytes]:
    return [opt for opt in options.split(b",") if opt]


def _mount_root(mounts, loc: Location):
    """The mount whose root loc is: EINVAL for anything else."""
    mnt = mounts.mount_at(loc)
    if mnt is None or mnt not in mounts.mounts:
        raise EINVAL()
    return mnt


def _bind(task, loc: Location, source: bytes | None, recursive: bool) -> int:
    """do_loopback: the subtree at source appears at loc too (and, recursively, the
    mounts below it). A directory goes on a directory, a file on a file (ENOTDIR)."""
    if not source:
        raise EINVAL()
    src = resolve(task, -100, source)
    if src.inode.is_dir() != loc.inode.is_dir():
        raise ENOTDIR()
    if src.mount not in task.kernel.mounts.mounts:
        raise EINVAL()
    mounts = task.kernel.mounts
    below = []
    if recursive:
        below = [m for m in mounts.mounts if m.parent is not None and m is not src.mount
                 and _under(mounts, src, m)]
    top = mounts.mount(src.mount.fs, loc, source=src.mount.source, flags=src.mount.flags,
                       options=src.mount.options, root=src.inode)
    copies = {src.mount: top}
    for m in sorted(below, key=lambda m: m.id):
        parent = copies.get(m.parent)
        if parent is None:
            continue
        copies[m] = mounts.mount(m.fs, Location(parent, m.mountpoint), source=m.source,
                                 flags=m.flags, options=m.options, root=m.root)
    return 0


def _under(mounts, src: Location, m) -> bool:
    """Is mount m attached somewhere inside the subtree at src (through its parents)?"""
    while m.parent is not None:
        at = Location(m.parent, m.mountpoint)
        if m.parent is src.mount:
            return is_ancestor(mounts, src, at)
        m = m.parent
    return False


def _move(task, loc: Location, source: bytes | None) -> int:
    """MS_MOVE (do_move_mount_old): a mount root moves to loc, never under itself."""
    if not source:
        raise EINVAL()
    src = resolve(task, -100, source)
    mounts = task.kernel.mounts
    mnt = _mount_root(mounts, src)
    if mnt is mounts.root:
        raise EINVAL()
    if is_ancestor(mounts, Location(mnt, mnt.root), loc):
        raise ELOOP()
    if src.inode.is_dir() != loc.inode.is_dir():
        raise ENOTDIR()
    mounts.move(mnt, loc)
    return 0


# -- umount2(2) -------------------------------------------------------------------------------
def in_use(kernel, mnt) -> bool:
    """propagate_mount_busy(mnt, 2): something holds the mount besides its attachment:
    a mount below it, a cwd or root, or an open file."""
    mounts = kernel.mounts
    if any(m.parent is mnt for m in mounts.mounts):
        return True
    tables = set()
    for proc in kernel.processes.values():
        if proc.zombie or proc.fs is None:
            continue
        if proc.fs.cwd.mount is mnt or proc.fs.root.mount is mnt:
            return True
        if proc.fds is not None and id(proc.fds) not in tables:
            tables.add(id(proc.fds))
            for file in proc.fds.files.values():
                loc = file.location
                if loc is not None and loc.mount is mnt:
                    return True
        for record in proc.mm.mappings.values():
            loc = record[0] if isinstance(record, tuple) else getattr(record, "location", None)
            if loc is not None and getattr(loc, "mount", None) is mnt:
                return True
    return False


def sys_umount2(task, target: Ptr, flags: Int) -> int:
    """umount2(2)."""
    if flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW):
        raise EINVAL()
    loc = resolve(task, -100, read_path(task, target), follow=not flags & UMOUNT_NOFOLLOW)
    if not task.creds.is_root:
        raise EPERM()
    mounts = task.kernel.mounts
    mnt = _mount_root(mounts, loc)
    if flags & MNT_EXPIRE:
        if flags & (MNT_FORCE | MNT_DETACH) or mnt is task.process.fs.root.mount:
            raise EINVAL()
        if not getattr(mnt, "expiry_mark", False):
            mnt.expiry_mark = True
            from kevlar.abi.errors import EAGAIN
            raise EAGAIN()
    if mnt is mounts.root:
        raise EINVAL() if flags & MNT_DETACH else EBUSY()
    if flags & MNT_DETACH:
        mounts.detach(mnt)
        return 0
    if in_use(task.kernel, mnt):
        raise EBUSY()
    mounts.umount(mnt)
    return 0


__all__ = ["sys_mount", "sys_umount2", "register_filesystem", "filesystems", "FILESYSTEMS",
           "mount_options", "flags_from_options", "in_use"]
