"""tmpfs: every object in memory (mm/shmem.c semantics).

Directories list their children newest first, as Linux's tmpfs does (a new dentry goes
to the head of d_children, which readdir walks), with a cookie per entry that decreases
with each new name, so getdents64 offsets stay valid while entries are added and removed.
Regular files keep their data in 4 KiB pages; a page never written is a hole (SEEK_HOLE
finds it, reads give zeros).

A file that a guest maps (mmap of any kind) moves its data into a host memfd owned by
the tracer (`host_backing()`), once; from then on read, write, truncate, fallocate and
SEEK_DATA/SEEK_HOLE go to the memfd, and the guest maps the same memfd (see
syscalls/mm.py), so MAP_SHARED stores are seen by read(2) and write(2) is seen by every
mapping, as with shmem's page cache. The memfd is closed when the inode is freed.

Timestamps follow shmem: creating or removing a name moves the directory's mtime and
ctime; link, unlink and rename move the inode's ctime; data changes move mtime and ctime
(the syscall layer decides when, see syscalls/fs.py _truncate_to).
"""

import os
import weakref

from kevlar.abi.constants import (
    PAGE_SIZE,
    RENAME_EXCHANGE,
    RENAME_NOREPLACE,
    RENAME_WHITEOUT,
    S_IFCHR,
    S_IFDIR,
    S_IFLNK,
    S_IFMT,
    S_IFREG,
    TMPFS_MAGIC,
)
from kevlar.abi.errors import (
    EEXIST,
    EFBIG,
    EINVAL,
    EISDIR,
    ENAMETOOLONG,
    ENOENT,
    ENOSPC,
    ENOTDIR,
    ENOTEMPTY,
    ENXIO,
    EOPNOTSUPP,
    EPERM,
)
from kevlar.fs import acl, iflags
from kevlar.fs.vfs import FileSystem, Inode, now_ns, rmdir_victim
from kevlar.fs.xattr import SECURITY, TRUSTED, USER, MemoryXattrs

MAX_FILE_SIZE = (1 << 63) - 1
NAME_MAX = 255
BOGO_DIRENT_SIZE = 20  # shmem's size of a directory entry
NEWEST_COOKIE = 1 << 62  # the first name's cookie; later names get smaller ones

FALLOC_FL_KEEP_SIZE = 0x01
FALLOC_FL_PUNCH_HOLE = 0x02
FALLOC_FL_COLLAPSE_RANGE = 0x08
FALLOC_FL_ZERO_RANGE = 0x10
FALLOC_FL_INSERT_RANGE = 0x20
FALLOC_FL_UNSHARE_RANGE = 0x40


def check_name(name: bytes) -> None:
    if len(name) > NAME_MAX:
        raise ENAMETOOLONG()


def _new_memfd(name: str) -> int:
    """A host memfd for the tracer; raises the soft fd limit once if it is reached."""
    try:
        return os.memfd_create(name, os.MFD_CLOEXEC)
    except OSError as exc:
        import errno
        import resource
        if exc.errno != errno.EMFILE:
            raise
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft >= hard:
            raise ENOSPC() from exc
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        return os.memfd_create(name, os.MFD_CLOEXEC)


F_SEAL_SEAL = 0x0001
F_SEAL_SHRINK = 0x0002
F_SEAL_GROW = 0x0004
F_SEAL_WRITE = 0x0008
F_SEAL_FUTURE_WRITE = 0x0010


