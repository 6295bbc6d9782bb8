"""The block cache, both twins (pure and Cython) through the same tests: LRU eviction,
write-back with dirty tracking, read-ahead, errors, and a hypothesis state machine that
checks the cache and the disk against a model after every step. The twins must also
agree with each other counter for counter."""

import os
import random

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from kevlar.abi.errors import EIO
from kevlar.block.backend import FaultyBackend, MemoryBackend
from kevlar.block.device import BlockDevice

BS = 1024
NBLOCKS = 64


def make(cache_class, capacity=8, data=None, faults=None, readahead=256 * 1024):
    data = data if data is not None else bytearray(os.urandom(NBLOCKS * BS))
    backend = MemoryBackend(data)
    if faults:
        backend = FaultyBackend(backend, **faults)
    device = BlockDevice(backend)
    return cache_class(device, BS, capacity, readahead), data, backend


def block(data, b):
    return bytes(data[b * BS:(b + 1) * BS])


def test_loader_follows_the_engine_switch(monkeypatch):
    from kevlar.block import load_cache_class
    monkeypatch.setenv("KEVLAR_PURE", "1")
    cls, text = load_cache_class()
    assert cls.__module__ == "kevlar.block.cache" and "pure" in text
    monkeypatch.setenv("KEVLAR_PURE", "0")
    cls, text = load_cache_class()
    assert cls.__module__ == "kevlar._fast.blockcache" and text == "cython"


def test_reads_and_hits(cache_class):
    cache, data, _ = make(cache_class)
    assert cache.read(5) == block(data, 5)
    assert cache.read(5) == block(data, 5)
    assert cache.read_range(4, 3) == block(data, 4) + block(data, 5) + block(data, 6)
    s = cache.stats()
    assert (s["hits"], s["misses"]) == (2, 3)


def test_lru_evicts_the_least_recently_used(cache_class):
    cache, data, _ = make(cache_class, capacity=8, readahead=0)
    for b in range(8):
        cache.read(b * 2)  # scattered: no read-ahead
    cache.read(0)  # 0 becomes the most recent
    cache.read(40)  # evicts 2, the least recent
    assert cache.cached(0) and not cache.cached(2) and cache.cached(4)
    assert cache.stats()["evictions"] == 1


def test_dirty_blocks_are_written_on_eviction_and_flush(cache_class):
    cache, data, backend = make(cache_class, capacity=8, readahead=0)
    cache.write(3, 10, b"hello")
    assert data[3 * BS + 10:3 * BS + 15] != b"hello"
    assert cache.dirty_count() == 1
    for b in range(20, 36, 2):
        cache.read(b)  # pushes 3 out
    assert not cache.cached(3)
    assert data[3 * BS + 10:3 * BS + 15] == b"hello"
    assert cache.stats()["writebacks"] == 1 and cache.dirty_count() == 0
    cache.write_new(50, b"new")
    cache.flush()
    assert block(data, 50) == b"new" + bytes(BS - 3)
    assert backend.flushes == 1 and cache.stats()["flushes"] == 1


def test_full_block_writes_are_not_read_first(cache_class):
    data = bytearray(NBLOCKS * BS)
    cache, _, backend = make(cache_class, data=data, faults={"bad_read": set(range(128))})
    cache.write(7, 0, b"z" * BS)  # would fail if it read
    cache.write_new(8)
    with pytest.raises(EIO):
        cache.write(9, 1, b"z")  # a partial write must read the block
    assert not cache.cached(9)
    cache.flush()
    assert block(data, 7) == b"z" * BS


def test_sequential_reads_read_ahead(cache_class):
    cache, data, backend = make(cache_class, capacity=64, readahead=16 * BS)
    for b in range(40):
        assert cache.read(b) == block(data, b)
    s = cache.stats()
    assert s["readahead"] > 20 and s["hits"] > 20 and s["misses"] + s["hits"] == 40
    reads = [n for kind, _, n in backend.events if kind == "read"] if hasattr(backend, "events") else []
    del reads


def test_random_reads_do_not_read_ahead(cache_class):
    cache, data, _ = make(cache_class, capacity=64)
    rng = random.Random(1)
    for _ in range(30):
        b = rng.randrange(0, NBLOCKS, 3)
        assert cache.read(b) == block(data, b)
    assert cache.stats()["readahead"] < 10


def test_read_errors_insert_nothing(cache_class):
    cache, data, _ = make(cache_class, faults={"bad_read": {4 * 2}})  # sector 8 = block 4
    with pytest.raises(EIO):
        cache.read(4)
    assert not cache.cached(4)
    assert cache.read(5) == block(data, 5)
    with pytest.raises(EIO):
        cache.read(NBLOCKS)  # outside the disk
    assert cache.stats()["errors"] >= 2


