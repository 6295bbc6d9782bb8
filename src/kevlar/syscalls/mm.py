"""Memory mappings of Kevlar files (mm/mmap.c do_mmap rules; anonymous memory runs natively).

The design: a Kevlar file that can be mapped has host backing, one host object the
tracer owns that holds the file's data (`inode.host_backing()`): a tmpfs file moves its
pages into a host memfd the first time it is mapped (fs/tmpfs.py), a host bind's file is
the host file itself (fs/hostfs.py). Kevlar's read(2) and write(2) then go to that same
object, so the guest can map it for real: MAP_SHARED stores are seen by read(2) and by
every process mapping the file, write(2) is seen through every mapping, a private
mapping's untouched pages follow the file, a page past the end is SIGBUS, msync,
mprotect, madvise and mremap are the host's own and exact.

Getting the host object into the guest's address space takes a host fd in the guest
process. The tracer injects one (platform/inject.py): the guest opens
/proc/TRACER/fd/N (the tracer's fd on the backing) with openat(2), O_CLOEXEC and the
access mode of the guest's own open file, so a shared writable mapping of a file opened
read-only fails with EACCES in the host, now and at any later mprotect. The guest's
mmap is then re-issued with its fd argument rewritten to that host fd, and the host
does the mapping. Those host fds are invisible to the guest (its fds are Kevlar's; no
native syscall takes an fd), are cached per address space (AddressSpace.host_fds,
keyed by the backing's serial and the access mode, so each file costs one injection
per process), are inherited by fork like the rest of the host fd table and closed by
exec. Cost: one injected openat (~20 us) the first time a process maps a file.

Files without host backing keep the older emulation: a private mapping is an anonymous
mapping filled with the file's bytes through /proc/PID/mem at the syscall's exit (later
writes to the file do not show, which MAP_PRIVATE allows); a shared writable one is
ENODEV. /dev/zero maps as anonymous memory (private, or shared).

/proc/PID/maps: AddressSpace.mappings records what each mapping is, and
`host_names(proc)` names the host objects (the memfd's "/memfd:kevlar:..." name, a bind's
host path) so procfs shows the guest's path instead.
"""

import itertools
import os
import struct

from kevlar.abi.constants import (
    AT_FDCWD,
    MAP_ANONYMOUS,
    MAP_PRIVATE,
    MAP_SHARED,
    MAP_SHARED_VALIDATE,
    MAP_TYPE,
    O_CLOEXEC,
    O_RDONLY,
    O_RDWR,
    PAGE_SIZE,
    PROT_EXEC,
    PROT_READ,
    PROT_WRITE,
    S_IFCHR,
)
from kevlar.abi.errors import EACCES, EBADF, EINVAL, ENODEV, ENXIO, EPERM
from kevlar.abi.sysnums import SYSCALLS
from kevlar.fs.hostfile import HostFile
from kevlar.fs.vfs import may_access
from kevlar.platform.interface import ACT_CONTINUE
from kevlar.process.blocking import Reissue
from kevlar.syscalls.args import Fd, Int, Ptr, Size, UInt
from kevlar.syscalls.common import host_passthrough, rewrite_args

MS_NOEXEC = 8
CACHESTAT_RANGE = struct.Struct("<QQ")  # struct cachestat_range {off, len}
CACHESTAT = struct.Struct("<5Q")  # cache, dirty, writeback, evicted, recently_evicted
_serials = itertools.count(1)


def _serial(inode) -> int:
    serial = getattr(inode, "backing_serial", None)
    if serial is None:
        serial = inode.backing_serial = next(_serials)
    return serial


def sys_mmap(task, addr: Ptr, length: Size, prot: UInt, flags: UInt, fd: Fd, offset: int) -> int:
    """mmap(2)."""
    if flags & MAP_ANONYMOUS:
        return ACT_CONTINUE
    if offset & (PAGE_SIZE - 1):
        raise EINVAL()
    file = task.process.fds.get(fd)
    if isinstance(file, HostFile):
        return host_passthrough(task, file, 4, fd)
    if length == 0:
        raise EINVAL()
    kind = flags & MAP_TYPE
    if kind not in (MAP_SHARED, MAP_PRIVATE, MAP_SHARED_VALIDATE):
        raise EINVAL()
    inode = file.inode
    if inode is None:
        raise ENODEV()
    if inode.type == S_IFCHR and _is_zero(file):
        return _anonymous(task, flags)
    if not inode.is_reg() or file.location is None:
        raise ENODEV()
    shared = kind != MAP_PRIVATE
    if shared and prot & PROT_WRITE and not file.writable:
        raise EACCES()
    if not file.readable:
        raise EACCES()
    mount = file.location.mount
    if prot & PROT_EXEC and mount is not None and mount.flags & MS_NOEXEC:
        raise EPERM()
    seals = getattr(inode, "seals", 0)
    if shared and prot & PROT_WRITE and seals & (0x08 | 0x10):  # F_SEAL_WRITE, F_SEAL_FUTURE_WRITE
        raise EPERM()
    backing = getattr(file, "host_backing", None) or getattr(inode, "host_backing", None)
    if backing is None:
        return _private_copy(task, file, length, prot, flags, offset, shared)
    guest_fd = _guest_fd(task, inode, backing, file.writable)
    location = file.location

    def record(thread, result: int) -> int:
        if -4096 < result < 0:
            return result
        thread.process.mm.mappings[result] = (location, offset, length, prot, flags)
        if shared and prot & PROT_WRITE:
            inode.shared_writers = getattr(inode, "shared_writers", 0) + 1
        return result

    return rewrite_args(task, {4: guest_fd}, record)


