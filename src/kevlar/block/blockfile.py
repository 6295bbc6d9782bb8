"""Opening /dev/vdX itself (block/fops.c): the raw disk as a seekable file.

Reads and writes go through the disk's block cache, so they are coherent with a mounted
file system on it (the same cache Linux's buffer heads live in). A disk with no cache yet
gets one in 4 KiB blocks (512 when its size is not a multiple of 4 KiB); a later mount
with another block size flushes and replaces it, as set_blocksize() does.

write(2) on a read-only disk is EPERM (blkdev_write_iter); the ioctls are the ones
tools ask of any disk: BLKGETSIZE64, BLKGETSIZE, BLKSSZGET, BLKPBSZGET, BLKBSZGET,
BLKROGET, BLKFLSBUF.
"""

import struct

from kevlar.abi.constants import SEEK_CUR, SEEK_END, SEEK_SET
from kevlar.abi.errors import EINVAL, ENOTTY, ENXIO, EPERM
from kevlar.fs.file import File
from kevlar.ipc.waitq import READABLE, WRITABLE

BLKROGET = 0x125E
BLKGETSIZE = 0x1260
BLKFLSBUF = 0x1261
BLKSSZGET = 0x1268
BLKBSZGET = 0x80081270
BLKGETSIZE64 = 0x80081272
BLKPBSZGET = 0x127B


class BlockDeviceFile(File):
    """An open /dev/vdX."""

    def __init__(self, location, flags: int, device):
        super().__init__(location, flags)
        self.device = device

    def _cache(self):
        device = self.device
        if device.cache is not None:
            return device.cache
        return device.get_cache(4096 if device.size % 4096 == 0 else 512)

    def pread(self, task, offset: int, size: int) -> bytes:
        if offset < 0:
            raise EINVAL()
        end = min(self.device.size, offset + size)
        if offset >= end:
            return b""
        cache = self._cache()
        bs = cache.block_size
        first, last = offset // bs, (end - 1) // bs
        data = cache.read_range(first, last - first + 1)
        start = offset - first * bs
        return data[start:start + end - offset]

    def pwrite(self, task, offset: int, data: bytes) -> int:
        if self.device.read_only:
            raise EPERM()
        if offset < 0:
            raise EINVAL()
        size = self.device.size
        if offset >= size:
            raise ENXIO() if data else EINVAL()
        data = data[:size - offset]
        cache = self._cache()
        bs = cache.block_size
        pos = offset
        view = memoryview(data)
        done = 0
        while done < len(data):
            block, within = divmod(pos, bs)
            take = min(bs - within, len(data) - done)
            cache.write(block, within, view[done:done + take])
            done += take
            pos += take
        return done

    def fsync(self) -> None:
        """fsync on the disk itself writes its cached blocks back (blkdev_fsync)."""
        if not self.device.read_only and self.device.cache is not None:
            self.device.cache.flush()

    def read(self, task, size: int) -> bytes:
        data = self.pread(task, self.pos, size)
        self.pos += len(data)
        return data

    def write(self, task, data: bytes) -> int:
        done = self.pwrite(task, self.pos, data)
        self.pos += done
        return done

    def seek(self, offset: int, whence: int) -> int:
        if whence == SEEK_SET:
            new = offset
        elif whence == SEEK_CUR:
            new = self.pos + offset
        elif whence == SEEK_END:
            new = self.device.size + offset
        else:
            raise EINVAL()
        if new < 0:
            raise EINVAL()
        self.pos = new
        return new

    def poll(self) -> int:
        return READABLE | WRITABLE

    def ioctl(self, task, cmd: int, arg: int):
        device = self.device
        if cmd == BLKGETSIZE64:
            task.write(arg, struct.pack("<Q", device.size))
        elif cmd == BLKGETSIZE:
            task.write(arg, struct.pack("<Q", device.capacity))
        elif cmd == BLKSSZGET:
            task.write(arg, struct.pack("<i", 512))
        elif cmd == BLKPBSZGET:
            task.write(arg, struct.pack("<I", device.blk_size))
        elif cmd == BLKBSZGET:
            task.write(arg, struct.pack("<i", self._cache().block_size))
        elif cmd == BLKROGET:
            task.write(arg, struct.pack("<i", int(device.read_only)))
        elif cmd == BLKFLSBUF:
            if not device.read_only and device.cache is not None:
                device.cache.flush()
        else:
            raise ENOTTY()
        return 0

    def read_size_hint(self) -> int:
        return max(0, self.device.size - self.pos)


def open_block_device(task, location, flags: int) -> BlockDeviceFile:
    """blkdev_open: ENXIO when no disk has the inode's device number."""
    from kevlar.block.mount import find_device
    device = find_device(task.kernel, location.inode.rdev)
    if device is None or getattr(device, "closed", False):
        raise ENXIO()
    return BlockDeviceFile(location, flags, device)


__all__ = ["BlockDeviceFile", "open_block_device"]
