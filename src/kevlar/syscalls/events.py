"""Event files: eventfd, timerfd, signalfd, inotify (fs/eventfd.c, fs/timerfd.c,
fs/signalfd.c, fs/notify/inotify/inotify_user.c). The objects live in kevlar.ipc;
these handlers check arguments in Linux's order and install the fds. Reads, writes and
waits go through the fd layer and the files' own read/write/poll."""

import struct

from kevlar.abi.constants import AT_FDCWD, O_CLOEXEC, O_NONBLOCK, R_OK
from kevlar.abi.errors import EINVAL, ENOTDIR, EPERM
from kevlar.abi.structs import ITIMERSPEC
from kevlar.fs.path import resolve
from kevlar.fs.vfs import check_access
from kevlar.ipc.eventfd import EFD_FLAGS, EventFd
from kevlar.ipc.inotify import (
    ALL_INOTIFY_BITS,
    IN_DONT_FOLLOW,
    IN_MASK_ADD,
    IN_MASK_CREATE,
    IN_ONLYDIR,
    Inotify,
)
from kevlar.ipc.signalfd import UNCATCHABLE, SignalFd, process_queue
from kevlar.ipc.timerfd import ALARM_CLOCKS, CLOCKS, TFD_CREATE_FLAGS, TFD_SETTIME_FLAGS, TimerFd
from kevlar.ipc.waitq import POLLIN
from kevlar.syscalls.args import Fd, Int, Ptr, Size, UInt
from kevlar.syscalls.common import install_fd, read_path

NSEC = 1_000_000_000
SIGSET = struct.Struct("<Q")


# -- eventfd ----------------------------------------------------------------------------------
def sys_eventfd2(task, count: UInt, flags: Int) -> int:
    """eventfd2(2)."""
    if flags & ~EFD_FLAGS:
        raise EINVAL()
    return install_fd(task, EventFd(count, flags), bool(flags & O_CLOEXEC))


def sys_eventfd(task, count: UInt) -> int:
    """eventfd(2): eventfd2 without flags."""
    return sys_eventfd2(task, count, 0)


# -- timerfd ----------------------------------------------------------------------------------
def sys_timerfd_create(task, clockid: Int, flags: Int) -> int:
    """timerfd_create(2): EINVAL for other clocks or flags; the alarm clocks need
    CAP_WAKE_ALARM (root)."""
    if flags & ~TFD_CREATE_FLAGS or clockid not in CLOCKS:
        raise EINVAL()
    if clockid in ALARM_CLOCKS and not task.creds.is_root:
        raise EPERM()
    return install_fd(task, TimerFd(task.kernel, clockid, flags), bool(flags & O_CLOEXEC))


def _timerfd(task, fd: int) -> TimerFd:
    file = task.process.fds.get(fd)
    if not isinstance(file, TimerFd):
        raise EINVAL()
    return file


def _itimerspec(interval: int, value: int) -> bytes:
    return ITIMERSPEC.pack(interval // NSEC, interval % NSEC, value // NSEC, value % NSEC)


def sys_timerfd_settime(task, fd: Fd, flags: Int, new: Ptr, old: Ptr) -> int:
    """timerfd_settime(2): EFAULT reading new, then EINVAL (flags, an invalid
    timespec), EBADF/EINVAL for the fd; old is written after the change."""
    isec, insec, vsec, vnsec = ITIMERSPEC.struct.unpack(task.read(new, ITIMERSPEC.size))
    if flags & ~TFD_SETTIME_FLAGS:
        raise EINVAL()
    for sec, nsec in ((isec, insec), (vsec, vnsec)):
        if sec < 0 or not 0 <= nsec < NSEC:
            raise EINVAL()
    timer = _timerfd(task, fd)
    if timer.clockid in ALARM_CLOCKS and not task.creds.is_root:
        raise EPERM()
    interval, value = timer.settime(flags, isec * NSEC + insec, vsec * NSEC + vnsec)
    if old:
        task.write(old, _itimerspec(interval, value))
    return 0


def sys_timerfd_gettime(task, fd: Fd, cur: Ptr) -> int:
    """timerfd_gettime(2)."""
    interval, value = _timerfd(task, fd).gettime()
    task.write(cur, _itimerspec(interval, value))
    return 0


# -- signalfd ---------------------------------------------------------------------------------
SFD_FLAGS = O_CLOEXEC | O_NONBLOCK


def sys_signalfd4(task, ufd: Fd, user_mask: Ptr, sizemask: Size, flags: Int) -> int:
    """signalfd4(2): a new signalfd (ufd -1) or a new mask for an existing one."""
    if sizemask != SIGSET.size:
        raise EINVAL()
    mask = SIGSET.unpack(task.read(user_mask, SIGSET.size))[0]
    if flags & ~SFD_FLAGS:
        raise EINVAL()
    if ufd == -1:
        return install_fd(task, SignalFd(task.kernel, mask, flags), bool(flags & O_CLOEXEC))
    file = task.process.fds.get(ufd)
    if not isinstance(file, SignalFd):
        raise EINVAL()
    file.mask = mask & ~UNCATCHABLE
    process_queue(task.process).notify(POLLIN)
    return ufd


def sys_signalfd(task, ufd: Fd, user_mask: Ptr, sizemask: Size) -> int:
    """signalfd(2): signalfd4 without flags."""
    return sys_signalfd4(task, ufd, user_mask, sizemask, 0)


# -- inotify ----------------------------------------------------------------------------------
IN_INIT_FLAGS = O_CLOEXEC | O_NONBLOCK


def sys_inotify_init1(task, flags: Int) -> int:
    """inotify_init1(2)."""
    if flags & ~IN_INIT_FLAGS:
        raise EINVAL()
    return install_fd(task, Inotify(task.kernel, flags), bool(flags & O_CLOEXEC))


def sys_inotify_init(task) -> int:
    """inotify_init(2)."""
    return sys_inotify_init1(task, 0)


def _inotify(task, fd: int) -> Inotify:
    file = task.process.fds.get(fd)
    if not isinstance(file, Inotify):
        raise EINVAL()
    return file


def sys_inotify_add_watch(task, fd: Fd, pathname: Ptr, mask: UInt) -> int:
    """inotify_add_watch(2): mask checks, the fd, the path (IN_DONT_FOLLOW,
    IN_ONLYDIR), read permission on the target, then the mark."""
    if mask & IN_MASK_ADD and mask & IN_MASK_CREATE:
        raise EINVAL()
    if not mask & ALL_INOTIFY_BITS or mask & ~ALL_INOTIFY_BITS:
        raise EINVAL()  # 6.18 refuses unknown bits too (measured)
    group = _inotify(task, fd)
    loc = resolve(task, AT_FDCWD, read_path(task, pathname), follow=not mask & IN_DONT_FOLLOW)
    if mask & IN_ONLYDIR and not loc.inode.is_dir():
        raise ENOTDIR()
    check_access(task.creds, loc.inode, R_OK)
    return group.add_watch(loc.inode, mask)


def sys_inotify_rm_watch(task, fd: Fd, wd: Int) -> int:
    """inotify_rm_watch(2): EINVAL for a wd this instance does not have."""
    _inotify(task, fd).rm_watch(wd)
    return 0


__all__ = [name for name in dir() if name.startswith("sys_")]
