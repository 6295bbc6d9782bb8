"""prctl(2) and capabilities: capget(2), capset(2). kernel/sys.c, kernel/capability.c,
security/commoncap.c.

State that is Kevlar's (names, subreaper, parent-death signal, dumpable, keepcaps and the
other securebits, no_new_privs as the guest set it, the capability sets) is answered
here with Linux's checks. Options that only touch the caller's own thread or memory
(timer slack, THP, speculation control, MCE policy, VMA names, TSC...) run on the host,
which also gives Linux's answer for options this architecture lacks (EINVAL).
Options that would hand the host an fd or a host pid are translated or refused.
"""

import struct

from kevlar.abi.constants import (
    CAP_SETPCAP,
    CAP_SYS_RESOURCE,
    LINUX_CAPABILITY_VERSION_1,
    LINUX_CAPABILITY_VERSION_2,
    LINUX_CAPABILITY_VERSION_3,
    PR_CAP_AMBIENT,
    PR_CAP_AMBIENT_CLEAR_ALL,
    PR_CAP_AMBIENT_IS_SET,
    PR_CAP_AMBIENT_LOWER,
    PR_CAP_AMBIENT_RAISE,
    PR_CAPBSET_DROP,
    PR_CAPBSET_READ,
    PR_GET_CHILD_SUBREAPER,
    PR_GET_DUMPABLE,
    PR_GET_KEEPCAPS,
    PR_GET_NAME,
    PR_GET_NO_NEW_PRIVS,
    PR_GET_PDEATHSIG,
    PR_GET_SECCOMP,
    PR_GET_SECUREBITS,
    PR_SCHED_CORE,
    PR_SET_CHILD_SUBREAPER,
    PR_SET_DUMPABLE,
    PR_SET_IO_FLUSHER,
    PR_SET_KEEPCAPS,
    PR_SET_MEMORY_MERGE,
    PR_SET_MM,
    PR_SET_MM_EXE_FILE,
    PR_SET_MM_MAP,
    PR_SET_MM_MAP_SIZE,
    PR_SET_NAME,
    PR_SET_NO_NEW_PRIVS,
    PR_SET_PDEATHSIG,
    PR_SET_PTRACER,
    PR_SET_PTRACER_ANY,
    PR_SET_SECCOMP,
    PR_SET_SECUREBITS,
)
from kevlar.abi.errors import EFAULT, EINVAL, EPERM, ESRCH
from kevlar.platform.interface import ACT_CONTINUE
from kevlar.process.task import (
    CAP_LAST_CAP,
    SECBIT_KEEP_CAPS,
    SECBIT_NO_CAP_AMBIENT_RAISE,
    SECURE_ALL_BITS,
    SECURE_ALL_LOCKS,
)
from kevlar.syscalls.args import Int, Ptr, ULong
from kevlar.syscalls.common import put_int, rewrite_args

TASK_COMM_LEN = 16

# Options whose whole effect is on the calling thread, its own memory or its own timers:
# the host runs them as they are (and says EINVAL where x86_64 has no such thing).
HOST_OPTIONS = frozenset((
    5, 6, 9, 10, 11, 12,  # PR_{GET,SET}_UNALIGN, FPEMU, FPEXC (not on x86: EINVAL)
    13, 14,  # PR_{GET,SET}_TIMING
    19, 20,  # PR_{GET,SET}_ENDIAN (EINVAL on x86)
    25, 26,  # PR_{GET,SET}_TSC
    29, 30,  # PR_{SET,GET}_TIMERSLACK
    31, 32,  # PR_TASK_PERF_EVENTS_{DISABLE,ENABLE}
    33, 34,  # PR_MCE_KILL, PR_MCE_KILL_GET
    40,  # PR_GET_TID_ADDRESS (the host keeps clear_child_tid)
    41, 42,  # PR_{SET,GET}_THP_DISABLE
    43, 44,  # PR_MPX_* (gone: EINVAL)
    45, 46,  # PR_{SET,GET}_FP_MODE (EINVAL on x86)
    50, 51, 54, 55, 56, 60, 61, 63, 64,  # SVE, PAC, tagged addresses, SME: other arches
    52, 53,  # PR_{GET,SET}_SPECULATION_CTRL of the calling thread
    58,  # PR_GET_IO_FLUSHER
    59,  # PR_SET_SYSCALL_USER_DISPATCH: the caller's own syscalls become SIGSYS
    65, 66,  # PR_{SET,GET}_MDWE
    68,  # PR_GET_MEMORY_MERGE
    69, 70, 71, 72, 73,  # RISC-V, PowerPC
    74, 75, 76,  # shadow stack status
    77,  # PR_TIMER_CREATE_RESTORE_IDS: the caller's POSIX timers
    78,  # PR_FUTEX_HASH: the process's private futex hash
    0x41555856,  # PR_GET_AUXV
    0x53564D41,  # PR_SET_VMA (anonymous VMA names)
))
# Host options Linux guards with CAP_SYS_RESOURCE (checked with Kevlar's capabilities).
NEEDS_SYS_RESOURCE = frozenset((PR_SET_IO_FLUSHER, PR_SET_MEMORY_MERGE))


