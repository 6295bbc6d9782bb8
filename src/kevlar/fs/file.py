"""Open file descriptions (struct file): what an fd points at.

A File carries the flags given at open, the position, and a reference count of the fds
(and in-flight SCM_RIGHTS messages) that hold it. When the count drops to zero,
`release()` runs: a pipe end tells its peer, a socket disconnects.

Blocking files raise EAGAIN when an operation would block; the syscall layer turns that
into parking on `waitq` unless the file is O_NONBLOCK (see kevlar.syscalls.blocking).
"""

from kevlar.abi.constants import (
    DT_DIR,
    O_ACCMODE,
    O_APPEND,
    O_NOATIME,
    O_NONBLOCK,
    O_PATH,
    O_RDONLY,
    O_RDWR,
    O_WRONLY,
    SEEK_CUR,
    SEEK_DATA,
    SEEK_END,
    SEEK_HOLE,
    SEEK_SET,
    dtype_of,
)
from kevlar.abi.errors import EBADF, EINVAL, ENOTTY, ENXIO, ESPIPE
from kevlar.abi.structs import DIRENT64_HEADER, DIRENT_HEADER
from kevlar.ipc.waitq import READABLE, WRITABLE

MAX_OFFSET = (1 << 63) - 1


class File:
    """Base open file. Subclasses override what their kind supports."""

    seekable = True
    # fs/read_write.c: read/write on an fd whose mode lacks FMODE_READ/WRITE is EBADF.
    waitq = None

    def __init__(self, location, flags: int):
        self.location = location
        self.flags = flags
        self.pos = 0
        self.refs = 0
        self.locks_owner = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} flags={self.flags:o}>"

    @property
    def inode(self):
        return self.location.inode if self.location is not None else None

    @property
    def readable(self) -> bool:
        return not self.flags & O_PATH and (self.flags & O_ACCMODE) in (O_RDONLY, O_RDWR)

    @property
    def writable(self) -> bool:
        return not self.flags & O_PATH and (self.flags & O_ACCMODE) in (O_WRONLY, O_RDWR)

    @property
    def can_read(self) -> bool:
        """FMODE_CAN_READ: the file type has a read method. Without one (epoll, pidfd,
        ...) read and readv are EINVAL, even for zero bytes, before buffers are checked."""
        return type(self).read is not File.read

    @property
    def can_write(self) -> bool:
        """FMODE_CAN_WRITE, as can_read."""
        return type(self).write is not File.write

    @property
    def nonblocking(self) -> bool:
        return bool(self.flags & O_NONBLOCK)

    # -- reference counting ------------------------------------------------------------
    def get(self) -> "File":
        self.refs += 1
        return self

    def put(self) -> None:
        self.refs -= 1
        if self.refs == 0:
            last_close(self)
            self.release()

    def release(self) -> None:
        """The last reference went away."""

    # -- I/O -------------------------------------------------------------------------
    def read(self, task, size: int) -> bytes:
        raise EINVAL()

    def write(self, task, data: bytes) -> int:
        raise EINVAL()

    def pread(self, task, offset: int, size: int) -> bytes:
        raise ESPIPE() if not self.seekable else EINVAL()

    def pwrite(self, task, offset: int, data: bytes) -> int:
        raise ESPIPE() if not self.seekable else EINVAL()

    def seek(self, offset: int, whence: int) -> int:
        raise ESPIPE()

    def poll(self) -> int:
        """Current readiness (POLL* bits). Regular files are always ready."""
        return READABLE | WRITABLE

    def fsync(self) -> None:
        """fsync(2)/fdatasync(2): this file's data and metadata, then its file system's
        (block device files flush their disk instead)."""
        self.inode.sync()
        self.location.mount.fs.sync()

    def ioctl(self, task, cmd: int, arg: int):
        raise ENOTTY()

    def getdents(self, size: int, record=None) -> list:
        from kevlar.abi.errors import ENOTDIR
        raise ENOTDIR()

    def read_size_hint(self) -> int:
        """Bytes readable now, for FIONREAD."""
        raise ENOTTY()


def last_close(file: File) -> None:
    """What __fput does before f_op->release: fsnotify_close (IN_CLOSE_WRITE for a file
    opened for writing, else IN_CLOSE_NOWRITE; nothing for O_PATH) and eventpoll_release
    (the file leaves every epoll interest list)."""
    if file.location is not None and not file.flags & O_PATH:
        from kevlar.fs import notify
        notify.closed(None, file.location, file.writable)
    if getattr(file, "epitems", None):
        from kevlar.ipc.epoll import eventpoll_release
        eventpoll_release(file)
    inode = file.inode
    if inode is not None and getattr(inode, "file_locks", None) is not None:
        from kevlar.syscalls.locks import release_file
        release_file(file)  # locks_remove_file: OFD locks and the flock go


