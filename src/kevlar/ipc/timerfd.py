"""timerfd (fs/timerfd.c): a timer whose expirations are read from a file.

A timer is armed with its first expiry and an interval, kept as a CLOCK_MONOTONIC
deadline (REALTIME times are converted when set; Kevlar's guests cannot set the clock,
so a REALTIME timer never needs re-basing, and TFD_TIMER_CANCEL_ON_SET never fires;
BOOTTIME is MONOTONIC plus the time suspended, which is none here).

As in Linux, the timer fires once (timerfd_tmrproc: NORESTART): the event loop's timer
heap holds one entry per armed timerfd, whose callback wakes the readers. A read of a
periodic timer counts every period that has passed since and re-arms it for the next
one (hrtimer_forward_now), so an unread periodic timer costs nothing.
"""

import itertools
import struct
import time

from kevlar.abi.constants import O_CLOEXEC, O_NONBLOCK, O_RDWR
from kevlar.abi.errors import EAGAIN, EINVAL
from kevlar.ipc.anon import AnonFile
from kevlar.ipc.waitq import POLLIN, WaitQueue
from kevlar.timers import monotonic_ns

CLOCK_REALTIME = 0
CLOCK_MONOTONIC = 1
CLOCK_BOOTTIME = 7
CLOCK_REALTIME_ALARM = 8
CLOCK_BOOTTIME_ALARM = 9
CLOCKS = (CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_REALTIME_ALARM,
          CLOCK_BOOTTIME_ALARM)
ALARM_CLOCKS = (CLOCK_REALTIME_ALARM, CLOCK_BOOTTIME_ALARM)
REALTIME_CLOCKS = (CLOCK_REALTIME, CLOCK_REALTIME_ALARM)
TFD_TIMER_ABSTIME = 1
TFD_TIMER_CANCEL_ON_SET = 2
TFD_CLOEXEC = O_CLOEXEC
TFD_NONBLOCK = O_NONBLOCK
TFD_CREATE_FLAGS = TFD_CLOEXEC | TFD_NONBLOCK
TFD_SETTIME_FLAGS = TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET
TFD_IOC_SET_TICKS = 0x40085400  # _IOW('T', 0, u64)
NSEC = 1_000_000_000
KTIME_MAX = (1 << 63) - 1  # ktime_t saturates here: times beyond it are clamped
U64 = struct.Struct("<Q")
_ids = itertools.count()


def clock_now(clockid: int) -> int:
    if clockid in REALTIME_CLOCKS:
        return time.time_ns()
    if clockid in (CLOCK_BOOTTIME, CLOCK_BOOTTIME_ALARM):
        return time.clock_gettime_ns(time.CLOCK_BOOTTIME)
    return monotonic_ns()


class TimerFd(AnonFile):
    anon_name = b"[timerfd]"

    def __init__(self, kernel, clockid: int, flags: int):
        super().__init__(None, O_RDWR | (flags & TFD_CREATE_FLAGS))
        self.kernel = kernel
        self.clockid = clockid
        self.waitq = WaitQueue()
        self.deadline: int | None = None  # next expiry, CLOCK_MONOTONIC ns; None: disarmed
        self.interval = 0
        self.ticks = 0  # expirations counted but not read (TFD_IOC_SET_TICKS)
        self.settime_flags = 0
        self.timer = None
        self.id = next(_ids)

    # -- the timer --------------------------------------------------------------------------
    def _arm_timer(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.deadline is not None:
            self.timer = self.kernel.timers.add(self.deadline, self._fired)

    def _fired(self) -> None:
        self.timer = None
        self.waitq.notify(POLLIN)

    def _expirations(self, now: int) -> int:
        """Periods passed by now; moves the deadline past now (periodic) or disarms."""
        if self.deadline is None or now < self.deadline:
            return 0
        if not self.interval:
            self.deadline = None
            return 1
        passed = (now - self.deadline) // self.interval + 1
        self.deadline += passed * self.interval
        return passed

    def settime(self, flags: int, interval_ns: int, value_ns: int) -> tuple[int, int]:
        """timerfd_settime: arm (or disarm with a zero value); returns the old setting."""
        old = self.gettime()
        self.ticks = 0
        self.settime_flags = flags & TFD_SETTIME_FLAGS
        self.interval = min(interval_ns, KTIME_MAX)
        if value_ns == 0:
            self.deadline = None
        else:
            now = monotonic_ns()
            value_ns = min(value_ns, KTIME_MAX)  # timespec64_to_ktime
            if flags & TFD_TIMER_ABSTIME:
                self.deadline = now + (value_ns - clock_now(self.clockid))
            else:
                self.deadline = now + value_ns
            self.deadline = min(self.deadline, KTIME_MAX)  # ktime_add_safe
        self._arm_timer()
        if self.deadline is not None and self.deadline <= monotonic_ns():
            self._fired()
        return old

    def gettime(self) -> tuple[int, int]:
        """(interval, time to the next expiry) in ns; a periodic timer that expired
        unread is moved forward first, its expirations kept for the next read."""
        now = monotonic_ns()
        if self.deadline is not None and now >= self.deadline and self.interval:
            self.ticks += self._expirations(now)
            self._arm_timer()
        if self.deadline is None:
            return self.interval, 0
        return self.interval, max(0, self.deadline - now)

    # -- the file ---------------------------------------------------------------------------
    def poll(self) -> int:
        if self.ticks or (self.deadline is not None and monotonic_ns() >= self.deadline):
            return POLLIN
        return 0

    def read(self, task, size: int) -> bytes:
        """timerfd_read: the expirations since the last read as a u64; EAGAIN while
        there are none (the syscall layer parks a blocking reader)."""
        if size < U64.size:
            raise EINVAL()
        ticks = self.ticks + self._expirations(monotonic_ns())
        if not ticks:
            raise EAGAIN()
        self.ticks = 0
        self._arm_timer()
        return U64.pack(ticks)


    def ioctl(self, task, cmd: int, arg: int):
        """TFD_IOC_SET_TICKS: set the expiration count (0 is EINVAL)."""
        if cmd != TFD_IOC_SET_TICKS:
            from kevlar.abi.errors import ENOTTY
            raise ENOTTY()
        ticks = U64.unpack(task.read(arg, U64.size))[0]
        if not ticks:
            raise EINVAL()
        self.ticks = ticks
        self.waitq.notify(POLLIN)
        return 0

    def release(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def fdinfo(self) -> bytes:
        interval, value = self.gettime()
        return (b"clockid: %d\nticks: %d\nsettime flags: 0%o\nit_value: (%d, %d)\n"
                b"it_interval: (%d, %d)\n" % (self.clockid, self.ticks, self.settime_flags,
                                              value // NSEC, value % NSEC,
                                              interval // NSEC, interval % NSEC))
