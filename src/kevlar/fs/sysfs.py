"""sysfs, minimal and honest: only what Kevlar's world really has.

- /sys/devices/system/cpu/{online,possible,present,offline,kernel_max} and one cpuN
  directory per possible CPU: the host's CPUs are the guest's.
- /sys/block/<disk>, /sys/class/block/<disk>, /sys/dev/block/MAJ:MIN: links to
  /sys/devices/virtual/block/<disk>/ with size, dev, ro, removable, stat, uevent and
  queue/*; one per block device Kevlar models, registered with `add_block_device`.
- /sys/kernel, /sys/fs, /sys/class, /sys/dev: directories, empty unless a device above
  fills them.

Generated like procfs (fs/procfs.py: tables of Entry rows), so every sysfs mount shows
the same live state. Attributes report st_size 4096 as kernfs does, and their mode binds
root too (kernfs_fop_open refuses a write to a file without write bits).
"""

import os
from dataclasses import dataclass, field

from kevlar.abi.constants import S_IFREG, SYSFS_MAGIC
from kevlar.fs.procfs import DIR, LNK, Entry, PseudoFs

ATTR_SIZE = 4096


def ATTR(name: bytes, generate, mode: int = 0o444) -> Entry:
    """A read-only sysfs attribute file."""
    return Entry(name, S_IFREG, mode, generate, None, size=ATTR_SIZE, strict=True)


@dataclass
class BlockDevice:
    """A disk as sysfs and /proc/partitions show it. The block layer that models the
    device keeps `sectors` (512-byte units) and the I/O counters current."""

    name: bytes
    major: int
    minor: int
    sectors: int
    read_only: bool = False
    removable: bool = False
    driver: bytes = b"virtblk"
    logical_block_size: int = 512
    physical_block_size: int = 512
    rotational: bool = False
    # /sys/block/X/stat and /proc/diskstats: the 17 counters of
    # Documentation/admin-guide/iostats.rst (reads completed, merged, sectors, ms, ...)
    stats: list[int] = field(default_factory=lambda: [0] * 17)

    def stat_fields(self) -> list[int]:
        return list(self.stats)


def block_devices(kernel) -> list[BlockDevice]:
    devices = getattr(kernel, "block_devices", None)
    if devices is None:
        devices = kernel.block_devices = []
    return devices


def add_block_device(kernel, name: bytes, major: int, minor: int, sectors: int,
                     read_only: bool = False, **extra) -> BlockDevice:
    """Make a disk appear in /sys/block, /sys/dev/block, /proc/partitions and
    /proc/diskstats (the hook the block layer calls when it attaches a device)."""
    device = BlockDevice(name, major, minor, sectors, read_only, **extra)
    devices = block_devices(kernel)
    devices[:] = [d for d in devices if d.name != name] + [device]
    return device


def remove_block_device(kernel, name: bytes) -> None:
    devices = block_devices(kernel)
    devices[:] = [d for d in devices if d.name != name]


class SysFs(PseudoFs):
    name = "sysfs"
    magic = SYSFS_MAGIC

    def __init__(self, kernel=None, read_only: bool = False):
        super().__init__(kernel, DIR(b"", 0o555, root_children))
        self.read_only = read_only

    def statfs(self) -> dict:
        """sysfs has no blocks to count (df leaves it out), like Linux's."""
        return dict(f_type=self.magic, f_bsize=4096, f_blocks=0, f_bfree=0, f_bavail=0,
                    f_files=0, f_ffree=0, f_namelen=255, f_frsize=4096, f_flags=0)


def _devices(fs) -> list[BlockDevice]:
    return block_devices(fs.kernel) if fs.kernel is not None else []


def _host_cpu_file(name: str):
    def generate(kernel, ctx) -> bytes:
        try:
            with open(f"/sys/devices/system/cpu/{name}", "rb") as f:
                return f.read()
        except OSError:
            return _cpu_span() if name != "offline" else b"\n"
    return generate


def _cpu_span() -> bytes:
    cpus = os.cpu_count() or 1
    return b"0\n" if cpus == 1 else b"0-%d\n" % (cpus - 1)


def _possible_cpus() -> list[int]:
    text = _host_cpu_file("possible")(None, None).strip()
    out = []
    for part in text.split(b","):
        if not part:
            continue
        low, _, high = part.partition(b"-")
        out.extend(range(int(low), int(high or low) + 1))
    return out or [0]