class RegularFile(File):
    """A file with data in an inode: tmpfs, ext2, binds, proc files."""

    def read(self, task, size: int) -> bytes:
        inode = self.inode
        data = inode.read(self.pos, size)
        self.pos += len(data)
        if size and not self.flags & O_NOATIME:
            inode.accessed()  # file_accessed() runs even at end of file
        return data

    def pread(self, task, offset: int, size: int) -> bytes:
        inode = self.inode
        data = inode.read(offset, size)
        if size and not self.flags & O_NOATIME:
            inode.accessed()
        return data

    def write(self, task, data: bytes) -> int:
        if self.flags & O_APPEND:
            self.pos = self.inode.size
        written = self.inode.write(self.pos, data)
        self.pos += written
        return written

    def pwrite(self, task, offset: int, data: bytes) -> int:
        # pwrite(2) BUGS: on Linux, O_APPEND makes pwrite append regardless of offset.
        if self.flags & O_APPEND:
            offset = self.inode.size
        return self.inode.write(offset, data)

    def seek(self, offset: int, whence: int) -> int:
        inode = self.inode
        if whence == SEEK_SET:
            new = offset
        elif whence == SEEK_CUR:
            new = self.pos + offset
        elif whence == SEEK_END:
            new = inode.size + offset
        elif whence in (SEEK_DATA, SEEK_HOLE):
            if offset < 0 or offset >= inode.size:
                raise ENXIO()
            new = inode.next_data(offset, hole=(whence == SEEK_HOLE))
        else:
            raise EINVAL()
        if new < 0 or new > MAX_OFFSET:
            raise EINVAL()
        self.pos = new
        return new

    def read_size_hint(self) -> int:
        return max(0, self.inode.size - self.pos)


class DirectoryFile(File):
    """An open directory: getdents64 walks the inode's stable cookie order."""

    def read(self, task, size: int) -> bytes:
        from kevlar.abi.errors import EISDIR
        raise EISDIR()

    def pread(self, task, offset: int, size: int) -> bytes:
        from kevlar.abi.errors import EISDIR
        raise EISDIR()

    def write(self, task, data: bytes) -> int:
        raise EBADF()

    def seek(self, offset: int, whence: int) -> int:
        if whence == SEEK_SET:
            new = offset
        elif whence == SEEK_CUR:
            new = self.pos + offset
        else:
            raise EINVAL()
        if new < 0:
            raise EINVAL()
        self.pos = new
        return new

    def getdents(self, size: int, record=None) -> list[bytes]:
        """Directory records after the current position that fit in size bytes, built
        by record(ino, off, name, dtype): linux_dirent64 unless getdents(2) passes
        `dirent`. The position is the cookie of the last entry returned (d_off of the
        next)."""
        record = record or dirent64
        records = []
        used = 0
        inode = self.inode
        for cookie, name, child in inode.entries():
            if cookie <= self.pos:
                continue
            dtype = DT_DIR if child is None else dtype_of(child.mode)
            ino = inode.ino if child is None else child.ino
            entry = record(ino, cookie, name, dtype)
            if used + len(entry) > size:
                if not records:
                    raise EINVAL()  # result buffer too small for one entry
                break
            records.append(entry)
            used += len(entry)
            self.pos = cookie
        inode.accessed()
        return records


def dirent64(ino: int, off: int, name: bytes, dtype: int) -> bytes:
    """struct linux_dirent64: the header with d_type, the name, NUL padding to 8."""
    reclen = (DIRENT64_HEADER.size + len(name) + 1 + 7) & ~7
    head = DIRENT64_HEADER.pack(ino, off, reclen, dtype)
    return head + name + bytes(reclen - DIRENT64_HEADER.size - len(name))


def dirent(ino: int, off: int, name: bytes, dtype: int) -> bytes:
    """The legacy struct linux_dirent (fs/readdir.c filldir): the name, a NUL, padding
    to 8 bytes and d_type as the record's last byte."""
    reclen = (DIRENT_HEADER.size + len(name) + 2 + 7) & ~7
    head = DIRENT_HEADER.pack(ino, off, reclen)
    return head + name + bytes(reclen - DIRENT_HEADER.size - len(name) - 1) + bytes((dtype,))
