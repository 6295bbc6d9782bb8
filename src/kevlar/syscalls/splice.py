"""Moving data between fds inside Kevlar: sendfile, splice, tee, copy_file_range.

fs/splice.c, fs/read_write.c. Kevlar's pipes are byte buffers, so "moving pages" is a
copy; the rules are Linux's:

- One pass, no looping for pipes: wait until the pipe side can make progress (data to
  read, room to write), move what fits, return the count. A pipe with no writer reads
  as 0 (end of file); a pipe with no reader is EPIPE plus SIGPIPE. SPLICE_F_NONBLOCK,
  or O_NONBLOCK on a pipe end, turns the wait into EAGAIN.
- A regular file written by sendfile or splice gets the whole count
  (do_splice_direct loops), never with O_APPEND (EINVAL).
- Offsets: a pointer means "use and update *off, leave the file position alone";
  NULL means the file position. A pointer for a pipe side is ESPIPE (splice) and a
  pointer for a file without pread is EINVAL.
- sendfile to one of the host fds (the terminal or the pipe kevlar-trace writes to)
  is handed to the host as write(2) of the bytes, so it blocks and is interrupted as
  natively; the input advances by what the host wrote.
"""

from kevlar.abi.constants import MAX_RW_COUNT, O_APPEND, O_NONBLOCK
from kevlar.abi.errors import EAGAIN, EBADF, EFAULT, EINVAL, EISDIR, EOVERFLOW, EPIPE, ESPIPE, EXDEV
from kevlar.abi.sysnums import SYSCALLS
from kevlar.fs import notify
from kevlar.fs.hostfile import HostFile
from kevlar.ipc.pipe import PipeEnd
from kevlar.ipc.waitq import POLLIN, POLLOUT
from kevlar.process.blocking import Block
from kevlar.syscalls.args import Fd, Int, Ptr, Size, UInt
from kevlar.syscalls.common import LONG, rewrite_args

SPLICE_F_MOVE = 1
SPLICE_F_NONBLOCK = 2
SPLICE_F_MORE = 4
SPLICE_F_GIFT = 8
SPLICE_F_ALL = SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT
MAX_LFS = (1 << 63) - 1
SIGPIPE = 13


def _pipe(file):
    """get_pipe_info(): the pipe behind a pipe or FIFO end, else None."""
    return file.pipe if isinstance(file, PipeEnd) else None


def _fmode_read(file) -> bool:
    return isinstance(file, HostFile) or file.readable


def _fmode_write(file) -> bool:
    return isinstance(file, HostFile) or file.writable


def _verify(pos: int, count: int) -> None:
    """rw_verify_area() for a regular file."""
    if count >= 1 << 63:
        raise EINVAL()
    if pos < 0 or pos + count > MAX_LFS:
        raise EINVAL()


def _get_off(task, ptr: int) -> int:
    return LONG.unpack(task.read(ptr, 8))[0]


def _put_off(task, ptr: int, value: int) -> None:
    task.write(ptr, LONG.pack(value))


def _read_at(task, file, pos: int | None, count: int) -> bytes:
    """Read from the input side at pos (None: a stream without positions)."""
    if pos is None:
        try:
            return file.read(task, count)
        except EAGAIN:
            return b""
    return file.pread(task, pos, count)


def _wait_data(task, pipe, nonblock: bool) -> bool:
    """ipipe_prep / splice_from_pipe_next: True when there is data, False at end of file
    (no writer); EAGAIN or a park otherwise."""
    if pipe.buf:
        return True
    if pipe.writers == 0:
        return False
    if nonblock:
        raise EAGAIN()
    raise Block([(pipe.waitq, POLLIN)])


def _wait_room(task, pipe, nonblock: bool) -> int:
    """opipe_prep / wait_for_space: the room in the pipe; EPIPE (and SIGPIPE) without a
    reader, EAGAIN or a park when full."""
    if pipe.readers == 0:
        task.kernel.signal_thread(task, SIGPIPE)
        raise EPIPE()
    room = pipe.space()
    if room:
        return room
    if nonblock:
        raise EAGAIN()
    raise Block([(pipe.waitq, POLLOUT)])


def _into_pipe(task, pipe, data: bytes) -> int:
    pipe.buf += data
    pipe.waitq.notify(POLLIN)
    return len(data)


def _take(pipe, count: int) -> bytes:
    data = bytes(pipe.buf[:count])
    del pipe.buf[:count]
    pipe.waitq.notify(POLLOUT)
    return data


def _write_file(task, file, pos: int | None, data: bytes) -> int:
    """Write all of data to a non-pipe output (do_splice_direct's loop)."""
    if pos is None:
        quota = getattr(file, "write_quota", None)
        if quota is not None and quota(len(data)) == 0:
            raise EAGAIN()
        return file.write(task, data)
    return file.pwrite(task, pos, data)


