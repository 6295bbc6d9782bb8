"""pidfds (fs/pidfs.c, kernel/pid.c): a file that names one process (or, with
PIDFD_THREAD, one thread) for as long as the file lives, whatever pid the number later
names. It polls readable once its process has exited (POLLIN|POLLRDNORM) and also hung
up once it is reaped; read, write and pread are EINVAL (no read method), lseek ESPIPE. Every pidfd of
one process shares one pidfs inode (mode 0700, no type bits), as the kernel's do since
6.9, so comparing st_ino tells whether two pidfds name the same process.
"""

from kevlar.abi.constants import O_EXCL, O_NONBLOCK, O_RDWR, PID_FS_MAGIC
from kevlar.fs.file import File
from kevlar.fs.pseudo import PseudoFs
from kevlar.fs.vfs import Inode
from kevlar.ipc.waitq import POLLHUP, POLLIN, POLLRDNORM

PIDFD_NONBLOCK = O_NONBLOCK
PIDFD_THREAD = O_EXCL
PIDFS = PseudoFs("pidfs", PID_FS_MAGIC)


class PidFd(File):
    anon_name = b"[pidfd]"  # pidfs_dname(): links still read anon_inode:[pidfd]
    pollable = True

    def __init__(self, proc, thread=None, flags: int = 0):
        super().__init__(None, O_RDWR | (flags & (PIDFD_NONBLOCK | PIDFD_THREAD)))
        self.proc = proc
        self.thread = thread  # PIDFD_THREAD: this thread, not the thread group
        if proc.pidfs_inode is None:
            proc.pidfs_inode = Inode(PIDFS, 0o700)
        self.waitq = proc.pidfd_waitq

    @property
    def inode(self):
        return self.proc.pidfs_inode

    def thread_exited(self) -> bool:
        return self.thread.process.kernel.threads.get(self.thread.tid) is not self.thread

    def poll(self) -> int:
        """pidfd_poll(): hung up once nothing is left to wait for (reaped, or a thread
        other than the leader gone); readable once the process, or the thread, exited."""
        proc = self.proc
        if self.thread is not None and self.thread.tid != proc.pid:
            return POLLIN | POLLRDNORM | POLLHUP if self.thread_exited() else 0
        if proc.reaped:
            return POLLIN | POLLRDNORM | POLLHUP
        if proc.zombie or (self.thread is not None and self.thread_exited()):
            return POLLIN | POLLRDNORM
        return 0

    def fdinfo(self) -> bytes:
        pid = -1 if self.proc.reaped else (self.thread.tid if self.thread is not None else self.proc.pid)
        return b"Pid:\t%d\nNSpid:\t%d\n" % (pid, pid)