class TmpfsInode(MemoryXattrs, Inode):
    """Shared by every tmpfs object type; methods check the type they need."""

    xattr_namespaces = (USER, TRUSTED, SECURITY)  # mm/shmem.c shmem_xattr_handlers
    posix_acl = True  # and system.posix_acl_* (fs/acl.py)
    iflags_modifiable = iflags.TMPFS_MODIFIABLE  # chattr (fs/iflags.py)

    seals = F_SEAL_SEAL  # shmem files are sealed shut unless memfd_create allowed sealing

    def __init__(self, fs, mode, uid=0, gid=0, rdev=0, parent=None):
        super().__init__(fs, mode, uid, gid, rdev)
        self.acct = fs.account(self) if isinstance(fs, Tmpfs) else [0]
        kind = mode & S_IFMT
        self.memfd = -1  # host memfd holding the data, once the file was mapped
        if kind == S_IFDIR:
            self.children: dict[bytes, Inode] = {}
            self.cookies: dict[bytes, int] = {}
            self.next_cookie = NEWEST_COOKIE  # counts down; 1 is ".", 2 is ".."
            self.parent = parent or self
        elif kind == S_IFREG:
            self.pages: dict[int, bytearray] = {}
            self._size = 0
        elif kind == S_IFLNK:
            self.target = b""

    # -- attributes ----------------------------------------------------------------------
    def setattr(self, mode=None, uid=None, gid=None, atime=None, mtime=None) -> None:
        super().setattr(mode, uid, gid, atime, mtime)
        if mode is not None:
            acl.chmod(self)

    def getxattr(self, name: bytes) -> bytes:
        if name in acl.NAMES:
            return acl.get_xattr(self, name)
        return super().getxattr(name)

    def listxattr(self, privileged: bool) -> list[bytes]:
        """simple_xattr_list(): the ACL names come first."""
        return acl.list_names(self) + super().listxattr(privileged)

    @property
    def size(self) -> int:
        kind = self.mode & S_IFMT
        if kind == S_IFREG:
            return self._size
        if kind == S_IFLNK:
            return len(self.target)
        if kind == S_IFDIR:
            return BOGO_DIRENT_SIZE * (len(self.children) + 2)
        return 0

    @property
    def blocks(self) -> int:
        if self.mode & S_IFMT == S_IFREG:
            if self.memfd >= 0:
                return os.fstat(self.memfd).st_blocks
            return len(self.pages) * (PAGE_SIZE // 512)
        return 0

    # -- directories -----------------------------------------------------------------------
    def lookup(self, name: bytes) -> Inode:
        if not self.is_dir():
            raise ENOTDIR()
        if name == b".":
            return self
        if name == b"..":
            return self.parent
        try:
            return self.children[name]
        except KeyError:
            if len(name) > NAME_MAX:
                raise ENAMETOOLONG() from None
            raise ENOENT() from None

    def entries(self):
        if not self.is_dir():
            raise ENOTDIR()
        out = [(1, b".", self), (2, b"..", self.parent)]
        out += [(self.cookies[name], name, child) for name, child in reversed(self.children.items())]
        return out

    def _add(self, name: bytes, inode: Inode) -> None:
        check_name(name)
        if name in self.children or name in (b".", b".."):
            raise EEXIST()
        self.children[name] = inode
        self.cookies[name] = self.next_cookie
        self.next_cookie -= 1
        if inode.is_dir():
            inode.parent = self
            self.nlink += 1
        self.touch(mtime=True, ctime=True)

    def _remove(self, name: bytes) -> Inode:
        inode = self.children.pop(name)
        del self.cookies[name]
        if inode.is_dir():
            self.nlink -= 1
        self.touch(mtime=True, ctime=True)
        return inode

    def _new(self, name: bytes, mode: int, uid: int, gid: int, rdev: int = 0) -> Inode:
        if not self.is_dir():
            raise ENOTDIR()
        self.fs.check_writable()
        check_name(name)
        if name in self.children or name in (b".", b".."):
            raise EEXIST()
        inode = TmpfsInode(self.fs, mode, uid, gid, rdev, parent=self)
        inode.iflags = self.iflags & iflags.TMPFS_INHERITED
        acl.inherit(self, inode)
        self._add(name, inode)
        return inode

    def create(self, name, mode, uid, gid):
        return self._new(name, S_IFREG | (mode & 0o7777), uid, gid)

    def mkdir(self, name, mode, uid, gid):
        return self._new(name, S_IFDIR | (mode & 0o7777), uid, gid)

    def mknod(self, name, mode, rdev, uid, gid):
        return self._new(name, mode, uid, gid, rdev)

    def symlink(self, name, target, uid, gid):
        inode = self._new(name, S_IFLNK | 0o777, uid, gid)
        inode.target = target
        return inode

    def make_unlinked(self, mode: int, uid: int, gid: int) -> Inode:
        """O_TMPFILE (shmem_tmpfile): a regular file with no name, nlink 0."""
        if not self.is_dir():
            raise ENOTDIR()
        self.fs.check_writable()
        inode = TmpfsInode(self.fs, S_IFREG | (mode & 0o7777), uid, gid)
        inode.iflags = self.iflags & iflags.TMPFS_INHERITED
        acl.inherit(self, inode)
        inode.nlink = 0
        return inode

    def link(self, name, inode):
        if not self.is_dir():
            raise ENOTDIR()
        self.fs.check_writable()
        if inode.is_dir():
            raise EPERM()
        self._add(name, inode)
        inode.nlink += 1
        inode.touch(ctime=True)

    def unlink(self, name):
        inode = self.lookup(name)
        if inode.is_dir():
            raise EISDIR()
        self.fs.check_writable()
        self._remove(name)
        inode.nlink -= 1
        inode.touch(ctime=True)

    def rmdir(self, name):
        inode = rmdir_victim(self, name)
        if inode.children:
            raise ENOTEMPTY()
        self.fs.check_writable()
        self._remove(name)
        inode.nlink = 0
        inode.touch(ctime=True)

    def rename(self, old_name, new_dir, new_name, flags):
        """rename within this file system (shmem_rename2; the caller has checked the
        subtree rule and permissions)."""
        self.fs.check_writable()
        if not isinstance(new_dir, TmpfsInode) or not new_dir.is_dir():
            raise ENOTDIR()
        check_name(new_name)
        source = self.lookup(old_name)
        target = new_dir.children.get(new_name)
        if flags & RENAME_EXCHANGE:
            if target is None:
                raise ENOENT()
            self.children[old_name], new_dir.children[new_name] = target, source
            for inode, parent in ((target, self), (source, new_dir)):
                if inode.is_dir():
                    inode.parent = parent
            if source.is_dir() != target.is_dir():
                delta = 1 if target.is_dir() else -1
                self.nlink += delta
                new_dir.nlink -= delta
            for inode in (self, new_dir, source, target):
                inode.touch(ctime=True)
            self.touch(mtime=True)
            new_dir.touch(mtime=True)
            return
        if target is source:
            return  # same inode: rename(2) does nothing and succeeds
        if target is not None:
            if flags & RENAME_NOREPLACE:
                raise EEXIST()
            if source.is_dir():
                if not target.is_dir():
                    raise ENOTDIR()
                if target.children:
                    raise ENOTEMPTY()
            elif target.is_dir():
                raise EISDIR()
            new_dir._remove(new_name)
            target.nlink = 0 if target.is_dir() else target.nlink - 1
            target.touch(ctime=True)
        self._remove(old_name)
        new_dir._add(new_name, source)
        source.touch(ctime=True)
        if flags & RENAME_WHITEOUT:
            # shmem_whiteout: a 0:0 character device where the source was.
            self._new(old_name, S_IFCHR, source.uid, source.gid, 0)

    # -- regular files -------------------------------------------------------------------
    def read(self, offset: int, size: int) -> bytes:
        if not self.is_reg():
            return super().read(offset, size)
        end = min(self._size, offset + size)
        if offset >= end:
            return b""
        if self.memfd >= 0:
            return os.pread(self.memfd, end - offset, offset)
        out = bytearray()
        pos = offset
        pages = self.pages
        while pos < end:
            index, within = divmod(pos, PAGE_SIZE)
            take = min(PAGE_SIZE - within, end - pos)
            page = pages.get(index)
            out += page[within:within + take] if page is not None else bytes(take)
            pos += take
        return bytes(out)

    def write(self, offset: int, data: bytes) -> int:
        if not self.is_reg():
            return super().write(offset, data)
        self.fs.check_writable()
        if offset + len(data) > MAX_FILE_SIZE:
            raise EFBIG()
        if self.seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE | F_SEAL_GROW) and data:
            if self.seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE):
                raise EPERM()
            if offset + len(data) > self._size:
                raise EPERM()  # shmem_write_begin: F_SEAL_GROW
        if self.memfd >= 0:
            before = os.fstat(self.memfd).st_blocks
            done = 0
            while done < len(data):
                done += os.pwrite(self.memfd, data[done:], offset + done)
            pos = offset + done
            self._charge_blocks(before)
        else:
            pos = offset
            view = memoryview(data)
            pages = self.pages
            while view:
                index, within = divmod(pos, PAGE_SIZE)
                take = min(PAGE_SIZE - within, len(view))
                page = pages.get(index)
                if page is None:
                    try:
                        self._charge(1)
                    except ENOSPC:
                        if pos == offset:
                            raise
                        break  # a short write: what fitted (shmem_write_begin failed)
                    page = pages[index] = bytearray(PAGE_SIZE)
                page[within:within + take] = view[:take]
                view = view[take:]
                pos += take
        if pos > self._size:
            self._size = pos
        if data:
            self.changed()
        return pos - offset

    def truncate(self, size: int) -> None:
        """Set the size (zero fill on growth, drop pages past it on shrink). Times are
        the caller's business: truncate(2) and ftruncate(2) differ."""
        if not self.is_reg():
            return super().truncate(size)
        self.fs.check_writable()
        if size < 0:
            raise EINVAL()
        if size > MAX_FILE_SIZE:
            raise EFBIG()
        if (size < self._size and self.seals & F_SEAL_SHRINK) or \
                (size > self._size and self.seals & F_SEAL_GROW):
            raise EPERM()
        if self.memfd >= 0:
            before = os.fstat(self.memfd).st_blocks
            os.ftruncate(self.memfd, size)
            self._charge_blocks(before)
        elif size < self._size:
            last = size // PAGE_SIZE
            for index in [i for i in self.pages if i > last or (i == last and size % PAGE_SIZE == 0)]:
                del self.pages[index]
                self._charge(-1)
            page = self.pages.get(last)
            if page is not None and size % PAGE_SIZE:
                page[size % PAGE_SIZE:] = bytes(PAGE_SIZE - size % PAGE_SIZE)
        if size != self._size:
            self.version += 1
        self._size = size

    def allocate(self, mode: int, offset: int, length: int) -> None:
        """fallocate (shmem_fallocate): mode 0 and KEEP_SIZE reserve pages, PUNCH_HOLE
        (with KEEP_SIZE) drops them; other modes are EOPNOTSUPP as on tmpfs."""
        self.fs.check_writable()
        if mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE):
            raise EOPNOTSUPP()
        punch = mode & FALLOC_FL_PUNCH_HOLE
        end = offset + length
        if end > MAX_FILE_SIZE:
            raise EFBIG()
        if punch and self.seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE):
            raise EPERM()
        if not punch and not mode & FALLOC_FL_KEEP_SIZE and end > self._size and self.seals & F_SEAL_GROW:
            raise EPERM()
        if self.memfd >= 0:
            from kevlar.platform import libc
            before = os.fstat(self.memfd).st_blocks
            try:
                libc.fallocate(self.memfd, mode, offset, length)
            except OSError as exc:
                from kevlar.abi.errors import BY_NUMBER
                raise BY_NUMBER[exc.errno]() from None
            self._charge_blocks(before)
            if not punch and not mode & FALLOC_FL_KEEP_SIZE and end > self._size:
                self._size = end
            if punch:
                self.changed()
            else:
                self.touch(ctime=True)
            return
        first, last = offset // PAGE_SIZE, (end - 1) // PAGE_SIZE
        if punch:
            for index in range(first, last + 1):
                page = self.pages.get(index)
                if page is None:
                    continue
                lo = max(offset, index * PAGE_SIZE) - index * PAGE_SIZE
                hi = min(end, (index + 1) * PAGE_SIZE) - index * PAGE_SIZE
                if lo == 0 and hi == PAGE_SIZE:
                    del self.pages[index]
                    self._charge(-1)
                else:
                    page[lo:hi] = bytes(hi - lo)
            self.changed()
            return
        missing = [i for i in range(first, last + 1) if i not in self.pages]
        self._charge(len(missing))  # all or nothing (shmem_fallocate undoes a partial one)
        for index in missing:
            self.pages[index] = bytearray(PAGE_SIZE)
        if not mode & FALLOC_FL_KEEP_SIZE and end > self._size:
            self._size = end
        self.touch(ctime=True)

    def next_data(self, offset: int, hole: bool) -> int:
        """SEEK_DATA / SEEK_HOLE at page granularity, as shmem does."""
        if self.memfd >= 0:
            try:
                found = os.lseek(self.memfd, offset, os.SEEK_HOLE if hole else os.SEEK_DATA)
            except OSError:
                raise ENXIO() from None
            return min(found, self._size) if hole else found
        index = offset // PAGE_SIZE
        last = (self._size - 1) // PAGE_SIZE
        while index <= last:
            present = index in self.pages
            if present != hole:
                return max(offset, index * PAGE_SIZE)
            index += 1
        if hole:
            return self._size
        raise ENXIO()

    def _charge(self, pages: int) -> None:
        fs = self.fs
        if isinstance(fs, Tmpfs):
            fs.charge(self.acct, pages)

    def _charge_blocks(self, before: int) -> None:
        """Account a memfd's change of allocated blocks (after the fact)."""
        fs = self.fs
        if isinstance(fs, Tmpfs):
            delta = (os.fstat(self.memfd).st_blocks - before) // (PAGE_SIZE // 512)
            fs.pages_used += delta
            self.acct[0] += delta

    def host_backing(self) -> int:
        """The tracer's memfd holding this file's data, made on first use (mmap)."""
        if self.memfd >= 0:
            return self.memfd
        if not self.is_reg():
            raise EINVAL()
        fd = _new_memfd(f"kevlar:{self.fs.dev}:{self.ino}")
        try:
            os.ftruncate(fd, self._size)
            for index, page in self.pages.items():
                os.pwrite(fd, page, index * PAGE_SIZE)
            os.ftruncate(fd, self._size)  # pages past the size (KEEP_SIZE) stay out
        except OSError:
            os.close(fd)
            raise
        self.memfd = fd
        self.pages = {}
        weakref.finalize(self, os.close, fd)
        return fd

    # -- symlinks --------------------------------------------------------------------------
    def readlink(self) -> bytes:
        if not self.is_symlink():
            raise EINVAL()
        self.accessed()
        return self.target