# -- sendfile -------------------------------------------------------------------------------------
def sys_sendfile(task, out_fd: Fd, in_fd: Fd, offset: Ptr, count: Size) -> int:
    """sendfile(2) (fs/read_write.c do_sendfile)."""
    fds = task.process.fds
    inp = fds.get(in_fd)
    if not _fmode_read(inp):
        raise EBADF()
    if offset:
        pos = _get_off(task, offset)
        if not inp.seekable or isinstance(inp, HostFile):
            raise ESPIPE()
    else:
        pos = None if not inp.seekable else inp.pos
    if pos is not None:
        if count >= 1 << 63 or pos < 0:
            raise EINVAL()
    count = min(count, MAX_RW_COUNT)
    out = fds.get(out_fd)
    if not _fmode_write(out):
        raise EBADF()
    if isinstance(inp, HostFile) or _pipe(inp) is not None or inp.location is None:
        raise EINVAL()  # no splice_read: pipes, sockets, the host's fds
    if pos is not None and pos + count > MAX_LFS:
        if pos >= MAX_LFS:
            raise EOVERFLOW()
        count = MAX_LFS - pos
    nonblock = bool(inp.flags & O_NONBLOCK)
    opipe = _pipe(out)
    if isinstance(out, HostFile):
        return _sendfile_to_host(task, inp, out, offset, pos, count)
    if opipe is not None:
        nonblock = nonblock or bool(out.flags & O_NONBLOCK)
        room = _wait_room(task, opipe, nonblock)
        data = _read_at(task, inp, pos, min(count, room))
        done = _into_pipe(task, opipe, data)
    else:
        if out.flags & O_APPEND:
            raise EINVAL()
        if out.seekable:
            _verify(out.pos, count)
        data = _read_at(task, inp, pos, count)
        done = _write_file(task, out, None, data) if data else 0
        if done and out.location is not None:
            notify.modified(task, out.location)
    _advance(task, inp, offset, pos, done)
    return done


def _advance(task, inp, offset: int, pos: int | None, done: int) -> None:
    if pos is None:
        return
    if offset:
        _put_off(task, offset, pos + done)
    else:
        inp.pos = pos + done


def _sendfile_to_host(task, inp, out, offset: int, pos: int | None, count: int) -> int:
    """The host writes the bytes: sendfile becomes write(host_fd, scratch, n)."""
    from kevlar.platform.inject import scratch_write
    from kevlar.platform.ptrace import ORIG_RAX
    data = _read_at(task, inp, pos, min(count, 1 << 16))
    if not data:
        return 0
    buf = scratch_write(task, data)

    def advance(thread, result: int) -> int:
        if result > 0:
            try:
                _advance(thread, inp, offset, pos, result)
            except EFAULT:
                return -EFAULT.errno
        return result

    task.kernel.engine.regs[ORIG_RAX] = SYSCALLS["write"]
    return rewrite_args(task, {0: out.host_fd, 1: buf, 2: len(data)}, advance)


# -- splice and tee ---------------------------------------------------------------------------------
def sys_splice(task, fd_in: Fd, off_in: Ptr, fd_out: Fd, off_out: Ptr, length: Size, flags: UInt) -> int:
    """splice(2) (fs/splice.c __do_splice, do_splice)."""
    if length == 0:
        return 0
    if flags & ~SPLICE_F_ALL:
        raise EINVAL()
    fds = task.process.fds
    inp = fds.get(fd_in)
    out = fds.get(fd_out)
    ipipe, opipe = _pipe(inp), _pipe(out)
    if (ipipe is not None and off_in) or (opipe is not None and off_out):
        raise ESPIPE()
    pos_out = _get_off(task, off_out) if off_out else None
    pos_in = _get_off(task, off_in) if off_in else None
    if not _fmode_read(inp) or not _fmode_write(out):
        raise EBADF()
    nonblock = bool(flags & SPLICE_F_NONBLOCK)
    length = min(length, MAX_RW_COUNT)
    if ipipe is not None and opipe is not None:
        if ipipe is opipe:
            raise EINVAL()
        nonblock = nonblock or bool((inp.flags | out.flags) & O_NONBLOCK)
        if not _wait_data(task, ipipe, nonblock):
            return 0
        room = _wait_room(task, opipe, nonblock)
        return _into_pipe(task, opipe, _take(ipipe, min(length, room)))
    if ipipe is not None:
        if isinstance(out, HostFile):
            raise EINVAL()
        if off_out and not out.seekable:
            raise EINVAL()
        if out.flags & O_APPEND:
            raise EINVAL()
        pos = pos_out if off_out else (out.pos if out.seekable else None)
        if pos is not None:
            _verify(pos, length)
        nonblock = nonblock or bool(inp.flags & O_NONBLOCK)
        if not _wait_data(task, ipipe, nonblock):
            return 0
        data = bytes(ipipe.buf[:length])
        done = _write_file(task, out, pos, data)
        _take(ipipe, done)
        if out.location is not None:
            notify.modified(task, out.location)
        if pos is not None:
            if off_out:
                _put_off(task, off_out, pos + done)
            else:
                out.pos = pos + done
        return done
    if opipe is not None:
        if isinstance(inp, HostFile) or inp.location is None:
            raise EINVAL()
        if off_in and not inp.seekable:
            raise EINVAL()
        pos = pos_in if off_in else (inp.pos if inp.seekable else None)
        if pos is not None:
            _verify(pos, length)
        nonblock = nonblock or bool(out.flags & O_NONBLOCK)
        room = _wait_room(task, opipe, nonblock)
        data = _read_at(task, inp, pos, min(length, room))
        done = _into_pipe(task, opipe, data) if data else 0
        if pos is not None:
            if off_in:
                _put_off(task, off_in, pos + done)
            else:
                inp.pos = pos + done
        return done
    raise EINVAL()


