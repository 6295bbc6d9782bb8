"""epoll instances (fs/eventpoll.c): interest lists, ready lists, nesting.

An EventPoll is an open file. Its interest list maps (file, fd) to an EpItem, as Linux
keys an epitem by (struct file *, fd): a dup'ed fd registers separately, closing one
fd number leaves the registration alive while another fd holds the file, and the last
close of the file removes it (File.put calls `eventpoll_release`). Items hold no
reference on their file.

Each item has a Waiter on its file's wait queue (ep_poll_callback): a wake-up with
events the item asked for puts it on the ready list and wakes the epoll's two queues,
`wq` (threads in epoll_wait, ep->wq) and `waitq` (whoever polls the epoll file itself:
poll(2), an outer epoll; ep->poll_wait). epoll_wait takes the ready list, polls each
item again (the wake-up only said "maybe") and reports what is really ready:
level-triggered items go back on the list, EPOLLET items do not (a new wake-up re-arms
them), EPOLLONESHOT items are disabled until EPOLL_CTL_MOD.

Files whose readiness can change without a wake-up Kevlar hears (a signalfd: signals
are queued by the host; a nested epoll that contains one) are `repolled`: every
epoll_wait polls them as if they were on the ready list.

Nesting rules are 6.18's ep_loop_check: adding epoll B into epoll A is ELOOP when A is
reachable from B, or when the longest chain of epolls through the new link would be
more than EP_MAX_NESTS + 1 deep (measured here: five epolls in a chain are allowed,
six are ELOOP). The limits on wakeup paths (reverse_path_check, EINVAL past 1000
paths of depth 1, ...) are not modelled.

Lock order: none; the tracer is single-threaded and callbacks run to completion.
"""

import select

from kevlar.abi.constants import O_CLOEXEC, O_RDWR
from kevlar.abi.errors import EEXIST, EINVAL, ELOOP, ENOENT, EPERM
from kevlar.fs.hostfile import HostFile
from kevlar.ipc.anon import AnonFile
from kevlar.ipc.waitq import POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDNORM, Waiter, WaitQueue

EPOLL_CLOEXEC = O_CLOEXEC
EPOLL_CTL_ADD = 1
EPOLL_CTL_DEL = 2
EPOLL_CTL_MOD = 3
EPOLLRDHUP = 0x2000
EPOLLEXCLUSIVE = 1 << 28
EPOLLWAKEUP = 1 << 29
EPOLLONESHOT = 1 << 30
EPOLLET = 1 << 31
EP_PRIVATE_BITS = EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE
EPOLLINOUT_BITS = POLLIN | POLLOUT
EPOLLEXCLUSIVE_OK_BITS = EPOLLINOUT_BITS | POLLERR | POLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE
EP_MAX_NESTS = 4
EP_MAX_EVENTS = 0x7FFFFFFF // 12  # INT_MAX / sizeof(struct epoll_event)


def wait_queue_of(file):
    """The queue a waiter registers on for file's readiness (None: always ready)."""
    if isinstance(file, HostFile):
        return file.watch_queue()
    return file.waitq


def can_poll(file) -> bool:
    """file_can_poll(): the file has a poll method. Kevlar files say so with `pollable`,
    else by having a wait queue; host fds are asked of the host itself."""
    if isinstance(file, HostFile):
        verdict = getattr(file, "_epoll_ok", None)
        if verdict is None:
            probe = select.epoll()
            try:
                probe.register(file.host_fd, 0)
                verdict = True
            except PermissionError:
                verdict = False
            except OSError:
                verdict = True
            finally:
                probe.close()
            file._epoll_ok = verdict
        return verdict
    flag = getattr(file, "pollable", None)
    if flag is not None:
        return flag
    return file.waitq is not None


def file_poll(file, depth: int = 0) -> int:
    """vfs_poll(): current readiness; nested epolls are polled with their depth."""
    if isinstance(file, EventPoll):
        return file.poll_nested(depth)
    return file.poll()


def needs_repoll(file) -> bool:
    """True for files whose readiness is not announced by a wake-up (see module doc)."""
    return isinstance(file, EventPoll) or getattr(file, "repoll", False)


