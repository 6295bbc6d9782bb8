"""Pseudo file systems for objects with no place in the tree: pipes, sockets and the
anonymous-inode files (eventfd, epoll, timerfd, signalfd, inotify). Their inodes exist
for fstat, fstatfs and /proc/PID/fd links ("pipe:[123]", "anon_inode:[eventfd]")."""

from kevlar.abi.constants import ANON_INODE_FS_MAGIC, PIPEFS_MAGIC, S_IFIFO, S_IFSOCK, SOCKFS_MAGIC
from kevlar.fs.vfs import FileSystem, Inode


class PseudoFs(FileSystem):
    def __init__(self, name: str, magic: int):
        super().__init__()
        self.name = name
        self.magic = magic


PIPEFS = PseudoFs("pipefs", PIPEFS_MAGIC)
SOCKFS = PseudoFs("sockfs", SOCKFS_MAGIC)
ANON_INODE_FS = PseudoFs("anon_inodefs", ANON_INODE_FS_MAGIC)
# anon_inode_getfile() gives every such file the same inode: mode 0600, no type bits.
ANON_INODE = Inode(ANON_INODE_FS, 0o600)


def pipe_inode(uid: int = 0, gid: int = 0) -> Inode:
    return Inode(PIPEFS, S_IFIFO | 0o600, uid, gid)


def socket_inode(uid: int = 0, gid: int = 0) -> Inode:
    return Inode(SOCKFS, S_IFSOCK | 0o777, uid, gid)


def pseudo_fs_of(file) -> FileSystem:
    inode = file.inode
    return inode.fs if inode is not None else ANON_INODE_FS
