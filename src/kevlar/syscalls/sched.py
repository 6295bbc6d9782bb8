"""Scheduling: nice values (getpriority/setpriority), CPU affinity and policies.
kernel/sys.c, kernel/sched/syscalls.c.

Nice values and policies live on the host (they schedule the real threads, threads
inherit them natively, and sched_setattr changes them too), so Kevlar reads them from
the host; it decides who may change what with the guest's credentials and translates
every pid.

CPU affinity is Kevlar's view. The tracer pins the guests to its own CPU (a stop costs
~10 us on one CPU, ~55 us across two); a guest sees the CPUs kevlar-trace itself was
allowed to use, as natively. A guest that asks for a set of CPUs gets it in its view;
its host thread runs on the tracer's CPU while that is in the set, else on the set
itself, so getcpu(2) (native) always names a CPU of the guest's view.
"""

import ctypes
import os
import struct

from kevlar.abi.constants import (
    CAP_SYS_NICE,
    MAX_NICE,
    MIN_NICE,
    PRIO_PGRP,
    PRIO_PROCESS,
    PRIO_USER,
    RLIMIT_NICE,
    RLIMIT_RTPRIO,
    SCHED_BATCH,
    SCHED_DEADLINE,
    SCHED_FIFO,
    SCHED_IDLE,
    SCHED_OTHER,
    SCHED_RESET_ON_FORK,
    SCHED_RR,
)
from kevlar.abi.errors import EACCES, EINVAL, EPERM, ESRCH
from kevlar.syscalls.args import Int, Pid, Ptr, UInt
from kevlar.syscalls.common import rewrite_args

SETPARAM_POLICY = -1


# -- nice values -------------------------------------------------------------------------------
def _prio_targets(task, which: int, who: int) -> list:
    """The threads getpriority/setpriority act on (ESRCH is the caller's business when
    the list is empty): PRIO_PROCESS one thread (a pid names its leader), PRIO_PGRP
    every thread of the group, PRIO_USER every thread whose real uid is who."""
    kernel = task.kernel
    if which == PRIO_PROCESS:
        if who == 0:
            return [task]
        thread = kernel.threads.get(who)
        return [thread] if thread is not None else []
    if which == PRIO_PGRP:
        pgid = who or task.process.pgid
        return [t for p in kernel.processes.values() if p.pgid == pgid and not p.zombie
                for t in p.threads.values()]
    uid = who or task.creds.uid
    return [t for p in kernel.processes.values() if p.creds.uid == uid and not p.zombie
            for t in p.threads.values()]


def _host_nice(thread) -> int | None:
    try:
        return os.getpriority(os.PRIO_PROCESS, thread.host_tid)
    except OSError:
        return None


def sys_getpriority(task, which: Int, who: Int) -> int:
    """getpriority(2): the highest priority among the targets as 20 - nice (the raw
    syscall never returns a negative value); ESRCH if there is none."""
    if not PRIO_PROCESS <= which <= PRIO_USER:
        raise EINVAL()
    best = None
    for thread in _prio_targets(task, which, who):
        nice = _host_nice(thread)
        if nice is not None and (best is None or 20 - nice > best):
            best = 20 - nice
    if best is None:
        raise ESRCH()
    return best


def _rlimit(proc, resource: int) -> int:
    return proc.rlimits[resource][0]


def _is_nice_reduction(proc, nice: int) -> bool:
    """Within RLIMIT_NICE (rlimit style: 20 - nice)."""
    return 20 - nice <= _rlimit(proc, RLIMIT_NICE)


def _same_owner(task, target) -> bool:
    """check_same_owner() / set_one_prio_perm(): the caller's euid is the target's uid
    or euid."""
    c, t = task.creds, target.creds
    return c.euid in (t.uid, t.euid)


def sys_setpriority(task, which: Int, who: Int, niceval: Int) -> int:
    """setpriority(2) (set_one_prio for each target): EPERM unless the caller owns the
    target or has CAP_SYS_NICE, EACCES to lower the nice value past RLIMIT_NICE without
    CAP_SYS_NICE; the last error wins, 0 once any target changed."""
    if not PRIO_PROCESS <= which <= PRIO_USER:
        raise EINVAL()
    nice = min(max(niceval, MIN_NICE), MAX_NICE)
    error = ESRCH
    capable = task.creds.capable(CAP_SYS_NICE)
    for thread in _prio_targets(task, which, who):
        target = thread.process
        if not _same_owner(task, target) and not capable:
            error = EPERM
            continue
        current = _host_nice(thread)
        if current is not None and nice < current and not (
                _is_nice_reduction(target, nice) or capable):
            error = EACCES
            continue
        if error is ESRCH:
            error = None
        try:
            os.setpriority(os.PRIO_PROCESS, thread.host_tid, nice)
        except (ProcessLookupError, PermissionError):
            pass
    if error is not None:
        raise error()
    return 0


