"""Readiness syscalls: poll, ppoll, select, pselect6 and the epoll family.

fs/select.c and fs/eventpoll.c. One mechanism serves every Kevlar file: `file.poll()`
says what is ready now, and a wait registers on the file's wait queue (a HostFile's is
the event loop's watch on the host fd) for the events asked, plus POLLERR|POLLHUP,
which are reported whether asked or not. A call that finds nothing ready and may wait
raises Block (kevlar.ipc.signalfd.wait_block) with its deadline on CLOCK_MONOTONIC;
when woken it runs again from the top, with the same deadline.

Timeouts: poll/epoll_wait in ms (negative: forever), select a timeval, ppoll,
pselect6 and epoll_pwait2 a timespec, each checked as Linux checks it
(poll_select_set_timeout); a zero timeout polls exactly once; a deadline saturates at
TIME64_MAX seconds. select, pselect6 and ppoll write back the time left
(poll_select_finish), also when a signal ends them.

Signals: poll and select end with ERESTARTNOHAND (restarted when no handler runs, else
EINTR), epoll_wait with EINTR. The temporary sigmask of ppoll/pselect6/epoll_pwait is
applied by parking in rt_sigsuspend(mask) instead of pause, so the host decides what
interrupts the sleep, exactly; a zero-timeout poll/select with a mask that unblocks a
pending signal parks for an instant so the host delivers it (Linux returns EINTR there,
epoll_pwait does not).
"""

import struct

from kevlar.abi.constants import O_PATH
from kevlar.abi.errors import EFAULT, EINTR, EINVAL, ERESTARTNOHAND
from kevlar.abi.structs import EPOLL_EVENT, POLLFD, TIMESPEC, TIMEVAL
from kevlar.ipc import epoll as ep_mod
from kevlar.ipc.epoll import EP_MAX_EVENTS, EventPoll, wait_queue_of
from kevlar.ipc.signalfd import UNCATCHABLE, host_sigstate, requeue_caught, wait_block
from kevlar.ipc.waitq import (
    POLLERR,
    POLLHUP,
    POLLIN,
    POLLNVAL,
    POLLOUT,
    POLLPRI,
    POLLRDBAND,
    POLLRDNORM,
    POLLWRBAND,
    POLLWRNORM,
)
from kevlar.syscalls.args import Fd, Int, Ptr, Size, UInt
from kevlar.syscalls.common import access_ok, install_fd, nofile_limit
from kevlar.timers import monotonic_ns

NSEC = 1_000_000_000
TIME64_MAX_NS = ((1 << 63) - 1) * NSEC  # timespec64_add_safe saturates at (TIME64_MAX, 0)
SIGSET = struct.Struct("<Q")
# fs/select.c: POLLNVAL (an O_PATH fd, which fdget() does not see) counts in every set
POLLIN_SET = POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR | POLLNVAL
POLLOUT_SET = POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR | POLLNVAL
POLLEX_SET = POLLPRI | POLLNVAL


# -- timeouts and per-call state ------------------------------------------------------------------
class _Wait:
    """What survives a park of one poll-family call: which call it is and its deadline."""

    __slots__ = ("key", "deadline")

    def __init__(self, key, deadline):
        self.key = key
        self.deadline = deadline


def _c_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def _timeout_ns(sec: int, nsec: int) -> int:
    """poll_select_set_timeout: EINVAL unless a valid timespec; the relative timeout."""
    if sec < 0 or not 0 <= nsec < NSEC:
        raise EINVAL()
    return sec * NSEC + nsec


def _wait_state(task, key, timeout: int | None) -> _Wait:
    """This call's deadline: kept from the park if this is the same call re-run."""
    state = task.restart
    if state is not None and state.nr == task.current and isinstance(state.state, _Wait) \
            and state.state.key == key:
        return state.state
    if timeout is None:
        return _Wait(key, None)
    if timeout == 0:
        return _Wait(key, 0)
    return _Wait(key, min(monotonic_ns() + timeout, TIME64_MAX_NS))


def _timed_out(wait: _Wait) -> bool:
    return wait.deadline == 0 or (wait.deadline is not None and monotonic_ns() >= wait.deadline)


def _remaining(wait: _Wait) -> int:
    if wait.deadline is None:
        return 0
    return max(0, wait.deadline - monotonic_ns())


