"""Starting the first guest, and checking first that this host lets us.

The child: wait until the tracer has seized it, close every inherited fd but 0/1/2,
become its own process group, set PR_SET_NO_NEW_PRIVS, install the seccomp filter, and
execve. That execve is the guest's first syscall under the filter: it stops for Kevlar,
which resolves the path in its own VFS and rewrites it to the materialized file.
"""

import os
import signal

from kevlar.platform import libc
from kevlar.platform.ptrace import PTRACE_SEIZE, TRACE_OPTIONS

PR_SET_NO_NEW_PRIVS = 38
PR_SET_CHILD_SUBREAPER = 36


class HostUnsupported(Exception):
    """The host does not allow what Kevlar needs; the message says what to change."""


def probe() -> None:
    """Fail early with an actionable message instead of a traceback later."""
    scope_file = "/proc/sys/kernel/yama/ptrace_scope"
    if os.path.exists(scope_file):
        with open(scope_file) as f:
            scope = f.read().strip()
        if scope == "3":
            raise HostUnsupported(
                "ptrace is disabled on this host (kernel.yama.ptrace_scope=3); it can only "
                "be lowered by rebooting with a lower value")
    actions_file = "/proc/sys/kernel/seccomp/actions_avail"
    if not os.path.exists("/proc/self/status"):
        raise HostUnsupported("/proc is not mounted; kevlar-trace needs the host's procfs")
    if os.path.exists(actions_file):
        with open(actions_file) as f:
            actions = f.read().split()
        if "trace" not in actions:
            raise HostUnsupported(
                f"this kernel's seccomp lacks the 'trace' action (has: {' '.join(actions)}); "
                "Kevlar needs CONFIG_SECCOMP_FILTER with SECCOMP_RET_TRACE")
    else:
        with open("/proc/self/status") as f:
            if "Seccomp:" not in f.read():
                raise HostUnsupported("this kernel has no seccomp (CONFIG_SECCOMP is off)")
    try:
        libc.process_vm_read(os.getpid(), id(probe), 1)
    except OSError as exc:
        raise HostUnsupported(
            f"process_vm_readv is not permitted here ({exc.strerror}); a container profile "
            "may block it: allow process_vm_readv/process_vm_writev and ptrace "
            "(e.g. docker run --cap-add SYS_PTRACE)") from exc


def become_subreaper() -> None:
    """Orphaned guests are re-parented to the tracer on the host, so it can reap them."""
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1)


def spawn(path: bytes, argv: list[bytes], env: list[bytes], bpf: bytes, cpu: int | None):
    """Fork the first guest, seize it, and return (host pid, release function).

    The child blocks until release() is called, so the tracer can record the guest
    before it makes its first syscall.
    """
    if cpu is not None:
        os.sched_setaffinity(0, {cpu})
    gate_r, gate_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: no Python objects of the tracer matter from here on
        try:
            os.close(gate_w)
            os.read(gate_r, 1)
            os.closerange(3, 65536)
            os.setpgid(0, 0)
            for sig in (signal.SIGINT, signal.SIGQUIT, signal.SIGTSTP, signal.SIGTTIN,
                        signal.SIGTTOU, signal.SIGPIPE, signal.SIGCHLD):
                signal.signal(sig, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_SETMASK, set())
            libc.prctl(PR_SET_NO_NEW_PRIVS, 1)
            libc.seccomp_set_filter(bpf)
            os.execve(path, argv, dict(e.split(b"=", 1) for e in env if b"=" in e))
        except BaseException as exc:  # noqa: BLE001 - report and never return to the tracer
            os.write(2, f"kevlar: cannot start the guest: {exc}\n".encode())
        os._exit(127)
    os.close(gate_r)
    try:
        libc.ptrace(PTRACE_SEIZE, pid, 0, TRACE_OPTIONS)
    except OSError as exc:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise HostUnsupported(
            f"ptrace(PTRACE_SEIZE) was refused ({exc.strerror}); allow ptrace for this user "
            "(kernel.yama.ptrace_scope <= 1, or CAP_SYS_PTRACE in a container)") from exc

    def release() -> None:
        os.write(gate_w, b"g")
        os.close(gate_w)

    return pid, release
