"""The VirtIO block device model (VirtIO 1.2, section 5.2 "Block Device").

The device side of a virtio-blk disk: device status and feature negotiation (section
3.1.1), the configuration space (struct virtio_blk_config), and one request queue served
from a backend (an image file). A request is a descriptor chain laid out as

    struct virtio_blk_req {
        le32 type;        VIRTIO_BLK_T_IN / T_OUT / T_FLUSH / T_GET_ID
        le32 reserved;
        le64 sector;      in 512-byte units, whatever the block size
        u8   data[];      device-readable for T_OUT, device-writable for T_IN / T_GET_ID
        u8   status;      device-writable: VIRTIO_BLK_S_OK / S_IOERR / S_UNSUPP
    };

The device makes no assumption about how the driver splits this into descriptors
(VIRTIO_F_ANY_LAYOUT is implied in 1.x): the readable buffers are one byte stream
(header, then data out), the writable ones another (data in, then the status byte).

Device requirements kept here (5.2.6.1): a request outside the capacity fails with
S_IOERR and moves no data; with VIRTIO_BLK_F_RO offered every write fails with S_IOERR
and writes nothing; T_FLUSH is S_UNSUPP unless VIRTIO_BLK_F_FLUSH was negotiated, and
without it the device is write-through (every T_OUT reaches stable storage before it
completes); T_GET_ID writes at most 20 bytes of serial, NUL-padded.
"""

import errno
import struct

from kevlar.block.virtqueue import ChainError, DeviceQueue, MemoryFault, QueueAreas

SECTOR_SIZE = 512
SECTOR_SHIFT = 9

# Device status field (2.1)
STATUS_ACKNOWLEDGE = 1
STATUS_DRIVER = 2
STATUS_DRIVER_OK = 4
STATUS_FEATURES_OK = 8
STATUS_DEVICE_NEEDS_RESET = 64
STATUS_FAILED = 128

# Feature bits (5.2.3 and 6)
VIRTIO_BLK_F_SIZE_MAX = 1
VIRTIO_BLK_F_SEG_MAX = 2
VIRTIO_BLK_F_GEOMETRY = 4
VIRTIO_BLK_F_RO = 5
VIRTIO_BLK_F_BLK_SIZE = 6
VIRTIO_BLK_F_FLUSH = 9
VIRTIO_BLK_F_TOPOLOGY = 10
VIRTIO_BLK_F_CONFIG_WCE = 11
VIRTIO_F_VERSION_1 = 32

FEATURE_NAMES = {
    VIRTIO_BLK_F_SIZE_MAX: "SIZE_MAX", VIRTIO_BLK_F_SEG_MAX: "SEG_MAX", VIRTIO_BLK_F_GEOMETRY: "GEOMETRY",
    VIRTIO_BLK_F_RO: "RO", VIRTIO_BLK_F_BLK_SIZE: "BLK_SIZE", VIRTIO_BLK_F_FLUSH: "FLUSH",
    VIRTIO_BLK_F_TOPOLOGY: "TOPOLOGY", VIRTIO_BLK_F_CONFIG_WCE: "CONFIG_WCE", VIRTIO_F_VERSION_1: "VERSION_1",
}

# Request types (5.2.6)
VIRTIO_BLK_T_IN = 0
VIRTIO_BLK_T_OUT = 1
VIRTIO_BLK_T_FLUSH = 4
VIRTIO_BLK_T_GET_ID = 8
VIRTIO_BLK_ID_BYTES = 20

# Status byte
VIRTIO_BLK_S_OK = 0
VIRTIO_BLK_S_IOERR = 1
VIRTIO_BLK_S_UNSUPP = 2

REQ_HEADER = struct.Struct("<IIQ")  # type, reserved, sector: 16 bytes

# struct virtio_blk_config, up to and including the topology and writeback fields:
# le64 capacity; le32 size_max; le32 seg_max; struct { le16 cylinders; u8 heads; u8 sectors; } geometry;
# le32 blk_size; struct { u8 physical_block_exp; u8 alignment_offset; le16 min_io_size;
# le32 opt_io_size; } topology; u8 writeback; u8 unused0; le16 num_queues;
BLK_CONFIG = struct.Struct("<QIIHBBIBBHIBBH")

DEFAULT_SEG_MAX = 128
DEFAULT_SIZE_MAX = 1 << 20


def bit(n: int) -> int:
    return 1 << n


