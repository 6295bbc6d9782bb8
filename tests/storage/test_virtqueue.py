"""The VirtIO-blk device model and the split virtqueue, driven as a driver drives them:
ring layout and 16-bit wrap-around, chained descriptors in any layout, the status byte
of every outcome, feature negotiation, and flush ordering."""

import errno
import os
import struct

import pytest

from kevlar.abi.errors import EINVAL, EIO, ENOSPC, EOPNOTSUPP, EROFS
from kevlar.block import virtio_blk as vb
from kevlar.block.backend import FaultyBackend, MemoryBackend
from kevlar.block.device import BlockDevice, disk_name
from kevlar.block.virtqueue import (
    VIRTQ_AVAIL_F_NO_INTERRUPT,
    VIRTQ_DESC_F_NEXT,
    VIRTQ_DESC_F_WRITE,
    VIRTQ_USED_F_NO_NOTIFY,
    ChainError,
    DeviceQueue,
    DriverQueue,
    GuestMemory,
    MemoryFault,
    QueueAreas,
    ring_layout,
)

SECTOR = 512


def device(size=64 * SECTOR, **kw):
    data = bytearray(os.urandom(size))
    return BlockDevice(MemoryBackend(data), **kw), data


# -- the ring -------------------------------------------------------------------------------
def test_ring_layout_matches_the_spec():
    # 2.7: desc 16*Q, avail 6+2*Q, used 6+8*Q
    assert ring_layout(256)[:3] == (4096, 518, 2054)
    with pytest.raises(EINVAL):
        QueueAreas(100, 0x1000, 0x2000, 0x3000)  # not a power of two
    with pytest.raises(EINVAL):
        QueueAreas(8, 0x1008, 0x2000, 0x3000)  # desc not 16-aligned


def test_guest_memory_faults_outside_regions():
    mem = GuestMemory()
    base = mem.add_region(4096)
    mem.write(base + 4090, b"abcdef")
    assert mem.read(base + 4090, 6) == b"abcdef"
    for addr, n in ((0, 1), (base + 4095, 2), (base - 1, 1), (base + 8192, 1)):
        with pytest.raises(MemoryFault):
            mem.view(addr, n)


def test_driver_and_device_exchange_a_chain():
    mem = GuestMemory()
    areas = QueueAreas.allocate(mem, 8)
    dev = DeviceQueue(mem, areas)
    notified = []
    drv = DriverQueue(mem, areas, lambda: notified.append(1))
    head = drv.add([(0x100, 16), (0x200, 32)], [(0x300, 1)], "token")
    assert drv.num_free == 5
    assert drv.kick() and notified == [1]
    popped_head, chain = dev.pop()
    assert popped_head == head
    assert chain == [(0x100, 16, False), (0x200, 32, False), (0x300, 1, True)]
    assert dev.pop() is None
    dev.push(head, 1)
    assert drv.get_used() == ("token", 1)
    assert drv.num_free == 8 and drv.get_used() is None


def test_free_list_recycles_descriptors_across_many_requests():
    mem = GuestMemory()
    areas = QueueAreas.allocate(mem, 4)
    dev = DeviceQueue(mem, areas)
    drv = DriverQueue(mem, areas, lambda: None)
    for n in range(50):
        heads = [drv.add([(0x10, 4)], [(0x20, 1)], (n, k)) for k in range(2)]
        with pytest.raises(ENOSPC):
            drv.add([(0x10, 4)], [(0x20, 1)], "no room")
        for expect in heads:
            got, _ = dev.pop()
            assert got == expect
            dev.push(got, 0)
        assert [drv.get_used()[0] for _ in heads] == [(n, 0), (n, 1)]
        assert drv.num_free == 4


@pytest.mark.parametrize("start", [0xFFF0, 0xFFFF, 0xFFFE])
def test_indices_wrap_around_16_bits(start):
    """avail->idx and used->idx are free-running u16: entry n lives at n % size."""
    dev, data = device(start_idx=start, queue_size=8)
    for n in range(40):
        assert dev.read_bytes(n % 64 * SECTOR, SECTOR) == bytes(data[n % 64 * SECTOR:(n % 64 + 1) * SECTOR])
    assert dev.queue.avail_idx == (start + 40) & 0xFFFF
    assert dev.model.queue.used_idx == (start + 40) & 0xFFFF
    assert dev.queue.avail_idx < start  # it did wrap


