"""The block cache, pure-Python twin of kevlar._fast.blockcache (identical behaviour;
`KEVLAR_PURE=1` selects this one, see kevlar.block.load_cache_class).

A fixed number of slots, each one block of `block_size` bytes, in a region of the disk's
guest memory: the device DMAs reads straight into the slots and writes straight out of
them (scatter-gather: one descriptor per slot). Like Linux's buffer cache on a block
device, it serves the file system's metadata and data alike.

- Lookup: a dict block -> slot. Replacement: LRU, a doubly linked list over slot numbers
  (most recent at the head).
- Write-back: a write only marks the slot dirty. Dirty blocks reach the disk when they
  are evicted (with their dirty neighbours, as one request), and on flush() (fsync,
  sync, syncfs, umount, exit): every dirty block, sorted and coalesced into runs, then a
  VIRTIO_BLK_T_FLUSH once the writes have completed.
- Read-ahead: a miss that continues the previous miss (sequential reads) grows a window
  (4 blocks, doubling up to `readahead_max` bytes, 1 MiB by default: measured best for
  cold sequential reads, see kevlar.bench.storage) of blocks read in the same request;
  an unrelated miss resets it. Blocks already cached end the window.
- Errors: a failed read inserts nothing and raises EIO; a failed write-back leaves the
  blocks dirty (nothing is silently dropped) and raises EIO.

Counters: hits and misses (blocks asked for), readahead (blocks read beyond those asked
for), evictions, writebacks (blocks written), flushes (flush() calls), errors.

Preconditions: 0 <= block < nblocks for every call (callers validate pointers first: a
block outside the disk raises EIO here, never reaches the device).
"""

from kevlar.abi.errors import EINVAL, EIO

SECTOR_SHIFT = 9
READAHEAD_MIN = 4


