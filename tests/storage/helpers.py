"""Helpers for the storage tests: images made by mke2fs, the file system opened on them
without any tracer, and the oracles (e2fsck -fn, debugfs, a read-only loop mount)."""

import os
import shutil
import subprocess
from pathlib import Path

from kevlar.block.backend import FaultyBackend, ImageBackend, MemoryBackend
from kevlar.block.device import BlockDevice


def mkfs(path: Path, size: str = "8M", block_size: int = 1024, src: Path | None = None,
         args: tuple[str, ...] = (), fstype: str = "ext2") -> Path:
    """A fresh image made by mke2fs (reproducible: fixed UUID, seed and time)."""
    if path.exists():
        path.unlink()
    with open(path, "wb") as f:
        f.truncate(parse(size))
    fixed = "11111111-2222-3333-4444-555555555555"
    command = ["mke2fs", "-q", "-F", "-t", fstype, "-b", str(block_size), "-U", fixed,
               "-E", f"hash_seed={fixed}", *args]
    if src is not None:
        command += ["-d", str(src)]
    command.append(str(path))
    subprocess.run(command, check=True, capture_output=True,
                   env=dict(os.environ, E2FSPROGS_FAKE_TIME="1700000000"))
    return path


def parse(size: str) -> int:
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(size[:-1]) * units[size[-1]] if size[-1] in units else int(size)


def e2fsck(path: Path) -> tuple[int, str]:
    out = subprocess.run(["e2fsck", "-fn", str(path)], capture_output=True, text=True)
    return out.returncode, out.stdout + out.stderr


def assert_clean(path: Path) -> None:
    code, text = e2fsck(path)
    assert code == 0, f"e2fsck -fn {path} = {code}:\n{text}"


def debugfs(path: Path, request: str) -> bytes:
    out = subprocess.run(["debugfs", "-R", request, str(path)], capture_output=True)
    return out.stdout


def open_device(path: Path, read_only: bool = False, cache_kb: int = 1024, faults: dict | None = None,
                **kw) -> BlockDevice:
    backend = ImageBackend(str(path), read_only=read_only)
    if faults is not None:
        backend = FaultyBackend(backend, **faults)
    device = BlockDevice(backend, read_only=read_only, **kw)
    device.cache_bytes = cache_kb << 10
    return device


def mount(path: Path, read_only: bool = False, cache_kb: int = 1024, faults: dict | None = None):
    """(file system, device) on an image file, no tracer involved."""
    from kevlar.fs.ext2 import Ext2Fs
    device = open_device(path, read_only=read_only, cache_kb=cache_kb, faults=faults)
    fs = Ext2Fs(device, read_only=read_only)
    device.fs = fs
    return fs, device


def unmount(fs, device) -> None:
    fs.shutdown()
    device.fs = None
    device.shutdown()


def memory_device(size: int = 1 << 20, **kw) -> tuple[BlockDevice, bytearray]:
    data = bytearray(size)
    return BlockDevice(MemoryBackend(data), **kw), data


def loop_mount_available() -> bool:
    """Whether `mount -o loop,ro` works here (root, loop devices)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    return os.path.exists("/dev/loop-control")


def walk_fs(fs, path: bytes = b"/"):
    """(path, inode) of everything in the file system, directories first."""
    out = []
    stack = [(path, fs.root)]
    while stack:
        where, inode = stack.pop()
        out.append((where, inode))
        if inode.is_dir():
            for _cookie, name, child in inode.entries():
                if name in (b".", b".."):
                    continue
                child = inode.lookup(name)
                stack.append(((where.rstrip(b"/") + b"/" + name), child))
    return out


def lookup(fs, path: bytes):
    inode = fs.root
    for part in [p for p in path.split(b"/") if p]:
        inode = inode.lookup(part)
    return inode


def read_all(inode, chunk: int = 1 << 20) -> bytes:
    out = []
    pos = 0
    while True:
        data = inode.read(pos, chunk)
        if not data:
            return b"".join(out)
        out.append(data)
        pos += len(data)