def split_views(views: list[memoryview], at: int) -> tuple[list[memoryview], list[memoryview]]:
    """Split a byte stream given as views at byte offset `at`."""
    head, tail = [], []
    for v in views:
        n = len(v)
        if at >= n:
            head.append(v)
            at -= n
        elif at > 0:
            head.append(v[:at])
            tail.append(v[at:])
            at = 0
        else:
            tail.append(v)
    return head, tail


class VirtioBlk:
    """One virtio-blk device with one request queue, served from `backend`."""

    device_id = 2  # virtio device type: block

    def __init__(self, backend, memory, read_only: bool = False, flush: bool = True,
                 serial: bytes = b"kevlar", seg_max: int = DEFAULT_SEG_MAX,
                 size_max: int = DEFAULT_SIZE_MAX, blk_size: int = 4096, max_queue_size: int = 1024):
        self.backend = backend
        self.memory = memory
        self.read_only = read_only or backend.read_only
        self.capacity = backend.size() >> SECTOR_SHIFT
        self.serial = serial[:VIRTIO_BLK_ID_BYTES]
        self.seg_max = seg_max
        self.size_max = size_max
        self.blk_size = blk_size
        self.max_queue_size = max_queue_size
        features = (bit(VIRTIO_F_VERSION_1) | bit(VIRTIO_BLK_F_SEG_MAX) | bit(VIRTIO_BLK_F_SIZE_MAX)
                    | bit(VIRTIO_BLK_F_BLK_SIZE))
        if flush:
            features |= bit(VIRTIO_BLK_F_FLUSH)
        if self.read_only:
            features |= bit(VIRTIO_BLK_F_RO)
        self.device_features = features
        self.log = None  # a list to record (type, sector, bytes) per request, for tests
        self.counters = dict(requests=0, read_bytes=0, write_bytes=0, flushes=0, errors=0)
        self.interrupt = None  # callable: the used-buffer notification to the driver
        self.reset()

    # -- the transport's registers -------------------------------------------------------
    def reset(self) -> None:
        """Writing 0 to device status (3.1.1 step 1)."""
        self.status = 0
        self.driver_features = 0
        self.queue: DeviceQueue | None = None

    def get_status(self) -> int:
        return self.status

    def set_status(self, value: int) -> None:
        if value == 0:
            self.reset()
            return
        if value & STATUS_FEATURES_OK and not self.status & STATUS_FEATURES_OK:
            # 3.1.1 step 5/6: accept only a subset of what we offered, with VERSION_1.
            ok = (not self.driver_features & ~self.device_features
                  and self.driver_features & bit(VIRTIO_F_VERSION_1))
            if not ok:
                value &= ~STATUS_FEATURES_OK
        if value & STATUS_DRIVER_OK and (not value & STATUS_FEATURES_OK or self.queue is None):
            value |= STATUS_FAILED
        self.status = value

    def set_driver_features(self, features: int) -> None:
        if self.status & STATUS_FEATURES_OK:
            return  # features are frozen once accepted
        self.driver_features = features

    def negotiated(self, feature: int) -> bool:
        return bool(self.driver_features & bit(feature))

    def read_config(self) -> bytes:
        """struct virtio_blk_config (fields without their feature bit read as 0)."""
        return BLK_CONFIG.pack(self.capacity, self.size_max, self.seg_max, 0, 0, 0, self.blk_size,
                               0, 0, 0, 0, 0, 0, 1)

    def setup_queue(self, index: int, areas: QueueAreas, start_idx: int = 0) -> None:
        """queue_select/queue_size/queue_desc/queue_driver/queue_device, then queue_enable.
        `start_idx` is for tests of 16-bit index wrap-around only (both sides agree)."""
        if index != 0:
            raise ValueError("virtio-blk without VIRTIO_BLK_F_MQ has one queue")
        if areas.size > self.max_queue_size:
            raise ValueError(f"queue size {areas.size} > {self.max_queue_size}")
        if self.status & STATUS_DRIVER_OK:
            raise ValueError("queues are configured before DRIVER_OK")
        self.queue = DeviceQueue(self.memory, areas, start_idx)

    # -- serving requests --------------------------------------------------------------------
    def notify(self, index: int = 0) -> None:
        """The driver kicked queue `index`: serve every available request, in ring order."""
        queue = self.queue
        if queue is None or not self.status & STATUS_DRIVER_OK or self.status & STATUS_DEVICE_NEEDS_RESET:
            return
        served = 0
        while True:
            try:
                popped = queue.pop()
            except ChainError as exc:
                if exc.head >= queue.size:
                    self.status |= STATUS_DEVICE_NEEDS_RESET
                    break
                queue.push(exc.head, 0)
                self.counters["errors"] += 1
                served += 1
                continue
            if popped is None:
                break
            head, chain = popped
            queue.push(head, self._serve(chain))
            served += 1
        if served and queue.wants_interrupt() and self.interrupt is not None:
            self.interrupt()

    def _serve(self, chain) -> int:
        """Carry out one request; returns the bytes written into writable buffers."""
        memory = self.memory
        self.counters["requests"] += 1
        try:
            readable = [memory.view(a, n) for a, n, w in chain if not w]
            writable = [memory.view(a, n) for a, n, w in chain if w]
        except MemoryFault:
            self.counters["errors"] += 1
            return 0
        out_len = sum(len(v) for v in readable)
        in_len = sum(len(v) for v in writable)
        if out_len < REQ_HEADER.size or in_len < 1:
            self.counters["errors"] += 1
            return 0  # no header or no status byte: nothing can be reported
        header, data_out = split_views(readable, REQ_HEADER.size)
        kind, _, sector = REQ_HEADER.unpack(b"".join(bytes(v) for v in header))
        data_in, status_view = split_views(writable, in_len - 1)
        status, written = self._execute(kind, sector, data_out, data_in, in_len - 1)
        status_view[0][0] = status
        if status != VIRTIO_BLK_S_OK:
            self.counters["errors"] += 1
        return written + 1

    def _execute(self, kind: int, sector: int, data_out, data_in, in_len: int) -> tuple[int, int]:
        log = self.log
        if kind == VIRTIO_BLK_T_IN:
            if log is not None:
                log.append(("in", sector, in_len))
            if in_len % SECTOR_SIZE or not self._in_range(sector, in_len):
                return VIRTIO_BLK_S_IOERR, 0
            try:
                self.backend.readv(data_in, sector << SECTOR_SHIFT)
            except OSError:
                return VIRTIO_BLK_S_IOERR, 0
            self.counters["read_bytes"] += in_len
            return VIRTIO_BLK_S_OK, in_len
        if kind == VIRTIO_BLK_T_OUT:
            out_len = sum(len(v) for v in data_out)
            if log is not None:
                log.append(("out", sector, out_len))
            if self.read_only or out_len % SECTOR_SIZE or not self._in_range(sector, out_len):
                return VIRTIO_BLK_S_IOERR, 0
            try:
                self.backend.writev(data_out, sector << SECTOR_SHIFT)
                if not self.negotiated(VIRTIO_BLK_F_FLUSH):
                    self.backend.flush()  # write-through without F_FLUSH
            except OSError:
                return VIRTIO_BLK_S_IOERR, 0
            self.counters["write_bytes"] += out_len
            return VIRTIO_BLK_S_OK, 0
        if kind == VIRTIO_BLK_T_FLUSH:
            if log is not None:
                log.append(("flush", sector, 0))
            if not self.negotiated(VIRTIO_BLK_F_FLUSH):
                return VIRTIO_BLK_S_UNSUPP, 0
            try:
                self.backend.flush()
            except OSError:
                return VIRTIO_BLK_S_IOERR, 0
            self.counters["flushes"] += 1
            return VIRTIO_BLK_S_OK, 0
        if kind == VIRTIO_BLK_T_GET_ID:
            if log is not None:
                log.append(("get_id", sector, in_len))
            data = self.serial.ljust(VIRTIO_BLK_ID_BYTES, b"\0")[:min(in_len, VIRTIO_BLK_ID_BYTES)]
            _write_stream(data_in, data)
            return VIRTIO_BLK_S_OK, len(data)
        if log is not None:
            log.append(("unsupported", kind, 0))
        return VIRTIO_BLK_S_UNSUPP, 0

    def _in_range(self, sector: int, length: int) -> bool:
        return sector + ((length + SECTOR_SIZE - 1) >> SECTOR_SHIFT) <= self.capacity


def _write_stream(views, data: bytes) -> None:
    pos = 0
    for v in views:
        if pos >= len(data):
            return
        take = min(len(v), len(data) - pos)
        v[:take] = data[pos:pos + take]
        pos += take


class BackendError(OSError):
    """A failing backing read or write (what S_IOERR reports)."""


def io_error(code: int = errno.EIO, what: str = "") -> OSError:
    return BackendError(code, what or errno.errorcode.get(code, "EIO"))


__all__ = [name for name in dir() if name.isupper() and not name.startswith("_")] + [
    "VirtioBlk", "split_views", "io_error", "BackendError"]
