"""Wait queues and poll events: the one readiness mechanism of every Kevlar file.

A file that can block owns a WaitQueue and calls `notify(events)` when its state changes
(data arrived, space freed, peer closed). Waiters register for precise events: a parked
thread (woken through the kernel), an epoll instance, a poll/select call. Nobody is woken
for events it did not ask for (no global queue, no wake-all).
"""

# include/uapi/asm-generic/poll.h (epoll uses the same bits)
POLLIN = 0x001
POLLPRI = 0x002
POLLOUT = 0x004
POLLERR = 0x008
POLLHUP = 0x010
POLLNVAL = 0x020
POLLRDNORM = 0x040
POLLRDBAND = 0x080
POLLWRNORM = 0x100
POLLWRBAND = 0x200
POLLMSG = 0x400
POLLRDHUP = 0x2000
# Reported whether asked for or not (fs/select.c: POLLERR and POLLHUP are always on).
ALWAYS = POLLERR | POLLHUP
READABLE = POLLIN | POLLRDNORM
WRITABLE = POLLOUT | POLLWRNORM


class Waiter:
    """A registration on a queue: `callback(events)` runs when any of `mask` happens.

    An exclusive waiter (EPOLLEXCLUSIVE) is called after every non-exclusive one, and
    the first exclusive callback that returns true ends the wake-up (kernel/sched/wait.c
    __wake_up_common with nr_exclusive = 1)."""

    __slots__ = ("mask", "callback", "queue", "exclusive")

    def __init__(self, mask: int, callback, exclusive: bool = False):
        self.mask = mask | ALWAYS
        self.callback = callback
        self.queue = None
        self.exclusive = exclusive


class WaitQueue:
    __slots__ = ("waiters",)

    def __init__(self):
        self.waiters: list[Waiter] = []

    def add(self, waiter: Waiter) -> Waiter:
        waiter.queue = self
        self.waiters.append(waiter)
        return waiter

    def remove(self, waiter: Waiter) -> None:
        try:
            self.waiters.remove(waiter)
        except ValueError:
            pass
        waiter.queue = None

    def notify(self, events: int) -> None:
        """Run the callbacks of waiters interested in these events (a snapshot: a
        callback may add or remove waiters)."""
        if not self.waiters:
            return
        exclusive = None
        for waiter in list(self.waiters):
            if waiter.mask & events:
                if waiter.exclusive:
                    exclusive = [waiter] if exclusive is None else exclusive + [waiter]
                else:
                    waiter.callback(events)
        if exclusive is not None:
            for waiter in exclusive:
                if waiter.queue is self and waiter.callback(events):
                    break

    def __bool__(self) -> bool:
        return bool(self.waiters)
