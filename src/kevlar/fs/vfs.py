"""The VFS core: inodes, file systems, mounts and locations.

Every file system (tmpfs, devfs, procfs, sysfs, ext2, host binds) subclasses Inode and
FileSystem. Base methods raise the errno Linux gives when an object lacks an operation
(fs/namei.c: vfs_mkdir on a non-directory is ENOTDIR, read on a directory is EISDIR...),
so a file system implements only what it has.

Names and paths are bytes, as in the kernel. A Location is (mount, inode): the result of a
path walk, a cwd, a root, or where an open file came from.

Lock order: none; the tracer is single-threaded and handlers run to completion.
"""

import itertools
import time

from kevlar.abi.constants import (
    R_OK,
    S_IFBLK,
    S_IFCHR,
    S_IFDIR,
    S_IFIFO,
    S_IFLNK,
    S_IFMT,
    S_IFREG,
    S_IFSOCK,
    W_OK,
    X_OK,
)
from kevlar.abi.errors import EACCES, EINVAL, EISDIR, ENOTDIR, EPERM, EROFS, EXDEV
from kevlar.fs.iflags import FS_NOATIME_FL


def now_ns() -> int:
    return time.time_ns()


class Inode:
    """An object in a file system. Subclasses override what they support."""

    def __init__(self, fs: "FileSystem", mode: int, uid: int = 0, gid: int = 0, rdev: int = 0,
                 ino: int | None = None):
        self.fs = fs
        self.ino = fs.next_ino() if ino is None else ino
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.rdev = rdev
        self.nlink = 2 if (mode & S_IFMT) == S_IFDIR else 1
        t = now_ns()
        self.atime = self.mtime = self.ctime = self.btime = t
        self.version = 0  # bumped on every data change (exec cache, mmap coherence)
        self.watches = None  # inotify watches on this inode, created on demand

    def __repr__(self) -> str:
        return f"<{type(self).__name__} ino={self.ino} mode={self.mode:o}>"

    # -- type ----------------------------------------------------------------------
    @property
    def type(self) -> int:
        return self.mode & S_IFMT

    def is_dir(self) -> bool:
        return self.mode & S_IFMT == S_IFDIR

    def is_reg(self) -> bool:
        return self.mode & S_IFMT == S_IFREG

    def is_symlink(self) -> bool:
        return self.mode & S_IFMT == S_IFLNK

    # -- attributes ----------------------------------------------------------------
    @property
    def size(self) -> int:
        return 0

    @property
    def blocks(self) -> int:
        """512-byte blocks allocated."""
        return (self.size + 511) // 512

    blksize = 4096

    def touch(self, atime: bool = False, mtime: bool = False, ctime: bool = False) -> None:
        t = now_ns()
        if atime:
            self.atime = t
        if mtime:
            self.mtime = t
        if ctime:
            self.ctime = t

    def accessed(self) -> None:
        """A read: atime moves under relatime's rule (fs/inode.c relatime_need_update):
        when it is not newer than mtime or ctime, or is a day old."""
        if self.iflags & FS_NOATIME_FL:  # atime_needs_update: S_NOATIME
            return
        t = now_ns()
        if self.atime <= self.mtime or self.atime <= self.ctime or t - self.atime >= 86400 * 10**9:
            self.atime = t

    def changed(self) -> None:
        """Data changed: mtime and ctime move, caches keyed on version drop."""
        self.version += 1
        self.touch(mtime=True, ctime=True)

    def setattr(self, mode: int | None = None, uid: int | None = None, gid: int | None = None,
                atime: int | None = None, mtime: int | None = None) -> None:
        """chmod/chown/utimensat. A file system with persistent inodes writes them back."""
        self.fs.check_writable()
        if mode is not None:
            self.mode = (self.mode & S_IFMT) | (mode & 0o7777)
        if uid is not None:
            self.uid = uid
        if gid is not None:
            self.gid = gid
        if atime is not None:
            self.atime = atime
        if mtime is not None:
            self.mtime = mtime
        self.ctime = now_ns()

    # -- directories (fs/namei.c returns ENOTDIR for all of these on non-directories) --
    def lookup(self, name: bytes) -> "Inode":
        raise ENOTDIR()

    def entries(self) -> list[tuple[int, bytes, "Inode"]]:
        """[(cookie, name, inode)] in a stable order, "." and ".." included, cookies
        strictly increasing so getdents64 offsets survive concurrent unlinks."""
        raise ENOTDIR()

    def create(self, name: bytes, mode: int, uid: int, gid: int) -> "Inode":
        raise ENOTDIR()

    def mkdir(self, name: bytes, mode: int, uid: int, gid: int) -> "Inode":
        raise ENOTDIR()

    def mknod(self, name: bytes, mode: int, rdev: int, uid: int, gid: int) -> "Inode":
        raise ENOTDIR()

    def symlink(self, name: bytes, target: bytes, uid: int, gid: int) -> "Inode":
        raise ENOTDIR()

    def link(self, name: bytes, inode: "Inode") -> None:
        raise ENOTDIR()

    def unlink(self, name: bytes) -> None:
        raise ENOTDIR()

    def rmdir(self, name: bytes) -> None:
        raise ENOTDIR()

    def rename(self, old_name: bytes, new_dir: "Inode", new_name: bytes, flags: int) -> None:
        raise ENOTDIR()

    # -- regular files ---------------------------------------------------------------
    def read(self, offset: int, size: int) -> bytes:
        raise EISDIR() if self.is_dir() else EINVAL()

    def write(self, offset: int, data: bytes) -> int:
        raise EISDIR() if self.is_dir() else EINVAL()

    def truncate(self, size: int) -> None:
        raise EISDIR() if self.is_dir() else EINVAL()

    def allocate(self, mode: int, offset: int, length: int) -> None:
        """fallocate(2); the default is what a file system without it returns."""
        from kevlar.abi.errors import EOPNOTSUPP
        raise EOPNOTSUPP()

    def next_data(self, offset: int, hole: bool) -> int:
        """SEEK_DATA/SEEK_HOLE: the default treats the whole file as data."""
        return offset if not hole else self.size

    def sync(self) -> None:
        """Write this inode's data and metadata to stable storage (a no-op in memory)."""

    # -- extended attributes (fs/xattr.py holds the checks; MemoryXattrs a store) ---------
    xattr_namespaces: tuple[bytes, ...] = ()  # name prefixes this file system keeps
    access_acl = None  # POSIX ACLs of file systems that keep them (fs/acl.py)
    default_acl = None
    iflags = 0  # FS_*_FL inode flags (fs/iflags.py)

    def getxattr(self, name: bytes) -> bytes:
        from kevlar.abi.errors import EOPNOTSUPP
        raise EOPNOTSUPP()

    def setxattr(self, name: bytes, value: bytes, flags: int) -> None:
        from kevlar.abi.errors import EOPNOTSUPP
        raise EOPNOTSUPP()

    def listxattr(self, privileged: bool) -> list[bytes]:
        return []  # vfs_listxattr without a handler lists nothing

    def removexattr(self, name: bytes) -> None:
        from kevlar.abi.errors import EOPNOTSUPP
        raise EOPNOTSUPP()

    # -- symlinks ------------------------------------------------------------------
    def readlink(self) -> bytes:
        raise EINVAL()

    def follow(self, task) -> "Location | None":
        """Magic links (/proc/self/fd/N, /proc/self/exe) jump to a location instead of
        being read as text; ordinary symlinks return None."""
        return None

    # -- opening ---------------------------------------------------------------------
    def open(self, task, location: "Location", flags: int):
        """Make the open file description: by type, as do_dentry_open picks f_op."""
        from kevlar.fs.file import DirectoryFile, RegularFile
        kind = self.mode & S_IFMT
        if kind == S_IFDIR:
            return DirectoryFile(location, flags)
        if kind == S_IFCHR:
            from kevlar.fs.devfs import open_device
            return open_device(task, location, flags)
        if kind == S_IFIFO:
            from kevlar.ipc.fifo import open_fifo
            return open_fifo(task, location, flags)
        if kind == S_IFBLK:
            from kevlar.block.blockfile import open_block_device
            return open_block_device(task, location, flags)
        if kind == S_IFSOCK:
            from kevlar.abi.errors import ENXIO
            raise ENXIO()
        return RegularFile(location, flags)

    # -- link counting helpers for file systems ----------------------------------------
    def unlinked(self) -> bool:
        return self.nlink == 0


