"""Guest memory and the split virtqueue (VirtIO 1.2, section 2.7 "Split Virtqueues").

A split virtqueue is three areas in memory the driver and the device share:

    descriptor table   queue_size x struct virtq_desc  { le64 addr; le32 len; le16 flags; le16 next; }
                       (16-byte aligned)
    available ring     struct virtq_avail { le16 flags; le16 idx; le16 ring[queue_size]; le16 used_event; }
                       (2-byte aligned; driver -> device)
    used ring          struct virtq_used  { le16 flags; le16 idx; struct virtq_used_elem ring[queue_size];
                                            le16 avail_event; }  virtq_used_elem = { le32 id; le32 len; }
                       (4-byte aligned; device -> driver)

`idx` fields are free-running 16-bit counters: they wrap from 0xFFFF to 0, and the slot
of entry n is `n % queue_size` (queue_size is a power of two, so the two agree across the
wrap). A request is a chain of descriptors linked by VIRTQ_DESC_F_NEXT; buffers the
device writes carry VIRTQ_DESC_F_WRITE and come after every device-readable one.

Both halves are here: `DriverQueue` (what Linux's drivers/virtio/virtio_ring.c does:
a free list threaded through `next`, add / kick / get_used) and `DeviceQueue` (what a
device model does: pop an available chain, validate it, push a used element). They talk
only through `GuestMemory`, exactly as a driver and a device talk through guest RAM.

Lock order: none; everything runs on the tracer's one thread. A kick runs the device
synchronously, as if the device completed the requests before the notification returned.
"""

import bisect
import mmap
import struct

from kevlar.abi.errors import EFAULT, EINVAL, ENOSPC

# virtq_desc.flags
VIRTQ_DESC_F_NEXT = 1
VIRTQ_DESC_F_WRITE = 2
VIRTQ_DESC_F_INDIRECT = 4
# virtq_avail.flags / virtq_used.flags
VIRTQ_AVAIL_F_NO_INTERRUPT = 1
VIRTQ_USED_F_NO_NOTIFY = 1

VIRTQ_DESC = struct.Struct("<QIHH")
VIRTQ_USED_ELEM = struct.Struct("<II")
LE16 = struct.Struct("<H")
MAX_QUEUE_SIZE = 32768


def ring_layout(queue_size: int) -> tuple[int, int, int, int]:
    """(size of descriptor table, available ring, used ring, total with alignment)."""
    desc = VIRTQ_DESC.size * queue_size
    avail = 2 + 2 + 2 * queue_size + 2
    used = 2 + 2 + VIRTQ_USED_ELEM.size * queue_size + 2
    total = _align(_align(desc + avail, 4) + used, 16)
    return desc, avail, used, total


def _align(value: int, to: int) -> int:
    return (value + to - 1) & ~(to - 1)


class MemoryFault(EFAULT):
    """An address outside guest memory: a device must treat the request as broken."""


class GuestMemory:
    """Guest-physical memory: regions (bytearrays) at addresses, as a VM's RAM slots.

    Address 0 is never mapped, so a zero address is always a fault. `view()` returns a
    writable memoryview into the region that holds [addr, addr + length); a range that
    leaves its region (or is not mapped) raises MemoryFault.
    """

    def __init__(self):
        self._bases: list[int] = []
        self._regions: list[tuple[int, int, bytearray, memoryview]] = []
        self._next = 0x10000

    def add_region(self, size: int, align: int = 4096) -> int:
        """Map a fresh zeroed region of size bytes; returns its base address. Big regions
        (the block cache's slots) are anonymous mappings: zero pages until first touched,
        where bytearray(64 MiB) would cost 140 ms of memset at every start."""
        base = _align(self._next, align)
        data = mmap.mmap(-1, size) if size >= 1 << 16 else bytearray(size)
        self._regions.append((base, size, data, memoryview(data)))
        self._bases.append(base)
        self._next = base + size + align  # a guard gap between regions
        return base

    def remove_region(self, base: int) -> None:
        i = bisect.bisect_right(self._bases, base) - 1
        if i < 0 or self._regions[i][0] != base:
            raise MemoryFault(f"no region at {base:#x}")
        del self._regions[i]
        del self._bases[i]

    def region(self, base: int) -> memoryview:
        """The whole region that starts at base (the block cache's slots)."""
        i = bisect.bisect_right(self._bases, base) - 1
        if i < 0 or self._regions[i][0] != base:
            raise MemoryFault(f"no region at {base:#x}")
        return self._regions[i][3]

    def view(self, addr: int, length: int) -> memoryview:
        i = bisect.bisect_right(self._bases, addr) - 1
        if i >= 0 and length >= 0:
            base, size, _, mv = self._regions[i]
            off = addr - base
            if off + length <= size:
                return mv[off:off + length]
        raise MemoryFault(f"guest range {addr:#x}+{length} is not mapped")

    def read(self, addr: int, length: int) -> bytes:
        return bytes(self.view(addr, length))

    def write(self, addr: int, data) -> None:
        self.view(addr, len(data))[:] = data

    def le16(self, addr: int) -> int:
        return LE16.unpack(self.view(addr, 2))[0]

    def set_le16(self, addr: int, value: int) -> None:
        LE16.pack_into(self.view(addr, 2), 0, value & 0xFFFF)


