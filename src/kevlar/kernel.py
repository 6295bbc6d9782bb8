"""The Kernel: process table, mounts, the event loop, and the path of every syscall.

One event loop serves every guest thread (no tracer thread per guest thread). It waits
on three things at once with epoll: guest stops (SIGCHLD through a signalfd), timers (a
heap on CLOCK_MONOTONIC, as the epoll timeout) and host fds Kevlar watches. Each round
drains every pending stop through the engine, whose hot path calls `syscall()`.

Parking ("native park", docs/architecture.md): a handler that must wait raises Block;
the thread's syscall becomes pause(2) and the thread sleeps in the host kernel, where
signals still reach it. To finish, PTRACE_INTERRUPT brings it to a stop and Kevlar sets
rax = -ERESTARTNOINTR with orig_rax = the original call, so the thread re-issues the
syscall and the handler runs again. A signal that arrives first is a signal-delivery
stop; `signal_parked` decides EINTR or restart there, exactly once.
"""

import os
import select
import signal
import sys
import traceback

from kevlar.abi.constants import SA_NOCLDWAIT, SIG_IGN, SIGCHLD, SIGKILL, STOP_SIGNALS
from kevlar.abi.errors import EINTR, ENOSYS, ERESTARTNOINTR, LinuxError
from kevlar.abi.sysnums import SYSCALLS
from kevlar.ipc.waitq import Waiter, WaitQueue
from kevlar.platform import libc
from kevlar.platform.interface import (
    ACT_BASE,
    ACT_CONTINUE,
    ACT_NONE,
    ACT_STORE_CONTINUE,
    RESULT_MASK,
    SKIP_SYSCALL,
    load_engine_class,
)
from kevlar.platform.ptrace import (
    ORIG_RAX,
    PTRACE_CONT,
    PTRACE_EVENT_CLONE,
    PTRACE_EVENT_EXEC,
    PTRACE_EVENT_FORK,
    PTRACE_EVENT_SECCOMP,
    PTRACE_EVENT_STOP,
    PTRACE_EVENT_VFORK,
    PTRACE_LISTEN,
    PTRACE_SYSCALL,
    R8,
    R9,
    R10,
    RAX,
    RDI,
    RDX,
    RSI,
    SIGTRAP,
    SYSCALL_STOP,
)
from kevlar.process.blocking import Block, GuestGone, Reissue, RestartState
from kevlar.process.ioacct import CALLS as IO_CALLS
from kevlar.process.ioacct import account as account_io
from kevlar.process.pids import PidAllocator
from kevlar.process.task import Process, Thread
from kevlar.timers import Timers, monotonic_ns

NR_PAUSE = SYSCALLS["pause"]
NR_RT_SIGSUSPEND = SYSCALLS["rt_sigsuspend"]


class HostWatch(WaitQueue):
    """A WaitQueue on a host fd, registered with the loop's epoll while it has waiters."""

    __slots__ = ("kernel", "fd", "registered")

    def __init__(self, kernel, fd: int):
        super().__init__()
        self.kernel = kernel
        self.fd = fd
        self.registered = 0

    def _update(self) -> None:
        poller = getattr(self.kernel, "poller", None)
        if poller is None:
            return
        mask = 0
        for waiter in self.waiters:
            mask |= waiter.mask
        mask &= select.EPOLLIN | select.EPOLLOUT | select.EPOLLPRI | select.EPOLLRDHUP
        # Edge-triggered: whoever is woken polls the fd again (level semantics are the
        # waiter's business), and an always-writable terminal cannot spin the loop.
        try:
            if mask and not self.registered:
                poller.register(self.fd, mask | select.EPOLLET)
            elif mask:
                poller.modify(self.fd, mask | select.EPOLLET)
            elif self.registered:
                poller.unregister(self.fd)
        except OSError:
            return
        self.registered = mask

    def add(self, waiter):
        super().add(waiter)
        self._update()
        return waiter

    def remove(self, waiter) -> None:
        super().remove(waiter)
        self._update()