class BlockCache:
    def __init__(self, device, block_size: int, capacity: int, readahead_max: int = 1 << 20):
        if block_size <= 0 or block_size % 512 or block_size & (block_size - 1):
            raise EINVAL(f"bad block size {block_size}")
        capacity = max(int(capacity), 8)
        self.device = device
        self.block_size = block_size
        self.capacity = capacity
        self.sectors_per_block = block_size >> SECTOR_SHIFT
        self.nblocks = (device.capacity << SECTOR_SHIFT) // block_size
        self.base = device.memory.add_region(capacity * block_size)
        self.data = device.memory.region(self.base)
        self.index: dict[int, int] = {}
        self.block_of = [-1] * capacity
        self.dirty = bytearray(capacity)
        self.dirty_blocks: set[int] = set()
        self.prev = [-1] * capacity
        self.next = [-1] * capacity
        self.head = -1
        self.tail = -1
        self.free = list(range(capacity - 1, -1, -1))
        self.seg_max = max(1, device.seg_max)
        self.ra_max = max(0, min(readahead_max // block_size, capacity // 4))
        self.ra_window = 0
        self.ra_next = -1
        self.max_fill = max(1, capacity // 2)
        self.hits = self.misses = self.readahead = 0
        self.evictions = self.writebacks = self.flushes = self.errors = 0
        self.unflushed = False  # blocks were written since the last device flush

    # -- the LRU list ----------------------------------------------------------------------
    def _unlink(self, s: int) -> None:
        p, n = self.prev[s], self.next[s]
        if p >= 0:
            self.next[p] = n
        else:
            self.head = n
        if n >= 0:
            self.prev[n] = p
        else:
            self.tail = p
        self.prev[s] = self.next[s] = -1

    def _push_front(self, s: int) -> None:
        self.prev[s] = -1
        self.next[s] = self.head
        if self.head >= 0:
            self.prev[self.head] = s
        self.head = s
        if self.tail < 0:
            self.tail = s

    def _touch(self, s: int) -> None:
        if self.head != s:
            self._unlink(s)
            self._push_front(s)

    # -- slots -------------------------------------------------------------------------------
    def _take_slot(self) -> int:
        """A slot off the LRU list and out of the index (evicting the LRU block)."""
        if self.free:
            return self.free.pop()
        s = self.tail
        if s < 0:
            raise EIO("block cache: every slot is busy")
        if self.dirty[s]:
            self._writeback_around(s)
        self._unlink(s)
        del self.index[self.block_of[s]]
        self.block_of[s] = -1
        self.evictions += 1
        return s

    def _insert(self, block: int, s: int) -> None:
        self.index[block] = s
        self.block_of[s] = block
        self._push_front(s)

    def _set_dirty(self, s: int) -> None:
        if not self.dirty[s]:
            self.dirty[s] = 1
            self.dirty_blocks.add(self.block_of[s])

    def _set_clean(self, s: int) -> None:
        if self.dirty[s]:
            self.dirty[s] = 0
            self.dirty_blocks.discard(self.block_of[s])

    def _check(self, block: int, count: int = 1) -> None:
        if block < 0 or count < 0 or block + count > self.nblocks:
            self.errors += 1
            raise EIO(f"block {block}+{count} is outside the disk ({self.nblocks} blocks)")

    def _fill(self, block: int, count: int) -> None:
        """Read blocks [block, block+count) (none cached) into fresh slots."""
        while count > 0:
            n = min(count, self.max_fill)
            slots: list[int] = []
            try:
                for _ in range(n):
                    slots.append(self._take_slot())
            except Exception:
                self.free.extend(slots)
                raise
            bs = self.block_size
            base = self.base
            try:
                self.device.read(block * self.sectors_per_block, [(base + s * bs, bs) for s in slots])
            except Exception:
                self.free.extend(slots)
                self.errors += 1
                raise
            for i, s in enumerate(slots):
                self._insert(block + i, s)
            block += n
            count -= n

    def _readahead(self, start: int, stop: int) -> int:
        """How many blocks past a miss run [start, stop) to read in the same request."""
        if start == self.ra_next:
            self.ra_window = min(max(self.ra_window * 2, READAHEAD_MIN), self.ra_max)
        else:
            self.ra_window = 0
        limit = min(self.ra_window, self.nblocks - stop)
        extra = 0
        index = self.index
        while extra < limit and stop + extra not in index:
            extra += 1
        self.ra_next = stop + extra
        return extra

    # -- reading -----------------------------------------------------------------------------
    def read_range(self, block: int, count: int) -> bytes:
        """The bytes of blocks [block, block+count)."""
        self._check(block, count)
        bs = self.block_size
        data = self.data
        index = self.index
        out = []
        b = block
        end = block + count
        while b < end:
            s = index.get(b)
            if s is not None:
                self.hits += 1
                self._touch(s)
                out.append(bytes(data[s * bs:(s + 1) * bs]))
                b += 1
                continue
            stop = b + 1
            while stop < end and stop not in index and stop - b < self.max_fill:
                stop += 1
            self.misses += stop - b
            if stop == end:
                extra = min(self._readahead(b, stop), self.max_fill - (stop - b))
            else:  # more of this range follows: no read-ahead yet
                extra = 0
                self.ra_next = stop
            self._fill(b, stop - b + extra)
            self.readahead += extra
            for x in range(b, stop):
                s = index[x]
                out.append(bytes(data[s * bs:(s + 1) * bs]))
            b = stop
        return b"".join(out)

    def read(self, block: int) -> bytes:
        return self.read_range(block, 1)

    # -- writing -----------------------------------------------------------------------------
    def write(self, block: int, offset: int, data) -> None:
        """Put data at offset within block (read first unless it covers the block)."""
        bs = self.block_size
        n = len(data)
        if offset < 0 or offset + n > bs:
            raise EINVAL("write crosses a block boundary")
        self._check(block)
        s = self.index.get(block)
        if s is None:
            if n == bs:
                s = self._take_slot()
                self._insert(block, s)
            else:
                self.misses += 1
                self.ra_next = -1
                self._fill(block, 1)
                s = self.index[block]
        else:
            self.hits += 1
            self._touch(s)
        self.data[s * bs + offset:s * bs + offset + n] = data
        self._set_dirty(s)

    def write_new(self, block: int, data=b"") -> None:
        """A freshly allocated block: zeros, then data at its start; never read."""
        bs = self.block_size
        self._check(block)
        s = self.index.get(block)
        if s is None:
            s = self._take_slot()
            self._insert(block, s)
        else:
            self._touch(s)
        start = s * bs
        n = len(data)
        self.data[start:start + n] = data
        self.data[start + n:start + bs] = bytes(bs - n)
        self._set_dirty(s)

    def forget(self, block: int) -> None:
        """The file system freed block: drop it, dirty or not (bforget)."""
        s = self.index.pop(block, None)
        if s is None:
            return
        self._set_clean(s)
        self._unlink(s)
        self.block_of[s] = -1
        self.free.append(s)

    # -- write-back ----------------------------------------------------------------------------
    def _runs(self, blocks: list[int]) -> list[tuple[int, list[int]]]:
        """Sorted dirty blocks as (first block, slots) runs of at most seg_max."""
        runs = []
        first = -2
        slots: list[int] = []
        index = self.index
        for b in blocks:
            if slots and b == first + len(slots) and len(slots) < self.seg_max:
                slots.append(index[b])
            else:
                if slots:
                    runs.append((first, slots))
                first, slots = b, [index[b]]
        if slots:
            runs.append((first, slots))
        return runs

    def _write_runs(self, runs) -> None:
        bs = self.block_size
        base = self.base
        spb = self.sectors_per_block
        writes = [(first * spb, [(base + s * bs, bs) for s in slots]) for first, slots in runs]
        ok = self.device.write_many(writes)
        failed = 0
        for (_first, slots), good in zip(runs, ok, strict=True):
            if good:
                for s in slots:
                    self._set_clean(s)
                self.writebacks += len(slots)
                self.unflushed = True
            else:
                failed += 1
        if failed:
            self.errors += failed
            raise EIO(f"block cache: {failed} write-back request(s) failed")

    def _writeback_around(self, s: int) -> None:
        """Evicting dirty slot s: write it with its dirty neighbours, in one request."""
        block = self.block_of[s]
        index, dirty = self.index, self.dirty
        lo = block
        half = self.seg_max // 2
        while block - lo < half:
            t = index.get(lo - 1)
            if t is None or not dirty[t]:
                break
            lo -= 1
        hi = block
        while hi - lo + 1 < self.seg_max:
            t = index.get(hi + 1)
            if t is None or not dirty[t]:
                break
            hi += 1
        self._write_runs([(lo, [index[b] for b in range(lo, hi + 1)])])

    def writeback(self) -> None:
        """Write every dirty block (no device flush)."""
        if self.dirty_blocks:
            self._write_runs(self._runs(sorted(self.dirty_blocks)))

    def flush(self) -> None:
        """fsync semantics: every dirty block written, then (if anything was written since
        the last one) the device's cache flushed."""
        self.writeback()
        if not self.unflushed:
            return
        try:
            self.device.flush()
        except Exception:
            self.errors += 1
            raise
        self.unflushed = False
        self.flushes += 1

    def dirty_count(self) -> int:
        return len(self.dirty_blocks)

    def cached(self, block: int) -> bool:
        return block in self.index

    def stats(self) -> dict:
        return dict(hits=self.hits, misses=self.misses, readahead=self.readahead,
                    evictions=self.evictions, writebacks=self.writebacks, flushes=self.flushes,
                    errors=self.errors, dirty=len(self.dirty_blocks), cached=len(self.index),
                    capacity=self.capacity, block_size=self.block_size)

    def close(self) -> None:
        """Flush and let go (the region is freed by the device)."""
        if self.dirty_blocks:
            self.flush()


__all__ = ["BlockCache"]