class QueueAreas:
    """Where one queue's three areas live (what the driver writes to the transport's
    queue_desc / queue_driver / queue_device registers)."""

    __slots__ = ("size", "desc", "avail", "used")

    def __init__(self, size: int, desc: int, avail: int, used: int):
        if size <= 0 or size > MAX_QUEUE_SIZE or size & (size - 1):
            raise EINVAL(f"queue size {size} is not a power of two <= {MAX_QUEUE_SIZE}")
        if desc % 16 or avail % 2 or used % 4:
            raise EINVAL("virtqueue areas are misaligned (16/2/4 bytes)")
        self.size = size
        self.desc = desc
        self.avail = avail
        self.used = used

    @classmethod
    def allocate(cls, memory: GuestMemory, size: int) -> "QueueAreas":
        desc_len, avail_len, used_len, _ = ring_layout(size)
        desc = memory.add_region(desc_len, 16)
        avail = memory.add_region(avail_len, 2)
        used = memory.add_region(used_len, 4)
        return cls(size, desc, avail, used)


class DriverQueue:
    """The driver's half (drivers/virtio/virtio_ring.c, split ring).

    `add()` takes descriptors from the free list, fills them, and publishes the head in
    the available ring (idx is written after the ring entry, as virtqueue_add_split does
    after its write barrier). `kick()` notifies the device unless it asked not to be
    (VIRTQ_USED_F_NO_NOTIFY). `get_used()` reaps one completion and returns its chain to
    the free list.
    """

    def __init__(self, memory: GuestMemory, areas: QueueAreas, notify, start_idx: int = 0):
        self.memory = memory
        self.areas = areas
        self.size = areas.size
        self.notify = notify  # callable(): the transport's queue notification
        self.free_head = 0
        self.num_free = self.size
        for i in range(self.size):  # thread the free list through `next`
            self._write_desc(i, 0, 0, 0, (i + 1) % self.size)
        self.avail_idx = start_idx & 0xFFFF  # shadow of avail->idx
        self.last_used_idx = start_idx & 0xFFFF
        self.tokens: dict[int, object] = {}
        self.interrupts = 0
        self.kicks = 0
        memory.set_le16(areas.avail, 0)  # flags: we want interrupts
        memory.set_le16(areas.avail + 2, self.avail_idx)

    def _write_desc(self, i: int, addr: int, length: int, flags: int, nxt: int) -> None:
        VIRTQ_DESC.pack_into(self.memory.view(self.areas.desc + 16 * i, 16), 0, addr, length, flags, nxt)

    def _read_desc(self, i: int) -> tuple[int, int, int, int]:
        return VIRTQ_DESC.unpack(self.memory.view(self.areas.desc + 16 * i, 16))

    def set_interrupts(self, enabled: bool) -> None:
        """virtqueue_disable_cb / enable_cb: VIRTQ_AVAIL_F_NO_INTERRUPT."""
        self.memory.set_le16(self.areas.avail, 0 if enabled else VIRTQ_AVAIL_F_NO_INTERRUPT)

    def add(self, out_bufs, in_bufs, token) -> int:
        """Post one request: out_bufs the device reads, in_bufs it writes, as lists of
        (address, length). Returns the head descriptor. ENOSPC if the ring is full."""
        n = len(out_bufs) + len(in_bufs)
        if n == 0:
            raise EINVAL("empty request")
        if n > self.num_free:
            raise ENOSPC("virtqueue full")
        head = i = self.free_head
        count = 0
        for bufs, flag in ((out_bufs, 0), (in_bufs, VIRTQ_DESC_F_WRITE)):
            for addr, length in bufs:
                count += 1
                nxt = self._read_desc(i)[3]
                more = VIRTQ_DESC_F_NEXT if count < n else 0
                self._write_desc(i, addr, length, flag | more, nxt if more else 0)
                i = nxt
        self.free_head = i
        self.num_free -= n
        self.tokens[head] = token
        memory = self.memory
        slot = self.avail_idx % self.size
        memory.set_le16(self.areas.avail + 4 + 2 * slot, head)
        self.avail_idx = (self.avail_idx + 1) & 0xFFFF
        memory.set_le16(self.areas.avail + 2, self.avail_idx)  # after the ring entry
        return head

    def kick(self) -> bool:
        """Notify the device if it wants to be notified; True if it was."""
        if self.memory.le16(self.areas.used) & VIRTQ_USED_F_NO_NOTIFY:
            return False
        self.kicks += 1
        self.notify()
        return True

    def interrupt(self) -> None:
        """The device's used-buffer notification."""
        self.interrupts += 1

    def pending(self) -> bool:
        return self.memory.le16(self.areas.used + 2) != self.last_used_idx

    def get_used(self):
        """(token, written length) of the next completion, or None."""
        memory = self.memory
        used = self.areas.used
        if memory.le16(used + 2) == self.last_used_idx:
            return None
        slot = self.last_used_idx % self.size
        head, length = VIRTQ_USED_ELEM.unpack(memory.view(used + 4 + 8 * slot, 8))
        self.last_used_idx = (self.last_used_idx + 1) & 0xFFFF
        if head >= self.size or head not in self.tokens:
            raise EINVAL(f"device returned unknown descriptor {head}")
        token = self.tokens.pop(head)
        # detach_buf_split: walk the chain back onto the free list.
        i = head
        freed = 1
        while True:
            _, _, flags, nxt = self._read_desc(i)
            if not flags & VIRTQ_DESC_F_NEXT:
                break
            i = nxt
            freed += 1
        self._write_desc(i, 0, 0, 0, self.free_head)
        self.free_head = head
        self.num_free += freed
        return token, length


