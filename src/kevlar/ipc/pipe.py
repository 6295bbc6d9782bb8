"""Pipes and FIFOs (fs/pipe.c semantics).

A Pipe is a byte buffer with reader and writer counts; its two ends are open files.
Reads take what is there (EAGAIN when empty and a writer exists, 0 at end of file).
Writes of at most PIPE_BUF bytes are atomic: they wait for room for all of it; larger
writes take what fits and wait for the rest. Without readers a write is EPIPE and the
writer gets SIGPIPE (the syscall layer sends it).
"""

from kevlar.abi.constants import O_ACCMODE, O_RDONLY, O_WRONLY, PAGE_SIZE, PIPE_BUF
from kevlar.abi.errors import EAGAIN, EBADF, EBUSY, EINVAL, EPERM, EPIPE
from kevlar.fs.file import File
from kevlar.fs.pseudo import pipe_inode
from kevlar.ipc.waitq import POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM, WaitQueue

DEFAULT_CAPACITY = 16 * PAGE_SIZE
MAX_UNPRIVILEGED = 1048576  # /proc/sys/fs/pipe-max-size


class Pipe:
    def __init__(self):
        self.buf = bytearray()
        self.capacity = DEFAULT_CAPACITY
        self.readers = 0
        self.writers = 0
        self.waitq = WaitQueue()
        self.ever_had_writer = False
        self.inode = pipe_inode()

    def space(self) -> int:
        return max(0, self.capacity - len(self.buf))

    def writable_now(self, want: int) -> int:
        """How many of `want` bytes a write may put in now (PIPE_BUF atomicity)."""
        space = self.space()
        if want <= PIPE_BUF:
            return want if space >= want else 0
        return min(space, want)

    def poll_reader(self) -> int:
        events = 0
        if self.buf:
            events |= POLLIN | POLLRDNORM
        if self.writers == 0 and self.ever_had_writer:
            events |= POLLHUP
        return events

    def poll_writer(self) -> int:
        events = 0
        if self.space() >= PIPE_BUF:
            events |= POLLOUT | POLLWRNORM
        if self.readers == 0:
            events |= POLLERR
        return events

    def set_capacity(self, size: int, privileged: bool) -> int:
        """F_SETPIPE_SZ: rounded up to a power-of-two number of pages."""
        if size <= 0 or size > (1 << 31):
            raise EINVAL()
        if size > MAX_UNPRIVILEGED and not privileged:
            raise EPERM()
        pages = max(1, -(-size // PAGE_SIZE))
        new = PAGE_SIZE * (1 << (pages - 1).bit_length())
        if len(self.buf) > new:
            raise EBUSY()
        self.capacity = new
        self.waitq.notify(POLLOUT)
        return new


class PipeEnd(File):
    """One end of a pipe or FIFO; the access mode says which."""

    seekable = False

    def __init__(self, pipe: Pipe, flags: int, location=None):
        super().__init__(location, flags)
        self.pipe = pipe
        self.waitq = pipe.waitq
        mode = flags & O_ACCMODE
        self.reads = mode != O_WRONLY
        self.writes = mode != O_RDONLY
        if self.reads:
            pipe.readers += 1
        if self.writes:
            pipe.writers += 1
            pipe.ever_had_writer = True

    @property
    def inode(self):
        return self.location.inode if self.location is not None else self.pipe.inode

    def release(self) -> None:
        pipe = self.pipe
        if self.reads:
            pipe.readers -= 1
            if pipe.readers == 0:
                pipe.waitq.notify(POLLERR | POLLOUT)
        if self.writes:
            pipe.writers -= 1
            if pipe.writers == 0:
                pipe.waitq.notify(POLLHUP | POLLIN)

    def read(self, task, size: int) -> bytes:
        if not self.reads:
            raise EBADF()
        pipe = self.pipe
        if not pipe.buf:
            if pipe.writers == 0:
                return b""
            raise EAGAIN()
        data = bytes(pipe.buf[:size])
        del pipe.buf[:size]
        pipe.waitq.notify(POLLOUT | POLLWRNORM)
        return data

    def unread(self, data: bytes) -> None:
        """Put back what could not be copied to the guest (copy_to_user failed)."""
        self.pipe.buf[0:0] = data

    def write(self, task, data: bytes) -> int:
        """Write what may be written now; EAGAIN if nothing, EPIPE without readers."""
        if not self.writes:
            raise EBADF()
        pipe = self.pipe
        if pipe.readers == 0:
            raise EPIPE()
        n = pipe.writable_now(len(data))
        if n == 0:
            raise EAGAIN()
        pipe.buf += data[:n]
        pipe.waitq.notify(POLLIN | POLLRDNORM)
        return n

    def write_quota(self, want: int) -> int:
        """Bytes the next write() would accept (0: it would block)."""
        if self.pipe.readers == 0:
            return want or 1
        return self.pipe.writable_now(want)

    def poll(self) -> int:
        events = 0
        if self.reads:
            events |= self.pipe.poll_reader()
        if self.writes:
            events |= self.pipe.poll_writer()
        return events

    def read_size_hint(self) -> int:
        return len(self.pipe.buf)


def make_pipe(flags: int) -> tuple[PipeEnd, PipeEnd]:
    pipe = Pipe()
    extra = flags & ~O_ACCMODE
    return PipeEnd(pipe, O_RDONLY | extra), PipeEnd(pipe, O_WRONLY | extra)
