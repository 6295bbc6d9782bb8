"""Memory mappings of Kevlar files (mm/mmap.c rules; anonymous memory runs natively).

A private mapping of a Kevlar file becomes an anonymous mapping with the requested
protection, filled with the file's bytes through /proc/PID/mem at the syscall's exit
(that write ignores page protection, as ptrace access does), so the host never opens a
Kevlar file. Later writes to the file do not show in the mapping, which MAP_PRIVATE
allows. Shared writable mappings of Kevlar files need a host memfd behind the file and
are refused for now (ENODEV, reported as partial support).
"""

import os

from kevlar.abi.constants import (
    MAP_ANONYMOUS,
    MAP_PRIVATE,
    MAP_SHARED,
    MAP_SHARED_VALIDATE,
    MAP_TYPE,
    PAGE_SIZE,
    PROT_READ,
    PROT_WRITE,
)
from kevlar.abi.errors import EACCES, EBADF, EINVAL, ENODEV
from kevlar.fs.hostfile import HostFile
from kevlar.platform.interface import ACT_CONTINUE
from kevlar.syscalls.args import Fd, Int, Ptr, Size, UInt
from kevlar.syscalls.common import host_passthrough, rewrite_args


def sys_mmap(task, addr: Ptr, length: Size, prot: UInt, flags: UInt, fd: Fd, offset: int) -> int:
    """mmap(2)."""
    if flags & MAP_ANONYMOUS:
        return ACT_CONTINUE
    if length == 0 or offset & (PAGE_SIZE - 1):
        raise EINVAL()
    file = task.process.fds.get(fd)
    if isinstance(file, HostFile):
        return host_passthrough(task, file, 4, fd)
    kind = flags & MAP_TYPE
    if kind not in (MAP_SHARED, MAP_PRIVATE, MAP_SHARED_VALIDATE):
        raise EINVAL()
    if file.location is None or file.inode is None or not file.inode.is_reg():
        raise ENODEV()
    if not file.readable:
        raise EACCES()
    shared = kind != MAP_PRIVATE
    if shared and prot & PROT_WRITE:
        if not file.writable:
            raise EACCES()
        raise ENODEV("shared writable mappings of Kevlar files are not supported yet")
    inode = file.inode
    new_flags = (flags & ~MAP_TYPE) | MAP_PRIVATE | MAP_ANONYMOUS

    def fill(thread, result: int) -> int:
        if -4096 < result < 0:
            return result
        data = inode.read(offset, min(length, max(0, inode.size - offset)))
        if data:
            write_through_mem(thread, result, data)
        thread.process.mm.mappings[result] = (file.location, offset, length, prot, flags)
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
    """msync(2): the host checks the range and flags; private copies need no flush."""
    return ACT_CONTINUE


__all__ = ["sys_mmap", "sys_msync", "PROT_READ", "EBADF"]
