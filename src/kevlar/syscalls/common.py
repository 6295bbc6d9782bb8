"""Helpers shared by the syscall families: user pointers, host passthrough, blocking."""

import struct

from kevlar.abi.constants import PATH_MAX, RLIMIT_NOFILE
from kevlar.abi.errors import EAGAIN, EFAULT
from kevlar.platform.interface import ACT_CONTINUE, ACT_STORE_CONTINUE, ACT_STORE_SYSCALL
from kevlar.platform.ptrace import ARG_REGS
from kevlar.process.blocking import Block

INT = struct.Struct("<i")
UINT = struct.Struct("<I")
LONG = struct.Struct("<q")
ULONG = struct.Struct("<Q")
TASK_SIZE = 0x7FFFFFFFF000  # the top of x86_64 user space (4-level paging)


def read_path(task, ptr: int) -> bytes:
    """A path argument (getname): EFAULT for NULL or unmapped, ENAMETOOLONG past
    PATH_MAX. The empty string is returned as is (callers decide ENOENT)."""
    if ptr == 0:
        raise EFAULT()
    return task.read_cstring(ptr, PATH_MAX)


def access_ok(addr: int, size: int) -> None:
    """The range check Linux does before touching user memory (access_ok)."""
    if size and (addr > TASK_SIZE or addr + size > TASK_SIZE):
        raise EFAULT()


def put_int(task, ptr: int, value: int) -> None:
    task.write(ptr, INT.pack(value))


def get_int(task, ptr: int) -> int:
    return INT.unpack(task.read(ptr, 4))[0]


def nofile_limit(task) -> int:
    return task.process.rlimits[RLIMIT_NOFILE][0]


def install_fd(task, file, cloexec: bool = False, minimum: int = 0) -> int:
    fds = task.process.fds
    fds.max_fds = nofile_limit(task)
    return fds.install(file, cloexec, minimum)


def rewrite_args(task, changes: dict[int, int], at_exit=None) -> int:
    """Let the host run the current syscall with some arguments changed.

    changes maps argument index (0-5) to the new value. With at_exit, the thread stops
    at the syscall's exit and at_exit(thread, result) may change the result."""
    regs = task.kernel.engine.regs
    for index, value in changes.items():
        regs[ARG_REGS[index]] = value & 0xFFFFFFFFFFFFFFFF
    if at_exit is not None:
        task.exit_hook = at_exit
        return ACT_STORE_SYSCALL
    return ACT_STORE_CONTINUE if changes else ACT_CONTINUE


def host_passthrough(task, file, fd_arg: int = 0, fd_value: int | None = None, at_exit=None) -> int:
    """Run the syscall on the host fd behind a HostFile (rewriting the fd if needed)."""
    changes = {}
    if fd_value is None or fd_value != file.host_fd:
        changes[fd_arg] = file.host_fd
    return rewrite_args(task, changes, at_exit)


def wait_readable(task, file):
    """Raise the right thing for a read that found nothing: EAGAIN if non-blocking,
    else park until the file is readable or hung up."""
    from kevlar.ipc.waitq import POLLIN
    if file.nonblocking:
        raise EAGAIN()
    raise Block([(file.waitq, POLLIN)])
