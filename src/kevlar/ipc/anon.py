"""Files on the anonymous inode (fs/anon_inodes.c): epoll, eventfd, timerfd, signalfd,
inotify. They share one inode (mode 0600, no type bits: fstat shows it), lseek is
noop_llseek (it succeeds and moves nothing), and pread/pwrite are ESPIPE (no
FMODE_PREAD/FMODE_PWRITE)."""

from kevlar.abi.errors import ESPIPE
from kevlar.fs.file import File
from kevlar.fs.pseudo import ANON_INODE


class AnonFile(File):
    seekable = True
    pollable = True

    @property
    def inode(self):
        return ANON_INODE

    def seek(self, offset: int, whence: int) -> int:
        return self.pos

    def pread(self, task, offset: int, size: int) -> bytes:
        raise ESPIPE()

    def pwrite(self, task, offset: int, data: bytes) -> int:
        raise ESPIPE()

    def unread(self, data: bytes) -> None:
        """A read whose copy to the guest faulted: what it took is lost, as in Linux
        (eventfd, timerfd, signalfd and inotify consume before copy_to_user)."""