def sys_tee(task, fd_in: Fd, fd_out: Fd, length: Size, flags: UInt) -> int:
    """tee(2): duplicate up to length bytes of one pipe into another, consuming none."""
    if flags & ~SPLICE_F_ALL:
        raise EINVAL()
    if length == 0:
        return 0
    fds = task.process.fds
    inp = fds.get(fd_in)
    out = fds.get(fd_out)
    ipipe, opipe = _pipe(inp), _pipe(out)
    if not _fmode_read(inp) or not _fmode_write(out):
        raise EBADF()
    if ipipe is None or opipe is None or ipipe is opipe:
        raise EINVAL()
    nonblock = bool(flags & SPLICE_F_NONBLOCK) or bool((inp.flags | out.flags) & O_NONBLOCK)
    if not _wait_data(task, ipipe, nonblock):
        return 0
    room = _wait_room(task, opipe, nonblock)
    return _into_pipe(task, opipe, bytes(ipipe.buf[:min(length, room)]))


# -- copy_file_range ----------------------------------------------------------------------------------
def sys_copy_file_range(task, fd_in: Fd, off_in: Ptr, fd_out: Fd, off_out: Ptr, length: Size,
                        flags: UInt) -> int:
    """copy_file_range(2) (fs/read_write.c vfs_copy_file_range, generic_copy_file_checks)."""
    fds = task.process.fds
    inp = fds.get(fd_in)
    out = fds.get(fd_out)
    pos_in = _get_off(task, off_in) if off_in else inp.pos
    pos_out = _get_off(task, off_out) if off_out else out.pos
    if flags:
        raise EINVAL()
    in_inode, out_inode = inp.inode, out.inode
    if in_inode is None or out_inode is None or isinstance(inp, HostFile) or isinstance(out, HostFile):
        raise EINVAL()
    if in_inode.is_dir() or out_inode.is_dir():
        raise EISDIR()
    if not in_inode.is_reg() or not out_inode.is_reg():
        raise EINVAL()
    if not inp.readable or not out.writable or out.flags & O_APPEND:
        raise EBADF()
    mask = (1 << 64) - 1  # the wrap check is done on unsigned offsets
    if (pos_in & mask) + length > mask or (pos_out & mask) + length > mask:
        raise EOVERFLOW()
    size_in = in_inode.size
    count = 0 if pos_in >= size_in else min(length, size_in - pos_in)
    if in_inode is out_inode and pos_out + count > pos_in and pos_out < pos_in + count:
        raise EINVAL()
    _verify(pos_in, count)
    _verify(pos_out, count)
    if in_inode.fs is not out_inode.fs:
        raise EXDEV()  # no copy_file_range method across superblocks (checked before len 0)
    if count == 0:
        return 0
    count = min(count, MAX_RW_COUNT)
    data = in_inode.read(pos_in, count)
    done = out_inode.write(pos_out, data) if data else 0
    in_inode.accessed()
    if done and out.location is not None:
        notify.modified(task, out.location)
    if off_in:
        _put_off(task, off_in, pos_in + done)
    else:
        inp.pos = pos_in + done
    if off_out:
        _put_off(task, off_out, pos_out + done)
    else:
        out.pos = pos_out + done
    return done


__all__ = ["sys_sendfile", "sys_splice", "sys_tee", "sys_copy_file_range", "Int"]
