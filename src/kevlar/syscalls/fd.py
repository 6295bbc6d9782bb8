"""Syscalls on file descriptors: read/write and friends, close, dup, fcntl, ioctl, pipe.

fs/read_write.c, fs/fcntl.c, fs/file.c, fs/ioctl.c, fs/pipe.c. Handlers take decoded
arguments and raise Linux errors; blocking goes through Block (see process/blocking.py).
"""

import struct

from kevlar.abi.constants import (
    F_DUPFD,
    F_DUPFD_CLOEXEC,
    F_GETFD,
    F_GETFL,
    F_GETOWN,
    F_GETPIPE_SZ,
    F_GETSIG,
    F_SETFD,
    F_SETFL,
    F_SETOWN,
    F_SETPIPE_SZ,
    F_SETSIG,
    FD_CLOEXEC,
    FIOCLEX,
    FIONBIO,
    FIONCLEX,
    FIONREAD,
    IOV_MAX,
    MAX_RW_COUNT,
    O_APPEND,
    O_ASYNC,
    O_CLOEXEC,
    O_DIRECT,
    O_NOATIME,
    O_NONBLOCK,
    O_PATH,
    PAGE_SIZE,
    S_IFDIR,
    S_IFIFO,
    S_IFLNK,
    S_IFREG,
    SEEK_HOLE,
    TIOCGPGRP,
    TIOCGSID,
    TIOCSPGRP,
)
from kevlar.abi.errors import EAGAIN, EBADF, EFAULT, EINVAL, ENOTTY, EOPNOTSUPP, EPERM, EPIPE, ESPIPE, ESRCH
from kevlar.abi.structs import IOVEC
from kevlar.fs import iflags, notify
from kevlar.fs.file import RegularFile
from kevlar.fs.hostfile import HostFile
from kevlar.ipc.pipe import PipeEnd, make_pipe
from kevlar.ipc.waitq import POLLOUT
from kevlar.platform.inject import scratch_write
from kevlar.process.blocking import Block
from kevlar.syscalls.args import Fd, Int, Long, Ptr, Size, UInt
from kevlar.syscalls.common import (
    INT,
    access_ok,
    get_int,
    host_passthrough,
    install_fd,
    nofile_limit,
    put_int,
    rewrite_args,
    wait_readable,
)

RWF_SUPPORTED = 0x1F  # RWF_HIPRI | DSYNC | SYNC | NOWAIT | APPEND


def _readable(task, fd: int):
    """vfs_read's checks: FMODE_READ (EBADF), then FMODE_CAN_READ (EINVAL)."""
    file = task.process.fds.get(fd)
    if not isinstance(file, HostFile):
        if not file.readable:
            raise EBADF()
        if not file.can_read:
            raise EINVAL()
    return file


def _writable(task, fd: int):
    """vfs_write's checks: FMODE_WRITE (EBADF), then FMODE_CAN_WRITE (EINVAL)."""
    file = task.process.fds.get(fd)
    if not isinstance(file, HostFile):
        if not file.writable:
            raise EBADF()
        if not file.can_write:
            raise EINVAL()
    return file


def _pages(addr: int, size: int):
    """(address, length) chunks of [addr, addr + size) that do not cross a page."""
    end = addr + size
    while addr < end:
        n = min(PAGE_SIZE - addr % PAGE_SIZE, end - addr)
        yield addr, n
        addr += n


def _copy_out(task, file, buf: int, data: bytes) -> int:
    """copy_to_user of a read: how many bytes of data reached buf. All or nothing, but
    a regular file's read (filemap_read, shmem_file_read_iter) stops at the first
    unwritable page and keeps what it copied."""
    try:
        task.write(buf, data)
        return len(data)
    except EFAULT:
        if not isinstance(file, RegularFile):
            return 0
    done = 0
    for addr, n in _pages(buf, len(data)):
        try:
            task.write(addr, data[done:done + n])
        except EFAULT:
            break
        done += n
    return done


def _copy_in(task, file, vecs) -> bytes:
    """copy_from_user of a write's buffers: all or EFAULT, but a regular file's write
    (generic_perform_write) takes the bytes up to the first unreadable page and is
    EFAULT only when there are none."""
    if not isinstance(file, RegularFile):
        return b"".join(task.read(base, length) for base, length in vecs)
    out = bytearray()
    for base, length in vecs:
        try:
            out += task.read(base, length)
            continue
        except EFAULT:
            pass
        for addr, n in _pages(base, length):
            try:
                out += task.read(addr, n)
            except EFAULT:
                break
        if not out:
            raise EFAULT()
        break
    return bytes(out)


