"""I/O priorities: ioprio_get/ioprio_set (block/ioprio.c, block/blk-ioc.c).

Kevlar has no block scheduler to obey them, but programs (ionice, init systems) set and
read them, so they are kept as Linux keeps them: per thread, in an io_context made by
the first ioprio_set (Thread.io; None reads as IOPRIO_CLASS_NONE, 0), shared with
CLONE_IO, copied to a child when its class is valid (copy_io), gone once the thread has
exited. The value is stored as given (16 bits: class, hint, level).
"""

import os

from kevlar.abi.constants import CLONE_IO
from kevlar.abi.errors import EINVAL, EPERM, ESRCH
from kevlar.syscalls.args import Int

IOPRIO_CLASS_SHIFT = 13
IOPRIO_CLASS_NONE, IOPRIO_CLASS_RT, IOPRIO_CLASS_BE, IOPRIO_CLASS_IDLE = range(4)
IOPRIO_WHO_PROCESS, IOPRIO_WHO_PGRP, IOPRIO_WHO_USER = 1, 2, 3
SCHED_NORMAL, SCHED_FIFO, SCHED_RR, SCHED_IDLE, SCHED_DEADLINE = 0, 1, 2, 5, 6
SCHED_RESET_ON_FORK = 0x40000000
CAP_SYS_ADMIN = 21
CAP_SYS_NICE = 23


class IoContext:
    """struct io_context: what Kevlar keeps of it is the priority."""

    __slots__ = ("ioprio",)

    def __init__(self, ioprio: int):
        self.ioprio = ioprio


def _class(ioprio: int) -> int:
    return (ioprio >> IOPRIO_CLASS_SHIFT) & 7


def ioprio_valid(ioprio: int) -> bool:
    return IOPRIO_CLASS_NONE < _class(ioprio) <= IOPRIO_CLASS_IDLE


def copy_io(parent: IoContext | None, flags: int) -> IoContext | None:
    """kernel/fork.c copy_io(): a new thread or process shares the io_context with
    CLONE_IO, else gets its own copy only if the priority's class is valid."""
    if parent is None:
        return None
    if flags & CLONE_IO:
        return parent
    return IoContext(parent.ioprio) if ioprio_valid(parent.ioprio) else None


def _check_cap(task, ioprio: int) -> None:
    """ioprio_check_cap(): RT needs CAP_SYS_NICE or CAP_SYS_ADMIN; NONE takes no level;
    classes past IDLE are EINVAL."""
    cls = _class(ioprio)
    if cls == IOPRIO_CLASS_RT:
        if not (task.creds.capable(CAP_SYS_NICE) or task.creds.capable(CAP_SYS_ADMIN)):
            raise EPERM()
    elif cls == IOPRIO_CLASS_NONE:
        if ioprio & 7:
            raise EINVAL()
    elif cls != IOPRIO_CLASS_BE and cls != IOPRIO_CLASS_IDLE:
        raise EINVAL()


def _tasks(task, which: int, who: int, for_set: bool) -> list:
    """The (process, thread or None) tasks `which`/`who` names, as the kernel walks
    them: a zombie leader is one task without a thread. ESRCH when there is none."""
    kernel = task.kernel
    if which == IOPRIO_WHO_PROCESS:
        if who == 0:
            return [(task.process, task)]
        thread = kernel.threads.get(who)
        if thread is not None:
            return [(thread.process, thread)]
        proc = kernel.find_process(who)
        if proc is None or proc.reaped:
            raise ESRCH()
        return [(proc, None)]
    if which == IOPRIO_WHO_PGRP:
        pgid = who or task.process.pgid
        procs = [p for p in kernel.processes.values() if p.pgid == pgid and not p.reaped]
    elif which == IOPRIO_WHO_USER:
        # ioprio_set matches the uid `who` (0 is root); ioprio_get's who 0 is the
        # caller's own user. Either needs a user with a process (find_user).
        uid = who & 0xFFFFFFFF
        if uid == 0xFFFFFFFF and for_set:
            raise ESRCH()
        if who == 0 and not for_set:
            uid = task.creds.uid
        procs = [p for p in kernel.processes.values() if p.creds.uid == uid and not p.reaped]
    else:
        raise EINVAL()
    out = []
    for proc in sorted(procs, key=lambda p: p.pid):
        if proc.zombie:
            out.append((proc, None))
        else:
            out.extend((proc, t) for _tid, t in sorted(proc.threads.items()))
    if not out:
        raise ESRCH()
    return out


def _effective(thread) -> int:
    """__get_task_ioprio(): a priority of class NONE (never set, or set to NONE) follows
    the thread's scheduling: the IDLE policy is the IDLE class, FIFO/RR/DEADLINE are RT,
    the rest BE, at level (nice + 20) / 5 (task_nice_ioclass, task_nice_ioprio)."""
    value = thread.io.ioprio if thread is not None and thread.io is not None else 0
    if _class(value) != IOPRIO_CLASS_NONE:
        return value
    policy, nice = SCHED_NORMAL, 0  # an exited thread: what a new task would have
    if thread is not None:
        try:
            policy = os.sched_getscheduler(thread.host_tid) & ~SCHED_RESET_ON_FORK
            nice = os.getpriority(os.PRIO_PROCESS, thread.host_tid)
        except OSError:
            pass
    cls = (IOPRIO_CLASS_IDLE if policy == SCHED_IDLE
           else IOPRIO_CLASS_RT if policy in (SCHED_FIFO, SCHED_RR, SCHED_DEADLINE)
           else IOPRIO_CLASS_BE)
    return cls << IOPRIO_CLASS_SHIFT | (nice + 20) // 5


def sys_ioprio_get(task, which: Int, who: Int) -> int:
    """ioprio_get(2): one task's priority as set (get_task_raw_ioprio: 0 when unset),
    or the best (lowest) effective priority of a group's or a user's threads."""
    targets = _tasks(task, which, who, False)
    if which == IOPRIO_WHO_PROCESS:
        thread = targets[0][1]
        return thread.io.ioprio if thread is not None and thread.io is not None else 0
    return min(_effective(thread) for _proc, thread in targets)


def sys_ioprio_set(task, which: Int, who: Int, ioprio: Int) -> int:
    """ioprio_set(2): the value's checks first, then each target in turn
    (set_task_ioprio: EPERM unless the target's real uid is the caller's real or
    effective uid, or CAP_SYS_NICE); the first error stops the walk."""
    _check_cap(task, ioprio)
    creds = task.creds
    for proc, thread in _tasks(task, which, who, True):
        if proc.creds.uid not in (creds.euid, creds.uid) and not creds.capable(CAP_SYS_NICE):
            raise EPERM()
        if thread is None:
            continue  # an exiting task keeps no io_context
        if thread.io is None:
            thread.io = IoContext(0)
        thread.io.ioprio = ioprio & 0xFFFF
    return 0


__all__ = [name for name in dir() if name.startswith("sys_")]
