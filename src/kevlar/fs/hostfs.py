"""Host binds: `kevlar-trace --bind HOST_DIR:GUEST_DIR[:ro]` shows a host directory in the
guest's tree.

Containment (ARCHITECTURE.md invariant 2) rests on two rules:

1. Every host access starts from the directory fd opened when the bind was made
   (`root_fd`) and goes through openat2(2) with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS
   | RESOLVE_NO_MAGICLINKS, naming the inode's path relative to the bind root. The
   kernel itself refuses "..", absolute paths and every symlink on the way, so no guest
   path, symlink or race on the host can reach outside the bind. What is then done
   (stat, mkdir, unlink, rename, open...) is an *at() call on that directory fd with a
   single name that never follows a symlink at its end.
2. Guest symlinks inside the bind are resolved by Kevlar's walk, never by the host: a
   HostInode for a symlink only gives its text (readlink), and Kevlar walks that text
   from the guest's root or the link's directory, like any symlink of any file system.
   A link to /etc/shadow therefore names the guest's /etc/shadow.

`:ro` makes the file system read-only: every write path is EROFS in the VFS (the mount
and the file system are read-only), and the host fds are opened O_RDONLY besides.

Inodes are cached per directory entry (so a Location stays the same object while the
entry exists) and their attributes come from fstatat, refreshed on every lookup and after
every change Kevlar makes. Host fds for data are kept in a small LRU per bind.
"""

import errno as _errno
import os
import stat as st_mod
import weakref
from collections import OrderedDict

from kevlar.abi.constants import (
    O_APPEND,
    RENAME_EXCHANGE,
    RENAME_NOREPLACE,
    RENAME_WHITEOUT,
    RESOLVE_BENEATH,
    RESOLVE_NO_MAGICLINKS,
    RESOLVE_NO_SYMLINKS,
    S_IFBLK,
    S_IFCHR,
    S_IFDIR,
    S_IFLNK,
    S_IFMT,
    S_IFREG,
)
from kevlar.abi.errors import BY_NUMBER, EINVAL, EIO, EISDIR, ENOENT, ENOTDIR, ENXIO, EPERM, EROFS
from kevlar.fs.file import RegularFile
from kevlar.fs.vfs import FileSystem, Inode
from kevlar.fs.xattr import SECURITY, SYSTEM, TRUSTED, USER
from kevlar.platform import libc

RESOLVE = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS
FD_CACHE = 64
DIR_CACHE = 128


def _linux(exc: OSError):
    """The Linux error class for a host OSError."""
    return BY_NUMBER.get(exc.errno or _errno.EIO, EIO)()