def _read_into(task, file, buf: int, count: int, offset: int | None = None) -> int:
    """Read up to count bytes from file into guest memory at buf (blocking if needed)."""
    access_ok(buf, count)
    count = min(count, MAX_RW_COUNT)
    if count == 0 and isinstance(file, PipeEnd):
        return 0  # pipe_read: a null read succeeds, empty pipe or not
    try:
        data = file.read(task, count) if offset is None else file.pread(task, offset, count)
    except EAGAIN:
        wait_readable(task, file)
    if data:
        copied = _copy_out(task, file, buf, data)
        if copied < len(data):
            if offset is None and hasattr(file, "unread"):
                file.unread(data[copied:])
            elif offset is None:
                file.pos -= len(data) - copied
            if not copied:
                raise EFAULT()
            data = data[:copied]
        if file.location is not None:
            notify.accessed(task, file.location)  # vfs_read: fsnotify_access when ret > 0
    return len(data)


def _written(task, file, n: int) -> int:
    """vfs_write's fsnotify_modify when data was written."""
    if n > 0 and file.location is not None:
        notify.modified(task, file.location)
    return n


def _write_from(task, file, buf: int, count: int, offset: int | None = None) -> int:
    """Write count bytes from guest memory at buf. Streams with limited room (pipes,
    sockets) take what fits and park for the rest, keeping progress across restarts."""
    access_ok(buf, count)
    count = min(count, MAX_RW_COUNT)
    if count == 0 and isinstance(file, PipeEnd):
        return 0  # pipe_write: nothing to do, not even EPIPE
    if getattr(file, "write_quota", None) is None or offset is not None:
        data = _copy_in(task, file, [(buf, count)])
        return file.write(task, data) if offset is None else file.pwrite(task, offset, data)
    if isinstance(file, PipeEnd):
        return _stream_write(task, file, count, lambda done, n: _pipe_fetch(task, buf + done, n))
    return _stream_write(task, file, count, lambda done, n: task.read(buf + done, n))


def _pipe_fetch(task, addr: int, n: int) -> bytes:
    """pipe_write copies the source a page (4096 bytes) at a time and drops the page whose
    copy faults: the whole pages before the first fault (short when the source faults)."""
    try:
        return task.read(addr, n)
    except EFAULT:
        pass
    out = bytearray()
    while len(out) < n:
        try:
            out += task.read(addr + len(out), min(PAGE_SIZE, n - len(out)))
        except EFAULT:
            break
    return bytes(out)


def _stream_write(task, file, count: int, fetch) -> int:
    """Write count bytes to a stream with limited room (pipe_write's loop): take what
    fits, park for the rest keeping the progress across the restart, return a partial
    count rather than EPIPE/EAGAIN/EFAULT once something was written. fetch(done, n)
    gives the next n bytes of the source, fewer when the rest faults."""
    state = task.kernel.restart_state(task, task.syscall_args)
    done = state.state if state is not None and state.state else 0
    while done < count:
        n = file.write_quota(count - done)
        if n == 0:
            if file.nonblocking:
                if done:
                    return done
                raise EAGAIN()
            raise Block([(file.waitq, POLLOUT)], partial=done or None, state=done)
        data = fetch(done, n)
        if not data:
            if done:
                return done
            raise EFAULT()
        try:
            done += file.write(task, data)
        except EPIPE:
            task.kernel.signal_thread(task, 13)  # SIGPIPE, thread-directed (send_sig)
            if done:
                return done
            raise
        if len(data) < n:
            return done  # the source faulted after these bytes
    return done


def sys_read(task, fd: Fd, buf: Ptr, count: Size) -> int:
    """read(2)."""
    file = _readable(task, fd)
    if isinstance(file, HostFile):
        return host_passthrough(task, file, 0, fd)
    read_iter = getattr(file, "read_iter", None)
    if read_iter is not None:  # sockets: one recvmsg (net/socket.c sock_read_iter)
        access_ok(buf, count)
        return read_iter(task, [(buf, min(count, MAX_RW_COUNT))])
    return _read_into(task, file, buf, count)