class FileSystem:
    """One mounted instance: it numbers its inodes and answers statfs."""

    name = "none"
    magic = 0
    _devs = itertools.count(1)

    def __init__(self, read_only: bool = False):
        self.dev = next(FileSystem._devs)  # st_dev: minor of an anonymous device
        self.read_only = read_only
        self._inos = itertools.count(2)
        self.root: Inode | None = None

    def next_ino(self) -> int:
        return next(self._inos)

    def check_writable(self) -> None:
        if self.read_only:
            raise EROFS()

    def statfs(self) -> dict:
        """Fields of struct statfs; file systems with real counts override."""
        return dict(f_type=self.magic, f_bsize=4096, f_blocks=0, f_bfree=0, f_bavail=0,
                    f_files=0, f_ffree=0, f_namelen=255, f_frsize=4096, f_flags=0)

    def sync(self) -> None:
        """Flush everything to stable storage (syncfs, umount, exit)."""


class Mount:
    """A file system attached at a location of its parent mount (struct mount)."""

    _ids = itertools.count(21)

    def __init__(self, fs: FileSystem, root: Inode, parent: "Mount | None" = None,
                 mountpoint: Inode | None = None, source: bytes = b"none",
                 flags: int = 0, options: bytes = b"rw"):
        self.id = next(Mount._ids)
        self.fs = fs
        self.root = root
        self.parent = parent
        self.mountpoint = mountpoint
        self.source = source
        self.flags = flags
        self.options = options

    def __repr__(self) -> str:
        return f"<Mount {self.id} {self.fs.name} on ino {getattr(self.mountpoint, 'ino', '/')}>"

    @property
    def read_only(self) -> bool:
        return self.fs.read_only or (self.flags & 1) != 0  # MS_RDONLY