def sys_prctl(task, option: Int, arg2: ULong, arg3: ULong, arg4: ULong, arg5: ULong) -> int:
    """prctl(2)."""
    proc = task.process
    if option == PR_SET_NAME:
        name = _comm_from_user(task, arg2)
        task.name = name
        if task.tid == proc.pid:
            proc.comm = name
        return 0
    if option == PR_GET_NAME:
        task.write(arg2, task.name[:TASK_COMM_LEN - 1].ljust(TASK_COMM_LEN, b"\0"))
        return 0
    if option == PR_SET_PDEATHSIG:
        if arg2 > 64:  # valid_signal(); 0 clears
            raise EINVAL()
        task.pdeathsig = arg2
        return 0
    if option == PR_GET_PDEATHSIG:
        put_int(task, arg2, task.pdeathsig)
        return 0
    if option == PR_SET_CHILD_SUBREAPER:
        proc.subreaper = bool(arg2)
        return 0
    if option == PR_GET_CHILD_SUBREAPER:
        put_int(task, arg2, int(proc.subreaper))
        return 0
    if option == PR_GET_DUMPABLE:
        return proc.dumpable
    if option == PR_SET_DUMPABLE:
        if arg2 not in (0, 1):  # SUID_DUMP_DISABLE, SUID_DUMP_USER
            raise EINVAL()
        proc.dumpable = arg2
        return 0
    if option in (PR_SET_NO_NEW_PRIVS, PR_GET_NO_NEW_PRIVS):
        if option == PR_GET_NO_NEW_PRIVS:
            if arg2 or arg3 or arg4 or arg5:
                raise EINVAL()
            return proc.no_new_privs
        if arg2 != 1 or arg3 or arg4 or arg5:
            raise EINVAL()
        proc.no_new_privs = 1  # the host has had it since the guest started (the filter)
        return 0
    if option == PR_GET_SECCOMP:
        return proc.seccomp_mode
    if option == PR_SET_SECCOMP:
        raise EINVAL("a guest's own seccomp filter is not supported by Kevlar")
    if option in (PR_GET_KEEPCAPS, PR_SET_KEEPCAPS, PR_GET_SECUREBITS, PR_SET_SECUREBITS,
                  PR_CAPBSET_READ, PR_CAPBSET_DROP, PR_CAP_AMBIENT):
        return _capability_option(task, option, arg2, arg3, arg4, arg5)
    if option == PR_SET_MM:
        return _set_mm(task, arg2)
    if option == PR_SET_PTRACER:
        return _set_ptracer(task, arg2)
    if option == PR_SCHED_CORE:
        return _sched_core(task, arg3, arg4)
    if option in NEEDS_SYS_RESOURCE:
        if not task.creds.capable(CAP_SYS_RESOURCE):
            raise EPERM()
        return ACT_CONTINUE
    if option in HOST_OPTIONS:
        return ACT_CONTINUE
    raise EINVAL()


def _comm_from_user(task, addr: int) -> bytes:
    """strncpy_from_user(comm, addr, 15): up to 15 bytes or the NUL; EFAULT only when a
    byte before those is unreadable."""
    limit = TASK_COMM_LEN - 1
    try:
        raw = task.read(addr, limit)
    except EFAULT:
        return task.read_cstring(addr, limit)  # EFAULT unless a NUL comes first
    return raw.split(b"\0", 1)[0]


