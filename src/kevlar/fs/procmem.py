"""/proc/PID/mem: a process's memory as a file, offset = address (fs/proc/base.c mem_rw).

Debuggers open it and pread the guest's memory. The host kernel owns that memory, so an
open file here holds the host's /proc/HOSTPID/mem of the guest, opened by the tracer
(its ptracer) at open time: like Linux's, it stays bound to the address space it was
opened on (after the target's exec or exit, reads find nothing), unmapped addresses are
EIO, writes reach read-only pages (FOLL_FORCE). Kevlar checks the guest's access first.
"""

import os

from kevlar.abi.constants import O_ACCMODE, O_RDONLY, O_RDWR, O_WRONLY, SEEK_CUR, SEEK_SET
from kevlar.abi.errors import EINVAL, from_oserror
from kevlar.fs.file import File

U64 = (1 << 64) - 1
HOST_MODES = {O_RDONLY: os.O_RDONLY, O_WRONLY: os.O_WRONLY, O_RDWR: os.O_RDWR}


class MemFile(File):
    """An open /proc/PID/mem: reads and writes go to the host's mem file of the guest."""

    def __init__(self, location, flags: int, host_pid: int):
        super().__init__(location, flags)
        try:
            self.host_fd = os.open(f"/proc/{host_pid}/mem",
                                   HOST_MODES.get(flags & O_ACCMODE, os.O_RDONLY) | os.O_CLOEXEC)
        except OSError as exc:
            raise from_oserror(exc) from None

    def release(self) -> None:
        os.close(self.host_fd)

    def pread(self, task, offset: int, size: int) -> bytes:
        try:
            return os.pread(self.host_fd, size, offset)
        except OSError as exc:
            raise from_oserror(exc) from None

    def pwrite(self, task, offset: int, data: bytes) -> int:
        try:
            return os.pwrite(self.host_fd, data, offset)
        except OSError as exc:
            raise from_oserror(exc) from None

    def read(self, task, size: int) -> bytes:
        data = self.pread(task, self.pos, size)
        self.pos += len(data)
        return data

    def write(self, task, data: bytes) -> int:
        n = self.pwrite(task, self.pos, data)
        self.pos += n
        return n

    def seek(self, offset: int, whence: int) -> int:
        """mem_lseek(): SEEK_SET and SEEK_CUR only; any address is a position."""
        if whence == SEEK_SET:
            self.pos = offset & U64
        elif whence == SEEK_CUR:
            self.pos = (self.pos + offset) & U64
        else:
            raise EINVAL()
        return self.pos

    def read_size_hint(self) -> int:
        return 0