class EpItem:
    __slots__ = ("ep", "file", "fd", "events", "data", "waiter", "et_reported")

    def __init__(self, ep: "EventPoll", file, fd: int, events: int, data: int):
        self.ep = ep
        self.file = file
        self.fd = fd
        self.events = events
        self.data = data
        self.waiter = None
        self.et_reported = False  # a repolled EPOLLET item reported and still ready

    def poll(self, depth: int = 0) -> int:
        return file_poll(self.file, depth + 1) & self.events

    def callback(self, events: int) -> bool:
        """ep_poll_callback: returns True when an exclusive wake-up was consumed."""
        ep = self.ep
        if not self.events & ~EP_PRIVATE_BITS:
            return False  # disabled by EPOLLONESHOT
        if events and not events & self.events:
            return False
        ep.ready.setdefault(self, None)
        self.et_reported = False
        ewake = False
        if ep.wq:
            if self.events & EPOLLEXCLUSIVE:
                inout = events & EPOLLINOUT_BITS
                ewake = inout == 0 or bool(inout & self.events) and inout in (POLLIN, POLLOUT)
            ep.wq.notify(POLLIN)
        if ep.waitq:
            ep.waitq.notify(POLLIN | POLLRDNORM)
        return ewake


class EventPoll(AnonFile):
    """An epoll instance (struct eventpoll)."""

    anon_name = b"[eventpoll]"

    def __init__(self, flags: int):
        super().__init__(None, O_RDWR | (flags & O_CLOEXEC))
        self.items: dict[tuple[int, int], EpItem] = {}
        self.ready: dict[EpItem, None] = {}  # rdllist, in order
        self.repoll: dict[EpItem, None] = {}
        self.wq = WaitQueue()
        self.waitq = WaitQueue()

    # -- the interest list (epoll_ctl) ------------------------------------------------
    def find(self, file, fd: int) -> EpItem | None:
        item = self.items.get((id(file), fd))
        return item if item is not None and item.file is file else None

    def insert(self, file, fd: int, events: int, data: int) -> None:
        """ep_insert: register, then poll once and queue the item if it is ready."""
        item = EpItem(self, file, fd, events, data)
        self.items[(id(file), fd)] = item
        refs = getattr(file, "epitems", None)
        if refs is None:
            refs = file.epitems = []
        refs.append(item)
        self._watch(item)
        if needs_repoll(file):
            self.repoll[item] = None
        if item.poll():
            self._queue(item)

    def modify(self, item: EpItem, events: int, data: int) -> None:
        """ep_modify: new events and data; a ready item goes (back) on the ready list,
        which re-arms EPOLLET and EPOLLONESHOT items."""
        item.events = events
        item.data = data
        item.et_reported = False
        self._unwatch(item)
        self._watch(item)
        if item.poll():
            self._queue(item)

    def remove(self, item: EpItem) -> None:
        """ep_remove."""
        self._unwatch(item)
        self.items.pop((id(item.file), item.fd), None)
        self.ready.pop(item, None)
        self.repoll.pop(item, None)
        refs = getattr(item.file, "epitems", None)
        if refs is not None and item in refs:
            refs.remove(item)

    def _watch(self, item: EpItem) -> None:
        queue = wait_queue_of(item.file)
        if queue is not None:
            mask = item.events & ~EP_PRIVATE_BITS
            item.waiter = queue.add(Waiter(mask, item.callback,
                                           exclusive=bool(item.events & EPOLLEXCLUSIVE)))

    def _unwatch(self, item: EpItem) -> None:
        waiter = item.waiter
        if waiter is not None and waiter.queue is not None:
            waiter.queue.remove(waiter)
        item.waiter = None

    def _queue(self, item: EpItem) -> None:
        if item in self.ready:
            return
        self.ready[item] = None
        if self.wq:
            self.wq.notify(POLLIN)
        if self.waitq:
            self.waitq.notify(POLLIN | POLLRDNORM)

    # -- readiness ----------------------------------------------------------------------
    def candidates(self) -> list[EpItem]:
        out = list(self.ready)
        for item in self.repoll:
            if item not in self.ready:
                out.append(item)
        return out

    def collect(self, maxevents: int) -> list[tuple[EpItem, int]]:
        """The first half of ep_send_events: poll the ready (and repolled) items and
        return up to maxevents (item, revents); items found not ready leave the list."""
        found = []
        for item in self.candidates():
            if len(found) >= maxevents:
                break
            revents = item.poll()
            if not revents:
                self.ready.pop(item, None)
                item.et_reported = False
                continue
            if item.events & EPOLLET and item.et_reported and item in self.repoll \
                    and item not in self.ready:
                continue  # a repolled edge-triggered item: nothing new since last time
            found.append((item, revents))
        return found

    def commit(self, reported: list[EpItem]) -> None:
        """The second half: what was copied to the guest is consumed per its mode."""
        for item in reported:
            self.ready.pop(item, None)
            if item.events & EPOLLONESHOT:
                item.events &= EP_PRIVATE_BITS
            elif item.events & EPOLLET:
                item.et_reported = True
            else:
                self.ready[item] = None  # level-triggered: back at the tail

    def poll_nested(self, depth: int) -> int:
        """ep_eventpoll_poll: readable when some ready item really is ready."""
        if depth > EP_MAX_NESTS:
            return 0
        for item in self.candidates():
            if item.poll(depth):
                return POLLIN | POLLRDNORM
            self.ready.pop(item, None)
        return 0

    def poll(self) -> int:
        return self.poll_nested(0)

    def watched_signals(self) -> int:
        """Signals some signalfd in this set (or a nested set) watches: an epoll_wait on
        it must hear them arrive (see kevlar.ipc.signalfd)."""
        return watched_signals([item.file for item in self.repoll], 0)

    def fdinfo(self) -> bytes:
        """ep_show_fdinfo: one line per item."""
        lines = []
        for item in self.items.values():
            inode = item.file.inode
            lines.append(b"tfd: %8d events: %8x data: %16x  pos:%d ino:%x sdev:%x\n" % (
                item.fd, item.events & 0xFFFFFFFF, item.data, item.file.pos,
                inode.ino if inode is not None else 0, inode.fs.dev if inode is not None else 0))
        return b"".join(lines)

    def release(self) -> None:
        """The last close of the epoll fd (ep_clear_and_put)."""
        for item in list(self.items.values()):
            self.remove(item)