# -- capabilities ----------------------------------------------------------------------------------
def _capability_option(task, option: int, arg2: int, arg3: int, arg4: int, arg5: int) -> int:
    """The prctl options of security/commoncap.c cap_task_prctl()."""
    c = task.creds
    if option == PR_GET_KEEPCAPS:
        return int(bool(c.securebits & SECBIT_KEEP_CAPS))
    if option == PR_SET_KEEPCAPS:
        if arg2 > 1:
            raise EINVAL()
        if c.securebits & (SECBIT_KEEP_CAPS << 1):  # SECURE_KEEP_CAPS_LOCKED
            raise EPERM()
        new = c.copy()
        new.securebits = (new.securebits & ~SECBIT_KEEP_CAPS) | (SECBIT_KEEP_CAPS if arg2 else 0)
        task.process.creds = new
        return 0
    if option == PR_GET_SECUREBITS:
        return c.securebits
    if option == PR_SET_SECUREBITS:
        # A locked bit may not change, a lock may not be released, and only CAP_SETPCAP
        # may change anything.
        locked = (c.securebits & SECURE_ALL_LOCKS) >> 1
        if ((c.securebits ^ arg2) & locked or (c.securebits & ~arg2) & SECURE_ALL_LOCKS
                or arg2 & ~(SECURE_ALL_BITS | SECURE_ALL_LOCKS)
                or not c.capable(CAP_SETPCAP)):
            raise EPERM()
        new = c.copy()
        new.securebits = arg2
        task.process.creds = new
        return 0
    if option == PR_CAPBSET_READ:
        if arg2 > CAP_LAST_CAP:
            raise EINVAL()
        return c.cap_bset >> arg2 & 1
    if option == PR_CAPBSET_DROP:
        if not c.capable(CAP_SETPCAP):
            raise EPERM()
        if arg2 > CAP_LAST_CAP:
            raise EINVAL()
        new = c.copy()
        new.cap_bset &= ~(1 << arg2)
        task.process.creds = new
        return 0
    # PR_CAP_AMBIENT
    if arg2 == PR_CAP_AMBIENT_CLEAR_ALL:
        if arg3 or arg4 or arg5:
            raise EINVAL()
        new = c.copy()
        new.cap_ambient = 0
        task.process.creds = new
        return 0
    if arg4 or arg5:
        raise EINVAL()
    if arg3 > CAP_LAST_CAP:
        raise EINVAL()
    bit = 1 << arg3
    if arg2 == PR_CAP_AMBIENT_IS_SET:
        return int(bool(c.cap_ambient & bit))
    if arg2 not in (PR_CAP_AMBIENT_RAISE, PR_CAP_AMBIENT_LOWER):
        raise EINVAL()
    new = c.copy()
    if arg2 == PR_CAP_AMBIENT_LOWER:
        new.cap_ambient &= ~bit
    else:
        if not (c.cap_permitted & bit and c.cap_inheritable & bit) \
                or c.securebits & SECBIT_NO_CAP_AMBIENT_RAISE:
            raise EPERM()
        new.cap_ambient |= bit
    task.process.creds = new
    return 0


CAP_HEADER = struct.Struct("<Ii")
CAP_DATA = struct.Struct("<III")  # effective, permitted, inheritable (one 32-bit word each)
CAP_WORDS = {LINUX_CAPABILITY_VERSION_1: 1, LINUX_CAPABILITY_VERSION_2: 2,
             LINUX_CAPABILITY_VERSION_3: 2}


def _cap_words(task, header: int) -> int | None:
    """cap_validate_magic(): how many 32-bit words the header's version carries; for an
    unknown version the preferred one is written back (EFAULT if it cannot be)."""
    version = struct.unpack("<I", task.read(header, 4))[0]
    words = CAP_WORDS.get(version)
    if words is None:
        task.write(header, struct.pack("<I", LINUX_CAPABILITY_VERSION_3))
    return words