class Config:
    """What kevlar-trace was asked to do (filled by the CLI, defaults for tests)."""

    def __init__(self, **kw):
        self.profile = "fast"
        self.cpu: int | None = 0
        self.strace = None  # a writable text stream, or None
        self.stats = False
        self.binds: list[tuple[str, str, bool]] = []
        self.disks: list = []
        self.cache_mb = 64
        self.hostname = b"kevlar"
        self.uid = 0
        self.gid = 0
        self.strict = os.environ.get("KEVLAR_STRICT", "") not in ("", "0")
        self.__dict__.update(kw)


class Kernel:
    def __init__(self, config: Config | None = None):
        self.config = config or Config()
        engine_class, self.engine_description = load_engine_class()
        self.engine = engine_class(self)
        self.tasks: dict[int, Thread] = {}  # host tid -> thread (what waitpid reports)
        self.threads: dict[int, Thread] = {}  # virtual tid -> thread
        self.processes: dict[int, Process] = {}  # virtual pid -> process (zombies too)
        self.by_host_pid: dict[int, Process] = {}
        self.pids = PidAllocator()
        self.held: dict[int, list[int]] = {}  # stops of tids we have not met yet
        self.deferred: list[tuple[int, int]] = []  # stops met while injecting, for later
        self.timers = Timers()
        self.host_watches: dict[int, WaitQueue] = {}
        self.init: Process | None = None
        self.exit_status: int | None = None
        self.internal_errors: list[str] = []
        self.boot_time_ns = monotonic_ns()
        from kevlar.process.task import UtsNamespace
        self.init_uts = UtsNamespace(self.config.hostname)
        self.current: Thread | None = None  # the thread whose syscall is being handled
        from kevlar.syscalls.table import build_table
        self.table = build_table(self.config.profile)
        from kevlar.strace import Tracer
        self.tracing = Tracer(self) if (self.config.strace or self.config.stats) else None
        self.syscall = self._syscall_traced if self.tracing else self._syscall
        from kevlar.world import build_world
        self.mounts = build_world(self)

    # -- the syscall path ------------------------------------------------------------------
    def _syscall(self, task: Thread, nr: int, a0, a1, a2, a3, a4, a5):
        """Run the handler for one seccomp stop and return the engine action."""
        try:
            entry = self.table[nr]
        except IndexError:
            return self.unknown_syscall(nr)
        if (nr == NR_PAUSE or nr == NR_RT_SIGSUSPEND) and task.parked_nr >= 0:
            # Profile full: a parked thread's own pause or rt_sigsuspend (restarted
            # after a wake-up that parked it again, or racing a wake-up's interrupt)
            # stops here too. It is not a new call: keep the parked call's
            # RestartState and let it run.
            return ACT_CONTINUE
        task.current = nr
        self.current = task
        try:
            result = entry.call(task, a0, a1, a2, a3, a4, a5)
        except LinuxError as err:
            task.restart = None
            if nr in IO_CALLS:
                account_io(task, nr, -err.errno)
            return -err.errno
        except Block as block:
            return self.park(task, nr, (a0, a1, a2, a3, a4, a5), block)
        except Reissue:
            task.current = None  # nothing to report: the guest issues the call again
            return ACT_CONTINUE
        except GuestGone:
            return ACT_NONE
        except Exception as exc:  # noqa: BLE001 - the tracer must survive any handler bug
            return self.internal_error(task, entry.name, exc)
        task.restart = None
        if nr in IO_CALLS:
            account_io(task, nr, result)
        return result

    def _syscall_traced(self, task, nr, a0, a1, a2, a3, a4, a5):
        return self.tracing.syscall(task, nr, (a0, a1, a2, a3, a4, a5), self._syscall)

    def unknown_syscall(self, nr: int) -> int:
        from kevlar.syscalls.table import note_missing
        note_missing(self, f"syscall_{nr}")
        return -ENOSYS.errno

    def internal_error(self, task, name: str, exc: Exception) -> int:
        text = "".join(traceback.format_exception(exc))
        self.internal_errors.append(f"{name} in pid {task.process.pid}: {text}")
        if self.config.strict:
            raise exc
        return -ENOSYS.errno

    # -- parking ---------------------------------------------------------------------------
    def park(self, task: Thread, nr: int, args: tuple, block: Block):
        """Put the thread to sleep natively until block's events or deadline."""
        task.block = block
        task.parked_nr = nr
        task.restart = RestartState(nr, args, block.deadline, block.state)
        waiters = []
        for queue, mask in block.waits:
            waiters.append(queue.add(Waiter(mask, lambda _events, t=task: self.wake(t))))
        block.waiters = waiters
        block.timer = None
        if block.deadline is not None:
            block.timer = self.timers.add(block.deadline, lambda t=task: self.wake(t))
        regs = self.engine.regs
        if block.sigmask is None:
            regs[ORIG_RAX] = NR_PAUSE
        else:
            # Sleep under the call's temporary mask (ppoll, pselect6, epoll_pwait, and
            # signalfd waits that unblock what they watch). It clobbers rdi and rsi:
            # restore_args puts them back before the thread leaves the park.
            regs[ORIG_RAX] = NR_RT_SIGSUSPEND
            regs[RDI] = block.sigmask
            regs[RSI] = 8
        if block.on_park is not None:
            block.on_park(task)
        return ACT_STORE_CONTINUE

    def unpark(self, task: Thread) -> None:
        block = task.block
        if block is None:
            return
        for waiter in block.waiters:
            if waiter.queue is not None:
                waiter.queue.remove(waiter)
        if block.timer is not None:
            block.timer.cancel()
        task.block = None

    def wake(self, task: Thread) -> None:
        """Make a parked thread re-issue its syscall (its handler will run again)."""
        block = task.block
        if block is None:
            return
        if block.catch:
            task.woken_catch = (block.catch, block.real_mask)
        self.unpark(task)
        task.wake = "restart"
        self.engine.interrupt(task.host_tid)

    def finish_wake(self, task: Thread) -> None:
        """The woken thread is at its interrupt stop. Run its handler again right here:
        a plain result is written into the stopped thread (saving the stop a re-issued
        syscall would cost), a new Block parks it again (pause is restarted), and
        anything else (a host rewrite, an injection) makes the thread re-issue the call
        and meet the handler at a real syscall stop."""
        engine = self.engine
        tid = task.host_tid
        try:
            engine.load_regs(tid)
        except ProcessLookupError:
            return
        self.restore_args(task)
        self.restore_own_mask(task)
        nr = task.parked_nr
        task.parked_nr = -1
        task.wake = None
        state = task.restart
        regs = engine.regs
        action = ACT_CONTINUE
        if state is not None and state.nr == nr:
            task.waking = True
            try:
                action = self.syscall(task, nr, *state.args)
            finally:
                task.waking = False
        if action == ACT_NONE:
            return  # the thread died during the handler (GuestGone)
        if action < ACT_BASE:
            regs[ORIG_RAX] = SKIP_SYSCALL
            regs[RAX] = action & RESULT_MASK
        elif task.block is not None:
            regs[RAX] = -ERESTARTNOINTR & RESULT_MASK  # re-parked: pause runs again
        else:
            task.exit_hook = None
            engine.load_regs(tid)
            if state is not None:
                regs[RDI], regs[RSI] = state.args[0], state.args[1]
            regs[ORIG_RAX] = nr
            regs[RAX] = -ERESTARTNOINTR & RESULT_MASK
        engine.store_regs(tid)
        engine.resume(tid, PTRACE_CONT)

    def signal_parked(self, task: Thread, sig: int) -> None:
        """A signal reached a parked thread: decide, once, whether its syscall restarts
        or fails with EINTR (or returns the partial count it already moved)."""
        engine = self.engine
        block = task.block
        self.unpark(task)
        engine.load_regs(task.host_tid)
        self.restore_args(task)
        task.woken_catch = None  # the signal is delivered, the sleep's mask ends with it
        regs = engine.regs
        from kevlar.process.signals import parked_call_restarts
        restart = task.wake == "restart" or parked_call_restarts(task.process.sighand, sig,
                                                                 block.interrupt, block.partial)
        if restart:
            regs[ORIG_RAX] = task.parked_nr
            regs[RAX] = -ERESTARTNOINTR & RESULT_MASK
        else:
            regs[ORIG_RAX] = SKIP_SYSCALL
            if block is not None and block.on_interrupt is not None:
                block.on_interrupt(task)
            partial = block.partial if block is not None else None
            regs[RAX] = (partial if partial is not None else -EINTR.errno) & RESULT_MASK
            task.restart = None
        task.parked_nr = -1
        task.wake = None
        engine.store_regs(task.host_tid)

    def restore_own_mask(self, task: Thread) -> None:
        """A woken park slept with the signals its signalfds watch unblocked, and the
        thread is still under that mask at its wake-up stop: without its own mask back
        now, one of them arriving before the call returns would be delivered, and lost
        to a default disposition, instead of staying pending for the signalfd."""
        if task.woken_catch is not None:
            from kevlar.ipc.signalfd import set_sigmask
            set_sigmask(task.host_tid, task.woken_catch[1])
            task.woken_catch = None

    def restore_args(self, task: Thread) -> None:
        """Put back the argument registers an rt_sigsuspend park changed (in engine.regs,
        loaded for this parked thread): the syscall ABI keeps rdi and rsi, and a
        restarted call needs its own arguments."""
        state = task.restart
        if state is not None and state.nr == task.parked_nr:
            regs = self.engine.regs
            regs[RDI], regs[RSI] = state.args[0], state.args[1]

    def catch_parked_signal(self, task: Thread, sig: int) -> bool:
        """At a parked thread's signal-delivery stop: if its Block catches sig (a signal
        the guest blocks, unblocked only so that a signalfd wait hears it), keep the
        siginfo for re-queueing, drop the delivery and make the thread re-issue its call."""
        block = task.block
        catch, real = (block.catch, getattr(block, "real_mask", None)) if block is not None \
            else (task.woken_catch or (0, None))
        if not catch or not 0 < sig <= 64 or not catch >> (sig - 1) & 1:
            return False
        task.woken_catch = None  # woken, but the signal came before the wake-up stop
        from kevlar.ipc.signalfd import caught
        caught(self, task, sig, real)
        engine = self.engine
        self.unpark(task)
        engine.load_regs(task.host_tid)
        self.restore_args(task)
        regs = engine.regs
        regs[ORIG_RAX] = task.parked_nr
        regs[RAX] = -ERESTARTNOINTR & RESULT_MASK
        task.parked_nr = -1
        task.wake = None
        engine.store_regs(task.host_tid)
        engine.resume(task.host_tid, PTRACE_CONT, 0)
        return True

    def restart_state(self, task: Thread, args: tuple):
        """The RestartState of this exact call if it is being re-run, else None. args
        may be the first few arguments only (handlers see decoded arguments, the state
        keeps all six raw registers)."""
        state = task.restart
        if state is not None and state.nr == task.current and state.args[:len(args)] == tuple(args):
            return state
        return None

    # -- stops other than the seccomp fast path ----------------------------------------------
    def on_stop(self, tid: int, status: int) -> None:
        if os.WIFEXITED(status) or os.WIFSIGNALED(status):
            self.thread_exited(tid, status)
            return
        if not os.WIFSTOPPED(status):
            return
        task = self.tasks.get(tid)
        if task is None:
            self.held.setdefault(tid, []).append(status)
            return
        sig = (status >> 8) & 0xFF
        event = status >> 16
        engine = self.engine
        if event == PTRACE_EVENT_SECCOMP:
            task.ready = True
            engine.load_regs(tid)
            regs = engine.regs
            engine.apply(tid, self.syscall(task, regs[ORIG_RAX], regs[RDI], regs[RSI], regs[RDX],
                                           regs[R10], regs[R8], regs[R9]))
        elif event in (PTRACE_EVENT_FORK, PTRACE_EVENT_VFORK, PTRACE_EVENT_CLONE):
            from kevlar.process.lifecycle import on_clone_event
            on_clone_event(self, task, event)
        elif event == PTRACE_EVENT_EXEC:
            from kevlar.process.lifecycle import on_exec_event
            on_exec_event(self, task)
        elif event == PTRACE_EVENT_STOP:
            if sig in STOP_SIGNALS:
                from kevlar.process.lifecycle import on_group_stop
                on_group_stop(self, task, sig)
                engine.resume(tid, PTRACE_LISTEN)
            elif task.new:
                from kevlar.process.lifecycle import on_first_stop
                on_first_stop(self, task)
            else:
                # SIGTRAP: a wake-up's interrupt (maybe stale), and/or the end of a group
                # stop (SIGCONT ends PTRACE_LISTEN with this trap; while the group stop
                # lasts an interrupt reports the stop signal instead).
                from kevlar.process.lifecycle import on_continued
                on_continued(self, task)
                if task.wake is not None:
                    self.finish_wake(task)
                else:
                    engine.resume(tid, PTRACE_CONT)
        elif sig == SYSCALL_STOP:
            self.on_syscall_exit(task)
        else:
            self.on_signal(task, sig)

    def on_syscall_exit(self, task: Thread) -> None:
        engine = self.engine
        hook = task.exit_hook
        task.exit_hook = None
        engine.load_regs(task.host_tid)
        raw = engine.regs[RAX]
        result = raw - (1 << 64) if raw >> 63 else raw
        if hook is not None:
            try:
                new = hook(task, result)
            except Exception as exc:  # noqa: BLE001
                new = self.internal_error(task, "exit hook", exc)
            if new != result:
                engine.regs[RAX] = new & RESULT_MASK
                engine.store_regs(task.host_tid)
            result = new
        if self.tracing:
            self.tracing.exit(task, result)
        engine.resume(task.host_tid, PTRACE_CONT)

    def on_signal(self, task: Thread, sig: int) -> None:
        """A signal-delivery stop: the host is about to deliver sig to this thread."""
        if sig == SIGTRAP and task.pending_exec is not None:
            sig = 0  # the legacy post-exec SIGTRAP does not exist under SEIZE; be safe
        if task.parked_nr >= 0:
            if self.catch_parked_signal(task, sig):
                return
            self.signal_parked(task, sig)
        from kevlar.process.signals import delivering, translate_siginfo
        translate_siginfo(self, task, sig)
        delivering(task, sig)
        if self.tracing:
            self.tracing.signal(task, sig)
        self.engine.resume(task.host_tid, PTRACE_CONT, sig)

    # -- threads and processes ---------------------------------------------------------------
    def add_thread(self, thread: Thread) -> None:
        self.tasks[thread.host_tid] = thread
        self.threads[thread.tid] = thread
        thread.process.threads[thread.tid] = thread
        for status in self.held.pop(thread.host_tid, []):
            self.on_stop(thread.host_tid, status)

    def add_process(self, proc: Process) -> None:
        self.processes[proc.pid] = proc
        self.by_host_pid[proc.host_pid] = proc

    def thread_exited(self, host_tid: int, status: int) -> None:
        self.held.pop(host_tid, None)
        task = self.tasks.pop(host_tid, None)
        if task is None:
            return  # an orphan the tracer reaped as a real parent, already accounted
        from kevlar.process.lifecycle import thread_exited
        thread_exited(self, task, status)

    def terminal_fd(self) -> int | None:
        """The first of the tracer's fds 0-2 that is a terminal, if any."""
        for fd in (0, 1, 2):
            try:
                if os.isatty(fd):
                    return fd
            except OSError:
                continue
        return None

    def watch_host_fd(self, fd: int) -> "HostWatch":
        """The wait queue for readiness of one of the tracer's host fds. It is in the
        epoll set only while someone waits on it (level-triggered, so an idle watch on
        an always-writable fd would otherwise spin the loop)."""
        watch = self.host_watches.get(fd)
        if watch is None:
            watch = self.host_watches[fd] = HostWatch(self, fd)
        return watch

    def lookup(self, path: bytes):
        """Walk path from the root with root's rights, outside any guest (boot, CLI)."""
        from types import SimpleNamespace

        from kevlar.fs.path import walk
        from kevlar.fs.vfs import Location
        from kevlar.process.task import Credentials, FsContext
        root = Location(self.mounts.root, self.mounts.root.root)
        view = SimpleNamespace(process=SimpleNamespace(kernel=self, creds=Credentials(),
                                                       fs=FsContext(root, root)))
        return walk(view, root, path)

    @property
    def uts(self):
        """The UTS namespace of the thread whose syscall is being handled (procfs reads
        /proc/sys/kernel/hostname through this), the initial one outside any call."""
        task = self.current
        return task.process.uts if task is not None else self.init_uts

    @property
    def hostname(self) -> bytes:
        return self.uts.hostname

    @hostname.setter
    def hostname(self, value: bytes) -> None:
        self.uts.hostname = value

    @property
    def domainname(self) -> bytes:
        return self.uts.domainname

    @domainname.setter
    def domainname(self, value: bytes) -> None:
        self.uts.domainname = value

    def current_reader_pid(self) -> int:
        """The pid /proc/self names: the process whose syscall is being handled."""
        return self.current.process.pid if self.current is not None else 1

    def current_reader_ids(self) -> tuple[int, int]:
        task = self.current
        return (task.process.pid, task.tid) if task is not None else (1, 1)

    def find_process(self, pid: int) -> Process | None:
        return self.processes.get(pid)

    def vpid_of_host(self, host_pid: int) -> int:
        """A host pid as the guest sees it: 0 for processes outside the guest world."""
        proc = self.by_host_pid.get(host_pid)
        if proc is not None:
            return proc.pid
        task = self.tasks.get(host_pid)
        return task.tid if task is not None else 0

    def host_pgid(self, vpgid: int) -> int | None:
        """The host process group behind a guest one (None if no such group)."""
        for proc in self.processes.values():
            if proc.pgid == vpgid and not proc.reaped:
                return proc.host_pgid
        return None

    def vpgid_of_host(self, host_pgid: int) -> int:
        """A host process group as the guest sees it (0 if it is outside the guest)."""
        for proc in self.processes.values():
            if proc.host_pgid == host_pgid:
                return proc.pgid
        return 0

    def signal_thread(self, task: Thread, sig: int) -> None:
        """Send sig to one guest thread as the kernel's send_sig(sig, current, 0) does,
        e.g. SIGPIPE after EPIPE: SI_USER from the thread's own process."""
        from kevlar.process.signals import make_siginfo, post_signal
        proc = task.process
        post_signal(self, proc, sig, make_siginfo(sig, 0, proc.pid, proc.creds.uid), task)

    def send_signal(self, proc: Process, sig: int) -> None:
        """Kevlar-originated signal to a process (SIGPIPE is thread-directed elsewhere)."""
        if proc.zombie:
            return
        try:
            os.kill(proc.host_pid, sig)
        except ProcessLookupError:
            pass

    def sigchld_ignored(self, proc: Process) -> bool:
        """True if proc's children are reaped without a zombie (SIG_IGN or SA_NOCLDWAIT)."""
        handler = proc.sighand.handler(SIGCHLD)
        return handler == SIG_IGN or bool(proc.sighand.flags(SIGCHLD) & SA_NOCLDWAIT)

    # -- starting and running --------------------------------------------------------------
    def start(self, path: bytes, argv: list[bytes], env: list[bytes], cwd: bytes = b"/") -> None:
        """Create pid 1 and its host process; the loop runs it."""
        from kevlar.process.lifecycle import create_init
        create_init(self, path, argv, env, cwd)

    def run(self) -> int:
        """The event loop; returns pid 1's exit status as a shell would report it."""
        sigchld = self._sigchld_fd
        poller = select.epoll()
        poller.register(sigchld, select.EPOLLIN)
        self.poller = poller
        engine = self.engine
        timers = self.timers
        block = False
        try:
            while self.tasks or self.exit_status is None:
                engine.drain(block)
                while self.deferred:
                    self.on_stop(*self.deferred.pop(0))
                timers.run_due()
                if not self.tasks and self.exit_status is not None:
                    break
                timeout = timers.timeout()
                # With no timer and no host fd to watch, only a guest stop can change
                # anything: wait for it in waitpid itself (one syscall per stop instead
                # of epoll_wait + read + waitpid).
                block = timeout < 0 and not any(w.registered for w in self.host_watches.values())
                if block:
                    continue
                for fd, events in poller.poll(timeout):
                    if fd == sigchld:
                        try:
                            os.read(sigchld, 4096)
                        except BlockingIOError:
                            pass
                    else:
                        queue = self.host_watches.get(fd)
                        if queue is not None:
                            queue.notify(events)
        finally:
            poller.close()
            self.shutdown()
        status = self.exit_status or 0
        if os.WIFSIGNALED(status):
            return 128 + os.WTERMSIG(status)
        return os.WEXITSTATUS(status)

    def prepare_host(self) -> None:
        """Tracer-side set-up: block SIGCHLD into a signalfd, become the subreaper, and
        ignore the terminal signals meant for the guest's job (the tracer must survive
        Ctrl-C, Ctrl-Z and background terminal access)."""
        from kevlar.platform.spawn import become_subreaper
        become_subreaper()
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
        self._sigchld_fd = libc.signalfd_for({signal.SIGCHLD})
        for sig in (signal.SIGINT, signal.SIGQUIT, signal.SIGTSTP, signal.SIGTTIN,
                    signal.SIGTTOU, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_IGN)

    def shutdown(self) -> None:
        """Kill whatever guests remain and reap them; flush file systems."""
        for task in list(self.tasks.values()):
            try:
                os.kill(task.host_tid, SIGKILL)
            except ProcessLookupError:
                pass
        while self.tasks:
            try:
                tid, status = os.waitpid(-1, 0x40000000)
            except ChildProcessError:
                break
            self.tasks.pop(tid, None)
        for mnt in getattr(self.mounts, "mounts", []):
            try:
                mnt.fs.sync()
            except Exception as exc:  # noqa: BLE001
                print(f"kevlar: flushing {mnt.fs.name} failed: {exc}", file=sys.stderr)
        if getattr(self, "disks", None):
            from kevlar.block.attach import shutdown_storage
            shutdown_storage(self)  # final unmount of the disks: marked clean, images closed
        from kevlar.process.lifecycle import restore_terminal
        restore_terminal(self)

    def extra_stats(self) -> list[str]:
        """Lines --stats prints after the syscall table: the disks and their caches."""
        from kevlar.block.attach import storage_stats
        return storage_stats(self)

    def report(self, stream) -> None:
        """At exit: missing syscalls met (name, count), internal errors, --stats."""
        from kevlar.syscalls.table import report_missing
        report_missing(self, stream)
        for text in self.internal_errors:
            print(f"kevlar: internal error: {text}", file=stream)
        if self.tracing:
            self.tracing.report()


__all__ = ["Kernel", "Config", "ACT_NONE", "PTRACE_SYSCALL"]