def sys_write(task, fd: Fd, buf: Ptr, count: Size) -> int:
    """write(2)."""
    file = _writable(task, fd)
    if isinstance(file, HostFile):
        return host_passthrough(task, file, 0, fd)
    write_iter = getattr(file, "write_iter", None)
    if write_iter is not None:  # sockets: one sendmsg (sock_write_iter)
        access_ok(buf, count)
        return write_iter(task, [(buf, min(count, MAX_RW_COUNT))])
    task.syscall_args = (fd, buf, count)
    return _written(task, file, _write_from(task, file, buf, count))


def _positional_file(task, fd: int, write: bool):
    """The file of a positioned read or write: ksys_pread64 answers ESPIPE for a file
    without FMODE_PREAD/PWRITE (pipes, sockets) before vfs_read looks at the access
    mode (EBADF)."""
    file = task.process.fds.get(fd)
    if isinstance(file, HostFile):
        return file
    if not file.seekable:
        raise ESPIPE()
    if not (file.writable if write else file.readable):
        raise EBADF()
    if not (file.can_write if write else file.can_read):
        raise EINVAL()
    return file


def sys_pread64(task, fd: Fd, buf: Ptr, count: Size, offset: Long) -> int:
    """pread64(2): a negative offset is EINVAL before the fd is looked at."""
    if offset < 0:
        raise EINVAL()
    file = _positional_file(task, fd, write=False)
    if isinstance(file, HostFile):
        return host_passthrough(task, file, 0, fd)
    return _read_into(task, file, buf, count, offset)


def sys_pwrite64(task, fd: Fd, buf: Ptr, count: Size, offset: Long) -> int:
    """pwrite64(2): a negative offset is EINVAL before the fd is looked at."""
    if offset < 0:
        raise EINVAL()
    file = _positional_file(task, fd, write=True)
    if isinstance(file, HostFile):
        return host_passthrough(task, file, 0, fd)
    return _written(task, file, _write_from(task, file, buf, count, offset))


def read_iovecs(task, iov: int, iovcnt: int) -> list[tuple[int, int]]:
    """The (base, len) pairs of an iovec array, checked as lib/iov_iter.c does: every
    length first (negative as ssize_t: EINVAL, while copying the array), then every
    range (access_ok: EFAULT); the total is cut to MAX_RW_COUNT, not refused."""
    if iovcnt < 0 or iovcnt > IOV_MAX:
        raise EINVAL()
    if iovcnt == 0:
        return []
    raw = task.read(iov, IOVEC.size * iovcnt)
    vecs = [IOVEC.struct.unpack_from(raw, i * IOVEC.size) for i in range(iovcnt)]
    if any(length > 0x7FFFFFFFFFFFFFFF for _, length in vecs):
        raise EINVAL()
    out = []
    total = 0
    for base, length in vecs:
        access_ok(base, length)
        length = min(length, MAX_RW_COUNT - total)
        total += length
        out.append((base, length))
    return out


def _readv(task, file, vecs, offset: int | None) -> int:
    total = 0
    for base, length in vecs:
        if length == 0:
            continue
        try:
            n = _read_into(task, file, base, length, None if offset is None else offset + total)
        except EFAULT:
            if total and isinstance(file, RegularFile):
                break  # filemap_read: a fault after some bytes is a short read
            raise
        total += n
        if n < length:
            break
        if total >= MAX_RW_COUNT:
            break
    return total


def _writev(task, file, vecs, offset: int | None) -> int:
    data = _copy_in(task, file, [(base, length) for base, length in vecs if length])
    if not data:
        return 0
    if getattr(file, "write_quota", None) is not None and offset is None:
        # Streams: one write of the gathered bytes keeps atomicity and progress rules.
        return _stream_write(task, file, len(data), lambda done, n: data[done:done + n])
    return file.write(task, data) if offset is None else file.pwrite(task, offset, data)


def _vector_read(task, file, vecs, pos: int | None) -> int:
    """readv and preadv2 once the fd is known: pos None is the file position."""
    if pos is None and getattr(file, "read_iter", None) is not None:
        return file.read_iter(task, vecs)  # sockets: one receive for all buffers
    return _readv(task, file, vecs, pos)


def _vector_write(task, file, vecs, pos: int | None) -> int:
    """writev and pwritev2 once the fd is known: pos None is the file position."""
    if pos is None and getattr(file, "write_iter", None) is not None:
        # sockets: one send for all buffers
        return file.write_iter(task, vecs) if any(n for _, n in vecs) else 0
    return _written(task, file, _writev(task, file, vecs, pos))