class Tmpfs(FileSystem):
    name = "tmpfs"
    magic = TMPFS_MAGIC
    statx_btime = True  # shmem keeps a birth time
    direct_io = True  # O_DIRECT is accepted (Linux 6.6+)
    multigrain = True  # statx reports mtime/ctime only when asked (fs/stat.c fill_mg_cmtime)

    def __init__(self, mode: int = 0o1777, uid: int = 0, gid: int = 0, read_only: bool = False,
                 size_pages: int = 0, nr_inodes: int = 0):
        super().__init__(read_only)
        self.size_pages = size_pages or (4 << 30) // PAGE_SIZE  # the size= limit
        self.nr_inodes = nr_inodes or 1 << 20
        self.pages_used = 0
        self.inodes_used = 0
        self.root = TmpfsInode(self, S_IFDIR | mode, uid, gid)

    def account(self, inode) -> list[int]:
        """A new inode (ENOSPC past nr_inodes); its pages return to the pool, and it
        leaves the count, when the inode is freed (shmem_evict_inode)."""
        if self.inodes_used >= self.nr_inodes:
            raise ENOSPC()
        self.inodes_used += 1
        acct = [0]
        weakref.finalize(inode, self._release, acct)
        return acct

    def _release(self, acct: list[int]) -> None:
        self.pages_used -= acct[0]
        self.inodes_used -= 1

    def charge(self, acct: list[int], pages: int) -> None:
        """Take (or give back) pages from the size= limit: ENOSPC when it is reached."""
        if pages > 0 and self.pages_used + pages > self.size_pages:
            raise ENOSPC()
        self.pages_used += pages
        acct[0] += pages

    def statfs(self) -> dict:
        used, files = self.pages_used, self.inodes_used
        return dict(f_type=self.magic, f_bsize=PAGE_SIZE, f_blocks=self.size_pages,
                    f_bfree=self.size_pages - used, f_bavail=self.size_pages - used,
                    f_files=self.nr_inodes, f_ffree=self.nr_inodes - files, f_namelen=255,
                    f_frsize=PAGE_SIZE, f_flags=0x20)  # ST_RELATIME


__all__ = ["Tmpfs", "TmpfsInode", "now_ns"]
