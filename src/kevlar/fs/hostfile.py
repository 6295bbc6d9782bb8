"""The host's stdin, stdout and stderr, passed through to the guest.

These are the only host fds a guest uses. Every guest process keeps host fds 0, 1 and 2
open exactly as kevlar-trace inherited them (Kevlar never lets a close of them reach
the host), so a HostFile names one of those numbers and its read, write, ioctl and fstat
run on the host: the syscall's fd argument is rewritten to that number when the guest's
fd differs. Line editing, Ctrl-C and job control then work as on the real terminal.

For poll/epoll, the tracer watches its own copy of the same open file description.
"""

import fcntl
import os
import stat

from kevlar.fs.fdtable import FdTable
from kevlar.fs.file import File
from kevlar.ipc.waitq import POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT


class HostFile(File):
    """One of the guest's inherited host fds (0, 1 or 2)."""

    seekable = False

    def __init__(self, kernel, host_fd: int, flags: int):
        super().__init__(None, flags)
        self.kernel = kernel
        self.host_fd = host_fd

    def __repr__(self) -> str:
        return f"<HostFile host fd {self.host_fd}>"

    @property
    def is_tty(self) -> bool:
        try:
            return os.isatty(self.host_fd)
        except OSError:
            return False

    def poll(self) -> int:
        """Readiness of the host object, asked of the tracer's own copy."""
        import select
        poller = select.poll()
        poller.register(self.host_fd, POLLIN | POLLOUT)
        try:
            events = poller.poll(0)
        except OSError:
            return POLLNVAL
        return events[0][1] if events else 0

    def host_stat(self) -> os.stat_result:
        return os.fstat(self.host_fd)

    @property
    def seekable_on_host(self) -> bool:
        try:
            return stat.S_ISREG(os.fstat(self.host_fd).st_mode)
        except OSError:
            return False

    def watch_queue(self):
        """The wait queue that the event loop notifies when the host fd is ready."""
        return self.kernel.watch_host_fd(self.host_fd)


# Host poll bits that mean the peer is gone.
HANGUP = POLLHUP | POLLERR


def initial_fd_table(kernel) -> FdTable:
    """fds 0, 1, 2 as kevlar-trace got them (only those actually open)."""
    table = FdTable()
    for fd in (0, 1, 2):
        try:
            flags = fcntl.fcntl(fd, fcntl.F_GETFL)
        except OSError:
            continue
        table.install_at(fd, HostFile(kernel, fd, flags))
    return table
