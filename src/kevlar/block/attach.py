"""Disks in a kernel: `--disk IMAGE[:MOUNTPOINT][:ro]`, `--root-image IMAGE`, `--snapshot`.

Each image becomes a virtio-blk disk, /dev/vda, /dev/vdb, ... (block device inodes,
major 254, minors 0, 16, 32, ... as virtio_blk numbers them), with its size under
/sys/block/vdX. A --root-image is vda and is mounted on /; the --disk images follow it
and are mounted at their MOUNTPOINT, by default /mnt/disk0, /mnt/disk1, ... in the order
given (MOUNTPOINT `none` attaches the disk without mounting it, for the guest's own
mount(2)). `:ro` attaches a read-only disk (VIRTIO_BLK_F_RO) and mounts it read-only.

--snapshot runs every image on a clone made for this run (a FICLONE reflink where the
file system allows, else a sparse copy), unlinked at once so nothing is left behind
however Kevlar exits: the image itself is never written.

With --root-image the root is the image's ext2: Kevlar mounts devtmpfs, proc and sysfs
on its /dev, /proc and /sys and a tmpfs on /tmp (creating those directories if the image
is writable and lacks them). Programs come from the image; a program named on the
command line that the image lacks is imported into it as on the tmpfs root (a write to
the image: use --snapshot to keep the image as it was, or build the image with busybox:
`python -m kevlar.disk build --busybox SRC OUT.img`).
"""

import os
import sys

from kevlar.abi.constants import S_IFBLK, S_IFDIR
from kevlar.block.backend import ImageBackend
from kevlar.block.device import BlockDevice, disk_name
from kevlar.block.mount import MS_RDONLY, devices, mount_block_device, open_ext2, register


class DiskError(Exception):
    """A disk could not be attached; the message names the layer that failed."""


class DiskSpec:
    """One --disk option."""

    def __init__(self, image: str, mountpoint: bytes | None = None, read_only: bool = False,
                 mount: bool = True):
        self.image = image
        self.mountpoint = mountpoint
        self.read_only = read_only
        self.mount = mount

    @classmethod
    def parse(cls, text: str) -> "DiskSpec":
        """IMAGE[:MOUNTPOINT][:ro|:rw]; MOUNTPOINT is absolute, or `none`."""
        parts = text.split(":")
        read_only = False
        if len(parts) > 1 and parts[-1] in ("ro", "rw"):
            read_only = parts.pop() == "ro"
        mountpoint = None
        mount = True
        if len(parts) > 1 and (parts[-1].startswith("/") or parts[-1] == "none"):
            last = parts.pop()
            if last == "none":
                mount = False
            else:
                mountpoint = os.fsencode(last)
        image = ":".join(parts)
        if not image:
            raise DiskError(f"--disk {text!r}: no image file given (IMAGE[:MOUNTPOINT][:ro])")
        return cls(image, mountpoint, read_only, mount)

    def __repr__(self) -> str:
        return f"<DiskSpec {self.image} at {self.mountpoint!r} ro={self.read_only}>"


def open_backend(image: str, read_only: bool, snapshot: bool) -> ImageBackend:
    """The image as a backend: the file itself, or with snapshot a private clone."""
    if not os.path.exists(image):
        raise DiskError(f"{image}: image: no such file")
    if os.path.isdir(image):
        raise DiskError(f"{image}: image: is a directory (build an image from it with "
                        f"`python -m kevlar.disk build {image} OUT.img`)")
    if snapshot:
        from kevlar.disk.clone import private_clone
        try:
            fd, how = private_clone(image)
        except OSError as exc:
            raise DiskError(f"{image}: snapshot: cannot clone the image: {exc.strerror}") from exc
        backend = ImageBackend(fd=fd, read_only=read_only)
        backend.path = image
        backend.clone_method = how
        return backend
    try:
        return ImageBackend(image, read_only=read_only)
    except PermissionError:
        if not read_only:
            raise DiskError(f"{image}: image: not writable; attach it read-only with "
                            f"{image}:ro or use --snapshot") from None
        raise
    except OSError as exc:
        raise DiskError(f"{image}: image: {exc.strerror}") from exc


def new_device(kernel, image: str, read_only: bool, snapshot: bool) -> BlockDevice:
    index = len(devices(kernel))
    backend = open_backend(image, read_only, snapshot)
    if backend.size() < 4096:
        backend.close()
        raise DiskError(f"{image}: image: {backend.size()} bytes is too small for a disk")
    try:
        device = BlockDevice(backend, index=index, read_only=read_only, label=image)
    except Exception as exc:
        backend.close()
        raise DiskError(f"{image}: virtio-blk: {exc}") from exc
    device.cache_bytes = max(1, int(getattr(kernel.config, "cache_mb", 64))) << 20
    if not hasattr(kernel, "disks"):
        kernel.disks = []
    kernel.disks.append(device)
    register()
    _announce(kernel, device)
    return device


def _announce(kernel, device) -> None:
    """Show the disk in /sys/block, /proc/partitions and /proc/diskstats (sysfs keeps a
    record; the driver keeps its I/O counters current)."""
    try:
        from kevlar.fs.sysfs import add_block_device
    except ImportError:  # pragma: no cover - a sysfs without block devices
        return
    device.sysfs = add_block_device(kernel, device.name.encode(), device.major, device.minor,
                                    device.capacity, device.read_only,
                                    logical_block_size=512, physical_block_size=device.blk_size)


def _boot_walk(kernel, table, path: bytes):
    """Walk path with root's rights at boot (the table may not be kernel.mounts yet)."""
    kernel.mounts = table
    return kernel.lookup(path)


