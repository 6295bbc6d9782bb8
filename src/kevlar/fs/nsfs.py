"""nsfs (fs/nsfs.c): the inodes /proc/PID/ns/* lead to, one per namespace, numbered as
the kernel numbers them. Kevlar's guests share the initial namespaces, which have fixed
numbers (include/linux/proc_ns.h), except UTS: clone and unshare(CLONE_NEWUTS) make new
ones, numbered from the dynamic range. Tools compare these numbers (st_ino, or the link
text "uts:[N]") to tell whether two processes share a namespace. Opening one gives a
file that reads EINVAL; setns(2) on it is not implemented.
"""

import itertools

from kevlar.abi.constants import NSFS_MAGIC, S_IFREG
from kevlar.fs.file import File
from kevlar.fs.pseudo import PseudoFs
from kevlar.fs.vfs import Inode

NSFS = PseudoFs("nsfs", NSFS_MAGIC)
INIT_INUMS = {b"ipc": 0xEFFFFFFF, b"uts": 0xEFFFFFFE, b"user": 0xEFFFFFFD, b"pid": 0xEFFFFFFC,
              b"cgroup": 0xEFFFFFFB, b"time": 0xEFFFFFFA, b"net": 0xEFFFFFF9, b"mnt": 0xEFFFFFF8}
# fs/proc/namespaces.c ns_entries, the order of the directory; *_for_children name the
# namespace the process's next children get.
NS_NAMES = (b"net", b"uts", b"ipc", b"pid", b"pid_for_children", b"user", b"mnt", b"cgroup",
            b"time", b"time_for_children")
_dynamic = itertools.count(0xF0000000)  # proc_alloc_inum()
_inodes: dict[int, Inode] = {}


class NsFile(File):
    """An open namespace file: no read or write (EINVAL), no seek (ESPIPE); its
    /proc/PID/fd link reads like the ns link ("uts:[N]")."""

    def __init__(self, inode: "NsInode", flags: int):
        super().__init__(None, flags)
        self.ns_inode = inode
        self.proc_link = inode.link_text()

    @property
    def inode(self):
        return self.ns_inode


class NsInode(Inode):
    def __init__(self, kind: bytes, inum: int):
        super().__init__(NSFS, S_IFREG | 0o444, ino=inum)
        self.kind = kind

    def open(self, task, location, flags: int):
        return NsFile(self, flags)

    def link_text(self) -> bytes:
        return b"%s:[%d]" % (self.kind, self.ino)


def namespace_inode(kernel, proc, name: bytes) -> NsInode:
    """The nsfs inode of proc's namespace `name` (an entry of NS_NAMES)."""
    kind = name.removesuffix(b"_for_children")
    if kind == b"uts" and proc.uts is not kernel.init_uts:
        inum = proc.uts.__dict__.get("inum")
        if inum is None:
            inum = proc.uts.__dict__["inum"] = next(_dynamic)
    else:
        inum = INIT_INUMS[kind]
    inode = _inodes.get(inum)
    if inode is None:
        inode = _inodes[inum] = NsInode(kind, inum)
    return inode