def sys_capget(task, header: Ptr, data: Ptr) -> int:
    """capget(2): EINVAL (with the preferred version written back) for an unknown
    version, except that a NULL data pointer makes that a successful probe."""
    words = _cap_words(task, header)
    if not data:
        return 0
    if words is None:
        raise EINVAL()
    pid = CAP_HEADER.unpack(task.read(header, CAP_HEADER.size))[1]
    if pid < 0:
        raise EINVAL()
    creds = task.creds
    if pid and pid != task.tid:
        thread = task.kernel.threads.get(pid)
        if thread is None:
            raise ESRCH()
        creds = thread.creds
    out = b"".join(CAP_DATA.pack(creds.cap_effective >> (32 * i) & 0xFFFFFFFF,
                                 creds.cap_permitted >> (32 * i) & 0xFFFFFFFF,
                                 creds.cap_inheritable >> (32 * i) & 0xFFFFFFFF)
                   for i in range(words))
    task.write(data, out)
    return 0


def sys_capset(task, header: Ptr, data: Ptr) -> int:
    """capset(2) on the caller only (EPERM for another pid), with cap_capset()'s rules:
    inheritable within inheritable|permitted (unless CAP_SETPCAP) and within
    inheritable|bounding; permitted may only shrink; effective within the new permitted."""
    words = _cap_words(task, header)
    if words is None:
        raise EINVAL()
    pid = CAP_HEADER.unpack(task.read(header, CAP_HEADER.size))[1]
    if pid not in (0, task.tid):
        raise EPERM()
    raw = task.read(data, CAP_DATA.size * words)
    effective = permitted = inheritable = 0
    for i in range(words):
        e, p, inh = CAP_DATA.unpack_from(raw, CAP_DATA.size * i)
        effective |= e << (32 * i)
        permitted |= p << (32 * i)
        inheritable |= inh << (32 * i)
    old = task.creds
    if not old.capable(CAP_SETPCAP) and inheritable & ~(old.cap_inheritable | old.cap_permitted):
        raise EPERM()
    if inheritable & ~(old.cap_inheritable | old.cap_bset):
        raise EPERM()
    if permitted & ~old.cap_permitted:
        raise EPERM()
    if effective & ~permitted:
        raise EPERM()
    new = old.copy()
    new.cap_effective = effective
    new.cap_inheritable = inheritable
    new.cap_permitted = permitted & old.cap_permitted
    new.cap_ambient &= permitted & inheritable
    from kevlar.syscalls.process import commit_creds
    commit_creds(task, new)
    return 0


# -- options that name host objects ----------------------------------------------------------------
def _set_mm(task, opt: int) -> int:
    """PR_SET_MM: the map size query and the memory-layout fields go to the host (the
    caller's own mm); the executable link and the whole-map form take an fd, which the
    host must not see: refused."""
    if opt == PR_SET_MM_MAP_SIZE:
        return ACT_CONTINUE
    if opt != PR_SET_MM_MAP and not task.creds.capable(CAP_SYS_RESOURCE):
        raise EPERM()
    if opt in (PR_SET_MM_EXE_FILE, PR_SET_MM_MAP):
        if not task.creds.capable(CAP_SYS_RESOURCE):
            raise EPERM()
        raise EINVAL("PR_SET_MM_EXE_FILE/PR_SET_MM_MAP are not supported by Kevlar")
    return ACT_CONTINUE


def _set_ptracer(task, pid: int) -> int:
    """PR_SET_PTRACER (Yama): the host decides (EINVAL without Yama); a guest pid is
    translated, an unknown one is EINVAL as Yama says."""
    if pid in (0, PR_SET_PTRACER_ANY):
        return ACT_CONTINUE
    target = task.kernel.find_process(pid & 0xFFFFFFFF)
    if target is None or target.zombie:
        raise EINVAL()
    return rewrite_args(task, {1: target.host_pid})


def _sched_core(task, pid: int, kind: int) -> int:
    """PR_SCHED_CORE: core-scheduling cookies of a thread (0), process (1) or group (2);
    the id is translated to the host's."""
    if pid == 0:
        return ACT_CONTINUE
    kernel = task.kernel
    pid = pid & 0xFFFFFFFF
    if kind == 2:
        host = kernel.host_pgid(pid)
    else:
        thread = kernel.threads.get(pid)
        host = thread.host_tid if thread is not None else None
    if host is None:
        raise ESRCH()
    return rewrite_args(task, {2: host})
