# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The block cache in Cython: twin of kevlar/block/cache.py (read that file's docstring
for the design). Same methods, same order of operations, same counters and errors; the
LRU list, slot table and dirty flags are C arrays here, the data is copied with memcpy.
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize
from libc.stdlib cimport free, malloc
from libc.string cimport memcpy, memset

from kevlar.abi.errors import EINVAL, EIO

cdef enum:
    SECTOR_SHIFT = 9
    READAHEAD_MIN = 4


cdef class BlockCache:
    def __cinit__(self):
        self.block_of = NULL
        self.prev = NULL
        self.next = NULL
        self.dirty = NULL
        self.free_slots = NULL

    def __init__(self, device, int block_size, capacity, readahead_max=1 << 20):
        cdef int i
        if block_size <= 0 or block_size % 512 or block_size & (block_size - 1):
            raise EINVAL(f"bad block size {block_size}")
        cdef int cap = max(int(capacity), 8)
        self.device = device
        self.block_size = block_size
        self.capacity = cap
        self.sectors_per_block = block_size >> SECTOR_SHIFT
        self.nblocks = (device.capacity << SECTOR_SHIFT) // block_size
        self.base = device.memory.add_region(cap * block_size)
        self.region = device.memory.region(self.base)
        self.view = self.region
        self.buf = &self.view[0]
        self.index = {}
        self.dirty_blocks = set()
        self.block_of = <long long *>malloc(cap * sizeof(long long))
        self.prev = <int *>malloc(cap * sizeof(int))
        self.next = <int *>malloc(cap * sizeof(int))
        self.dirty = <char *>malloc(cap)
        self.free_slots = <int *>malloc(cap * sizeof(int))
        if not (self.block_of and self.prev and self.next and self.dirty and self.free_slots):
            raise MemoryError()
        for i in range(cap):
            self.block_of[i] = -1
            self.prev[i] = -1
            self.next[i] = -1
            self.dirty[i] = 0
            self.free_slots[i] = cap - 1 - i  # popped from the end: slot 0 first
        self.nfree = cap
        self.head = -1
        self.tail = -1
        self.seg_max = max(1, device.seg_max)
        self.ra_max = max(0, min(readahead_max // block_size, cap // 4))
        self.ra_window = 0
        self.ra_next = -1
        self.max_fill = max(1, cap // 2)
        self.hits = self.misses = self.readahead = 0
        self.evictions = self.writebacks = self.flushes = self.errors = 0
        self.unflushed = False

    def __dealloc__(self):
        free(self.block_of)
        free(self.prev)
        free(self.next)
        free(self.dirty)
        free(self.free_slots)

    # -- the LRU list --------------------------------------------------------------------------
    cdef inline void _unlink(self, int s):
        cdef int p = self.prev[s]
        cdef int n = self.next[s]
        if p >= 0:
            self.next[p] = n
        else:
            self.head = n
        if n >= 0:
            self.prev[n] = p
        else:
            self.tail = p
        self.prev[s] = -1
        self.next[s] = -1

    cdef inline void _push_front(self, int s):
        self.prev[s] = -1
        self.next[s] = self.head
        if self.head >= 0:
            self.prev[self.head] = s
        self.head = s
        if self.tail < 0:
            self.tail = s

    cdef inline void _touch(self, int s):
        if self.head != s:
            self._unlink(s)
            self._push_front(s)

    # -- slots ---------------------------------------------------------------------------------
    cdef int _take_slot(self) except -1:
        cdef int s
        if self.nfree > 0:
            self.nfree -= 1
            return self.free_slots[self.nfree]
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

    cdef inline void _insert(self, long long block, int s):
        self.index[block] = s
        self.block_of[s] = block
        self._push_front(s)

    cdef inline void _set_dirty(self, int s):
        if not self.dirty[s]:
            self.dirty[s] = 1
            self.dirty_blocks.add(self.block_of[s])

    cdef inline void _set_clean(self, int s):
        if self.dirty[s]:
            self.dirty[s] = 0
            self.dirty_blocks.discard(self.block_of[s])

    cdef int _check(self, long long block, long long count) except -1:
        if block < 0 or count < 0 or block + count > self.nblocks:
            self.errors += 1
            raise EIO(f"block {block}+{count} is outside the disk ({self.nblocks} blocks)")
        return 0

    cdef int _fill(self, long long block, long long count) except -1:
        cdef long long n, i
        cdef int s
        cdef int bs = self.block_size
        cdef list slots, segments
        while count > 0:
            n = min(count, <long long>self.max_fill)
            slots = []
            try:
                for i in range(n):
                    slots.append(self._take_slot())
            except BaseException:
                for s in slots:
                    self.free_slots[self.nfree] = s
                    self.nfree += 1
                raise
            base = self.base
            segments = [(base + s * bs, bs) for s in slots]
            try:
                self.device.read(block * self.sectors_per_block, segments)
            except BaseException:
                for s in slots:
                    self.free_slots[self.nfree] = s
                    self.nfree += 1
                self.errors += 1
                raise
            for i in range(n):
                self._insert(block + i, <int>slots[i])
            block += n
            count -= n
        return 0

    cdef long long _readahead(self, long long start, long long stop):
        cdef long long limit, extra = 0
        if start == self.ra_next:
            self.ra_window = min(max(self.ra_window * 2, <long long>READAHEAD_MIN), self.ra_max)
        else:
            self.ra_window = 0
        limit = min(self.ra_window, self.nblocks - stop)
        index = self.index
        while extra < limit and (stop + extra) not in index:
            extra += 1
        self.ra_next = stop + extra
        return extra

    # -- reading -------------------------------------------------------------------------------
    def read_range(self, long long block, long long count):
        """The bytes of blocks [block, block+count)."""
        cdef long long b, stop, end, x, extra
        cdef int s
        cdef int bs = self.block_size
        cdef bytes out
        cdef char *dst
        cdef object found
        self._check(block, count)
        out = PyBytes_FromStringAndSize(NULL, count * bs)
        dst = PyBytes_AS_STRING(out)
        index = self.index
        b = block
        end = block + count
        while b < end:
            found = index.get(b)
            if found is not None:
                s = found
                self.hits += 1
                self._touch(s)
                memcpy(dst + (b - block) * bs, self.buf + <long long>s * bs, bs)
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
                memcpy(dst + (x - block) * bs, self.buf + <long long>s * bs, bs)
            b = stop
        return out

    def read(self, long long block):
        return self.read_range(block, 1)

    # -- writing -------------------------------------------------------------------------------
    def write(self, long long block, int offset, data):
        """Put data at offset within block (read first unless it covers the block)."""
        cdef int bs = self.block_size
        cdef const unsigned char[::1] src = data
        cdef Py_ssize_t n = src.shape[0]
        cdef int s
        if offset < 0 or offset + n > bs:
            raise EINVAL("write crosses a block boundary")
        self._check(block, 1)
        found = self.index.get(block)
        if found is None:
            if n == bs:
                s = self._take_slot()
                self._insert(block, s)
            else:
                self.misses += 1
                self.ra_next = -1
                self._fill(block, 1)
                s = self.index[block]
        else:
            s = found
            self.hits += 1
            self._touch(s)
        if n:
            memcpy(self.buf + <long long>s * bs + offset, &src[0], n)
        self._set_dirty(s)

    def write_new(self, long long block, data=b""):
        """A freshly allocated block: zeros, then data at its start; never read."""
        cdef int bs = self.block_size
        cdef const unsigned char[::1] src = data
        cdef Py_ssize_t n = src.shape[0]
        cdef int s
        cdef unsigned char *start
        if n > bs:
            raise EINVAL("data larger than a block")
        self._check(block, 1)
        found = self.index.get(block)
        if found is None:
            s = self._take_slot()
            self._insert(block, s)
        else:
            s = found
            self._touch(s)
        start = self.buf + <long long>s * bs
        if n:
            memcpy(start, &src[0], n)
        memset(start + n, 0, bs - n)
        self._set_dirty(s)

    def forget(self, long long block):
        """The file system freed block: drop it, dirty or not (bforget)."""
        cdef int s
        found = self.index.pop(block, None)
        if found is None:
            return
        s = found
        self._set_clean(s)
        self._unlink(s)
        self.block_of[s] = -1
        self.free_slots[self.nfree] = s
        self.nfree += 1

    # -- write-back ------------------------------------------------------------------------------
    def _runs(self, list blocks):
        cdef list runs = [], slots = []
        cdef long long first = -2, b
        index = self.index
        for b in blocks:
            if slots and b == first + len(slots) and len(slots) < self.seg_max:
                slots.append(index[b])
            else:
                if slots:
                    runs.append((first, slots))
                first = b
                slots = [index[b]]
        if slots:
            runs.append((first, slots))
        return runs

    cdef int _write_runs(self, list runs) except -1:
        cdef int bs = self.block_size
        cdef int spb = self.sectors_per_block
        cdef int failed = 0
        cdef int s
        base = self.base
        writes = [(first * spb, [(base + s * bs, bs) for s in slots]) for first, slots in runs]
        ok = self.device.write_many(writes)
        for run, good in zip(runs, ok, strict=True):
            slots = run[1]
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
        return 0

    cdef int _writeback_around(self, int s) except -1:
        cdef long long block = self.block_of[s]
        cdef long long lo = block, hi = block, b
        cdef int half = self.seg_max // 2
        index = self.index
        while block - lo < half:
            t = index.get(lo - 1)
            if t is None or not self.dirty[<int>t]:
                break
            lo -= 1
        while hi - lo + 1 < self.seg_max:
            t = index.get(hi + 1)
            if t is None or not self.dirty[<int>t]:
                break
            hi += 1
        self._write_runs([(lo, [index[b] for b in range(lo, hi + 1)])])
        return 0

    def writeback(self):
        """Write every dirty block (no device flush)."""
        if self.dirty_blocks:
            self._write_runs(self._runs(sorted(self.dirty_blocks)))

    def flush(self):
        """fsync semantics: every dirty block written, then (if anything was written since
        the last one) the device's cache flushed."""
        self.writeback()
        if not self.unflushed:
            return
        try:
            self.device.flush()
        except BaseException:
            self.errors += 1
            raise
        self.unflushed = False
        self.flushes += 1

    def dirty_count(self):
        return len(self.dirty_blocks)

    def cached(self, long long block):
        return block in self.index

    def stats(self):
        return dict(hits=self.hits, misses=self.misses, readahead=self.readahead,
                    evictions=self.evictions, writebacks=self.writebacks, flushes=self.flushes,
                    errors=self.errors, dirty=len(self.dirty_blocks), cached=len(self.index),
                    capacity=self.capacity, block_size=self.block_size)

    def close(self):
        """Flush and let go (the region is freed by the device)."""
        if self.dirty_blocks:
            self.flush()
