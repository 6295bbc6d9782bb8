"""Clocks and POSIX timers (kernel/time/). Reading clocks and sleeping are native (see
platform/seccomp.py); this module handles the calls that name a thread or would change
the host's clock."""

import struct

from kevlar.abi.errors import EFAULT, EINVAL, EPERM
from kevlar.platform.inject import scratch_write
from kevlar.platform.interface import ACT_CONTINUE
from kevlar.syscalls.args import Int, Ptr
from kevlar.syscalls.common import rewrite_args

# include/uapi/asm-generic/siginfo.h struct sigevent: value (8), signo, notify, then the
# union whose first int is the target thread id for SIGEV_THREAD_ID. 64 bytes in all.
SIGEVENT_SIZE = 64
SIGEV_THREAD_ID = 4
NOTIFY = struct.Struct("<ii")
NOTIFY_OFFSET = 8
TID_OFFSET = 16
MAX_CLOCKS = 16
CLOCK_REALTIME = 0


def sys_timer_create(task, clockid: Int, sevp: Ptr, timerid: Ptr) -> int:
    """timer_create(2): runs on the host; a SIGEV_THREAD_ID target is translated from
    the guest's tid to the host's (in a scratch copy of the sigevent)."""
    if not sevp:
        return ACT_CONTINUE
    event = bytearray(task.read(sevp, SIGEVENT_SIZE))
    _signo, notify = NOTIFY.unpack_from(event, NOTIFY_OFFSET)
    if notify != SIGEV_THREAD_ID:
        return ACT_CONTINUE  # SIGEV_NONE/SIGNAL/THREAD name no thread; the host checks them
    tid = struct.unpack_from("<i", event, TID_OFFSET)[0]
    thread = task.kernel.threads.get(tid)
    if thread is None or thread.process is not task.process:
        raise EINVAL()  # posix-timers.c good_sigevent: the thread must be in our group
    struct.pack_into("<i", event, TID_OFFSET, thread.host_tid)
    return rewrite_args(task, {1: scratch_write(task, bytes(event))})


def _set_clock(clockid: int) -> int:
    """Setting a clock: Kevlar never changes the host's. The clocks Linux lets root set
    answer EPERM (as without CAP_SYS_TIME); the others EINVAL as in Linux."""
    if clockid != CLOCK_REALTIME:
        raise EINVAL()
    raise EPERM("Kevlar does not change the host's clock")


def sys_clock_settime(task, clockid: Int, tp: Ptr) -> int:
    """clock_settime(2)."""
    if clockid < 0 or clockid >= MAX_CLOCKS:
        raise EINVAL()
    if not tp:
        raise EFAULT()
    task.read(tp, 16)
    return _set_clock(clockid)


def sys_settimeofday(task, tv: Ptr, tz: Ptr) -> int:
    """settimeofday(2): a timezone alone is accepted (it is only remembered by Linux)."""
    if tv:
        sec, usec = struct.unpack("<qq", task.read(tv, 16))
        if not 0 <= usec < 1_000_000 or sec < 0:
            raise EINVAL()
        return _set_clock(CLOCK_REALTIME)
    if tz:
        task.read(tz, 8)
    return 0


def sys_adjtimex(task, buf: Ptr) -> int:
    """adjtimex(2): a query (modes 0) runs on the host; any adjustment is refused."""
    modes = struct.unpack("<I", task.read(buf, 4))[0]
    if modes == 0 or modes == 0x8000:  # ADJ_OFFSET_SS_READ reads too
        return ACT_CONTINUE
    raise EPERM("Kevlar does not adjust the host's clock")


def sys_clock_adjtime(task, clockid: Int, buf: Ptr) -> int:
    """clock_adjtime(2)."""
    modes = struct.unpack("<I", task.read(buf, 4))[0]
    if modes == 0:
        return ACT_CONTINUE
    if clockid != CLOCK_REALTIME:
        raise EINVAL()
    raise EPERM("Kevlar does not adjust the host's clock")
