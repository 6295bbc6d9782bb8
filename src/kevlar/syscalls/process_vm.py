"""process_vm_readv/process_vm_writev (mm/process_vm_access.c) between guest processes.

The tracer does the copy: it can read and write every guest's memory (the engine's
guest-memory calls), so the pid is Kevlar's vpid and the permission is Kevlar's
ptrace_may_access with the caller's real credentials. Linux copies page by page and
stops at the first page either side cannot reach; the count done so far is the result,
EFAULT only when nothing was copied. Kevlar moves each overlap of a local and a remote
iovec in one piece and, if that faults, again page by page to find where it stops.
"""

from kevlar.abi.constants import IOV_MAX
from kevlar.abi.errors import EFAULT, EINVAL, EPERM, ESRCH
from kevlar.abi.structs import IOVEC
from kevlar.process.task import ptrace_may_access
from kevlar.syscalls.args import Pid, Ptr, ULong
from kevlar.syscalls.fd import read_iovecs

PAGE = 4096
CHUNK = 1 << 20  # the most the tracer holds at once: a guest's huge iovec is not a huge buffer


def _remote_iovecs(task, iov: int, iovcnt: int) -> list[tuple[int, int]]:
    """iovec_from_user(): EINVAL past IOV_MAX, EFAULT, EINVAL for a negative length;
    the remote ranges are not access_ok-checked (pinning their pages fails instead)."""
    if iovcnt > IOV_MAX:
        raise EINVAL()
    if iovcnt == 0:
        return []
    raw = task.read(iov, IOVEC.size * iovcnt)
    vecs = [IOVEC.struct.unpack_from(raw, i * IOVEC.size) for i in range(iovcnt)]
    if any(length > 0x7FFFFFFFFFFFFFFF for _, length in vecs):
        raise EINVAL()
    return vecs


def _target(task, pid: int):
    """find_task_by_vpid + mm_access: ESRCH for no such task or one without an mm (a
    zombie), EPERM without ptrace access (not needed for a shared mm)."""
    kernel = task.kernel
    thread = kernel.threads.get(pid) if pid > 0 else None
    proc = thread.process if thread is not None else None
    if proc is None or proc.zombie or proc.reaped:
        raise ESRCH()
    if proc.mm is not task.process.mm and not ptrace_may_access(task.process, proc):
        raise EPERM()
    return thread


def _pieces(local, remote):
    """(local address, remote address, length) of the overlaps of the two lists, in
    pieces of at most CHUNK bytes."""
    li = ri = 0
    loff = roff = 0
    while li < len(local) and ri < len(remote):
        lbase, llen = local[li]
        rbase, rlen = remote[ri]
        n = min(llen - loff, rlen - roff, CHUNK)
        if n:
            yield lbase + loff, rbase + roff, n
        loff += n
        roff += n
        if loff >= llen:
            li, loff = li + 1, 0
        if roff >= rlen:
            ri, roff = ri + 1, 0


def _copy(read, write, src: int, dst: int, n: int) -> int:
    """Move n bytes; on a fault, page by page (pages of either side), stopping at the
    first piece that cannot be read or written. Returns the bytes moved."""
    try:
        write(dst, read(src, n))
        return n
    except EFAULT:
        pass
    done = 0
    while done < n:
        step = min(n - done, PAGE - (src + done) % PAGE, PAGE - (dst + done) % PAGE)
        try:
            write(dst + done, read(src + done, step))
        except EFAULT:
            break
        done += step
    return done


def _process_vm_rw(task, pid: int, lvec: int, liovcnt: int, rvec: int, riovcnt: int,
                   flags: int, to_remote: bool) -> int:
    if flags:
        raise EINVAL()
    local = read_iovecs(task, lvec, liovcnt)
    if not any(length for _, length in local):
        return 0
    remote = _remote_iovecs(task, rvec, riovcnt)
    if not any(length for _, length in remote):
        return 0
    thread = _target(task, pid)
    engine = task.kernel.engine
    host = thread.host_tid

    def remote_read(addr: int, n: int) -> bytes:
        return engine.read(host, addr, n)

    def remote_write(addr: int, data: bytes) -> None:
        engine.write(host, addr, data)

    total = 0
    for laddr, raddr, n in _pieces(local, remote):
        if to_remote:
            done = _copy(task.read, remote_write, laddr, raddr, n)
        else:
            done = _copy(remote_read, task.write, raddr, laddr, n)
        total += done
        if done < n:
            if not total:
                raise EFAULT()
            break
    return total


def sys_process_vm_readv(task, pid: Pid, lvec: Ptr, liovcnt: ULong, rvec: Ptr, riovcnt: ULong,
                         flags: ULong) -> int:
    """process_vm_readv(2): flags must be 0; a zero-length side is 0 before the pid is
    looked up; partial transfers return the count done."""
    return _process_vm_rw(task, pid, lvec, liovcnt, rvec, riovcnt, flags, False)


def sys_process_vm_writev(task, pid: Pid, lvec: Ptr, liovcnt: ULong, rvec: Ptr, riovcnt: ULong,
                          flags: ULong) -> int:
    """process_vm_writev(2): as readv, into the other process (read-only pages fault:
    no FOLL_FORCE)."""
    return _process_vm_rw(task, pid, lvec, liovcnt, rvec, riovcnt, flags, True)


__all__ = [name for name in dir() if name.startswith("sys_")]
