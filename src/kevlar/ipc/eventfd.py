"""eventfd (fs/eventfd.c): a 64-bit counter as a file.

write adds its u64 to the counter; a write that would take the counter past
0xfffffffffffffffe waits (EAGAIN if non-blocking), and writing 0xffffffffffffffff is
EINVAL. read returns the counter and zeroes it, or with EFD_SEMAPHORE returns 1 and
decrements it; a read of 0 waits (EAGAIN). A read needs at least 8 bytes and returns 8;
a write must be exactly 8 bytes (EINVAL otherwise). Readable when the counter is non-zero, writable
while at least 1 can still be added, POLLERR if it is ULLONG_MAX (never, from user space);
eventfd_poll reports no POLLRDNORM/POLLWRNORM.
"""

import itertools
import struct

from kevlar.abi.constants import O_CLOEXEC, O_NONBLOCK, O_RDWR
from kevlar.abi.errors import EAGAIN, EINVAL
from kevlar.ipc.anon import AnonFile
from kevlar.ipc.waitq import POLLERR, POLLIN, POLLOUT, WaitQueue
from kevlar.process.blocking import Block

EFD_SEMAPHORE = 1
EFD_CLOEXEC = O_CLOEXEC
EFD_NONBLOCK = O_NONBLOCK
EFD_FLAGS = EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK
ULLONG_MAX = (1 << 64) - 1
U64 = struct.Struct("<Q")
_ids = itertools.count()  # eventfd_ida


class EventFd(AnonFile):
    anon_name = b"[eventfd]"

    def __init__(self, count: int, flags: int):
        super().__init__(None, O_RDWR | (flags & (O_CLOEXEC | O_NONBLOCK)))
        self.count = count
        self.semaphore = bool(flags & EFD_SEMAPHORE)
        self.waitq = WaitQueue()
        self.id = next(_ids)

    def poll(self) -> int:
        events = 0
        if self.count > 0:
            events |= POLLIN
        if self.count == ULLONG_MAX:
            events |= POLLERR
        if ULLONG_MAX - 1 > self.count:
            events |= POLLOUT
        return events

    def read(self, task, size: int) -> bytes:
        """eventfd_read: EAGAIN (the syscall layer parks) while the counter is 0."""
        if size < U64.size:
            raise EINVAL()
        if self.count == 0:
            raise EAGAIN()
        value = 1 if self.semaphore else self.count
        self.count -= value
        self.waitq.notify(POLLOUT)
        return U64.pack(value)


    def write_value(self, value: int) -> bool:
        """eventfd_write's core: False while the addition must wait."""
        if value == ULLONG_MAX:
            raise EINVAL()
        if ULLONG_MAX - self.count <= value:
            return False
        self.count += value
        if self.count:
            self.waitq.notify(POLLIN)
        return True

    def write(self, task, data: bytes) -> int:
        """eventfd_write: exactly 8 bytes (6.18; older kernels took more), and waits
        (ERESTARTSYS) while the addition would overflow."""
        if len(data) != U64.size:
            raise EINVAL()
        if not self.write_value(U64.unpack_from(data)[0]):
            if self.nonblocking:
                raise EAGAIN()
            raise Block([(self.waitq, POLLOUT)])
        return U64.size

    def fdinfo(self) -> bytes:
        return b"eventfd-count: %16x\neventfd-id: %d\neventfd-semaphore: %d\n" % (
            self.count, self.id, int(self.semaphore))
