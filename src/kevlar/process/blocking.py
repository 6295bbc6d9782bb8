"""How a syscall handler waits: raise Block, and the kernel parks the thread.

gVisor's pattern, made explicit: try the operation; if it would block, register for the
exact events on the exact objects (a WaitQueue and a mask) plus an optional deadline,
and raise Block. The kernel parks the thread natively (kevlar.kernel.Kernel.park) and,
when an event or the deadline comes, makes the thread re-issue the same syscall; the
handler runs again from the top, and finds what it waits for, or parks again.

What a signal does to a parked call is decided in one place (Kernel.signal_parked) from
`interrupt`: ERESTARTSYS (restart if the handler has SA_RESTART, else EINTR),
ERESTARTNOHAND (restart only if no handler runs: poll, select), or EINTR (never restart:
epoll_wait, sigtimedwait). `partial` is returned instead when the call already moved
data (a pipe write that made progress returns its count, not EINTR).
"""

from kevlar.abi.errors import ERESTARTSYS


class Block(Exception):
    def __init__(self, waits=(), deadline: int | None = None, interrupt: int = ERESTARTSYS,
                 partial: int | None = None, state=None, on_park=None):
        super().__init__("block")
        self.waits = list(waits)  # [(WaitQueue, mask)]
        self.deadline = deadline  # CLOCK_MONOTONIC ns
        self.interrupt = interrupt
        self.partial = partial
        self.state = state  # kept for the retry: task.restart_state()
        self.on_park = on_park  # called once the thread is parked (e.g. vfork bookkeeping)


class Reissue(Exception):
    """The handler arranged for the thread to execute the same syscall again (after an
    injected syscall); the kernel only resumes it."""


class RestartState:
    """What survives between a park and the re-run of the same syscall."""

    __slots__ = ("nr", "args", "deadline", "state")

    def __init__(self, nr, args, deadline, state):
        self.nr = nr
        self.args = args
        self.deadline = deadline
        self.state = state