class Location:
    """Where something is: the mount and the inode within it.

    A walk also records the directory and name it came through (`parent`, `name`), so
    inotify can tell a watched directory which child changed; equality ignores them.
    """

    __slots__ = ("mount", "inode", "parent", "name")

    def __init__(self, mount: "Mount | None", inode: Inode, parent: Inode | None = None,
                 name: bytes = b""):
        self.mount = mount
        self.inode = inode
        self.parent = parent
        self.name = name

    def __eq__(self, other) -> bool:
        return (isinstance(other, Location) and self.mount is other.mount
                and self.inode is other.inode)

    def __hash__(self) -> int:
        return hash((id(self.mount), id(self.inode)))

    def __iter__(self):
        return iter((self.mount, self.inode))

    def __repr__(self) -> str:
        return f"<Location {self.mount!r} {self.inode!r}>"


def file_type_name(mode: int) -> str:
    return {S_IFREG: "regular file", S_IFDIR: "directory", S_IFLNK: "symbolic link",
            S_IFCHR: "character special file", S_IFBLK: "block special file",
            S_IFIFO: "fifo", S_IFSOCK: "socket"}.get(mode & S_IFMT, "unknown")


def may_access(creds, inode: Inode, mask: int) -> bool:
    """generic_permission() with Kevlar's capability model (root has them all).

    mask is a combination of R_OK, W_OK, X_OK. Root passes read and write checks always
    and execute checks when any x bit is set or the inode is a directory
    (CAP_DAC_OVERRIDE, fs/namei.c generic_permission).
    """
    if creds.fsuid == 0:
        if mask & X_OK and not inode.is_dir() and not inode.mode & 0o111:
            return False
        return True
    mode = inode.mode
    if creds.fsuid == inode.uid:
        perm = (mode >> 6) & 7
    elif inode.access_acl is not None and mode & 0o070:
        from kevlar.fs.acl import permits
        return permits(creds, inode, mask)
    elif creds.in_group(inode.gid):
        perm = (mode >> 3) & 7
    else:
        perm = mode & 7
    return (perm & mask) == mask


def check_access(creds, inode: Inode, mask: int) -> None:
    if not may_access(creds, inode, mask):
        raise EACCES()


def check_owner(creds, inode: Inode) -> None:
    """inode_owner_or_capable(): chmod, utimes with explicit times, etc."""
    if creds.fsuid != 0 and creds.fsuid != inode.uid:
        raise EPERM()


def check_sticky_delete(creds, directory: Inode, victim: Inode) -> None:
    """In a sticky directory only the owner of the file or of the directory (or root)
    may remove or rename it (fs/namei.c may_delete -> check_sticky)."""
    from kevlar.abi.constants import S_ISVTX
    if directory.mode & S_ISVTX and creds.fsuid not in (0, victim.uid, directory.uid):
        raise EPERM()


def rmdir_victim(directory: Inode, name: bytes) -> Inode:
    """The checks every file system's rmdir begins with: "." is EINVAL, ".." ENOTEMPTY,
    the name must be a directory (ENOTDIR)."""
    from kevlar.abi.errors import ENOTEMPTY
    if name == b".":
        raise EINVAL()
    if name == b"..":
        raise ENOTEMPTY()
    child = directory.lookup(name)
    if not child.is_dir():
        raise ENOTDIR()
    return child


def same_fs(a: Location, b: Location) -> None:
    """rename and link never cross mounts (EXDEV), as Linux checks the vfsmount."""
    if a.mount is not b.mount:
        raise EXDEV()


__all__ = ["Inode", "FileSystem", "Mount", "Location", "may_access", "check_access",
           "check_owner", "check_sticky_delete", "same_fs", "now_ns", "R_OK", "W_OK", "X_OK",
           "file_type_name"]
