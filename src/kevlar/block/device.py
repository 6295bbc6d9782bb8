"""Kevlar's virtio-blk driver: one attached disk, /dev/vdX (drivers/block/virtio_blk.c).

The driver owns the guest memory it shares with the device model: the virtqueue, a
16-byte request header and a status byte per descriptor (indexed by the chain's head,
which is unique while the request is in flight), a bounce buffer for unaligned raw I/O,
and the block cache's slots, into which the device DMAs directly.

Initialisation follows VirtIO 1.2 section 3.1.1: reset, ACKNOWLEDGE, DRIVER, read the
device features, write the subset we understand, FEATURES_OK, re-read the status to see
the device accepted them, set up the queue, DRIVER_OK. The negotiated features decide
what the disk is: VIRTIO_BLK_F_RO makes it read-only (EROFS for writers),
VIRTIO_BLK_F_FLUSH allows T_FLUSH (else the device is write-through and flush is a
no-op), VIRTIO_BLK_F_SEG_MAX / F_SIZE_MAX bound a request, F_BLK_SIZE is reported by
BLKBSZGET. A request that completes with VIRTIO_BLK_S_IOERR is EIO, as
virtblk_result() maps it (BLK_STS_IOERR); S_UNSUPP is EOPNOTSUPP.

Requests are posted in order and a batch is kicked once; the driver waits for every
completion of a batch before it posts a flush (REQ_PREFLUSH semantics: a flush covers
the writes that completed before it was issued).
"""

from kevlar.abi.errors import EINVAL, EIO, EOPNOTSUPP, EROFS
from kevlar.block import virtio_blk as vb
from kevlar.block.virtqueue import DriverQueue, GuestMemory, QueueAreas

MAJOR = 254  # virtblk's dynamic major on most systems; /proc/devices says "virtblk"
MINORS_PER_DISK = 16  # vda, vda1..vda15
BOUNCE_SIZE = 64 * 1024
QUEUE_SIZE = 256

# The features this driver understands (virtio_blk.c's features[] table, trimmed).
DRIVER_FEATURES = (vb.bit(vb.VIRTIO_F_VERSION_1) | vb.bit(vb.VIRTIO_BLK_F_RO) | vb.bit(vb.VIRTIO_BLK_F_FLUSH)
                   | vb.bit(vb.VIRTIO_BLK_F_BLK_SIZE) | vb.bit(vb.VIRTIO_BLK_F_SEG_MAX)
                   | vb.bit(vb.VIRTIO_BLK_F_SIZE_MAX))