class ChainError(Exception):
    """A malformed descriptor chain. `head` is its first descriptor (the device still
    completes it, with an error status, so the driver gets its descriptors back)."""

    def __init__(self, head: int, message: str):
        super().__init__(message)
        self.head = head


class DeviceQueue:
    """The device's half: pop available chains, push used elements."""

    def __init__(self, memory: GuestMemory, areas: QueueAreas, start_idx: int = 0):
        self.memory = memory
        self.areas = areas
        self.size = areas.size
        self.last_avail_idx = start_idx & 0xFFFF
        self.used_idx = start_idx & 0xFFFF
        memory.set_le16(areas.used, 0)  # flags: notify us
        memory.set_le16(areas.used + 2, self.used_idx)

    def set_notifications(self, enabled: bool) -> None:
        self.memory.set_le16(self.areas.used, 0 if enabled else VIRTQ_USED_F_NO_NOTIFY)

    def available(self) -> bool:
        return self.memory.le16(self.areas.avail + 2) != self.last_avail_idx

    def pop(self):
        """(head, [(addr, len, writable)]) of the next available chain, or None.

        Raises ChainError (with the head, so the device can still complete it) for a
        descriptor index out of range, a loop (a chain longer than the queue), an
        indirect descriptor (VIRTIO_F_INDIRECT_DESC is not offered), or a readable
        buffer after a writable one.
        """
        memory = self.memory
        areas = self.areas
        if memory.le16(areas.avail + 2) == self.last_avail_idx:
            return None
        slot = self.last_avail_idx % self.size
        head = memory.le16(areas.avail + 4 + 2 * slot)
        self.last_avail_idx = (self.last_avail_idx + 1) & 0xFFFF
        if head >= self.size:
            raise ChainError(head, f"available head {head} >= queue size {self.size}")
        chain = []
        i = head
        seen_write = False
        desc = VIRTQ_DESC
        base = areas.desc
        while True:
            if len(chain) >= self.size:
                raise ChainError(head, "descriptor chain loops")
            addr, length, flags, nxt = desc.unpack(memory.view(base + 16 * i, 16))
            if flags & VIRTQ_DESC_F_INDIRECT:
                raise ChainError(head, "indirect descriptors were not negotiated")
            writable = bool(flags & VIRTQ_DESC_F_WRITE)
            if seen_write and not writable:
                raise ChainError(head, "device-readable descriptor after a writable one")
            seen_write |= writable
            chain.append((addr, length, writable))
            if not flags & VIRTQ_DESC_F_NEXT:
                break
            if nxt >= self.size:
                raise ChainError(head, f"next descriptor {nxt} >= queue size")
            i = nxt
        return head, chain

    def push(self, head: int, written: int) -> None:
        """Return a chain to the driver: the used element first, then used->idx."""
        memory = self.memory
        used = self.areas.used
        slot = self.used_idx % self.size
        VIRTQ_USED_ELEM.pack_into(memory.view(used + 4 + 8 * slot, 8), 0, head, written)
        self.used_idx = (self.used_idx + 1) & 0xFFFF
        memory.set_le16(used + 2, self.used_idx)

    def wants_interrupt(self) -> bool:
        return not self.memory.le16(self.areas.avail) & VIRTQ_AVAIL_F_NO_INTERRUPT


__all__ = ["GuestMemory", "MemoryFault", "QueueAreas", "DriverQueue", "DeviceQueue", "ChainError",
           "VIRTQ_DESC_F_NEXT", "VIRTQ_DESC_F_WRITE", "VIRTQ_DESC_F_INDIRECT",
           "VIRTQ_AVAIL_F_NO_INTERRUPT", "VIRTQ_USED_F_NO_NOTIFY", "ring_layout"]
