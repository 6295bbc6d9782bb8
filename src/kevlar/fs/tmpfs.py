"""tmpfs: every object in memory (mm/shmem.c semantics).

Directories keep children in insertion order with a cookie per entry, so getdents64
offsets stay valid while entries are added and removed. Regular files keep their data in
4 KiB pages; a page never written is a hole (SEEK_HOLE finds it, reads give zeros).
"""

from kevlar.abi.constants import (
    PAGE_SIZE,
    RENAME_EXCHANGE,
    RENAME_NOREPLACE,
    S_IFDIR,
    S_IFLNK,
    S_IFMT,
    S_IFREG,
    TMPFS_MAGIC,
)
from kevlar.abi.errors import EEXIST, EFBIG, EINVAL, EISDIR, ENAMETOOLONG, ENOENT, ENOTDIR, ENOTEMPTY, EPERM
from kevlar.fs.vfs import FileSystem, Inode, now_ns

MAX_FILE_SIZE = (1 << 63) - 1
NAME_MAX = 255


def check_name(name: bytes) -> None:
    if len(name) > NAME_MAX:
        raise ENAMETOOLONG()


class TmpfsInode(Inode):
    """Shared by every tmpfs object type; methods check the type they need."""

    def __init__(self, fs, mode, uid=0, gid=0, rdev=0, parent=None):
        super().__init__(fs, mode, uid, gid, rdev)
        kind = mode & S_IFMT
        if kind == S_IFDIR:
            self.children: dict[bytes, Inode] = {}
            self.cookies: dict[bytes, int] = {}
            self.next_cookie = 3  # 1 is ".", 2 is ".."
            self.parent = parent or self
        elif kind == S_IFREG:
            self.pages: dict[int, bytearray] = {}
            self._size = 0
        elif kind == S_IFLNK:
            self.target = b""

    # -- attributes ----------------------------------------------------------------------
    @property
    def size(self) -> int:
        kind = self.mode & S_IFMT
        if kind == S_IFREG:
            return self._size
        if kind == S_IFLNK:
            return len(self.target)
        if kind == S_IFDIR:
            # shmem reports BOGO_DIRENT_SIZE (20) per entry plus 2 for "." and ".."
            return 20 * (len(self.children) + 2)
        return 0

    @property
    def blocks(self) -> int:
        if self.mode & S_IFMT == S_IFREG:
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
            raise ENOENT() from None

    def entries(self):
        if not self.is_dir():
            raise ENOTDIR()
        out = [(1, b".", self), (2, b"..", self.parent)]
        out += [(self.cookies[name], name, child) for name, child in self.children.items()]
        return out

    def _add(self, name: bytes, inode: Inode) -> None:
        check_name(name)
        if name in self.children or name in (b".", b".."):
            raise EEXIST()
        self.children[name] = inode
        self.cookies[name] = self.next_cookie
        self.next_cookie += 1
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
        if name == b".":
            raise EINVAL()
        if name == b"..":
            raise ENOTEMPTY()
        inode = self.lookup(name)
        if not inode.is_dir():
            raise ENOTDIR()
        if inode.children:
            raise ENOTEMPTY()
        self.fs.check_writable()
        self._remove(name)
        inode.nlink = 0
        inode.touch(ctime=True)

    def rename(self, old_name, new_dir, new_name, flags):
        """rename within this file system (fs/namei.c vfs_rename rules; the caller has
        checked the subtree rule and permissions)."""
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

    # -- regular files -------------------------------------------------------------------
    def read(self, offset: int, size: int) -> bytes:
        if not self.is_reg():
            return super().read(offset, size)
        end = min(self._size, offset + size)
        if offset >= end:
            return b""
        out = bytearray()
        pos = offset
        while pos < end:
            index, within = divmod(pos, PAGE_SIZE)
            take = min(PAGE_SIZE - within, end - pos)
            page = self.pages.get(index)
            out += page[within:within + take] if page is not None else bytes(take)
            pos += take
        return bytes(out)

    def write(self, offset: int, data: bytes) -> int:
        if not self.is_reg():
            return super().write(offset, data)
        self.fs.check_writable()
        if offset + len(data) > MAX_FILE_SIZE:
            raise EFBIG()
        pos = offset
        view = memoryview(data)
        while view:
            index, within = divmod(pos, PAGE_SIZE)
            take = min(PAGE_SIZE - within, len(view))
            page = self.pages.get(index)
            if page is None:
                page = self.pages[index] = bytearray(PAGE_SIZE)
            page[within:within + take] = view[:take]
            view = view[take:]
            pos += take
        if pos > self._size:
            self._size = pos
        if data:
            self.changed()
        return len(data)

    def truncate(self, size: int) -> None:
        if not self.is_reg():
            return super().truncate(size)
        self.fs.check_writable()
        if size < 0:
            raise EINVAL()
        if size > MAX_FILE_SIZE:
            raise EFBIG()
        if size < self._size:
            last = size // PAGE_SIZE
            for index in [i for i in self.pages if i > last or (i == last and size % PAGE_SIZE == 0)]:
                del self.pages[index]
            page = self.pages.get(last)
            if page is not None and size % PAGE_SIZE:
                page[size % PAGE_SIZE:] = bytes(PAGE_SIZE - size % PAGE_SIZE)
        self._size = size
        self.changed()

    def allocate(self, mode: int, offset: int, length: int) -> None:
        """fallocate: mode 0 reserves (allocates zero pages, may grow the size);
        FALLOC_FL_KEEP_SIZE (1) does not grow; PUNCH_HOLE (2|1) drops pages."""
        self.fs.check_writable()
        keep_size, punch = mode & 1, mode & 2
        if mode & ~3 or (punch and not keep_size):
            from kevlar.abi.errors import EOPNOTSUPP
            raise EOPNOTSUPP()
        end = offset + length
        if end > MAX_FILE_SIZE:
            raise EFBIG()
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
                else:
                    page[lo:hi] = bytes(hi - lo)
            self.changed()
            return
        for index in range(first, last + 1):
            self.pages.setdefault(index, bytearray(PAGE_SIZE))
        if not keep_size and end > self._size:
            self._size = end
        self.touch(ctime=True)

    def next_data(self, offset: int, hole: bool) -> int:
        """SEEK_DATA / SEEK_HOLE at page granularity, as shmem does."""
        index = offset // PAGE_SIZE
        last = (self._size - 1) // PAGE_SIZE
        while index <= last:
            present = index in self.pages
            if present != hole:
                return max(offset, index * PAGE_SIZE)
            index += 1
        if hole:
            return self._size
        from kevlar.abi.errors import ENXIO
        raise ENXIO()

    # -- symlinks --------------------------------------------------------------------------
    def readlink(self) -> bytes:
        if not self.is_symlink():
            raise EINVAL()
        self.touch(atime=True)
        return self.target


class Tmpfs(FileSystem):
    name = "tmpfs"
    magic = TMPFS_MAGIC

    def __init__(self, mode: int = 0o1777, uid: int = 0, gid: int = 0, read_only: bool = False,
                 size_pages: int = 0):
        super().__init__(read_only)
        self.root = TmpfsInode(self, S_IFDIR | mode, uid, gid)
        self.size_pages = size_pages or (4 << 30) // PAGE_SIZE  # reported capacity

    def statfs(self) -> dict:
        used = 0
        files = 0
        stack = [self.root]
        while stack:
            inode = stack.pop()
            files += 1
            if inode.is_dir():
                stack.extend(c for c in inode.children.values() if c.fs is self)
            elif inode.is_reg():
                used += len(inode.pages)
        return dict(f_type=self.magic, f_bsize=PAGE_SIZE, f_blocks=self.size_pages,
                    f_bfree=self.size_pages - used, f_bavail=self.size_pages - used,
                    f_files=1 << 20, f_ffree=(1 << 20) - files, f_namelen=255,
                    f_frsize=PAGE_SIZE, f_flags=0x20)  # ST_RELATIME


__all__ = ["Tmpfs", "TmpfsInode", "now_ns"]