@pytest.mark.slow
def test_indices_wrap_around_from_zero():
    """70,000 requests from a fresh device: the counters pass 0xFFFF naturally."""
    dev, data = device(queue_size=16)
    for n in range(70000):
        dev.read(n % 64, [(dev.bounce, SECTOR)])
    assert dev.queue.avail_idx == 70000 & 0xFFFF
    assert dev.read_bytes(5 * SECTOR, SECTOR) == bytes(data[5 * SECTOR:6 * SECTOR])


# -- requests and the status byte ------------------------------------------------------------
def raw_request(dev, readable: list[bytes], writable: list[int]):
    """Post one request laid out as given (readable buffers' bytes, writable sizes);
    returns the bytes the device wrote into each writable buffer and the used length."""
    mem = dev.memory
    base = mem.add_region(65536)
    pos = base
    outs, ins = [], []
    for chunk in readable:
        mem.write(pos, chunk)
        outs.append((pos, len(chunk)))
        pos += len(chunk)
    for n in writable:
        mem.write(pos, b"\xee" * n)
        ins.append((pos, n))
        pos += n
    dev.queue.add(outs, ins, "raw")
    dev.queue.kick()
    token, written = dev.queue.get_used()
    assert token == "raw"
    return [mem.read(a, n) for a, n in ins], written


def header(kind, sector):
    return struct.pack("<IIQ", kind, 0, sector)


def test_read_with_header_split_over_descriptors():
    """Any layout: the 16-byte header in three pieces, data in two buffers."""
    dev, data = device()
    h = header(vb.VIRTIO_BLK_T_IN, 3)
    bufs, written = raw_request(dev, [h[:5], h[5:12], h[12:]], [700, 324, 1])
    assert bufs[0] + bufs[1] == bytes(data[3 * SECTOR:5 * SECTOR])
    assert bufs[2] == bytes([vb.VIRTIO_BLK_S_OK]) and written == 1025


def test_write_then_read_back():
    dev, data = device()
    payload = os.urandom(2 * SECTOR)
    bufs, _ = raw_request(dev, [header(vb.VIRTIO_BLK_T_OUT, 7), payload[:100], payload[100:]], [1])
    assert bufs == [bytes([vb.VIRTIO_BLK_S_OK])]
    assert bytes(data[7 * SECTOR:9 * SECTOR]) == payload


@pytest.mark.parametrize("kind,sector,readable,writable,status", [
    (vb.VIRTIO_BLK_T_IN, 63, [], [2 * SECTOR, 1], vb.VIRTIO_BLK_S_IOERR),   # past the end
    (vb.VIRTIO_BLK_T_IN, 1 << 60, [], [SECTOR, 1], vb.VIRTIO_BLK_S_IOERR),  # far past it
    (vb.VIRTIO_BLK_T_IN, 0, [], [100, 1], vb.VIRTIO_BLK_S_IOERR),           # not whole sectors
    (vb.VIRTIO_BLK_T_OUT, 64, [b"x" * SECTOR], [1], vb.VIRTIO_BLK_S_IOERR),
    (vb.VIRTIO_BLK_T_FLUSH, 0, [], [1], vb.VIRTIO_BLK_S_OK),
    (vb.VIRTIO_BLK_T_GET_ID, 0, [], [20, 1], vb.VIRTIO_BLK_S_OK),
    (99, 0, [], [1], vb.VIRTIO_BLK_S_UNSUPP),
])
def test_status_byte(kind, sector, readable, writable, status):
    dev, data = device()
    before = bytes(data)
    bufs, _ = raw_request(dev, [header(kind, sector), *readable], writable)
    assert bufs[-1] == bytes([status])
    if status != vb.VIRTIO_BLK_S_OK:
        assert bytes(data) == before  # a failed request moves no data


def test_get_id_is_the_serial_nul_padded():
    dev, _ = device()
    bufs, written = raw_request(dev, [header(vb.VIRTIO_BLK_T_GET_ID, 0)], [20, 1])
    assert bufs[0] == b"kevlar-vda".ljust(20, b"\0") and written == 21
    assert dev.get_id() == b"kevlar-vda"