def sys_readv(task, fd: Fd, iov: Ptr, iovcnt: Int) -> int:
    """readv(2)."""
    file = _readable(task, fd)
    if isinstance(file, HostFile):
        return host_passthrough(task, file, 0, fd)
    return _vector_read(task, file, read_iovecs(task, iov, iovcnt), None)


def sys_writev(task, fd: Fd, iov: Ptr, iovcnt: Int) -> int:
    """writev(2)."""
    file = _writable(task, fd)
    if isinstance(file, HostFile):
        return host_passthrough(task, file, 0, fd)
    task.syscall_args = (fd, iov, iovcnt)
    return _vector_write(task, file, read_iovecs(task, iov, iovcnt), None)


def sys_preadv(task, fd: Fd, iov: Ptr, iovcnt: Int, pos_l: Long, pos_h: Long) -> int:
    """preadv(2): on x86_64 the offset is pos_l alone; negative is EINVAL, first."""
    if pos_l < 0:
        raise EINVAL()
    return sys_preadv2(task, fd, iov, iovcnt, pos_l, pos_h, 0)


def sys_pwritev(task, fd: Fd, iov: Ptr, iovcnt: Int, pos_l: Long, pos_h: Long) -> int:
    """pwritev(2)."""
    if pos_l < 0:
        raise EINVAL()
    return sys_pwritev2(task, fd, iov, iovcnt, pos_l, pos_h, 0)


def _vector_file(task, fd: int, pos: int, flags: int, write: bool):
    """The checks preadv2 and pwritev2 share, in Linux's order (offset -1 is the file
    position: no ESPIPE then)."""
    if pos < -1:
        raise EINVAL()
    if pos == -1:
        file = (_writable if write else _readable)(task, fd)
    else:
        file = _positional_file(task, fd, write)
    if flags & ~RWF_SUPPORTED:
        raise EOPNOTSUPP()
    return file


def sys_preadv2(task, fd: Fd, iov: Ptr, iovcnt: Int, pos_l: Long, pos_h: Long, flags: Int = 0) -> int:
    """preadv2(2): offset -1 means the file position; below that EINVAL, first."""
    file = _vector_file(task, fd, pos_l, flags, write=False)
    if isinstance(file, HostFile):
        return host_passthrough(task, file, 0, fd)
    return _vector_read(task, file, read_iovecs(task, iov, iovcnt), None if pos_l == -1 else pos_l)


def sys_pwritev2(task, fd: Fd, iov: Ptr, iovcnt: Int, pos_l: Long, pos_h: Long, flags: Int = 0) -> int:
    """pwritev2(2): offset -1 means the file position; below that EINVAL, first."""
    file = _vector_file(task, fd, pos_l, flags, write=True)
    if isinstance(file, HostFile):
        return host_passthrough(task, file, 0, fd)
    vecs = read_iovecs(task, iov, iovcnt)
    task.syscall_args = (fd, iov, iovcnt, pos_l)
    return _vector_write(task, file, vecs, None if pos_l == -1 else pos_l)


def sys_lseek(task, fd: Fd, offset: Long, whence: UInt) -> int:
    """lseek(2): ESPIPE on pipes and sockets, EINVAL for bad whence or a negative result."""
    file = task.process.fds.get(fd)
    if isinstance(file, HostFile):
        return host_passthrough(task, file, 0, fd)
    if whence > SEEK_HOLE:
        raise EINVAL()
    if not file.seekable:
        raise ESPIPE()
    return file.seek(offset, whence)


def sys_close(task, fd: Fd) -> int:
    """close(2). A HostFile's host fd stays open in the guest (Kevlar's table rules)."""
    task.process.fds.close(fd)
    return 0


CLOSE_RANGE_UNSHARE = 2
CLOSE_RANGE_CLOEXEC = 4


def sys_close_range(task, first: UInt, last: UInt, flags: UInt) -> int:
    """close_range(2)."""
    if flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) or first > last:
        raise EINVAL()
    proc = task.process
    if flags & CLOSE_RANGE_UNSHARE and proc.fds.users > 1:
        proc.fds.users -= 1
        proc.fds = proc.fds.copy()
    fds = proc.fds
    for fd in sorted(f for f in fds.files if first <= f <= last):
        if flags & CLOSE_RANGE_CLOEXEC:
            fds.cloexec.add(fd)
        else:
            fds.close(fd)
    return 0


