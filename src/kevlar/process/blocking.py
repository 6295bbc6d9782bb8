"""How a syscall handler waits: raise Block, and the kernel parks the thread.

gVisor's pattern, made explicit: try the operation; if it would block, register for the
exact events on the exact objects (a WaitQueue and a mask) plus an optional deadline,
and raise Block. The kernel parks the thread natively (kevlar.kernel.Kernel.park) and,
when an event or the deadline comes, makes the thread re-issue the same syscall; the
handler runs again from the top, and finds what it waits for, or parks again.

What a signal does to a parked call is decided in one place (Kernel.signal_parked, with
the rules in kevlar.process.signals.parked_call_restarts) from `interrupt`: ERESTARTSYS
(restart if the handler has SA_RESTART, else EINTR), ERESTARTNOHAND or
ERESTART_RESTARTBLOCK (restart only if no handler runs: poll, select, nanosleep-like
calls, with the deadline kept in the RestartState), or EINTR (the class or its errno:
never restart, and fail with EINTR even after a stop signal and SIGCONT: epoll_wait,
sigtimedwait). A signal Linux would discard (ignored, or default-ignored like SIGCHLD)
never interrupts. `partial` is returned instead of EINTR when the call already moved
data (a pipe write that made progress returns its count).
"""

from kevlar.abi.errors import ERESTARTSYS


class Block(Exception):
    def __init__(self, waits=(), deadline: int | None = None, interrupt: int = ERESTARTSYS,
                 partial: int | None = None, state=None, on_park=None,
                 sigmask: int | None = None, catch: int = 0, on_interrupt=None):
        super().__init__("block")
        self.waits = list(waits)  # [(WaitQueue, mask)]
        self.deadline = deadline  # CLOCK_MONOTONIC ns
        self.interrupt = interrupt
        self.partial = partial
        self.state = state  # kept for the retry: task.restart_state()
        self.on_park = on_park  # called once the thread is parked (e.g. vfork bookkeeping)
        # sigmask: guest address of a sigset_t to sleep under (ppoll, pselect6, epoll_pwait:
        # the thread parks in rt_sigsuspend(sigmask) instead of pause). catch: signals
        # (bit signo-1) the tracer takes at their delivery stop instead of delivering
        # them; signalfd waits unblock them this way (kevlar.ipc.signalfd).
        self.sigmask = sigmask
        self.catch = catch
        self.on_interrupt = on_interrupt  # called(task) when a signal ends the call (EINTR)


class Reissue(Exception):
    """The handler arranged for the thread to execute the same syscall again (after an
    injected syscall); the kernel only resumes it."""


class GuestGone(Exception):
    """The thread died while Kevlar was injecting a syscall into it; its exit has been
    handled, there is nothing left to resume."""


class RestartState:
    """What survives between a park and the re-run of the same syscall."""

    __slots__ = ("nr", "args", "deadline", "state")

    def __init__(self, nr, args, deadline, state):
        self.nr = nr
        self.args = args
        self.deadline = deadline
        self.state = state
