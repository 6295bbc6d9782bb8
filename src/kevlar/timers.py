"""Deadlines on CLOCK_MONOTONIC for the event loop: a heap, cancellable entries."""

import heapq
import itertools
import time

MAX_WAIT = 86400.0  # seconds


def monotonic_ns() -> int:
    return time.monotonic_ns()


class Timer:
    __slots__ = ("deadline", "seq", "callback", "cancelled")

    def __init__(self, deadline: int, seq: int, callback):
        self.deadline = deadline
        self.seq = seq
        self.callback = callback
        self.cancelled = False

    def __lt__(self, other: "Timer") -> bool:
        return (self.deadline, self.seq) < (other.deadline, other.seq)

    def cancel(self) -> None:
        self.cancelled = True


class Timers:
    def __init__(self):
        self._heap: list[Timer] = []
        self._seq = itertools.count()

    def add(self, deadline_ns: int, callback) -> Timer:
        timer = Timer(deadline_ns, next(self._seq), callback)
        heapq.heappush(self._heap, timer)
        return timer

    def timeout(self) -> float:
        """Seconds until the next live deadline (for epoll.poll), -1 if none."""
        heap = self._heap
        while heap and heap[0].cancelled:
            heapq.heappop(heap)
        if not heap:
            return -1
        # epoll_wait takes an int of ms: a deadline decades away (a guest's timerfd set
        # to KTIME_MAX) wakes the loop once a day instead of overflowing it.
        return min(MAX_WAIT, max(0.0, (heap[0].deadline - monotonic_ns()) / 1e9))

    def run_due(self) -> int:
        """Run every callback whose deadline has passed; return how many ran."""
        heap = self._heap
        ran = 0
        now = monotonic_ns()
        while heap and (heap[0].cancelled or heap[0].deadline <= now):
            timer = heapq.heappop(heap)
            if not timer.cancelled:
                timer.cancelled = True
                timer.callback()
                ran += 1
        return ran

    def __len__(self) -> int:
        return sum(1 for t in self._heap if not t.cancelled)