def watched_signals(files, depth: int = 0) -> int:
    mask = 0
    for file in files:
        if isinstance(file, EventPoll):
            if depth < EP_MAX_NESTS + 1:
                mask |= watched_signals([i.file for i in file.repoll], depth + 1)
        else:
            watch = getattr(file, "watched_signals", None)
            if watch is not None:
                mask |= watch()
    return mask


def eventpoll_release(file) -> None:
    """The last reference to file went away: drop it from every epoll that has it."""
    for item in list(getattr(file, "epitems", None) or ()):
        item.ep.remove(item)


# -- nesting checks (ep_loop_check) -------------------------------------------------------
def _depth_down(ep: EventPoll, target: EventPoll, seen: dict) -> int:
    """Longest chain of epolls below ep; EP_MAX_NESTS + 1 means 'loop or too deep'."""
    if id(ep) in seen:
        return seen[id(ep)]
    seen[id(ep)] = 0
    result = 0
    for item in ep.items.values():
        child = item.file
        if isinstance(child, EventPoll):
            if child is target:
                result = EP_MAX_NESTS + 1
            else:
                result = max(result, _depth_down(child, target, seen) + 1)
            if result > EP_MAX_NESTS:
                break
    seen[id(ep)] = result
    return result


def _depth_up(ep: EventPoll, seen: dict) -> int:
    if id(ep) in seen:
        return seen[id(ep)]
    seen[id(ep)] = 0
    result = 0
    for item in getattr(ep, "epitems", None) or ():
        result = max(result, _depth_up(item.ep, seen) + 1)
    seen[id(ep)] = result
    return result


def loop_check(ep: EventPoll, target: EventPoll) -> None:
    """ELOOP if adding target into ep closes a loop or makes the nesting too deep."""
    depth = _depth_down(target, ep, {})
    if depth > EP_MAX_NESTS or depth + 1 + _depth_up(ep, {}) > EP_MAX_NESTS:
        raise ELOOP()


def ctl(task, ep_file, op: int, target, fd: int, events: int, data: int) -> int:
    """do_epoll_ctl after the fds are looked up, in Linux's order of checks."""
    if not can_poll(target):
        raise EPERM()
    if ep_file is target or not isinstance(ep_file, EventPoll):
        raise EINVAL()
    has_event = op != EPOLL_CTL_DEL
    if has_event and events & EPOLLEXCLUSIVE:
        if op == EPOLL_CTL_MOD:
            raise EINVAL()
        if op == EPOLL_CTL_ADD and (isinstance(target, EventPoll)
                                    or events & ~EPOLLEXCLUSIVE_OK_BITS):
            raise EINVAL()
    ep = ep_file
    if op == EPOLL_CTL_ADD and isinstance(target, EventPoll):
        loop_check(ep, target)
    item = ep.find(target, fd)
    if op == EPOLL_CTL_ADD:
        if item is not None:
            raise EEXIST()
        ep.insert(target, fd, events | POLLERR | POLLHUP, data)
        return 0
    if op == EPOLL_CTL_DEL:
        if item is None:
            raise ENOENT()
        ep.remove(item)
        return 0
    if op == EPOLL_CTL_MOD:
        if item is None:
            raise ENOENT()
        if item.events & EPOLLEXCLUSIVE:
            raise EINVAL()
        ep.modify(item, events | POLLERR | POLLHUP, data)
        return 0
    raise EINVAL()