def add_device_nodes(kernel, table) -> None:
    """/dev/vdX for every disk (block devices, group disk)."""
    try:
        dev = _boot_walk(kernel, table, b"/dev")
    except Exception:  # noqa: BLE001 - no /dev in a bare root image
        return
    for device in devices(kernel):
        name = device.name.encode()
        try:
            dev.inode.lookup(name)
        except Exception:  # noqa: BLE001 - ENOENT: make it
            dev.inode.mknod(name, S_IFBLK | 0o660, device.rdev, 0, 6)


def _mount_at(kernel, device, where: bytes, read_only: bool) -> None:
    from kevlar.world import mkdir_p
    try:
        target = kernel.lookup(where)
    except Exception:  # noqa: BLE001 - missing: make it
        try:
            mkdir_p(kernel.mounts.root.root, where)
            target = kernel.lookup(where)
        except Exception as exc:  # noqa: BLE001
            raise DiskError(f"{device.label}: mount point {where.decode()}: "
                            f"cannot create it ({exc})") from exc
    try:
        mount_block_device(kernel, None, _device_inode(kernel, device), target,
                           MS_RDONLY if read_only else 0)
    except Exception as exc:
        raise DiskError(f"{device.label}: ext2: {_reason(kernel, exc)}") from exc


class _DeviceInode:
    """What mount needs of /dev/vdX when the root has no /dev to hold it."""

    def __init__(self, device):
        self.mode = S_IFBLK | 0o660
        self.rdev = device.rdev


def _device_inode(kernel, device):
    try:
        return kernel.lookup(b"/dev/" + device.name.encode()).inode
    except Exception:  # noqa: BLE001 - no /dev/vdX
        return _DeviceInode(device)


def _reason(kernel, exc: Exception) -> str:
    messages = getattr(kernel, "storage_messages", [])
    if messages:
        text = messages.pop()
        return text.split("): ", 1)[-1]
    return str(exc) or type(exc).__name__


def attach_disks(kernel, table) -> None:
    """The --disk images: devices, /dev nodes, mounts (called by world.build_world)."""
    config = kernel.config
    specs = [s if isinstance(s, DiskSpec) else DiskSpec.parse(s) for s in config.disks]
    snapshot = bool(getattr(config, "snapshot", False))
    new = [(spec, new_device(kernel, spec.image, spec.read_only, snapshot)) for spec in specs]
    add_device_nodes(kernel, table)
    kernel.mounts = table
    for n, (spec, device) in enumerate(new):
        if spec.mount:
            _mount_at(kernel, device, spec.mountpoint or b"/mnt/disk%d" % n, spec.read_only)


def disk_root(kernel):
    """The mount table of a world whose root is the --root-image's ext2."""
    from kevlar.fs.path import MountTable
    from kevlar.fs.vfs import Mount
    config = kernel.config
    read_only = bool(getattr(config, "root_read_only", False))
    image = config.root_image
    device = new_device(kernel, image, read_only, bool(getattr(config, "snapshot", False)))
    try:
        fs = open_ext2(kernel, device, read_only)
    except Exception as exc:
        raise DiskError(f"{image}: ext2: {_reason(kernel, exc)}") from exc
    root = fs.root
    if not read_only:
        for name, mode in ((b"dev", 0o755), (b"proc", 0o555), (b"sys", 0o555), (b"tmp", 0o1777),
                           (b"mnt", 0o755)):
            try:
                root.lookup(name)
            except Exception:  # noqa: BLE001 - ENOENT: an init would mkdir it
                root.mkdir(name, S_IFDIR | mode, 0, 0)
    source = f"/dev/{device.name}".encode()
    table = MountTable(Mount(fs, root, source=source, flags=(MS_RDONLY if read_only else 0) | (1 << 21),
                             options=(b"ro" if read_only else b"rw") + b",relatime"))
    kernel.mounts = table
    return table


def storage_stats(kernel) -> list[str]:
    """--stats lines: per disk, the device's requests and the cache's counters."""
    lines = []
    for device in devices(kernel):
        s = device.stats()
        asked = s.get("hits", 0) + s.get("misses", 0)
        rate = f"{100 * s['hits'] / asked:.1f}%" if asked else "-"
        lines.append(f"block {device.name} ({device.label}): {s['requests']} requests, "
                     f"{s['read_bytes']} bytes read, {s['write_bytes']} bytes written, "
                     f"{s['flushes']} flushes, {s['errors']} errors")
        if "hits" in s:
            lines.append(f"cache {device.name}: hits {s['hits']} misses {s['misses']} (hit rate {rate}) "
                         f"readahead {s['readahead']} evictions {s['evictions']} "
                         f"writebacks {s['writebacks']} flushes {s['flushes']} "
                         f"[{s['cached']}/{s['capacity']} blocks of {s['block_size']}]")
    return lines


def shutdown_storage(kernel, stream=None) -> None:
    """At exit: unmount every disk's file system (final sync, marked clean), close the
    images, then print the messages gathered while running."""
    from kevlar.block.mount import print_messages
    for device in devices(kernel):
        try:
            device.shutdown()
        except Exception as exc:  # noqa: BLE001 - report, go on with the other disks
            print(f"kevlar: {device.name} ({device.label}): flushing failed: {exc}",
                  file=stream or sys.stderr)
    print_messages(kernel, stream)


__all__ = ["DiskSpec", "DiskError", "attach_disks", "disk_root", "storage_stats", "shutdown_storage",
           "disk_name"]