class HostFs(FileSystem):
    name = "hostfs"
    direct_io = True

    def __init__(self, host_dir: str | bytes, read_only: bool = False):
        super().__init__(read_only)
        self.host_dir = os.fsencode(host_dir)
        self.root_fd = os.open(self.host_dir, os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
        weakref.finalize(self, _close_quietly, self.root_fd)
        info = libc.fstatfs(self.root_fd)
        self.magic = info[0]
        self.host_type = host_fs_type(self.root_fd, self.magic)
        self._host_statfs = info
        self._fds: OrderedDict = OrderedDict()  # (id(inode), writable) -> host fd
        self._dirs: OrderedDict = OrderedDict()  # id(inode) -> O_PATH fd of a directory
        self.root = HostInode(self, None, b"")
        self.mount_options = b""

    # -- host fds ----------------------------------------------------------------------
    def open_beneath(self, rel: bytes, flags: int, mode: int = 0) -> int:
        """openat2(root_fd, rel, flags, RESOLVE_BENEATH|NO_SYMLINKS|NO_MAGICLINKS)."""
        try:
            return libc.openat2(self.root_fd, rel or b".", flags | os.O_CLOEXEC | os.O_NOFOLLOW,
                                mode, RESOLVE)
        except OSError as exc:
            raise _linux(exc) from None

    def data_fd(self, inode: "HostInode", writable: bool) -> int:
        """A cached host fd on inode's data (O_RDONLY or O_RDWR)."""
        key = (id(inode), writable)
        fd = self._fds.get(key)
        if fd is not None:
            self._fds.move_to_end(key)
            return fd
        if writable:
            self.check_writable()
        fd = self.open_beneath(inode.rel(), os.O_RDWR if writable else os.O_RDONLY)
        self._fds[key] = fd
        weakref.finalize(inode, self._forget, key)
        while len(self._fds) > FD_CACHE:
            _, old = self._fds.popitem(last=False)
            _close_quietly(old)
        return fd

    def dir_fd(self, inode: "HostInode") -> int:
        """A cached O_PATH fd on a directory under the bind, opened beneath the root.
        It names the directory itself, so it stays right when Kevlar renames it; lookups
        through it are single names that never follow symlinks."""
        key = id(inode)
        fd = self._dirs.get(key)
        if fd is not None:
            self._dirs.move_to_end(key)
            return fd
        fd = self.open_beneath(inode.rel(), os.O_PATH | os.O_DIRECTORY)
        self._dirs[key] = fd
        weakref.finalize(inode, self._forget_dir, key)
        while len(self._dirs) > DIR_CACHE:
            _, old = self._dirs.popitem(last=False)
            _close_quietly(old)
        return fd

    def _forget_dir(self, key) -> None:
        fd = self._dirs.pop(key, None)
        if fd is not None:
            _close_quietly(fd)

    def _forget(self, key) -> None:
        fd = self._fds.pop(key, None)
        if fd is not None:
            _close_quietly(fd)

    def drop_fds(self, inode: "HostInode") -> None:
        for writable in (False, True):
            self._forget((id(inode), writable))

    def statfs(self) -> dict:
        try:
            info = libc.fstatfs(self.root_fd)
        except OSError:
            info = self._host_statfs
        f_type, bsize, blocks, bfree, bavail, files, ffree, _f0, _f1, namelen, frsize, _fl = info
        return dict(f_type=f_type, f_bsize=bsize, f_blocks=blocks, f_bfree=bfree,
                    f_bavail=bavail, f_files=files, f_ffree=ffree, f_namelen=namelen,
                    f_frsize=frsize, f_flags=0x20)

    def sync(self) -> None:
        for fd in list(self._fds.values()):
            try:
                os.fsync(fd)
            except OSError:
                pass


# Names of statfs magic numbers (include/uapi/linux/magic.h), for a bind whose host mount
# is not in the tracer's mountinfo.
MAGIC_NAMES = {0xEF53: "ext4", 0x01021994: "tmpfs", 0x58465342: "xfs", 0x9123683E: "btrfs",
               0x794C7630: "overlay", 0x6969: "nfs", 0x65735546: "fuse", 0x2FC12FC1: "zfs",
               0x01021997: "9p", 0x4D44: "vfat", 0x5346544E: "ntfs", 0xF2F52010: "f2fs"}


def host_fs_type(fd: int, magic: int) -> str:
    """The type Linux shows for a bind of this host directory (/proc/PID/mounts,
    mountinfo): the type of the host mount on the same device, else the name of the
    statfs magic number."""
    dev = os.fstat(fd).st_dev
    try:
        with open("/proc/self/mountinfo", "rb") as f:
            lines = f.read().splitlines()
    except OSError:
        lines = []
    for line in lines:
        fields = line.split()
        if b"-" not in fields:
            continue
        major, _, minor = fields[2].partition(b":")
        if os.makedev(int(major), int(minor)) == dev:
            return fields[fields.index(b"-") + 1].decode(errors="replace")
    return MAGIC_NAMES.get(magic, "hostfs")


def _close_quietly(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


class HostInode(Inode):
    """One host object under the bind, named by its parent and its name."""

    def __init__(self, fs: HostFs, parent: "HostInode | None", name: bytes, stat=None):
        # Not Inode.__init__: every attribute comes from the host.
        self.fs = fs
        self.parent = parent
        self.name = name
        self.children: dict[bytes, HostInode] = {}
        self.cookies: dict[bytes, int] = {}
        self.next_cookie = 3
        self.version = 0
        self.watches = None
        self.gone = False  # removed from the host by Kevlar
        self._listing = None  # (directory stat key, entries) of the last listing
        self._st = stat if stat is not None else self._stat()

    # -- where it is ------------------------------------------------------------------------
    def rel(self) -> bytes:
        parts = []
        inode = self
        while inode.parent is not None:
            parts.append(inode.name)
            inode = inode.parent
        return b"/".join(reversed(parts))

    def _dirfd(self) -> int:
        """An O_PATH fd on this directory (cached by the bind; do not close it)."""
        return self.fs.dir_fd(self)

    def _stat(self) -> os.stat_result:
        if self.parent is None:
            try:
                return os.fstat(self.fs.root_fd)
            except OSError as exc:
                raise _linux(exc) from None
        fd = self.parent._dirfd()
        try:
            return os.stat(self.name, dir_fd=fd, follow_symlinks=False)
        except OSError as exc:
            raise _linux(exc) from None

    def refresh(self) -> None:
        try:
            self._st = self._stat()
            self.gone = False
        except ENOENT:
            self.gone = True  # unlinked: keep the last attributes, with no links

    # -- attributes (the host's) ------------------------------------------------------------
    ino = property(lambda self: self._st.st_ino)
    mode = property(lambda self: self._st.st_mode)
    uid = property(lambda self: self._st.st_uid)
    gid = property(lambda self: self._st.st_gid)
    nlink = property(lambda self: 0 if self.gone else self._st.st_nlink)
    atime = property(lambda self: self._st.st_atime_ns)
    mtime = property(lambda self: self._st.st_mtime_ns)
    ctime = property(lambda self: self._st.st_ctime_ns)
    btime = property(lambda self: self._st.st_ctime_ns)

    @property
    def rdev(self) -> int:
        dev = self._st.st_rdev
        return (os.minor(dev) & 0xFF) | (os.major(dev) << 8) | ((os.minor(dev) & ~0xFF) << 12)

    @property
    def size(self) -> int:
        return self._st.st_size

    @property
    def blocks(self) -> int:
        return self._st.st_blocks

    @property
    def blksize(self) -> int:
        return self._st.st_blksize

    def touch(self, atime: bool = False, mtime: bool = False, ctime: bool = False) -> None:
        """The host keeps the times; Kevlar only re-reads them."""
        self.refresh()

    def accessed(self) -> None:
        pass

    def changed(self) -> None:
        self.version += 1
        self.refresh()

    def setattr(self, mode=None, uid=None, gid=None, atime=None, mtime=None) -> None:
        self.fs.check_writable()
        fd = self.fs.open_beneath(self.rel(), os.O_PATH)
        path = f"/proc/self/fd/{fd}"
        try:
            if mode is not None and not st_mod.S_ISLNK(self.mode):
                os.chmod(path, mode & 0o7777)
            if uid is not None or gid is not None:
                os.chown(path, -1 if uid is None else uid, -1 if gid is None else gid)
            if atime is not None or mtime is not None:
                if st_mod.S_ISLNK(self.mode):
                    raise EPERM()
                os.utime(path, ns=(self.atime if atime is None else atime,
                                   self.mtime if mtime is None else mtime))
        except OSError as exc:
            raise _linux(exc) from None
        finally:
            os.close(fd)
        self.refresh()

    # -- directories ------------------------------------------------------------------------
    def _child(self, name: bytes, st) -> "HostInode":
        cached = self.children.get(name)
        if cached is not None and cached._st.st_ino == st.st_ino \
                and (cached._st.st_mode & S_IFMT) == (st.st_mode & S_IFMT):
            cached._st = st
            return cached
        child = HostInode(self.fs, self, name, st)
        self.children[name] = child
        return child

    def lookup(self, name: bytes) -> Inode:
        if not self.is_dir():
            raise ENOTDIR()
        if name == b".":
            return self
        if name == b"..":
            return self.parent if self.parent is not None else self
        fd = self._dirfd()
        try:
            st = os.stat(name, dir_fd=fd, follow_symlinks=False)
        except OSError as exc:
            self.children.pop(name, None)
            raise _linux(exc) from None
        return self._child(name, st)

    def entries(self):
        """The listing, with cookies that stay with their names. It is kept while the
        directory's mtime/ctime/size stay the same, so a getdents64 loop lists once."""
        if not self.is_dir():
            raise ENOTDIR()
        fd = self.fs.open_beneath(self.rel(), os.O_RDONLY | os.O_DIRECTORY)
        try:
            st = os.fstat(fd)
            key = (st.st_ino, st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_nlink)
            cached = self._listing
            if cached is not None and cached[0] == key:
                return cached[1]
            out = [(1, b".", self), (2, b"..", self.parent if self.parent is not None else self)]
            for entry in os.scandir(fd):
                name = os.fsencode(entry.name)
                try:
                    child_st = entry.stat(follow_symlinks=False)
                except OSError:
                    continue  # gone meanwhile
                cookie = self.cookies.get(name)
                if cookie is None:
                    cookie = self.cookies[name] = self.next_cookie
                    self.next_cookie += 1
                out.append((cookie, name, self._child(name, child_st)))
        except OSError as exc:
            raise _linux(exc) from None
        finally:
            os.close(fd)
        out.sort(key=lambda e: e[0])
        self._listing = (key, out)
        return out

    def _in_dir(self, op, *names: bytes) -> None:
        """Run op(dirfd) on this directory's fd; map host errors; refresh."""
        if not self.is_dir():
            raise ENOTDIR()
        self.fs.check_writable()
        fd = self._dirfd()
        try:
            op(fd)
        except OSError as exc:
            raise _linux(exc) from None
        for name in names:
            self.children.pop(name, None)
        self.refresh()

    def _made(self, name: bytes) -> "HostInode":
        inode = self.lookup(name)
        inode.version += 1
        return inode

    def create(self, name, mode, uid, gid):
        def op(fd):
            os.close(os.open(name, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_CLOEXEC | os.O_NOFOLLOW,
                             mode & 0o7777, dir_fd=fd))
        self._in_dir(op, name)
        inode = self._made(name)
        self._own(inode, uid, gid)
        return inode

    def mkdir(self, name, mode, uid, gid):
        self._in_dir(lambda fd: os.mkdir(name, mode & 0o7777, dir_fd=fd), name)
        inode = self._made(name)
        self._own(inode, uid, gid)
        return inode

    def mknod(self, name, mode, rdev, uid, gid):
        if mode & S_IFMT in (S_IFCHR, S_IFBLK):
            raise EPERM()  # never make host device nodes for a guest
        self._in_dir(lambda fd: os.mknod(name, mode, 0, dir_fd=fd), name)
        inode = self._made(name)
        self._own(inode, uid, gid)
        return inode

    def symlink(self, name, target, uid, gid):
        self._in_dir(lambda fd: os.symlink(target, name, dir_fd=fd), name)
        inode = self._made(name)
        self._own(inode, uid, gid, symlink=True)
        return inode

    def _own(self, inode: "HostInode", uid: int, gid: int, symlink: bool = False) -> None:
        """The guest's owner, where the host lets the tracer give it."""
        if (uid, gid) == (inode.uid, inode.gid):
            return
        if symlink:
            fd = self._dirfd()
            try:
                os.chown(inode.name, uid, gid, dir_fd=fd, follow_symlinks=False)
            except OSError:
                pass
            inode.refresh()
            return
        try:
            inode.setattr(uid=uid, gid=gid)
        except (EPERM, EROFS):
            pass
        except Exception:  # noqa: BLE001 - a host that refuses chown keeps its owner
            pass

    def link(self, name, inode):
        if not isinstance(inode, HostInode) or inode.fs is not self.fs:
            from kevlar.abi.errors import EXDEV
            raise EXDEV()
        if inode.is_dir():
            raise EPERM()
        src_dir = inode.parent._dirfd()
        self._in_dir(lambda fd: os.link(inode.name, name, src_dir_fd=src_dir, dst_dir_fd=fd,
                                        follow_symlinks=False), name)
        inode.refresh()

    def unlink(self, name):
        child = self.lookup(name)
        if child.is_dir():
            raise EISDIR()
        self._in_dir(lambda fd: os.unlink(name, dir_fd=fd), name)
        child.refresh()
        self.fs.drop_fds(child)
        self.cookies.pop(name, None)

    def rmdir(self, name):
        if name == b".":
            raise EINVAL()
        child = self.lookup(name)
        if not child.is_dir():
            raise ENOTDIR()
        self._in_dir(lambda fd: os.rmdir(name, dir_fd=fd), name)
        child.refresh()
        self.cookies.pop(name, None)

    def rename(self, old_name, new_dir, new_name, flags):
        if not isinstance(new_dir, HostInode) or new_dir.fs is not self.fs:
            from kevlar.abi.errors import EXDEV
            raise EXDEV()
        source = self.lookup(old_name)
        try:
            target = new_dir.lookup(new_name)
        except ENOENT:
            target = None
        dst = new_dir._dirfd()
        self._in_dir(lambda fd: libc.renameat2(fd, old_name, dst, new_name,
                                               flags & (RENAME_NOREPLACE | RENAME_EXCHANGE
                                                        | RENAME_WHITEOUT)), old_name)
        new_dir.children.pop(new_name, None)
        new_dir.cookies.pop(new_name, None)
        self.cookies.pop(old_name, None)
        # The moved inode keeps its identity under its new name.
        source.parent, source.name = new_dir, new_name
        new_dir.children[new_name] = source
        if target is not None and flags & RENAME_EXCHANGE:
            target.parent, target.name = self, old_name
            self.children[old_name] = target
        elif target is not None:
            target.refresh()
            self.fs.drop_fds(target)
        source.refresh()
        new_dir.refresh()

    # -- regular files ----------------------------------------------------------------------
    def open(self, task, location, flags: int):
        """A regular file gets its own host fd, opened beneath the root now, so it stays
        readable after an unlink, as an open file is."""
        if not self.is_reg():
            return super().open(task, location, flags)
        from kevlar.abi.constants import O_ACCMODE, O_RDONLY, O_WRONLY
        mode = flags & O_ACCMODE
        host_mode = os.O_RDONLY if mode == O_RDONLY else os.O_WRONLY if mode == O_WRONLY else os.O_RDWR
        if host_mode != os.O_RDONLY:
            self.fs.check_writable()
        fd = self.fs.open_beneath(self.rel(), host_mode)
        return HostfsFile(location, flags, fd)

    def read(self, offset: int, size: int, fd: int | None = None) -> bytes:
        if not self.is_reg():
            return super().read(offset, size)
        if fd is None:
            fd = self.fs.data_fd(self, False)
        try:
            return os.pread(fd, size, offset)
        except OSError as exc:
            raise _linux(exc) from None

    def write(self, offset: int, data: bytes, fd: int | None = None) -> int:
        if not self.is_reg():
            return super().write(offset, data)
        self.fs.check_writable()
        if fd is None:
            fd = self.fs.data_fd(self, True)
        try:
            done = 0
            while done < len(data):
                done += os.pwrite(fd, data[done:], offset + done)
        except OSError as exc:
            raise _linux(exc) from None
        if data:
            self.changed()
        return done

    def truncate(self, size: int) -> None:
        if not self.is_reg():
            return super().truncate(size)
        self.fs.check_writable()
        try:
            os.ftruncate(self.fs.data_fd(self, True), size)
        except OSError as exc:
            raise _linux(exc) from None
        self.version += 1
        self.refresh()

    def allocate(self, mode: int, offset: int, length: int) -> None:
        self.fs.check_writable()
        try:
            libc.fallocate(self.fs.data_fd(self, True), mode, offset, length)
        except OSError as exc:
            raise _linux(exc) from None
        self.refresh()

    def next_data(self, offset: int, hole: bool) -> int:
        try:
            return os.lseek(self.fs.data_fd(self, False), offset, os.SEEK_HOLE if hole else os.SEEK_DATA)
        except OSError as exc:
            if exc.errno == _errno.ENXIO:
                raise ENXIO() from None
            raise _linux(exc) from None

    def sync(self) -> None:
        fd = self.fs._fds.get((id(self), True))
        if fd is not None:
            os.fsync(fd)

    def host_backing(self) -> int:
        """The host fd a mapping of this file uses (its own data, read-write when the
        bind is)."""
        if not self.is_reg():
            raise EINVAL()
        return self.fs.data_fd(self, not self.fs.read_only)

    # -- extended attributes: the host's, reached through an O_PATH fd beneath the bind --
    xattr_namespaces = (USER, TRUSTED, SECURITY, SYSTEM)  # the host file system decides

    def _xattr(self, op, *args):
        fd = self.fs.open_beneath(self.rel(), os.O_PATH)
        try:
            return op(f"/proc/self/fd/{fd}", *args)
        except OSError as exc:
            raise _linux(exc) from None
        finally:
            os.close(fd)

    def getxattr(self, name: bytes) -> bytes:
        return self._xattr(os.getxattr, name)

    def setxattr(self, name: bytes, value: bytes, flags: int) -> None:
        self.fs.check_writable()
        self._xattr(os.setxattr, name, value, flags)

    def listxattr(self, privileged: bool) -> list[bytes]:
        names = [os.fsencode(n) for n in self._xattr(os.listxattr)]
        return [n for n in names if privileged or not n.startswith(TRUSTED)]

    def removexattr(self, name: bytes) -> None:
        self.fs.check_writable()
        self._xattr(os.removexattr, name)

    # -- symlinks ---------------------------------------------------------------------------
    def readlink(self) -> bytes:
        if not self.is_symlink():
            raise EINVAL()
        fd = self.parent._dirfd()
        try:
            return os.readlink(self.name, dir_fd=fd)
        except OSError as exc:
            raise _linux(exc) from None


class HostfsFile(RegularFile):
    """An open regular file of a bind: data through its own host fd."""

    def __init__(self, location, flags: int, host_fd: int):
        super().__init__(location, flags)
        self.data_fd = host_fd

    def read(self, task, size: int) -> bytes:
        data = self.inode.read(self.pos, size, self.data_fd)
        self.pos += len(data)
        return data

    def pread(self, task, offset: int, size: int) -> bytes:
        return self.inode.read(offset, size, self.data_fd)

    def write(self, task, data: bytes) -> int:
        if self.flags & O_APPEND:
            self.inode.refresh()
            self.pos = self.inode.size
        written = self.inode.write(self.pos, data, self.data_fd)
        self.pos += written
        return written

    def pwrite(self, task, offset: int, data: bytes) -> int:
        if self.flags & O_APPEND:
            self.inode.refresh()
            offset = self.inode.size
        return self.inode.write(offset, data, self.data_fd)

    def host_backing(self) -> int:
        return self.data_fd

    def release(self) -> None:
        _close_quietly(self.data_fd)


def parse_bind(spec: str) -> tuple[str, str, bool]:
    """HOST_DIR:GUEST_DIR[:ro] -> (host, guest, read_only)."""
    parts = spec.split(":")
    read_only = False
    if len(parts) == 3 and parts[2] in ("ro", "rw"):
        read_only = parts[2] == "ro"
        parts = parts[:2]
    if len(parts) != 2 or not parts[0] or not parts[1].startswith("/"):
        raise ValueError(f"--bind wants HOST_DIR:GUEST_DIR[:ro] with an absolute GUEST_DIR, got {spec!r}")
    return parts[0], parts[1], read_only


def mount_bind(kernel, host: str, guest: str, read_only: bool):
    """Mount a HostFs for host at guest (made if missing) in kernel's tree."""
    from kevlar.fs.vfs import Location
    fs = HostFs(os.path.abspath(host), read_only)
    mounts = kernel.mounts
    loc = Location(mounts.root, mounts.root.root)
    prefix = b""
    for part in [p for p in os.fsencode(guest).split(b"/") if p]:
        prefix += b"/" + part
        try:
            loc = kernel.lookup(prefix)  # symlinks followed, mounts crossed, as mount(2)
        except ENOENT:
            loc = mounts.cross(Location(loc.mount, loc.inode.mkdir(part, S_IFDIR | 0o755, 0, 0)))
        if not loc.inode.is_dir():
            raise NotADirectoryError(guest)
    options = b"ro" if read_only else b"rw"
    mnt = mounts.mount(fs, loc, source=os.fsencode(os.path.abspath(host)), options=options)
    if read_only:
        mnt.flags |= 1
    return mnt


__all__ = ["HostFs", "HostInode", "parse_bind", "mount_bind", "S_IFREG", "S_IFLNK"]
