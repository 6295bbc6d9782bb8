"""What a virtio-blk device stores its sectors in.

A backend is byte-addressed and knows nothing of requests:

    size() -> int                  bytes (the device's capacity is size // 512 sectors)
    readv(views, offset)           fill the writable memoryviews from offset, or raise OSError
    writev(views, offset)          write the views' bytes at offset, or raise OSError
    flush()                        make every completed write stable (fdatasync)
    close()
    read_only                      the device offers VIRTIO_BLK_F_RO

ImageBackend serves a host image file (preadv/pwritev straight into guest memory);
MemoryBackend a bytearray (unit tests); FaultyBackend wraps another and fails chosen
sectors with EIO, or writes with ENOSPC once a budget of bytes is spent.
"""

import errno
import os

from kevlar.block.virtio_blk import SECTOR_SIZE, io_error


class ImageBackend:
    """A host image file. `fd` may be given instead of a path (a --snapshot clone that
    is already unlinked, so no temp file outlives the run)."""

    def __init__(self, path: str | None = None, read_only: bool = False, fd: int | None = None):
        self.path = path
        self.read_only = read_only
        if fd is None:
            flags = (os.O_RDONLY if read_only else os.O_RDWR) | os.O_CLOEXEC
            fd = os.open(path, flags)
        self.fd = fd
        self._size = os.fstat(fd).st_size

    def size(self) -> int:
        return self._size

    def readv(self, views, offset: int) -> None:
        self._transfer(os.preadv, views, offset, "read")

    def writev(self, views, offset: int) -> None:
        if self.read_only:
            raise io_error(errno.EROFS)
        self._transfer(os.pwritev, views, offset, "write")

    def _transfer(self, call, views, offset: int, what: str) -> None:
        """preadv/pwritev until every view is done (they may stop short)."""
        views = list(views)
        while views:
            done = call(self.fd, views, offset)
            if done <= 0:
                raise io_error(errno.EIO, f"short {what} at {offset}")
            offset += done
            while views and done >= len(views[0]):
                done -= len(views[0])
                views.pop(0)
            if done:
                views[0] = views[0][done:]

    def flush(self) -> None:
        if not self.read_only:
            os.fdatasync(self.fd)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


class MemoryBackend:
    """A disk in a bytearray (for tests and for building images in memory)."""

    def __init__(self, data, read_only: bool = False):
        self.data = data if isinstance(data, bytearray) else bytearray(data)
        self.read_only = read_only
        self.flushes = 0

    def size(self) -> int:
        return len(self.data)

    def readv(self, views, offset: int) -> None:
        for v in views:
            n = len(v)
            v[:] = self.data[offset:offset + n]
            offset += n

    def writev(self, views, offset: int) -> None:
        for v in views:
            n = len(v)
            self.data[offset:offset + n] = v
            offset += n

    def flush(self) -> None:
        self.flushes += 1

    def close(self) -> None:
        pass


class FaultyBackend:
    """Wraps a backend and injects the failures a real disk has.

    bad_read / bad_write: sector numbers whose reads / writes fail with EIO (a request
    touching any of them fails whole, as a disk reports a medium error).
    write_budget: bytes that may still be written; a write past it fails with ENOSPC
    (a host file system that filled up under a sparse image).
    fail_flush: every flush fails with EIO.
    `events` records ("read"|"write"|"flush", offset, length) in order, for tests.
    """

    def __init__(self, inner, bad_read=(), bad_write=(), write_budget: int | None = None,
                 fail_flush: bool = False):
        self.inner = inner
        self.read_only = inner.read_only
        self.bad_read = set(bad_read)
        self.bad_write = set(bad_write)
        self.write_budget = write_budget
        self.fail_flush = fail_flush
        self.events: list[tuple[str, int, int]] = []

    def size(self) -> int:
        return self.inner.size()

    @staticmethod
    def _touches(bad: set, offset: int, length: int) -> bool:
        if not bad:
            return False
        first = offset // SECTOR_SIZE
        last = (offset + max(length, 1) - 1) // SECTOR_SIZE
        return any(first <= s <= last for s in bad)

    def readv(self, views, offset: int) -> None:
        length = sum(len(v) for v in views)
        self.events.append(("read", offset, length))
        if self._touches(self.bad_read, offset, length):
            raise io_error(errno.EIO, f"injected read error at sector {offset // SECTOR_SIZE}")
        self.inner.readv(views, offset)

    def writev(self, views, offset: int) -> None:
        length = sum(len(v) for v in views)
        self.events.append(("write", offset, length))
        if self._touches(self.bad_write, offset, length):
            raise io_error(errno.EIO, f"injected write error at sector {offset // SECTOR_SIZE}")
        if self.write_budget is not None:
            if length > self.write_budget:
                raise io_error(errno.ENOSPC, "injected: no space left on the host")
            self.write_budget -= length
        self.inner.writev(views, offset)

    def flush(self) -> None:
        self.events.append(("flush", 0, 0))
        if self.fail_flush:
            raise io_error(errno.EIO, "injected flush error")
        self.inner.flush()

    def close(self) -> None:
        self.inner.close()


__all__ = ["ImageBackend", "MemoryBackend", "FaultyBackend"]
