"""devpts: the /dev/pts file system of Unix98 pseudo-terminals (fs/devpts/inode.c).

One instance, mounted on /dev/pts at boot with the options most distributions use
(gid=5,mode=620,ptmxmode=000). Its root lists `ptmx` (5:2, a second way to allocate a
pty) and one node per live pty: `N` (136:N, inode N + 3) owned by the fsuid of the
process that opened the master, created when the master is allocated and removed when
the master's last reference goes (devpts_pty_new / devpts_pty_kill). The ptys
themselves live in kevlar.ipc.pty.
"""

import itertools

from kevlar.abi.constants import S_IFCHR, S_IFDIR
from kevlar.abi.errors import EACCES, ENOENT, ENOSPC, EPERM
from kevlar.fs.devfs import mkdev
from kevlar.fs.vfs import FileSystem, Inode, rmdir_victim

DEVPTS_SUPER_MAGIC = 0x1CD1
PTMX_INO = 2
NR_UNIX98_PTY_MAX = 4096  # /proc/sys/kernel/pty/max (the default limit)
TTY_GID = 5
PTS_MODE = 0o620


class PtsNode(Inode):
    """/dev/pts/N (or ptmx, with pty None)."""

    def __init__(self, fs, mode: int, rdev: int, ino: int, uid: int = 0, gid: int = 0, pty=None):
        super().__init__(fs, S_IFCHR | mode, uid, gid, rdev, ino=ino)
        self.pty = pty


class DevptsRoot(Inode):
    """The root directory: ptmx and the live indexes, newest first as dcache_readdir."""

    def __init__(self, fs):
        super().__init__(fs, S_IFDIR | 0o755, ino=1)
        self.children: dict[bytes, tuple[int, PtsNode]] = {}
        self._cookies = itertools.count(1 << 30, -1)

    def add(self, name: bytes, node: PtsNode) -> None:
        self.children[name] = (next(self._cookies), node)
        self.touch(mtime=True, ctime=True)

    def remove(self, name: bytes) -> None:
        if self.children.pop(name, None) is not None:
            self.touch(mtime=True, ctime=True)

    def lookup(self, name: bytes) -> Inode:
        if name in (b".", b".."):
            return self
        try:
            return self.children[name][1]
        except KeyError:
            raise ENOENT() from None

    def entries(self):
        rows = [(1, b".", None), (2, b"..", None)]
        rows += sorted((cookie, name, node) for name, (cookie, node) in self.children.items())
        return rows

    # simple_dir_inode_operations: only lookup. The VFS answers the rest (fs/namei.c):
    # vfs_create without ->create is EACCES, the others EPERM.
    def create(self, name, mode, uid, gid):
        raise EACCES()

    def mkdir(self, name, mode, uid, gid):
        raise EPERM()

    def mknod(self, name, mode, rdev, uid, gid):
        raise EPERM()

    def symlink(self, name, target, uid, gid):
        raise EPERM()

    def link(self, name, inode):
        raise EPERM()

    def unlink(self, name):
        self.lookup(name)
        raise EPERM()

    def rmdir(self, name):
        rmdir_victim(self, name)  # may_delete: ENOTDIR for a node, first
        raise EPERM()

    def rename(self, old_name, new_dir, new_name, flags):
        raise EPERM()


class Devpts(FileSystem):
    name = "devpts"
    magic = DEVPTS_SUPER_MAGIC

    def __init__(self):
        super().__init__()
        self.root = DevptsRoot(self)
        self.ptmx = PtsNode(self, 0o000, mkdev(5, 2), PTMX_INO)
        self.root.add(b"ptmx", self.ptmx)
        self.indexes: set[int] = set()

    def new_index(self) -> int:
        """devpts_new_index: the lowest free index (ENOSPC past the limit)."""
        index = next(i for i in itertools.count() if i not in self.indexes)
        if index >= NR_UNIX98_PTY_MAX:
            raise ENOSPC()
        self.indexes.add(index)
        return index

    def pty_new(self, pty, creds) -> PtsNode:
        """devpts_pty_new: the node of a freshly allocated pty."""
        index = pty.index
        node = PtsNode(self, PTS_MODE, mkdev(136, index), index + 3, creds.fsuid, TTY_GID, pty)
        self.root.add(b"%d" % index, node)
        return node

    def pty_kill(self, pty) -> None:
        """devpts_pty_kill + devpts_kill_index: the master is gone."""
        self.root.remove(b"%d" % pty.index)
        self.indexes.discard(pty.index)

    def statfs(self) -> dict:
        out = super().statfs()
        out.update(f_bsize=4096, f_frsize=4096)
        return out


MOUNT_OPTIONS = b"rw,nosuid,noexec,relatime,gid=5,mode=620,ptmxmode=000"