def test_backend_errors_are_ioerr_and_eio():
    data = bytearray(64 * SECTOR)
    backend = FaultyBackend(MemoryBackend(data), bad_read={5}, bad_write={9})
    dev = BlockDevice(backend)
    dev.read(4, [(dev.bounce, SECTOR)])
    with pytest.raises(EIO):
        dev.read(4, [(dev.bounce, 2 * SECTOR)])  # touches sector 5
    with pytest.raises(EIO):
        dev.write(9, [(dev.bounce, SECTOR)])
    assert dev.model.counters["errors"] == 2
    dev.write(10, [(dev.bounce, SECTOR)])


def test_malformed_chains_do_not_crash_the_device():
    dev, data = device()
    mem = dev.memory
    q = dev.queue
    # A loop: descriptor 0 -> 1 -> 0 -> ...
    q._write_desc(0, dev.headers, 16, VIRTQ_DESC_F_NEXT, 1)
    q._write_desc(1, dev.statuses, 1, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 0)
    mem.set_le16(q.areas.avail + 4, 0)
    mem.set_le16(q.areas.avail + 2, 1)
    dq = DeviceQueue.__new__(DeviceQueue)
    dq.__dict__.update(dev.model.queue.__dict__)
    with pytest.raises(ChainError):
        dq.pop()
    # Through the device: the broken chain is completed with length 0, nothing else moves.
    before = bytes(data)
    dev.model.notify(0)
    assert bytes(data) == before
    assert dev.model.counters["errors"] >= 1
    # A head beyond the ring: the device asks for a reset and stops serving.
    mem.set_le16(q.areas.avail + 4 + 2, 999)
    mem.set_le16(q.areas.avail + 2, 2)
    dev.model.notify(0)
    assert dev.model.status & vb.STATUS_DEVICE_NEEDS_RESET


def test_bad_buffer_address_is_an_error_not_a_crash():
    dev, data = device()
    q = dev.queue
    before = bytes(data)
    q.add([(dev.headers, 16)], [(0xDEAD0000000, SECTOR), (dev.statuses, 1)], "bad")
    vb.REQ_HEADER.pack_into(dev.memory.view(dev.headers, 16), 0, vb.VIRTIO_BLK_T_IN, 0, 0)
    q.kick()
    assert q.get_used() == ("bad", 0)
    assert bytes(data) == before


def test_notifications_and_interrupt_suppression():
    dev, _ = device()
    kicks, interrupts = dev.queue.kicks, dev.queue.interrupts
    dev.read(0, [(dev.bounce, SECTOR)])
    assert (dev.queue.kicks, dev.queue.interrupts) == (kicks + 1, interrupts + 1)
    dev.queue.set_interrupts(False)  # VIRTQ_AVAIL_F_NO_INTERRUPT
    assert dev.memory.le16(dev.queue.areas.avail) == VIRTQ_AVAIL_F_NO_INTERRUPT
    dev.read(0, [(dev.bounce, SECTOR)])
    assert dev.queue.interrupts == interrupts + 1
    dev.model.queue.set_notifications(False)  # VIRTQ_USED_F_NO_NOTIFY: the driver must not kick
    assert dev.memory.le16(dev.queue.areas.used) == VIRTQ_USED_F_NO_NOTIFY
    assert dev.queue.kick() is False


def test_a_batch_larger_than_the_ring_is_posted_in_rounds():
    dev, data = device(size=512 * SECTOR, queue_size=8)
    segments = [(dev.bounce + i * SECTOR, SECTOR) for i in range(100)]
    dev.seg_max = 2  # many small requests
    dev.read(10, segments)
    assert dev.memory.read(dev.bounce, 100 * SECTOR) == bytes(data[10 * SECTOR:110 * SECTOR])


# -- features ---------------------------------------------------------------------------------
def test_feature_negotiation():
    dev, _ = device()
    assert dev.has(vb.VIRTIO_F_VERSION_1) and dev.has(vb.VIRTIO_BLK_F_FLUSH)
    assert dev.has(vb.VIRTIO_BLK_F_SEG_MAX) and dev.has(vb.VIRTIO_BLK_F_BLK_SIZE)
    assert not dev.has(vb.VIRTIO_BLK_F_RO) and not dev.read_only
    assert dev.seg_max == vb.DEFAULT_SEG_MAX and dev.blk_size == 4096
    assert dev.capacity == 64
    model = dev.model
    assert model.get_status() == (vb.STATUS_ACKNOWLEDGE | vb.STATUS_DRIVER | vb.STATUS_FEATURES_OK
                                  | vb.STATUS_DRIVER_OK)


