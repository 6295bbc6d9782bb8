"""Mounting a block device: what mount(2) does for `mount -t ext2 /dev/vda /mnt/x`.

kevlar.syscalls.mount owns mount(2) and its registry of file system types; ext2 is
registered there with `ext2_factory`, which finds the disk behind the device inode and
returns its file system. `mount_block_device` does the whole thing (resolve, open,
attach) for callers outside a mount(2) syscall (attaching --disk at boot).

A disk holds at most one ext2 instance (Linux's sget(): mounting the same device twice
shows the same file system at both places). A read-only disk refuses a read-write mount
with EROFS; a file system that cannot be mounted is EINVAL, with the reason logged
("kevlar: ext2 (vda): unsupported incompat feature(s): extent ...").
"""

import sys

from kevlar.abi.constants import S_IFBLK, S_IFMT
from kevlar.abi.errors import EBUSY, EINVAL, ENOTBLK, ENXIO, EROFS

MS_RDONLY = 1
MS_NODEV = 4
MS_RELATIME = 1 << 21

# ext2's own mount options (fs/ext2/super.c tokens): accepted; Kevlar's ext2 behaves
# as with the defaults whatever they say.
EXT2_OPTIONS = {b"bsddf", b"minixdf", b"grpid", b"bsdgroups", b"nogrpid", b"sysvgroups",
                b"nouid32", b"nocheck", b"debug", b"oldalloc", b"orlov", b"nobh", b"user_xattr",
                b"nouser_xattr", b"acl", b"noacl", b"xip", b"dax", b"grpquota", b"noquota",
                b"quota", b"usrquota", b"reservation", b"noreservation", b"ro", b"rw", b"sync",
                b"async", b"dirsync", b"lazytime", b"nolazytime", b"silent", b"loud",
                b"relatime", b"norelatime", b"strictatime", b"noatime", b"nodiratime", b"nosuid",
                b"nodev", b"noexec", b"suid", b"dev", b"exec", b"iversion", b"noiversion",
                b"defaults"}
EXT2_VALUE_OPTIONS = {b"errors", b"resuid", b"resgid", b"sb", b"check"}


def devices(kernel) -> list:
    """The disks attached to kernel (kernel.disks, in vda, vdb, ... order)."""
    return getattr(kernel, "disks", [])


def find_device(kernel, rdev: int):
    for device in devices(kernel):
        if device.rdev == rdev:
            return device
    return None


def log(kernel, message: str) -> None:
    """A kernel message (what Linux prints to dmesg), shown on stderr at exit."""
    messages = getattr(kernel, "storage_messages", None)
    if messages is None:
        messages = kernel.storage_messages = []
    messages.append(message)


def check_options(options: list[bytes]) -> None:
    for opt in options:
        key, eq, _value = opt.partition(b"=")
        if eq and key in EXT2_VALUE_OPTIONS:
            continue
        if not eq and opt in EXT2_OPTIONS:
            continue
        raise EINVAL(f"ext2: unrecognized mount option {opt.decode(errors='replace')!r}")


def open_ext2(kernel, device, read_only: bool):
    """The ext2 file system on device, mounting it if this is the first mount."""
    from kevlar.fs.ext2 import Ext2Error, Ext2Fs
    fs = device.fs
    if fs is not None and fs.mounted:
        if fs.read_only and not read_only:
            raise EBUSY()  # a read-only instance cannot also be read-write
        return fs
    if not read_only and device.read_only:
        log(kernel, f"ext2 ({device.name}): write-protected, refusing a read-write mount")
        raise EROFS()
    try:
        fs = Ext2Fs(device, read_only=read_only)
    except Ext2Error as exc:
        log(kernel, f"ext2 ({device.name}): {exc}")
        raise
    fs.kernel = kernel
    device.fs = fs
    return fs


def device_of(kernel, inode, mount=None):
    """The disk a device inode names: ENOTBLK for anything but a block device, EACCES
    on a nodev mount, ENXIO when no disk has that number."""
    if inode.mode & S_IFMT != S_IFBLK:
        raise ENOTBLK()
    if mount is not None and mount.flags & MS_NODEV:
        from kevlar.abi.errors import EACCES
        raise EACCES()
    device = find_device(kernel, inode.rdev)
    if device is None:
        raise ENXIO()
    return device


def ext2_factory(task, source: bytes, sb_flags: int, options: list[bytes]):
    """kevlar.syscalls.mount's factory for "ext2": source is the device path."""
    from kevlar.fs.path import resolve
    check_options(options)
    loc = resolve(task, -100, source)
    device = device_of(task.kernel, loc.inode, loc.mount)
    read_only = bool(sb_flags & MS_RDONLY) or any(opt == b"ro" for opt in options)
    return open_ext2(task.kernel, device, read_only)


def mount_block_device(kernel, task, device_inode, target_location, flags: int = 0, data: bytes = b""):
    """Mount the ext2 file system of the disk device_inode names on target_location.
    Returns the new Mount. (task may be None at boot.)"""
    options = [opt for opt in data.split(b",") if opt]
    check_options(options)
    device = device_of(kernel, device_inode)
    read_only = bool(flags & MS_RDONLY)
    fs = open_ext2(kernel, device, read_only)
    if not target_location.inode.is_dir():
        from kevlar.abi.errors import ENOTDIR
        raise ENOTDIR()
    source = f"/dev/{device.name}".encode()
    mnt = kernel.mounts.mount(fs, target_location, source=source, flags=flags | MS_RELATIME,
                              options=(b"ro" if read_only else b"rw") + b",relatime")
    try:
        from kevlar.syscalls.mount import mount_options
        mnt.options = mount_options(mnt)
    except ImportError:  # pragma: no cover - mount(2) not built yet
        pass
    return mnt


def register() -> None:
    """Make `mount -t ext2` work (idempotent)."""
    try:
        from kevlar.syscalls.mount import FILESYSTEMS, register_filesystem
    except ImportError:  # pragma: no cover
        return
    if "ext2" not in FILESYSTEMS:
        register_filesystem("ext2", ext2_factory, requires_device=True)


def print_messages(kernel, stream=None) -> None:
    for message in getattr(kernel, "storage_messages", []):
        print(f"kevlar: {message}", file=stream or sys.stderr)
    kernel.storage_messages = []


__all__ = ["mount_block_device", "ext2_factory", "open_ext2", "find_device", "register"]