def test_failed_write_back_keeps_blocks_dirty(cache_class):
    cache, data, backend = make(cache_class, faults={"bad_write": {2 * 2}})
    cache.write(2, 0, b"a" * BS)
    cache.write(6, 0, b"b" * BS)
    with pytest.raises(EIO):
        cache.flush()
    assert block(data, 6) == b"b" * BS  # the good run went out
    assert cache.dirty_count() == 1 and cache.cached(2)
    backend.bad_write.clear()
    cache.flush()
    assert block(data, 2) == b"a" * BS and cache.dirty_count() == 0


def test_forget_drops_dirty_data(cache_class):
    cache, data, _ = make(cache_class)
    before = block(data, 9)
    cache.write(9, 0, b"q" * BS)
    cache.forget(9)
    cache.flush()
    assert block(data, 9) == before and not cache.cached(9)


def test_long_ranges_larger_than_the_cache(cache_class):
    cache, data, _ = make(cache_class, capacity=8)
    assert cache.read_range(0, NBLOCKS) == bytes(data)


def test_twins_agree_counter_for_counter():
    from kevlar._fast.blockcache import BlockCache as Fast

    from kevlar.block.cache import BlockCache as Pure
    seed = bytearray(os.urandom(NBLOCKS * BS))
    results = []
    for cls in (Pure, Fast):
        rng = random.Random(7)
        cache, data, _ = make(cls, capacity=12, data=bytearray(seed))
        out = []
        for _ in range(400):
            op = rng.random()
            b = rng.randrange(NBLOCKS)
            if op < 0.4:
                out.append(cache.read_range(b, min(rng.randrange(1, 6), NBLOCKS - b)))
            elif op < 0.5:
                out.append(cache.read(min(b + 1, NBLOCKS - 1)))
            elif op < 0.8:
                cache.write(b, rng.randrange(BS - 8), bytes([rng.randrange(256)]) * 8)
            elif op < 0.9:
                cache.write_new(b, b"n" * rng.randrange(BS))
            elif op < 0.95:
                cache.forget(b)
            else:
                cache.flush()
        cache.flush()
        results.append((out, cache.stats(), bytes(data)))
    assert results[0] == results[1]


class CacheMachine(RuleBasedStateMachine):
    """Random reads, writes, flushes over a small cache; the model is what the disk
    should hold once everything is flushed."""

    cls = None

    @initialize(capacity=st.integers(8, 20), readahead=st.sampled_from([0, 4 * BS, 32 * BS]))
    def setup(self, capacity, readahead):
        self.data = bytearray(NBLOCKS * BS)
        self.cache, _, _ = make(self.cls, capacity=capacity, data=self.data, readahead=readahead)
        self.model = bytearray(self.data)

    @rule(b=st.integers(0, NBLOCKS - 1), n=st.integers(1, 8))
    def read(self, b, n):
        n = min(n, NBLOCKS - b)
        assert self.cache.read_range(b, n) == bytes(self.model[b * BS:(b + n) * BS])

    @rule(b=st.integers(0, NBLOCKS - 1), off=st.integers(0, BS - 1), byte=st.integers(0, 255),
          n=st.integers(1, 64))
    def write(self, b, off, byte, n):
        n = min(n, BS - off)
        self.cache.write(b, off, bytes([byte]) * n)
        self.model[b * BS + off:b * BS + off + n] = bytes([byte]) * n

    @rule(b=st.integers(0, NBLOCKS - 1), n=st.integers(0, BS))
    def write_new(self, b, n):
        self.cache.write_new(b, b"\x07" * n)
        self.model[b * BS:(b + 1) * BS] = b"\x07" * n + bytes(BS - n)

    @rule()
    def flush(self):
        self.cache.flush()
        assert self.data == self.model

    @invariant()
    def bounded(self):
        if hasattr(self, "cache"):
            s = self.cache.stats()
            assert s["cached"] <= s["capacity"] and s["dirty"] <= s["cached"]


def machine_for(name):
    def cls():
        if name == "pure":
            from kevlar.block.cache import BlockCache
        else:
            from kevlar._fast.blockcache import BlockCache
        return BlockCache
    return type(f"CacheMachine_{name}", (CacheMachine,), {"cls": cls()})


TestCachePure = machine_for("pure").TestCase
TestCachePure.settings = settings(max_examples=30, stateful_step_count=40, deadline=None)
TestCacheCython = machine_for("cython").TestCase
TestCacheCython.settings = settings(max_examples=30, stateful_step_count=40, deadline=None)