def _is_zero(file) -> bool:
    from kevlar.fs.devfs import ZeroFile
    return isinstance(file, ZeroFile)


def _anonymous(task, flags: int) -> int:
    """/dev/zero (mmap_zero): private or shared anonymous memory."""
    return rewrite_args(task, {3: flags | MAP_ANONYMOUS, 4: -1, 5: 0})


def _guest_fd(task, inode, backing, writable: bool) -> int:
    """The guest-side host fd on inode's backing (see the module docstring). Injects an
    openat the first time in this address space, then raises Reissue."""
    mm = task.process.mm
    key = (_serial(inode), writable)
    cached = mm.host_fds.get(key)
    if cached is not None:
        return cached
    tracer_fd = backing()
    from kevlar.platform.inject import inject_syscall, scratch_write
    path = b"/proc/%d/fd/%d\0" % (os.getpid(), tracer_fd)
    where = scratch_write(task, path)
    result = inject_syscall(task, SYSCALLS["openat"], AT_FDCWD, where,
                            (O_RDWR if writable else O_RDONLY) | O_CLOEXEC, 0)
    if -4096 < result < 0:
        from kevlar.abi.errors import BY_NUMBER, ENOMEM
        raise BY_NUMBER.get(-result, ENOMEM)()
    mm.host_fds[key] = result
    raise Reissue()


def _private_copy(task, file, length: int, prot: int, flags: int, offset: int, shared: bool) -> int:
    """Files without host backing: an anonymous copy of the bytes (read-only sharing
    only)."""
    if shared and prot & PROT_WRITE:
        raise ENODEV()
    inode = file.inode
    location = file.location
    new_flags = (flags & ~MAP_TYPE) | MAP_PRIVATE | MAP_ANONYMOUS

    def fill(thread, result: int) -> int:
        if -4096 < result < 0:
            return result
        data = inode.read(offset, min(length, max(0, inode.size - offset)))
        if data:
            write_through_mem(thread, result, data)
        thread.process.mm.mappings[result] = (location, offset, length, prot, flags)
        return result

    return rewrite_args(task, {3: new_flags, 4: -1, 5: 0}, fill)


def write_through_mem(thread, addr: int, data: bytes) -> None:
    """Write guest memory regardless of its protection (/proc/PID/mem, FOLL_FORCE)."""
    fd = os.open(f"/proc/{thread.host_tid}/mem", os.O_RDWR | os.O_CLOEXEC)
    try:
        os.pwrite(fd, data, addr)
    finally:
        os.close(fd)


def sys_msync(task, addr: Ptr, length: Size, flags: Int) -> int:
    """msync(2): the mappings are the host's own (a memfd, a bind's file, or anonymous
    copies), so the host checks the range and flags and does the flush."""
    return ACT_CONTINUE


def host_names(kernel, proc) -> dict:
    """{host name in /proc/HOSTPID/maps: guest Location} for the files proc has mapped
    through their host backing: "/memfd:kevlar:..." or a bind's host path."""
    out = {}
    for record in proc.mm.mappings.values():
        loc = record[0]
        inode = loc.inode
        if getattr(inode, "memfd", -1) >= 0:
            out[b"/memfd:kevlar:%d:%d" % (inode.fs.dev, inode.ino)] = loc
        elif getattr(inode, "fs", None) is not None and hasattr(inode.fs, "host_dir"):
            rel = inode.rel()  # the host shows the path with the bind's symlinks resolved
            out[os.path.realpath(inode.fs.host_dir) + (b"/" + rel if rel else b"")] = loc
    return out


__all__ = ["sys_mmap", "sys_msync", "host_names", "PROT_READ", "EBADF"]


def _data_pages(inode, first: int, last: int) -> int:
    """Pages of [first, last] that hold data (SEEK_DATA/SEEK_HOLE ranges below the size)."""
    end = min(inode.size, (last + 1) * PAGE_SIZE)
    offset, count = first * PAGE_SIZE, 0
    while offset < end:
        try:
            start = inode.next_data(offset, False)
        except ENXIO:
            break
        if start >= end:
            break
        stop = min(inode.next_data(start, True), end)
        count += (stop + PAGE_SIZE - 1) // PAGE_SIZE - start // PAGE_SIZE
        offset = stop
    return count


def sys_cachestat(task, fd: Fd, crange: Ptr, cstat: Ptr, flags: UInt) -> int:
    """cachestat(2) (mm/filemap.c), checks in Linux's order. Kevlar's files live in its
    memory, its block cache or a bind's host file: every data page counts as cached, and
    none as dirty, under writeback or evicted (what tmpfs reports)."""
    file = task.process.fds.get(fd)
    off, length = CACHESTAT_RANGE.unpack(task.read(crange, CACHESTAT_RANGE.size))
    inode = file.inode
    if inode is not None and not (file.writable or task.creds.fsuid in (0, inode.uid)
                                  or may_access(task.creds, inode, 2)):
        raise EPERM()
    if flags:
        raise EINVAL()
    first = off // PAGE_SIZE
    last = (1 << 64) if length == 0 else (off + length - 1) // PAGE_SIZE
    cached = _data_pages(inode, first, last) if inode is not None and inode.is_reg() else 0
    task.write(cstat, CACHESTAT.pack(cached, 0, 0, 0, 0))
    return 0
