"""pidfds (kernel/pid.c, fs/pidfs.c): a file that names a process, or with PIDFD_THREAD
one thread, for as long as the file lives, even after the pid is reaped and reused.

As in pidfs, every pidfd of one process (or thread) shares one inode: fstat shows the
same st_ino, mode 0700 with no type bits, and the inode's wait queue is the pid's
wait_pidfd, woken when the process becomes a zombie and when it is reaped. readlink of
/proc/PID/fd/N says "anon_inode:[pidfd]"; fdinfo adds "Pid:" and "NSpid:" (the vpid,
-1 once reaped). read/write are EINVAL, lseek ESPIPE (no file operations for them).
"""

from kevlar.abi.constants import O_EXCL, O_NONBLOCK, O_RDWR
from kevlar.fs.file import File
from kevlar.fs.pseudo import PseudoFs
from kevlar.fs.vfs import Inode
from kevlar.ipc.waitq import POLLHUP, POLLIN, POLLRDNORM, WaitQueue

PIDFD_NONBLOCK = O_NONBLOCK
PIDFD_THREAD = O_EXCL
PID_FS_MAGIC = 0x50494446
PIDFS = PseudoFs("pidfs", PID_FS_MAGIC)


class PidInode(Inode):
    """The pidfs inode of one struct pid, with its wait_pidfd queue."""

    def __init__(self):
        super().__init__(PIDFS, 0o700)
        self.waitq = WaitQueue()


def pid_inode(owner) -> PidInode:
    """The inode of a Process (its thread-group pid) or of a non-leader Thread."""
    if owner.pidfs is None:
        owner.pidfs = PidInode()
    return owner.pidfs


def notify_pid(owner, events: int) -> None:
    """do_notify_pidfd(): wake the pidfd pollers of a process or thread, if any."""
    if owner.pidfs is not None:
        owner.pidfs.waitq.notify(events)


class PidFd(File):
    """read, write and pread are EINVAL (pidfs has no read method, the file has
    FMODE_PREAD); lseek is ESPIPE."""

    anon_name = b"[pidfd]"
    pollable = True

    def __init__(self, process, thread, flags: int):
        """thread: the Thread a PIDFD_THREAD pidfd of a non-leader names, else None."""
        super().__init__(None, O_RDWR | (flags & (PIDFD_NONBLOCK | PIDFD_THREAD)))
        self.process = process
        self.thread = thread
        self.waitq = pid_inode(thread if thread is not None else process).waitq

    @property
    def inode(self):
        return pid_inode(self.thread if self.thread is not None else self.process)

    @property
    def is_thread(self) -> bool:
        return bool(self.flags & PIDFD_THREAD)

    def thread_gone(self) -> bool:
        """A non-leader thread is released as soon as it exits (no zombie)."""
        thread = self.thread
        return thread is not None and thread.process.threads.get(thread.tid) is not thread

    def pid_nr(self) -> int:
        """The vpid this pidfd names while it has a task (zombies count), else -1."""
        if self.thread is not None:
            return -1 if self.thread_gone() else self.thread.tid
        return -1 if self.process.reaped else self.process.pid

    def poll(self) -> int:
        """pidfs_poll: readable once the whole thread group (or the thread) has exited,
        hung up once nothing is left to reap."""
        if self.thread is not None:
            return POLLIN | POLLRDNORM | POLLHUP if self.thread_gone() else 0
        if self.process.reaped:
            return POLLIN | POLLRDNORM | POLLHUP
        return POLLIN | POLLRDNORM if self.process.zombie else 0

    def fdinfo(self) -> bytes:
        nr = self.pid_nr()
        return b"Pid:\t%d\nNSpid:\t%d\n" % (nr, nr)