def _empty(fs, directory) -> list[Entry]:
    return []


def root_children(fs, directory) -> list[Entry]:
    return [
        DIR(b"block", 0o755, _block_links(b"../devices/virtual/block/")),
        DIR(b"class", 0o755, _class_children),
        DIR(b"dev", 0o755, _dev_children),
        DIR(b"devices", 0o755, _devices_children),
        DIR(b"fs", 0o755, _empty),
        DIR(b"kernel", 0o755, _empty),
    ]


def _block_links(prefix: bytes):
    def children(fs, directory) -> list[Entry]:
        return [LNK(d.name, lambda k, c, name=d.name: prefix + name) for d in _devices(fs)]
    return children


def _class_children(fs, directory) -> list[Entry]:
    return [DIR(b"block", 0o755, _block_links(b"../../devices/virtual/block/"))]


def _dev_children(fs, directory) -> list[Entry]:
    def blocks(fs, directory) -> list[Entry]:
        return [LNK(b"%d:%d" % (d.major, d.minor),
                    lambda k, c, name=d.name: b"../../devices/virtual/block/" + name)
                for d in _devices(fs)]
    return [DIR(b"block", 0o755, blocks), DIR(b"char", 0o755, _empty)]


def _devices_children(fs, directory) -> list[Entry]:
    return [DIR(b"system", 0o755, _system_children), DIR(b"virtual", 0o755, _virtual_children)]


def _system_children(fs, directory) -> list[Entry]:
    return [DIR(b"cpu", 0o755, _cpu_children)]


def _cpu_children(fs, directory) -> list[Entry]:
    out = [DIR(b"cpu%d" % n, 0o755, _empty) for n in _possible_cpus()]
    for name in ("kernel_max", "offline", "online", "possible", "present"):
        out.append(ATTR(name.encode(), _host_cpu_file(name)))
    return out


def _virtual_children(fs, directory) -> list[Entry]:
    return [DIR(b"block", 0o755, _virtual_blocks)]


def _virtual_blocks(fs, directory) -> list[Entry]:
    return [DIR(d.name, 0o755, _disk_children(d.name)) for d in _devices(fs)]


def _disk_children(name: bytes):
    def attr(label: bytes, value) -> Entry:
        return ATTR(label, lambda kernel, ctx: value(_disk_of(kernel, name)) + b"\n")

    def children(fs, directory) -> list[Entry]:
        _disk_of(fs.kernel, name)
        return [
            attr(b"dev", lambda d: b"%d:%d" % (d.major, d.minor)),
            DIR(b"queue", 0o755, _queue_children(name)),
            attr(b"removable", lambda d: b"%d" % d.removable),
            attr(b"ro", lambda d: b"%d" % d.read_only),
            attr(b"size", lambda d: b"%d" % d.sectors),
            attr(b"stat", lambda d: b" ".join(b"%8d" % n for n in d.stat_fields())),
            ATTR(b"uevent", lambda kernel, ctx: _uevent(_disk_of(kernel, name)), 0o644),
        ]
    return children


def _queue_children(name: bytes):
    def children(fs, directory) -> list[Entry]:
        def attr(label: bytes, value) -> Entry:
            return ATTR(label, lambda kernel, ctx: b"%d\n" % value(_disk_of(kernel, name)))
        return [
            attr(b"hw_sector_size", lambda d: d.logical_block_size),
            attr(b"logical_block_size", lambda d: d.logical_block_size),
            attr(b"physical_block_size", lambda d: d.physical_block_size),
            attr(b"rotational", lambda d: int(d.rotational)),
        ]
    return children


def _disk_of(kernel, name: bytes) -> BlockDevice:
    """The device behind an attribute (ENODEV once it was removed, as for a gone disk)."""
    for device in block_devices(kernel) if kernel is not None else ():
        if device.name == name:
            return device
    from kevlar.abi.errors import ENODEV
    raise ENODEV()


def _uevent(device: BlockDevice) -> bytes:
    return b"MAJOR=%d\nMINOR=%d\nDEVNAME=%s\nDEVTYPE=disk\n" % (device.major, device.minor,
                                                             device.name)


__all__ = ["SysFs", "BlockDevice", "add_block_device", "remove_block_device", "block_devices"]