def sys_dup(task, fd: Fd) -> int:
    """dup(2)."""
    file = task.process.fds.get_raw(fd)
    return install_fd(task, file)


def sys_dup2(task, oldfd: Fd, newfd: Fd) -> int:
    """dup2(2): oldfd == newfd returns newfd once oldfd is known valid."""
    file = task.process.fds.get_raw(oldfd)
    if oldfd == newfd:
        return newfd
    return _dup_to(task, file, newfd, False)


def sys_dup3(task, oldfd: Fd, newfd: Fd, flags: Int) -> int:
    """dup3(2): EINVAL for equal fds or flags other than O_CLOEXEC."""
    if flags & ~O_CLOEXEC:
        raise EINVAL()
    if oldfd == newfd:
        raise EINVAL()
    file = task.process.fds.get_raw(oldfd)
    return _dup_to(task, file, newfd, bool(flags & O_CLOEXEC))


def _dup_to(task, file, newfd: int, cloexec: bool) -> int:
    if newfd < 0 or newfd >= nofile_limit(task):
        raise EBADF()
    task.process.fds.install_at(newfd, file, cloexec)
    return newfd


def sys_fcntl(task, fd: Fd, cmd: Int, arg: Size) -> int:
    """fcntl(2). On an O_PATH file only F_DUPFD*, F_GETFD, F_SETFD and F_GETFL work
    (fs/fcntl.c check_fcntl_cmd); the rest is EBADF."""
    fds = task.process.fds
    file = fds.get_raw(fd)
    if file.flags & O_PATH and cmd not in (F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL):
        raise EBADF()
    if cmd in (F_DUPFD, F_DUPFD_CLOEXEC):
        minimum = arg & 0xFFFFFFFF
        if minimum >= nofile_limit(task) or minimum & 0x80000000:
            raise EINVAL()
        return install_fd(task, file, cmd == F_DUPFD_CLOEXEC, minimum)
    if cmd == F_GETFD:
        return FD_CLOEXEC if fd in fds.cloexec else 0
    if cmd == F_SETFD:
        fds.set_cloexec(fd, bool(arg & FD_CLOEXEC))
        return 0
    if isinstance(file, HostFile) and cmd in (F_GETFL, F_SETFL):
        return host_passthrough(task, file, 0, fd)
    if cmd == F_GETFL:
        return file.flags & ~O_CLOEXEC
    if cmd == F_SETFL:
        return _setfl(task, file, arg & 0xFFFFFFFF)
    if cmd == F_GETPIPE_SZ or cmd == F_SETPIPE_SZ:
        if not isinstance(file, PipeEnd):
            raise EBADF()
        if cmd == F_GETPIPE_SZ:
            return file.pipe.capacity
        return file.pipe.set_capacity(arg & 0xFFFFFFFF, task.creds.is_root)
    if cmd == F_SETOWN:
        file.owner = arg & 0xFFFFFFFF
        return 0
    if cmd == F_GETOWN:
        return getattr(file, "owner", 0)
    if cmd == F_SETSIG:
        if arg > 64:
            raise EINVAL()
        file.owner_sig = arg
        return 0
    if cmd == F_GETSIG:
        return getattr(file, "owner_sig", 0)
    from kevlar.syscalls import locks
    handler = locks.FCNTL_COMMANDS.get(cmd)
    if handler is None:
        raise EINVAL()
    return handler(task, fd, file, arg)


# fs/fcntl.c SETFL_MASK (O_ASYNC is the file's fasync method's to set)
SETFL_KEEP = O_APPEND | O_NONBLOCK | O_DIRECT | O_NOATIME


def has_fasync(file) -> bool:
    """Does the file have a fasync method (SIGIO delivery): pipes, sockets, ttys..."""
    return isinstance(file, PipeEnd) or bool(getattr(file, "fasync", False))


def can_odirect(file) -> bool:
    """FMODE_CAN_ODIRECT: regular files of file systems with direct I/O (tmpfs, binds)."""
    inode = file.inode
    return (inode is not None and inode.is_reg() and file.location is not None
            and bool(getattr(inode.fs, "direct_io", False)))