def test_device_refuses_features_it_did_not_offer():
    model = vb.VirtioBlk(MemoryBackend(bytearray(4096)), GuestMemory())
    model.set_status(vb.STATUS_ACKNOWLEDGE | vb.STATUS_DRIVER)
    model.set_driver_features(model.device_features | vb.bit(vb.VIRTIO_BLK_F_TOPOLOGY))
    model.set_status(model.get_status() | vb.STATUS_FEATURES_OK)
    assert not model.get_status() & vb.STATUS_FEATURES_OK
    model.set_driver_features(vb.bit(vb.VIRTIO_BLK_F_FLUSH))  # no VERSION_1: a legacy driver
    model.set_status(model.get_status() | vb.STATUS_FEATURES_OK)
    assert not model.get_status() & vb.STATUS_FEATURES_OK


def test_read_only_device():
    dev, data = device(read_only=True)
    assert dev.has(vb.VIRTIO_BLK_F_RO) and dev.read_only
    with pytest.raises(EROFS):
        dev.write(0, [(dev.bounce, SECTOR)])
    before = bytes(data)
    bufs, _ = raw_request(dev, [header(vb.VIRTIO_BLK_T_OUT, 0), b"y" * SECTOR], [1])
    assert bufs == [bytes([vb.VIRTIO_BLK_S_IOERR])] and bytes(data) == before


# -- flush ordering -------------------------------------------------------------------------------
def test_flush_comes_after_the_writes_it_covers():
    data = bytearray(256 * SECTOR)
    backend = FaultyBackend(MemoryBackend(data))
    dev = BlockDevice(backend)
    cache = dev.get_cache(1024)
    for block in (40, 3, 41, 7, 42):
        cache.write(block, 0, bytes([block]) * 1024)
    backend.events.clear()
    cache.flush()
    kinds = [kind for kind, _, _ in backend.events]
    assert kinds[-1] == "flush" and kinds.count("flush") == 1
    writes = [(off // 1024, n // 1024) for kind, off, n in backend.events if kind == "write"]
    assert writes == [(3, 1), (7, 1), (40, 3)]  # sorted, contiguous runs coalesced
    for block in (40, 3, 41, 7, 42):
        assert data[block * 1024] == block
    backend.events.clear()
    cache.flush()  # nothing written since: no flush request either
    assert backend.events == []


def test_without_f_flush_the_device_writes_through():
    data = bytearray(64 * SECTOR)
    backend = MemoryBackend(data)
    dev = BlockDevice(backend, flush=False)
    assert not dev.can_flush
    dev.write(0, [(dev.bounce, SECTOR)])
    assert backend.flushes == 1  # made stable before the request completed
    dev.flush()  # no T_FLUSH is sent
    assert dev.model.counters["flushes"] == 0
    bufs, _ = raw_request(dev, [header(vb.VIRTIO_BLK_T_FLUSH, 0)], [1])
    assert bufs == [bytes([vb.VIRTIO_BLK_S_UNSUPP])]


def test_failed_flush_is_eio():
    backend = FaultyBackend(MemoryBackend(bytearray(64 * SECTOR)), fail_flush=True)
    dev = BlockDevice(backend)
    with pytest.raises(EIO):
        dev.flush()


def test_unsupported_request_is_eopnotsupp():
    dev, _ = device()
    (status,) = dev.transfer([(42, 0, [], [])])
    with pytest.raises(EOPNOTSUPP):
        dev._check(status, "x")


def test_enospc_from_the_host_is_an_io_error():
    backend = FaultyBackend(MemoryBackend(bytearray(64 * SECTOR)), write_budget=SECTOR)
    dev = BlockDevice(backend)
    dev.write(0, [(dev.bounce, SECTOR)])
    with pytest.raises(EIO):
        dev.write(1, [(dev.bounce, SECTOR)])
    assert backend.events[-1][0] == "write"
    assert errno.ENOSPC  # the host's ENOSPC reaches the guest as EIO, as with a real disk


def test_disk_names():
    assert [disk_name(i) for i in (0, 1, 25, 26, 27, 701, 702)] == \
        ["vda", "vdb", "vdz", "vdaa", "vdab", "vdzz", "vdaaa"]