def disk_name(index: int) -> str:
    """vda..vdz, vdaa.. (virtblk_name_format)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("a") + rem) + letters
    return "vd" + letters


class BlockDevice:
    """An attached disk: the driver, its device model, and (once used) its cache."""

    def __init__(self, backend, index: int = 0, read_only: bool = False, queue_size: int = QUEUE_SIZE,
                 flush: bool = True, seg_max: int = vb.DEFAULT_SEG_MAX, start_idx: int = 0,
                 label: str = ""):
        self.index = index
        self.name = disk_name(index)
        self.label = label or getattr(backend, "path", None) or self.name
        self.major = MAJOR
        self.minor = index * MINORS_PER_DISK
        self.memory = GuestMemory()
        self.backend = backend
        self.model = vb.VirtioBlk(backend, self.memory, read_only=read_only, flush=flush,
                                  serial=f"kevlar-{self.name}".encode(), seg_max=seg_max)
        self.cache = None
        self.fs = None  # the ext2 file system mounted from this disk, if any
        self.sysfs = None  # sysfs's record of this disk (its iostats counters)
        self.cache_bytes = 64 << 20
        self._probe(queue_size, start_idx)

    # -- initialisation (3.1.1) ---------------------------------------------------------------
    def _probe(self, queue_size: int, start_idx: int) -> None:
        dev = self.model
        dev.set_status(0)
        dev.set_status(vb.STATUS_ACKNOWLEDGE)
        dev.set_status(vb.STATUS_ACKNOWLEDGE | vb.STATUS_DRIVER)
        offered = dev.device_features
        if not offered & vb.bit(vb.VIRTIO_F_VERSION_1):
            dev.set_status(vb.STATUS_FAILED)
            raise EINVAL(f"{self.name}: legacy virtio devices are not supported")
        self.features = offered & DRIVER_FEATURES
        dev.set_driver_features(self.features)
        dev.set_status(dev.get_status() | vb.STATUS_FEATURES_OK)
        if not dev.get_status() & vb.STATUS_FEATURES_OK:
            dev.set_status(vb.STATUS_FAILED)
            raise EINVAL(f"{self.name}: the device refused our features")
        (capacity, size_max, seg_max, _cyl, _heads, _sectors, blk_size, *_rest) = \
            vb.BLK_CONFIG.unpack(dev.read_config())
        self.capacity = capacity  # in 512-byte sectors, whatever blk_size says
        self.seg_max = seg_max if self.has(vb.VIRTIO_BLK_F_SEG_MAX) and seg_max else 1
        self.size_max = size_max if self.has(vb.VIRTIO_BLK_F_SIZE_MAX) and size_max else 1 << 30
        self.blk_size = blk_size if self.has(vb.VIRTIO_BLK_F_BLK_SIZE) and blk_size else 512
        self.read_only = self.has(vb.VIRTIO_BLK_F_RO)
        self.can_flush = self.has(vb.VIRTIO_BLK_F_FLUSH)
        # A request is header + data + status descriptors; keep it inside the ring.
        self.seg_max = max(1, min(self.seg_max, queue_size - 2))
        areas = QueueAreas.allocate(self.memory, queue_size)
        self.queue = DriverQueue(self.memory, areas, lambda: dev.notify(0), start_idx)
        dev.interrupt = self.queue.interrupt
        dev.setup_queue(0, areas, start_idx)
        self.headers = self.memory.add_region(16 * queue_size, 16)
        self.statuses = self.memory.add_region(queue_size, 1)
        self.bounce = self.memory.add_region(BOUNCE_SIZE)
        dev.set_status(dev.get_status() | vb.STATUS_DRIVER_OK)
        if dev.get_status() & vb.STATUS_FAILED:
            raise EINVAL(f"{self.name}: the device failed to start")

    def has(self, feature: int) -> bool:
        return bool(self.features & vb.bit(feature))

    @property
    def size(self) -> int:
        return self.capacity * vb.SECTOR_SIZE

    @property
    def rdev(self) -> int:
        from kevlar.fs.devfs import mkdev
        return mkdev(self.major, self.minor)

    # -- requests --------------------------------------------------------------------------------
    def transfer(self, requests: list) -> list[int]:
        """Post (type, sector, out_segments, in_segments) requests in order and wait for
        all of them; returns their status bytes. Segments are (address, length) pairs in
        self.memory. The ring is kicked when full and at the end."""
        queue = self.queue
        memory = self.memory
        results = [vb.VIRTIO_BLK_S_IOERR] * len(requests)
        pending = 0
        for n, (kind, sector, outs, ins) in enumerate(requests):
            need = 2 + len(outs) + len(ins)
            if need > queue.size:
                raise EINVAL(f"a request of {need} descriptors does not fit a ring of {queue.size}")
            if need > queue.num_free:
                queue.kick()
                pending -= self._reap(results)
            slot = queue.free_head
            header = self.headers + 16 * slot
            status = self.statuses + slot
            vb.REQ_HEADER.pack_into(memory.view(header, 16), 0, kind, 0, sector)
            memory.view(status, 1)[0] = 0xFF  # the device must overwrite it
            queue.add([(header, 16), *outs], [*ins, (status, 1)], (n, status))
            pending += 1
        if pending:
            queue.kick()
            pending -= self._reap(results)
        if pending:
            raise EIO(f"{self.name}: {pending} request(s) never completed")
        record = self.sysfs
        if record is not None:
            self._account(record.stats, requests, results)
        return results

    @staticmethod
    def _account(stats: list[int], requests: list, results: list[int]) -> None:
        """/sys/block/X/stat and /proc/diskstats (Documentation/admin-guide/iostats.rst):
        reads completed [0], sectors read [2], writes completed [4], sectors written [6],
        flushes completed [15]."""
        for (kind, _sector, outs, ins), status in zip(requests, results, strict=True):
            if status != vb.VIRTIO_BLK_S_OK:
                continue
            if kind == vb.VIRTIO_BLK_T_IN:
                stats[0] += 1
                stats[2] += sum(n for _, n in ins) >> vb.SECTOR_SHIFT
            elif kind == vb.VIRTIO_BLK_T_OUT:
                stats[4] += 1
                stats[6] += sum(n for _, n in outs) >> vb.SECTOR_SHIFT
            elif kind == vb.VIRTIO_BLK_T_FLUSH:
                stats[15] += 1

    def _reap(self, results: list[int]) -> int:
        done = 0
        memory = self.memory
        while True:
            used = self.queue.get_used()
            if used is None:
                return done
            (n, status), _written = used
            results[n] = memory.view(status, 1)[0]
            done += 1

    def _check(self, status: int, what: str) -> None:
        if status == vb.VIRTIO_BLK_S_OK:
            return
        if status == vb.VIRTIO_BLK_S_UNSUPP:
            raise EOPNOTSUPP(f"{self.name}: {what} unsupported")
        raise EIO(f"{self.name}: {what} failed")

    def _split(self, sector: int, segments: list) -> list[tuple[int, list]]:
        """Cut a transfer into requests of at most seg_max segments and size_max bytes
        per segment (blk_queue_max_segments / max_segment_size)."""
        out = []
        chunk: list = []
        start = pos = sector
        for addr, length in segments:
            while length:
                take = min(length, self.size_max)
                if len(chunk) >= self.seg_max:
                    out.append((start, chunk))
                    chunk, start = [], pos
                chunk.append((addr, take))
                addr += take
                length -= take
                pos += take >> vb.SECTOR_SHIFT
        if chunk:
            out.append((start, chunk))
        return out

    def read(self, sector: int, segments: list) -> None:
        """Fill segments (address, length) from sector on; EIO on failure."""
        requests = [(vb.VIRTIO_BLK_T_IN, s, [], segs) for s, segs in self._split(sector, segments)]
        for status in self.transfer(requests):
            self._check(status, f"read at sector {sector}")

    def write_many(self, writes: list) -> list[bool]:
        """[(sector, segments)] written in one batch; returns which succeeded."""
        if self.read_only:
            raise EROFS()
        requests = []
        owner = []
        for n, (sector, segments) in enumerate(writes):
            for s, segs in self._split(sector, segments):
                requests.append((vb.VIRTIO_BLK_T_OUT, s, segs, []))
                owner.append(n)
        ok = [True] * len(writes)
        for n, status in zip(owner, self.transfer(requests), strict=True):
            if status != vb.VIRTIO_BLK_S_OK:
                ok[n] = False
        return ok

    def write(self, sector: int, segments: list) -> None:
        if not self.write_many([(sector, segments)])[0]:
            raise EIO(f"{self.name}: write at sector {sector} failed")

    def flush(self) -> None:
        """T_FLUSH if negotiated; a write-through device needs none."""
        if not self.can_flush or self.read_only:
            return
        (status,) = self.transfer([(vb.VIRTIO_BLK_T_FLUSH, 0, [], [])])
        self._check(status, "flush")

    def get_id(self) -> bytes:
        """VIRTIO_BLK_T_GET_ID: the serial, without its NUL padding."""
        (status,) = self.transfer([(vb.VIRTIO_BLK_T_GET_ID, 0, [], [(self.bounce, vb.VIRTIO_BLK_ID_BYTES)])])
        self._check(status, "get_id")
        return self.memory.read(self.bounce, vb.VIRTIO_BLK_ID_BYTES).rstrip(b"\0")

    # -- unaligned byte access through the bounce buffer (probing, raw device files) -----------
    def read_bytes(self, offset: int, length: int) -> bytes:
        """Bytes [offset, offset+length) of the disk, clipped to its size; EIO on failure."""
        end = min(offset + length, self.size)
        out = bytearray()
        pos = offset
        while pos < end:
            first = pos >> vb.SECTOR_SHIFT
            last = min((end + vb.SECTOR_SIZE - 1) >> vb.SECTOR_SHIFT, first + BOUNCE_SIZE // vb.SECTOR_SIZE)
            n = (last - first) << vb.SECTOR_SHIFT
            self.read(first, [(self.bounce, n)])
            skip = pos - (first << vb.SECTOR_SHIFT)
            take = min(n - skip, end - pos)
            out += self.memory.view(self.bounce + skip, take)
            pos += take
        return bytes(out)

    # -- the cache ---------------------------------------------------------------------------------
    def get_cache(self, block_size: int):
        """The block cache in units of block_size (made on first use; a different block
        size flushes and replaces it, as set_blocksize() does)."""
        cache = self.cache
        if cache is not None and cache.block_size == block_size:
            return cache
        if cache is not None:
            cache.close()
            self.memory.remove_region(cache.base)
        from kevlar.block import load_cache_class
        cls, _ = load_cache_class()
        capacity = max(16, self.cache_bytes // block_size)
        self.cache = cls(self, block_size, capacity)
        return self.cache

    def stats(self) -> dict:
        counters = dict(self.model.counters)
        counters.update(kicks=self.queue.kicks, interrupts=self.queue.interrupts)
        if self.cache is not None:
            counters.update(self.cache.stats())
        return counters

    def shutdown(self) -> None:
        """At exit: unmount what is mounted (final sync), flush, close the backend."""
        if self.fs is not None:
            try:
                self.fs.shutdown()
            finally:
                self.fs = None
        if self.cache is not None and not self.read_only:
            self.cache.flush()
        self.backend.close()
        self.closed = True


__all__ = ["BlockDevice", "disk_name", "MAJOR", "MINORS_PER_DISK"]
