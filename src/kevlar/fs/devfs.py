"""Character devices and /dev (drivers/char/mem.c, drivers/tty).

Device inodes are ordinary inodes with S_IFCHR and a device number; opening one asks
the driver table by (major, minor), on any file system, as Linux does. /dev itself is a
tmpfs populated at boot (as devtmpfs is): null, zero, full, random, urandom, tty,
console, ptmx, the /dev/fd and /dev/std* links, /dev/shm and /dev/pts (devpts.py).
"""

import os

from kevlar.abi.constants import S_IFCHR, S_IFDIR
from kevlar.abi.errors import ENOSPC, ENXIO
from kevlar.fs.file import File
from kevlar.fs.tmpfs import Tmpfs
from kevlar.ipc.waitq import READABLE, WRITABLE


def mkdev(major: int, minor: int) -> int:
    """new_encode_dev(): the 32-bit device number mknod(2) takes."""
    return (minor & 0xFF) | (major << 8) | ((minor & ~0xFF) << 12)


def dev_major(dev: int) -> int:
    return (dev & 0xFFF00) >> 8


def dev_minor(dev: int) -> int:
    return (dev & 0xFF) | ((dev >> 12) & 0xFFF00)


class DeviceFile(File):
    """Memory devices: seekable in name only, always ready."""

    def seek(self, offset: int, whence: int) -> int:
        self.pos = 0  # null_lseek / zero: the position stays 0
        return 0

    def pread(self, task, offset: int, size: int) -> bytes:
        return self.read(task, size)

    def pwrite(self, task, offset: int, data: bytes) -> int:
        return self.write(task, data)

    def poll(self) -> int:
        return READABLE | WRITABLE


class NullFile(DeviceFile):
    def read(self, task, size):
        return b""

    def write(self, task, data):
        return len(data)


class ZeroFile(DeviceFile):
    def read(self, task, size):
        return bytes(min(size, 1 << 20))

    def write(self, task, data):
        return len(data)


class FullFile(ZeroFile):
    def write(self, task, data):
        raise ENOSPC()


class RandomFile(DeviceFile):
    fasync = True  # random_fasync: SIGIO when entropy arrives
    def read(self, task, size):
        return os.urandom(min(size, 1 << 20))

    def write(self, task, data):
        return len(data)  # mixing into the pool is accepted and ignored


def _terminal(task, loc, flags):
    """/dev/tty: the session's controlling tty when it is a Kevlar pty; else, as for
    /dev/console, the host terminal Kevlar was started on."""
    from kevlar.fs.hostfile import HostFile
    if dev_minor(loc.inode.rdev) == 0:
        from kevlar.ipc.pty import open_ctty
        file = open_ctty(task, loc, flags)
        if file is not None:
            return file
    for fd in (0, 1, 2):
        file = None
        try:
            if os.isatty(fd):
                file = HostFile(task.kernel, fd, flags)
        except OSError:
            continue
        if file is not None:
            return file
    raise ENXIO()


MEMORY_DEVICES = {
    (1, 3): NullFile,
    (1, 5): ZeroFile,
    (1, 7): FullFile,
    (1, 8): RandomFile,
    (1, 9): RandomFile,
}


def open_device(task, loc, flags: int):
    """Open a character device inode (chrdev_open)."""
    rdev = loc.inode.rdev
    key = (dev_major(rdev), dev_minor(rdev))
    if key in ((5, 0), (5, 1)):
        return _terminal(task, loc, flags)
    if key == (5, 2):
        from kevlar.ipc.pty import open_ptmx
        return open_ptmx(task, loc, flags)
    if key[0] == 136:
        from kevlar.ipc.pty import open_slave
        return open_slave(task, loc, flags)
    driver = MEMORY_DEVICES.get(key)
    if driver is None:
        raise ENXIO()  # chrdev_open: no driver registered for the number
    return driver(loc, flags)


DEVICES = [
    (b"null", 1, 3, 0o666), (b"zero", 1, 5, 0o666), (b"full", 1, 7, 0o666),
    (b"random", 1, 8, 0o666), (b"urandom", 1, 9, 0o666), (b"tty", 5, 0, 0o666),
    (b"console", 5, 1, 0o600), (b"ptmx", 5, 2, 0o666),
]


def make_devfs() -> Tmpfs:
    """A devtmpfs-like /dev."""
    fs = Tmpfs(mode=0o755)
    fs.name = "devtmpfs"
    root = fs.root
    for name, major, minor, mode in DEVICES:
        root.mknod(name, S_IFCHR | mode, mkdev(major, minor), 0, 0)
    root.symlink(b"fd", b"/proc/self/fd", 0, 0)
    for number, name in enumerate((b"stdin", b"stdout", b"stderr")):
        root.symlink(name, b"/proc/self/fd/%d" % number, 0, 0)
    root.mkdir(b"shm", S_IFDIR | 0o1777, 0, 0)
    root.mkdir(b"pts", S_IFDIR | 0o755, 0, 0)
    return fs
