"""Named pipes: open(2) of a FIFO inode (fs/pipe.c fifo_open).

The pipe behind a FIFO belongs to the inode while anyone has it open (or is waiting in
open); when the last reader and writer are gone it is freed, with whatever data was left.

fifo_open's rules:
  O_RDONLY             counts as a reader at once; without O_NONBLOCK waits until a
                       writer opens (the writer counter moves), unless one is there
  O_WRONLY             ENXIO with O_NONBLOCK and no reader; else counts as a writer and
                       waits until a reader opens, unless one is there
  O_RDWR               a reader and a writer; never waits

Waiting is Kevlar's Block: the open parks and re-runs. Linux counts a waiting opener as
a reader (or writer) already, which matters: a writer may open and write before the
parked reader runs again, and must not get EPIPE. So each waiting open holds a token,
and a token counts as a reader (writer) for as long as its thread is parked in, or
woken for, that very open (the kernel keeps the token in task.restart until the re-run
or until a signal ends the call with EINTR).
"""

from kevlar.abi.constants import O_ACCMODE, O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY
from kevlar.abi.errors import EINVAL, ENXIO
from kevlar.ipc.pipe import Pipe, PipeEnd
from kevlar.ipc.waitq import POLLHUP, POLLIN, POLLOUT, WaitQueue
from kevlar.process.blocking import Block


class OpenToken:
    """One open(2) of a FIFO that is waiting for its partner."""

    __slots__ = ("task", "reads", "counter")

    def __init__(self, task, reads: bool, counter: int):
        self.task = task
        self.reads = reads
        self.counter = counter  # the partner counter when the wait began

    def live(self) -> bool:
        task = self.task
        restart = task.restart
        return (restart is not None and restart.state is self
                and task.host_tid in task.kernel.tasks)


class Fifo(Pipe):
    """pipe_inode_info of a named pipe: the counters fifo_open waits on."""

    def __init__(self, inode):
        self.tokens: list[OpenToken] = []
        super().__init__()
        self.inode = inode
        self.r_counter = 0
        self.w_counter = 0
        self.opens = WaitQueue()  # parked opens; notified whenever a counter moves

    def _waiting(self, reads: bool) -> int:
        live = [t for t in self.tokens if t.live()]
        if len(live) != len(self.tokens):
            self.tokens = live
        return sum(1 for t in live if t.reads == reads)

    # readers and writers include the opens still waiting (Linux counts them at once).
    @property
    def readers(self) -> int:
        return self._readers + self._waiting(True)

    @readers.setter
    def readers(self, value: int) -> None:
        self._readers = value - self._waiting(True)

    @property
    def writers(self) -> int:
        return self._writers + self._waiting(False)

    @writers.setter
    def writers(self, value: int) -> None:
        self._writers = value - self._waiting(False)

    def idle(self) -> bool:
        return self._readers == 0 and self._writers == 0 and not self._waiting(True) \
            and not self._waiting(False)


class FifoEnd(PipeEnd):
    """An open FIFO. Its POLLHUP needs a writer that came after this open
    (pipe_poll: filp->f_version != pipe->w_counter)."""

    def __init__(self, fifo: Fifo, flags: int, location):
        super().__init__(fifo, flags, location)
        # fifo_open: a non-blocking reader that found no writer suppresses POLLHUP until
        # a writer comes (filp->f_pipe = w_counter); any other open reports it at once.
        self.w_seen = None
        if self.reads and not self.writes and flags & O_NONBLOCK and fifo.writers == 0:
            self.w_seen = fifo.w_counter

    def poll(self) -> int:
        events = super().poll()
        fifo = self.pipe
        if self.reads and fifo.writers == 0:
            if fifo.w_counter == self.w_seen:
                events &= ~POLLHUP
            else:
                events |= POLLHUP
        return events

    def release(self) -> None:
        super().release()
        fifo = self.pipe
        if fifo.idle():
            fifo.buf.clear()  # free_pipe_info: the data goes with the pipe
            inode = fifo.inode
            if getattr(inode, "fifo", None) is fifo:
                inode.fifo = None


def open_fifo(task, loc, flags: int) -> FifoEnd:
    """fifo_open(): see the module docstring for the rules."""
    inode = loc.inode
    fifo = getattr(inode, "fifo", None)
    if fifo is None:
        fifo = inode.fifo = Fifo(inode)
    mode = flags & O_ACCMODE
    restart = task.restart  # set while this open is parked or being re-run
    token = restart.state if restart is not None else None
    if not isinstance(token, OpenToken) or token not in fifo.tokens:
        token = None
    if mode == O_RDONLY:
        if token is None:
            fifo.r_counter += 1
            if fifo.writers or flags & O_NONBLOCK:
                return _opened(fifo, flags, loc)
            token = OpenToken(task, True, fifo.w_counter)
            fifo.tokens.append(token)
            fifo.opens.notify(POLLIN)
            raise Block([(fifo.opens, POLLIN | POLLOUT)], state=token)
        if fifo.w_counter == token.counter:
            raise Block([(fifo.opens, POLLIN | POLLOUT)], state=token)
        _drop(fifo, token)
        return _opened(fifo, flags, loc)
    if mode == O_WRONLY:
        if token is None:
            if flags & O_NONBLOCK and not fifo.readers:
                raise ENXIO()
            fifo.w_counter += 1
            if fifo.readers:
                return _opened(fifo, flags, loc)
            token = OpenToken(task, False, fifo.r_counter)
            fifo.tokens.append(token)
            fifo.opens.notify(POLLOUT)
            raise Block([(fifo.opens, POLLIN | POLLOUT)], state=token)
        if fifo.r_counter == token.counter:
            raise Block([(fifo.opens, POLLIN | POLLOUT)], state=token)
        _drop(fifo, token)
        return _opened(fifo, flags, loc)
    if mode != O_RDWR:
        raise EINVAL()  # mode 3 gives neither FMODE_READ nor FMODE_WRITE
    fifo.r_counter += 1
    fifo.w_counter += 1
    return _opened(fifo, flags, loc)


def _drop(fifo: Fifo, token: OpenToken) -> None:
    if token in fifo.tokens:
        fifo.tokens.remove(token)


def _opened(fifo: Fifo, flags: int, loc) -> FifoEnd:
    end = FifoEnd(fifo, flags, loc)
    fifo.opens.notify(POLLIN | POLLOUT)
    fifo.waitq.notify(POLLIN | POLLOUT)
    return end


__all__ = ["open_fifo", "Fifo", "FifoEnd", "O_WRONLY"]
