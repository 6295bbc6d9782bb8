# The block cache's fields (implementation in blockcache.pyx, pure twin kevlar/block/cache.py).

cdef class BlockCache:
    cdef readonly object device
    cdef readonly int block_size
    cdef readonly int capacity
    cdef readonly int sectors_per_block
    cdef readonly long long nblocks
    cdef readonly object base
    cdef object region          # memoryview of the slots' guest-memory region
    cdef unsigned char[::1] view
    cdef unsigned char *buf
    cdef dict index             # block -> slot
    cdef set dirty_blocks
    cdef long long *block_of
    cdef int *prev
    cdef int *next
    cdef char *dirty
    cdef int *free_slots
    cdef int nfree
    cdef int head
    cdef int tail
    cdef int seg_max
    cdef long long ra_max
    cdef long long ra_window
    cdef long long ra_next
    cdef int max_fill
    cdef readonly bint unflushed
    cdef readonly long long hits, misses, readahead, evictions, writebacks, flushes, errors

    cdef inline void _unlink(self, int s)
    cdef inline void _push_front(self, int s)
    cdef inline void _touch(self, int s)
    cdef int _take_slot(self) except -1
    cdef inline void _insert(self, long long block, int s)
    cdef inline void _set_dirty(self, int s)
    cdef inline void _set_clean(self, int s)
    cdef int _check(self, long long block, long long count) except -1
    cdef int _fill(self, long long block, long long count) except -1
    cdef long long _readahead(self, long long start, long long stop)
    cdef int _write_runs(self, list runs) except -1
    cdef int _writeback_around(self, int s) except -1