def _setfl(task, file, arg: int) -> int:
    """setfl(): O_NOATIME only for the owner (EPERM), O_DIRECT where the file can do it
    (EINVAL; pipes and FIFOs always can), O_ASYNC only through a fasync method."""
    from kevlar.fs.vfs import check_owner
    inode = file.inode
    if (arg ^ file.flags) & O_APPEND and inode is not None and iflags.append_only(inode):
        raise EPERM()  # an append-only file's O_APPEND stays
    if arg & O_NOATIME and not file.flags & O_NOATIME and inode is not None:
        check_owner(task.creds, inode)
    if arg & O_DIRECT and not (inode is not None and inode.type == S_IFIFO) and not can_odirect(file):
        raise EINVAL()
    flags = (file.flags & ~SETFL_KEEP) | (arg & SETFL_KEEP)
    if has_fasync(file):
        flags = (flags & ~O_ASYNC) | (arg & O_ASYNC)
    file.flags = flags
    return 0


FIGETBSZ = 2
FIOASYNC = 0x5452
FIOQSIZE = 0x5460


def sys_ioctl(task, fd: Fd, cmd: UInt, arg: Ptr) -> int:
    """ioctl(2): generic requests here, terminal requests on the host terminal (with
    process group ids translated), the rest to the file (ENOTTY by default)."""
    fds = task.process.fds
    file = fds.get(fd)
    if cmd == FIOCLEX or cmd == FIONCLEX:
        fds.set_cloexec(fd, cmd == FIOCLEX)
        return 0
    if isinstance(file, HostFile):
        return _host_ioctl(task, file, fd, cmd, arg)
    if cmd == FIONBIO:
        on = get_int(task, arg)
        file.flags = file.flags | O_NONBLOCK if on else file.flags & ~O_NONBLOCK
        return 0
    if cmd == FIONREAD:
        inode = file.inode
        if isinstance(file, PipeEnd) or inode is None or inode.is_reg():
            put_int(task, arg, file.read_size_hint())
            return 0
    elif cmd == FIOASYNC:
        on = O_ASYNC if get_int(task, arg) else 0
        if (on ^ file.flags) & O_ASYNC:
            if not has_fasync(file):
                raise ENOTTY()
            file.flags = (file.flags & ~O_ASYNC) | on
        return 0
    elif cmd == FIGETBSZ and file.inode is not None:
        put_int(task, arg, getattr(file.inode.fs, "block_size", 4096))
        return 0
    elif cmd in iflags.IOCTLS and file.inode is not None:
        return iflags.ioctl(task, file, cmd, arg)
    elif cmd == FIOQSIZE and file.inode is not None and file.inode.type in (S_IFREG, S_IFDIR, S_IFLNK):
        task.write(arg, struct.pack("<q", file.inode.blocks * 512))
        return 0
    return file.ioctl(task, cmd, arg)


def _host_ioctl(task, file, fd: int, cmd: int, arg: int) -> int:
    kernel = task.kernel
    if cmd == TIOCSPGRP:
        vpgid = get_int(task, arg)
        if vpgid < 0:
            raise EINVAL()
        host_pgid = kernel.host_pgid(vpgid)
        if host_pgid is None:
            raise ESRCH()  # drivers/tty/tty_jobctl.c tiocspgrp: no such group
        scratch = scratch_write(task, INT.pack(host_pgid))
        return rewrite_args(task, {0: file.host_fd, 2: scratch})
    if cmd in (TIOCGPGRP, TIOCGSID):
        def translate(thread, result: int) -> int:
            if result == 0:
                host = get_int(thread, arg)
                put_int(thread, arg, kernel.vpgid_of_host(host))
            return result
        return host_passthrough(task, file, 0, None, at_exit=translate)
    return host_passthrough(task, file, 0, fd)


PIPE_FLAGS = O_CLOEXEC | O_NONBLOCK | O_DIRECT


def sys_pipe2(task, fds_ptr: Ptr, flags: Int) -> int:
    """pipe2(2): on a bad pointer the fds are removed again (no leak)."""
    if flags & ~PIPE_FLAGS:
        raise EINVAL()
    reader, writer = make_pipe(flags & (O_NONBLOCK | O_DIRECT))
    cloexec = bool(flags & O_CLOEXEC)
    table = task.process.fds
    rfd = install_fd(task, reader, cloexec)
    try:
        wfd = install_fd(task, writer, cloexec)
    except Exception:
        table.close(rfd)
        raise
    try:
        task.write(fds_ptr, INT.pack(rfd) + INT.pack(wfd))
    except EFAULT:
        table.close(rfd)
        table.close(wfd)
        raise
    return 0


def sys_pipe(task, fds_ptr: Ptr) -> int:
    """pipe(2)."""
    return sys_pipe2(task, fds_ptr, 0)