# -- CPU affinity ------------------------------------------------------------------------------
_cpumask_size: int | None = None


def cpumask_size() -> int:
    """The host kernel's cpumask_size() (BITS_TO_LONGS(nr_cpu_ids or NR_CPUS) longs): what
    sched_getaffinity returns at most. Asked once, from the tracer."""
    global _cpumask_size
    if _cpumask_size is None:
        libc = ctypes.CDLL(None, use_errno=True)
        buf = ctypes.create_string_buffer(8192)
        size = libc.syscall(204, 0, ctypes.c_uint(8192), buf)  # __NR_sched_getaffinity
        _cpumask_size = size if size > 0 else 8
    return _cpumask_size


def nr_cpu_ids() -> int:
    """One more than the highest possible CPU (/sys/devices/system/cpu/possible)."""
    try:
        with open("/sys/devices/system/cpu/possible") as f:
            text = f.read().strip()
        return max(int(part.split("-")[-1]) for part in text.split(",")) + 1
    except (OSError, ValueError):
        return os.cpu_count() or 1


def guest_cpus(kernel, thread) -> frozenset:
    """The CPUs a guest thread may run on, in Kevlar's view."""
    if thread.affinity is not None:
        return thread.affinity
    cpus = getattr(kernel, "host_cpus", None)
    return cpus if cpus else frozenset(os.sched_getaffinity(0))


def _mask_to_set(raw: bytes) -> frozenset:
    value = int.from_bytes(raw, "little")
    return frozenset(i for i in range(len(raw) * 8) if value >> i & 1)


def _affinity_target(task, pid: int):
    if pid == 0:
        return task
    thread = task.kernel.threads.get(pid) if pid > 0 else None
    if thread is None:
        raise ESRCH()
    return thread


def sys_sched_getaffinity(task, pid: Pid, length: UInt, mask: Ptr) -> int:
    """sched_getaffinity(2): EINVAL for a length that cannot hold nr_cpu_ids bits or is
    not a multiple of a long, ESRCH, then the mask (min(length, cpumask_size) bytes,
    EFAULT) and that byte count as the result."""
    if (length * 8) & 0xFFFFFFFF < nr_cpu_ids() or length & 7:  # C's unsigned arithmetic
        raise EINVAL()
    thread = _affinity_target(task, pid)
    size = min(length, cpumask_size())
    bits = sum(1 << cpu for cpu in guest_cpus(task.kernel, thread))
    task.write(mask, bits.to_bytes(cpumask_size(), "little")[:size])
    return size


def sys_sched_setaffinity(task, pid: Pid, length: UInt, mask: Ptr) -> int:
    """sched_setaffinity(2): the mask is read first (a short one is zero-extended, a
    long one cut to cpumask_size: EFAULT), then ESRCH, EPERM (not the owner, no
    CAP_SYS_NICE), and EINVAL when it leaves no CPU kevlar-trace may use."""
    size = cpumask_size()
    raw = task.read(mask, min(length, size)) if length else b""
    wanted = _mask_to_set(raw)
    thread = _affinity_target(task, pid)
    if not task.creds.capable(CAP_SYS_NICE) and task.creds.euid not in (
            thread.creds.uid, thread.creds.euid):
        raise EPERM()
    allowed = getattr(task.kernel, "host_cpus", None) or frozenset(os.sched_getaffinity(0))
    cpus = frozenset(wanted & allowed)
    if not cpus:
        raise EINVAL()
    thread.affinity = cpus
    pin = task.kernel.config.cpu
    host = {pin} if pin is not None and pin in cpus else set(cpus)
    try:
        os.sched_setaffinity(thread.host_tid, host)
    except ProcessLookupError:
        pass
    return 0


# -- policies ----------------------------------------------------------------------------------
SCHED_PARAM = struct.Struct("<i")
SCHED_ATTR = struct.Struct("<IIQiIQQQ")  # size, policy, flags, nice, priority, runtime, deadline, period
RT_POLICIES = (SCHED_FIFO, SCHED_RR)
FAIR_POLICIES = (SCHED_OTHER, SCHED_BATCH)


def _sched_target(task, pid: int):
    """find_process_by_pid(): 0 is the caller; ESRCH for an unknown tid."""
    if pid == 0:
        return task
    thread = task.kernel.threads.get(pid)
    if thread is None:
        raise ESRCH()
    return thread


