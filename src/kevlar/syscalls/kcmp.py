"""kcmp(2) (kernel/kcmp.c): do two tasks share a kernel object?

Kevlar's objects are the kernel's: a File per open file description, the FdTable
(files_struct), FsContext (fs_struct), SignalHandlers (sighand_struct), AddressSpace
(mm) and a thread's io_context. Linux orders two objects by their obfuscated addresses;
Kevlar by their identity: 0 equal, 1 less, 2 greater, a stable order within a run. A
zombie has no mm, files, fs, io_context or SysV undo list any more (exit_mm and
friends), so those compare as NULL. Kevlar has no SysV semaphores, but the undo list a
thread shares with CLONE_SYSVSEM exists all the same (get_undo_list makes it at that
clone; pthread_create asks for it), so KCMP_SYSVSEM answers as Linux does.
"""

import struct

from kevlar.abi.constants import CLONE_SYSVSEM
from kevlar.abi.errors import EBADF, EINVAL, ENOENT, EPERM, ESRCH
from kevlar.ipc.epoll import EventPoll
from kevlar.process.task import ptrace_may_access
from kevlar.syscalls.args import Int, Pid, ULong

KCMP_FILE, KCMP_VM, KCMP_FILES, KCMP_FS, KCMP_SIGHAND, KCMP_IO, KCMP_SYSVSEM, KCMP_EPOLL_TFD = range(8)
EPOLL_SLOT = struct.Struct("<III")  # struct kcmp_epoll_slot: efd, tfd, toff


class SemUndoList:
    """struct sem_undo_list: nothing to undo in Kevlar, only an identity to share."""


def share_semundo(parent, child, flags: int) -> None:
    """copy_semundo(): CLONE_SYSVSEM shares the creator's list (made now if it has
    none); any other clone starts without one."""
    if flags & CLONE_SYSVSEM:
        if parent.semundo is None:
            parent.semundo = SemUndoList()
        child.semundo = parent.semundo


def _order(a, b) -> int:
    """kcmp_ptr(): 0, 1 or 2 by identity (NULL is None, identity 0)."""
    x = 0 if a is None else id(a)
    y = 0 if b is None else id(b)
    return (x < y) | ((x > y) << 1)


def _task(kernel, pid: int):
    """find_task_by_vpid(): (process, thread); a zombie leader has no thread left."""
    thread = kernel.threads.get(pid)
    if thread is not None:
        return thread.process, thread
    proc = kernel.find_process(pid)
    if proc is None or proc.reaped:
        raise ESRCH()
    return proc, None


def _file(proc, idx: int):
    """get_file_raw_ptr(): the file at fd idx (an unsigned int; O_PATH files too)."""
    if proc.zombie or proc.fds is None:
        return None
    return proc.fds.files.get(idx & 0xFFFFFFFF)


def _epoll_target(task, proc1, proc2, idx1: int, slot_ptr: int) -> int:
    """KCMP_EPOLL_TFD: the file at idx1 of task 1 against the target registered in
    task 2's epoll slot.efd as fd slot.tfd (the slot.toff-th such entry, in the order
    of the interest tree: file, then fd)."""
    efd, tfd, toff = EPOLL_SLOT.unpack(task.read(slot_ptr, EPOLL_SLOT.size))
    file = _file(proc1, idx1)
    if file is None:
        raise EBADF()
    epoll = _file(proc2, efd)
    if epoll is None:
        raise EBADF()
    if not isinstance(epoll, EventPoll):
        raise EINVAL()
    matches = [item for key, item in sorted(epoll.items.items(), key=lambda kv: kv[0])
               if item.fd == tfd]
    if toff >= len(matches):
        raise ENOENT()
    return _order(file, matches[toff].file)


def _field(proc, thread, kind: int):
    if kind == KCMP_SIGHAND:
        return proc.sighand
    if proc.zombie:
        return None
    if kind == KCMP_VM:
        return proc.mm
    if kind == KCMP_FILES:
        return proc.fds
    if kind == KCMP_FS:
        return proc.fs
    if thread is None:
        return None
    return thread.semundo if kind == KCMP_SYSVSEM else thread.io


def sys_kcmp(task, pid1: Pid, pid2: Pid, kind: Int, idx1: ULong, idx2: ULong) -> int:
    """kcmp(2): ESRCH for either pid, EPERM unless the caller may ptrace-read both
    (real credentials), then EINVAL for an unknown type, EBADF for a missing fd."""
    kernel = task.kernel
    proc1, thread1 = _task(kernel, pid1)
    proc2, thread2 = _task(kernel, pid2)
    if not (ptrace_may_access(task.process, proc1) and ptrace_may_access(task.process, proc2)):
        raise EPERM()
    if kind == KCMP_FILE:
        file1, file2 = _file(proc1, idx1), _file(proc2, idx2)
        if file1 is None or file2 is None:
            raise EBADF()
        return _order(file1, file2)
    if kind == KCMP_EPOLL_TFD:
        return _epoll_target(task, proc1, proc2, idx1, idx2)
    if kind not in (KCMP_VM, KCMP_FILES, KCMP_FS, KCMP_SIGHAND, KCMP_IO, KCMP_SYSVSEM):
        raise EINVAL()
    return _order(_field(proc1, thread1, kind), _field(proc2, thread2, kind))


__all__ = [name for name in dir() if name.startswith("sys_")]