def _write_back_timeout(task, ptr: int, wait: _Wait, timeval: bool) -> None:
    """poll_select_finish: the time left into the caller's struct (not for a zero
    timeout; a write that faults is ignored, as Linux ignores it)."""
    if not ptr or wait.deadline == 0 or wait.deadline is None:
        return
    left = _remaining(wait)
    sec, nsec = divmod(left, NSEC)
    data = TIMEVAL.pack(sec, nsec // 1000) if timeval else TIMESPEC.pack(sec, nsec)
    try:
        task.write(ptr, data)
    except EFAULT:
        pass


def _read_sigmask(task, ptr: int, size: int) -> int | None:
    """set_user_sigmask: None without a mask; EINVAL for a wrong size, EFAULT."""
    if not ptr:
        return None
    if size != SIGSET.size:
        raise EINVAL()
    return SIGSET.unpack(task.read(ptr, SIGSET.size))[0]


def _read_timespec(task, ptr: int) -> int | None:
    if not ptr:
        return None
    sec, nsec = TIMESPEC.struct.unpack(task.read(ptr, TIMESPEC.size))
    return _timeout_ns(sec, nsec)


def _signal_pending_under(task, mask: int) -> bool:
    """Would Linux see signal_pending() with this temporary mask in place?"""
    pending, _ = host_sigstate(task)
    return bool(pending & ~mask & ~UNCATCHABLE) or bool(pending & UNCATCHABLE)


def _block(task, waits, files, wait: _Wait, interrupt: int, tempmask, tempmask_ptr,
           on_interrupt=None):
    deadline = wait.deadline if wait.deadline else None
    return wait_block(task, waits, files, deadline=deadline, interrupt=interrupt,
                      tempmask=tempmask, tempmask_addr=tempmask_ptr, state=wait,
                      on_interrupt=on_interrupt)


def _instant_signal_block(task, wait: _Wait, tempmask_ptr: int, interrupt: int):
    """Park under the temporary mask with nothing to wait for: the pending signal it
    unblocks ends the sleep at once and the host delivers it."""
    from kevlar.process.blocking import Block
    return Block((), deadline=None, interrupt=interrupt, state=wait, sigmask=tempmask_ptr)


# -- poll -----------------------------------------------------------------------------------------
def do_poll(task, ufds: int, nfds: int, timeout: int | None, tempmask=None, tempmask_ptr=None,
            ts_ptr: int = 0) -> int:
    """do_sys_poll."""
    if nfds > nofile_limit(task):
        raise EINVAL()
    requeue_caught(task)
    raw = task.read(ufds, nfds * POLLFD.size) if nfds else b""
    entries = [POLLFD.struct.unpack_from(raw, i * POLLFD.size) for i in range(nfds)]
    wait = _wait_state(task, ("poll", ufds, nfds, ts_ptr), timeout)
    fds = task.process.fds
    revents = []
    count = 0
    files = []
    waits = []
    for fd, events, _ in entries:
        if fd < 0:
            revents.append(0)
            continue
        file = fds.files.get(fd)
        if file is None or file.flags & O_PATH:  # fdget() does not see O_PATH files
            revents.append(POLLNVAL)
            count += 1
            continue
        want = (events & 0xFFFF) | POLLERR | POLLHUP
        mask = ep_mod.file_poll(file) & want
        revents.append(mask)
        if mask:
            count += 1
        files.append(file)
        queue = wait_queue_of(file)
        if queue is not None:
            waits.append((queue, want))
    timed_out = _timed_out(wait)
    if not count and not timed_out:
        raise _block(task, waits, files, wait, ERESTARTNOHAND, tempmask, tempmask_ptr,
                     on_interrupt=_poll_interrupted(ufds, entries, ts_ptr, wait))
    if not count and tempmask is not None and _signal_pending_under(task, tempmask):
        raise _instant_signal_block(task, wait, tempmask_ptr, ERESTARTNOHAND)
    if nfds:
        out = b"".join(POLLFD.pack(fd, events, rev)
                       for (fd, events, _), rev in zip(entries, revents, strict=True))
        task.write(ufds, out)
    _write_back_timeout(task, ts_ptr, wait, timeval=False)
    return count


def _poll_interrupted(ufds, entries, ts_ptr, wait):
    """A signal ended the poll with EINTR: revents are written (all zero), as is the
    time left of a ppoll."""
    def hook(task):
        if entries:
            out = b"".join(POLLFD.pack(fd, events, 0) for fd, events, _ in entries)
            try:
                task.write(ufds, out)
            except EFAULT:
                pass
        _write_back_timeout(task, ts_ptr, wait, timeval=False)
    return hook


def sys_poll(task, ufds: Ptr, nfds: UInt, timeout_ms: Int) -> int:
    """poll(2)."""
    timeout = None
    if timeout_ms >= 0:
        timeout = _timeout_ns(timeout_ms // 1000, 1_000_000 * (timeout_ms % 1000))
    return do_poll(task, ufds, nfds, timeout)


def sys_ppoll(task, ufds: Ptr, nfds: UInt, tsp: Ptr, sigmask: Ptr, sigsetsize: Size) -> int:
    """ppoll(2): the timespec is checked, then the mask, then the fds."""
    timeout = _read_timespec(task, tsp)
    mask = _read_sigmask(task, sigmask, sigsetsize)
    return do_poll(task, ufds, nfds, timeout, mask, sigmask if mask is not None else None, tsp)


# -- select ---------------------------------------------------------------------------------------
def _fds_bytes(n: int) -> int:
    return (n + 63) // 64 * 8


def _max_fds(task) -> int:
    """The fd table's size as Linux grows it (fs/file.c expand_files): at least
    BITS_PER_LONG, then powers of two of 128 slots... select looks no further."""
    files = task.process.fds.files
    top = max(files, default=0) + 1
    if top <= 64:
        return 64
    slots = 1024 // 8
    nr = -(-top // slots)
    nr = 1 << (nr - 1).bit_length() if nr > 1 else 1
    return max(nr * slots, 64)


def do_select(task, n: int, inp: int, outp: int, exp: int, timeout: int | None,
              tempmask=None, tempmask_ptr=None, tv_ptr: int = 0, timeval: bool = True) -> int:
    """core_sys_select."""
    if n < 0:
        raise EINVAL()
    n = min(n, _max_fds(task))
    size = _fds_bytes(n)
    sets = []
    for ptr in (inp, outp, exp):
        sets.append(int.from_bytes(task.read(ptr, size), "little") if ptr and size else 0)
    limit = (1 << n) - 1
    sets = [s & limit for s in sets]
    fds = task.process.fds
    wanted = sets[0] | sets[1] | sets[2]
    files = {}
    fd = 0
    bits = wanted
    while bits:
        if bits & 1:
            files[fd] = fds.get_raw(fd)  # max_select_fd: EBADF only for fds not open
        bits >>= 1
        fd += 1
    requeue_caught(task)
    wait = _wait_state(task, ("select", n, inp, outp, exp, tv_ptr), timeout)
    res = [0, 0, 0]
    count = 0
    waits = []
    for fd, file in files.items():
        bit = 1 << fd
        mask = POLLNVAL if file.flags & O_PATH else ep_mod.file_poll(file)
        want = 0
        for i, interest in enumerate((POLLIN_SET, POLLOUT_SET, POLLEX_SET)):
            if sets[i] & bit:
                want |= interest
                if mask & interest:
                    res[i] |= bit
                    count += 1
        queue = None if file.flags & O_PATH else wait_queue_of(file)
        if queue is not None:
            waits.append((queue, want))
    if not count and not _timed_out(wait):
        raise _block(task, waits, list(files.values()), wait, ERESTARTNOHAND, tempmask,
                     tempmask_ptr, on_interrupt=_select_interrupted(tv_ptr, wait, timeval))
    if not count and tempmask is not None and _signal_pending_under(task, tempmask):
        raise _instant_signal_block(task, wait, tempmask_ptr, ERESTARTNOHAND)
    for ptr, result in zip((inp, outp, exp), res, strict=True):
        if ptr and size:
            task.write(ptr, result.to_bytes(size, "little"))
    _write_back_timeout(task, tv_ptr, wait, timeval)
    return count


def _select_interrupted(tv_ptr, wait, timeval):
    def hook(task):
        _write_back_timeout(task, tv_ptr, wait, timeval)
    return hook


def sys_select(task, n: Int, inp: Ptr, outp: Ptr, exp: Ptr, tvp: Ptr) -> int:
    """select(2): the timeval's microseconds are normalised (1500000 us is 1.5 s), a
    negative one is EINVAL."""
    timeout = None
    if tvp:
        sec, usec = TIMEVAL.struct.unpack(task.read(tvp, TIMEVAL.size))
        timeout = _timeout_ns(sec + _c_div(usec, 1_000_000),
                              (usec - _c_div(usec, 1_000_000) * 1_000_000) * 1000)
    return do_select(task, n, inp, outp, exp, timeout, tv_ptr=tvp, timeval=True)


def sys_pselect6(task, n: Int, inp: Ptr, outp: Ptr, exp: Ptr, tsp: Ptr, sig: Ptr) -> int:
    """pselect6(2): the sixth argument points at {const sigset_t *ss; size_t ss_len}."""
    timeout = _read_timespec(task, tsp)
    mask = mask_ptr = None
    if sig:
        mask_ptr, mask_len = struct.unpack("<QQ", task.read(sig, 16))
        mask = _read_sigmask(task, mask_ptr, mask_len)
        if mask is None:
            mask_ptr = None
    return do_select(task, n, inp, outp, exp, timeout, mask, mask_ptr, tsp, timeval=False)


# -- epoll ----------------------------------------------------------------------------------------
def _new_epoll(task, flags: int) -> int:
    return install_fd(task, EventPoll(flags), bool(flags & ep_mod.EPOLL_CLOEXEC))


def sys_epoll_create(task, size: Int) -> int:
    """epoll_create(2): size must be positive and is otherwise ignored."""
    if size <= 0:
        raise EINVAL()
    return _new_epoll(task, 0)


def sys_epoll_create1(task, flags: Int) -> int:
    """epoll_create1(2)."""
    if flags & ~ep_mod.EPOLL_CLOEXEC:
        raise EINVAL()
    return _new_epoll(task, flags)


def sys_epoll_ctl(task, epfd: Fd, op: Int, fd: Fd, event: Ptr) -> int:
    """epoll_ctl(2): EFAULT for the event first (not read for EPOLL_CTL_DEL), then EBADF
    for either fd, EPERM for a file without poll, EINVAL, ELOOP, EEXIST/ENOENT."""
    events = data = 0
    if op != ep_mod.EPOLL_CTL_DEL:
        events, data = EPOLL_EVENT.struct.unpack(task.read(event, EPOLL_EVENT.size))
    fds = task.process.fds
    ep_file = fds.get(epfd)
    target = fds.get(fd)
    return ep_mod.ctl(task, ep_file, op, target, fd, events, data)


def do_epoll_wait(task, epfd: int, events: int, maxevents: int, timeout: int | None,
                  tempmask=None, tempmask_ptr=None) -> int:
    """do_epoll_wait + ep_poll. The checks in 6.18's order (measured): EBADF, then
    maxevents, then the buffer's range (EFAULT), then EINVAL for a non-epoll fd."""
    file = task.process.fds.get(epfd)
    if maxevents <= 0 or maxevents > EP_MAX_EVENTS:
        raise EINVAL()
    access_ok(events, maxevents * EPOLL_EVENT.size)
    if not isinstance(file, EventPoll):
        raise EINVAL()
    requeue_caught(task)
    wait = _wait_state(task, ("epoll", epfd, events, maxevents), timeout)
    found = file.collect(maxevents)
    if found:
        written = _put_events(task, events, found)
        file.commit([item for item, _ in found[:written]])
        if not written:
            raise EFAULT()
        return written
    if _timed_out(wait):
        return 0
    raise _block(task, [(file.wq, POLLIN)], [file], wait, EINTR.errno, tempmask, tempmask_ptr)


def _put_events(task, events: int, found) -> int:
    """epoll_put_uevent for each event in turn: how many reached the guest."""
    data = b"".join(EPOLL_EVENT.pack(revents, item.data) for item, revents in found)
    try:
        task.write(events, data)
        return len(found)
    except EFAULT:
        pass
    for i, (item, revents) in enumerate(found):
        try:
            task.write(events + i * EPOLL_EVENT.size, EPOLL_EVENT.pack(revents, item.data))
        except EFAULT:
            return i
    return len(found)


def _ms(timeout_ms: int) -> int | None:
    if timeout_ms < 0:
        return None
    return timeout_ms * 1_000_000


def sys_epoll_wait(task, epfd: Fd, events: Ptr, maxevents: Int, timeout: Int) -> int:
    """epoll_wait(2)."""
    return do_epoll_wait(task, epfd, events, maxevents, _ms(timeout))


def sys_epoll_pwait(task, epfd: Fd, events: Ptr, maxevents: Int, timeout: Int, sigmask: Ptr,
                    sigsetsize: Size) -> int:
    """epoll_pwait(2): the mask is checked before anything else."""
    mask = _read_sigmask(task, sigmask, sigsetsize)
    return do_epoll_wait(task, epfd, events, maxevents, _ms(timeout), mask,
                         sigmask if mask is not None else None)


def sys_epoll_pwait2(task, epfd: Fd, events: Ptr, maxevents: Int, timeout: Ptr, sigmask: Ptr,
                     sigsetsize: Size) -> int:
    """epoll_pwait2(2): a timespec timeout (NULL: forever)."""
    ns = _read_timespec(task, timeout)
    mask = _read_sigmask(task, sigmask, sigsetsize)
    return do_epoll_wait(task, epfd, events, maxevents, ns, mask,
                         sigmask if mask is not None else None)


__all__ = [name for name in dir() if name.startswith("sys_")]