def _on_host(task, thread, pid_index: int = 0) -> int:
    """Let the host run the call on the target's host thread (0 stays the caller)."""
    if thread is task:
        return rewrite_args(task, {pid_index: 0})
    return rewrite_args(task, {pid_index: thread.host_tid})


def _check_setscheduler(task, thread, policy: int, priority: int, nice: int | None,
                        reset_on_fork: bool) -> None:
    """user_check_sched_setscheduler(), for a caller without CAP_SYS_NICE (the host,
    where every guest runs as the tracer's user, would allow anything)."""
    if task.creds.capable(CAP_SYS_NICE):
        return
    tid = thread.host_tid
    proc = thread.process
    try:
        current = os.sched_getscheduler(tid)
        current_prio = os.sched_getparam(tid).sched_priority
        current_nice = os.getpriority(os.PRIO_PROCESS, tid)
    except OSError:
        return
    current_policy = current & ~SCHED_RESET_ON_FORK
    if policy == SETPARAM_POLICY:
        policy = current_policy
    if policy in FAIR_POLICIES and nice is not None and nice < current_nice \
            and not _is_nice_reduction(proc, nice):
        raise EPERM()
    if policy in RT_POLICIES:
        rtprio = _rlimit(proc, RLIMIT_RTPRIO)
        if policy != current_policy and not rtprio:
            raise EPERM()
        if priority > current_prio and priority > rtprio:
            raise EPERM()
    if policy == SCHED_DEADLINE:
        raise EPERM()
    if current_policy == SCHED_IDLE and policy != SCHED_IDLE \
            and not _is_nice_reduction(proc, current_nice):
        raise EPERM()
    if not _same_owner(task, proc):
        raise EPERM()
    if current & SCHED_RESET_ON_FORK and not reset_on_fork:
        raise EPERM()


def sys_sched_setscheduler(task, pid: Pid, policy: Int, param: Ptr) -> int:
    """sched_setscheduler(2): EINVAL (negative policy, NULL param, negative pid),
    EFAULT, ESRCH, then Kevlar's permission check; the host does the rest."""
    if policy < 0 or not param or pid < 0:
        raise EINVAL()
    priority = SCHED_PARAM.unpack(task.read(param, SCHED_PARAM.size))[0]
    thread = _sched_target(task, pid)
    _check_setscheduler(task, thread, policy & ~SCHED_RESET_ON_FORK, priority, None,
                        bool(policy & SCHED_RESET_ON_FORK))
    return _on_host(task, thread)


def sys_sched_setparam(task, pid: Pid, param: Ptr) -> int:
    """sched_setparam(2)."""
    if not param or pid < 0:
        raise EINVAL()
    priority = SCHED_PARAM.unpack(task.read(param, SCHED_PARAM.size))[0]
    thread = _sched_target(task, pid)
    _check_setscheduler(task, thread, SETPARAM_POLICY, priority, None, True)
    return _on_host(task, thread)


def sys_sched_getscheduler(task, pid: Pid) -> int:
    """sched_getscheduler(2)."""
    if pid < 0:
        raise EINVAL()
    return _on_host(task, _sched_target(task, pid))


def sys_sched_getparam(task, pid: Pid, param: Ptr) -> int:
    """sched_getparam(2)."""
    if not param or pid < 0:
        raise EINVAL()
    return _on_host(task, _sched_target(task, pid))


def sys_sched_rr_get_interval(task, pid: Pid, interval: Ptr) -> int:
    """sched_rr_get_interval(2)."""
    if pid < 0:
        raise EINVAL()
    return _on_host(task, _sched_target(task, pid))


def sys_sched_setattr(task, pid: Pid, uattr: Ptr, flags: UInt) -> int:
    """sched_setattr(2): EINVAL (NULL attr, negative pid, flags), EFAULT reading it,
    ESRCH, Kevlar's permission check; the host validates the attributes."""
    if not uattr or pid < 0 or flags:
        raise EINVAL()
    head = task.read(uattr, 4)
    size = struct.unpack("<I", head)[0]
    fields = task.read(uattr, SCHED_ATTR.size) if size >= SCHED_ATTR.size or size == 0 else None
    thread = _sched_target(task, pid)
    if fields is not None:
        _size, policy, sflags, nice, priority = SCHED_ATTR.unpack(fields)[:5]
        if policy < 0x80000000:
            _check_setscheduler(task, thread, policy, priority, nice, bool(sflags & 1))
    return _on_host(task, thread)


def sys_sched_getattr(task, pid: Pid, uattr: Ptr, usize: UInt, flags: UInt) -> int:
    """sched_getattr(2)."""
    if not uattr or pid < 0 or usize > 4096 or usize < 48 or flags:
        raise EINVAL()
    return _on_host(task, _sched_target(task, pid))

