"""Advisory record locks (fcntl F_GETLK/F_SETLK/F_SETLKW, OFD locks) and flock(2).

fs/locks.c semantics:

- POSIX record locks (F_SETLK...) are owned by the fd table (`current->files`) and
  carry the locker's pid. Any close of any fd on the inode by that table drops them
  all (locks_remove_posix from filp_close), so do exec's close-on-exec and exit.
- OFD locks (F_OFD_SETLK...) are owned by the open file description, report l_pid -1
  and go when its last reference does (locks_remove_file). They conflict with POSIX
  locks of other owners like any other owner's.
- flock(2) locks are owned by the open file description too; converting a lock drops
  the old one first (flock_lock_inode), so a failed LOCK_NB upgrade leaves none.
- F_SETLKW and a blocking flock park (Block) on the inode's lock queue until a lock
  goes away. Before parking, F_SETLKW follows the chain "owner waits for a lock held by
  owner..." (posix_locks_deadlock, at most 10 steps, POSIX owners only) and answers
  EDEADLK when it comes back to the caller.

The fcntl commands are dispatched here from syscalls/fd.py by command number.
Locks live on the inode (inode.file_locks), created on first use.
"""

from kevlar.abi.constants import (
    F_GETLK,
    F_OFD_GETLK,
    F_OFD_SETLK,
    F_OFD_SETLKW,
    F_RDLCK,
    F_SETLK,
    F_SETLKW,
    F_WRLCK,
    LOCK_EX,
    LOCK_NB,
    LOCK_SH,
    LOCK_UN,
    O_ACCMODE,
    O_PATH,
    O_RDONLY,
    O_RDWR,
    O_WRONLY,
    SEEK_CUR,
    SEEK_END,
    SEEK_SET,
)
from kevlar.abi.errors import EAGAIN, EBADF, EDEADLK, EINVAL, EOVERFLOW
from kevlar.abi.structs import FLOCK
from kevlar.ipc.waitq import POLLIN, WaitQueue
from kevlar.process.blocking import Block
from kevlar.syscalls.args import Fd, UInt

F_UNLCK = 2
LOCK_MAND = 32
OFFSET_MAX = (1 << 63) - 1
MAX_DEADLK_ITERATIONS = 10


class Lock:
    """One record lock: [start, end] inclusive, end OFFSET_MAX for "to end of file"."""

    __slots__ = ("owner", "pid", "type", "start", "end", "ofd")

    def __init__(self, owner, pid: int, type_: int, start: int, end: int, ofd: bool):
        self.owner = owner
        self.pid = pid
        self.type = type_
        self.start = start
        self.end = end
        self.ofd = ofd

    def overlaps(self, other: "Lock") -> bool:
        return self.start <= other.end and other.start <= self.end

    def conflicts(self, other: "Lock") -> bool:
        return (self.owner is not other.owner and self.overlaps(other)
                and (self.type == F_WRLCK or other.type == F_WRLCK))


class FileLocks:
    """struct file_lock_context: the record locks and flocks of one inode."""

    __slots__ = ("posix", "flocks", "waitq")

    def __init__(self):
        self.posix: list[Lock] = []
        self.flocks: list[tuple[object, int]] = []  # (open file, F_RDLCK | F_WRLCK)
        self.waitq = WaitQueue()

    def changed(self) -> None:
        self.waitq.notify(POLLIN)


def locks_of(inode, create: bool = True) -> FileLocks | None:
    ctx = getattr(inode, "file_locks", None)
    if ctx is None and create:
        ctx = inode.file_locks = FileLocks()
    return ctx


# -- waiting, and who waits for whom (deadlock detection) -------------------------------------
class LockWait:
    """A parked F_SETLKW or flock: the token kept in the thread's restart state."""

    __slots__ = ("task", "owner", "ctx", "request")

    def __init__(self, task, owner, ctx: FileLocks, request: Lock | None):
        self.task = task
        self.owner = owner
        self.ctx = ctx
        self.request = request

    def live(self) -> bool:
        restart = self.task.restart
        return restart is not None and restart.state is self and self.task.host_tid in self.task.kernel.tasks


_waits: list[LockWait] = []


def _blocked_on(owner):
    """The POSIX owner whose lock owner's parked request waits for, if any."""
    global _waits
    _waits = [w for w in _waits if w.live()]
    for wait in _waits:
        if wait.owner is owner and wait.request is not None and not wait.request.ofd:
            for held in wait.ctx.posix:
                if held.conflicts(wait.request) and not held.ofd:
                    return held.owner
    return None


def _deadlock(caller, blocker) -> bool:
    """posix_locks_deadlock(): does blocker (transitively) wait for caller?"""
    for _ in range(MAX_DEADLK_ITERATIONS):
        if blocker is caller:
            return True
        blocker = _blocked_on(blocker)
        if blocker is None:
            return False
    return False


def _park(task, owner, ctx: FileLocks, request: Lock | None):
    restart = task.restart
    token = restart.state if restart is not None and isinstance(restart.state, LockWait) else None
    if token is None or token.ctx is not ctx:
        token = LockWait(task, owner, ctx, request)
        global _waits
        _waits = [w for w in _waits if w.live()]
        _waits.append(token)
    token.request = request
    raise Block([(ctx.waitq, POLLIN)], state=token)


# -- POSIX and OFD record locks -------------------------------------------------------------------
def _range(file, whence: int, start: int, length: int) -> tuple[int, int]:
    """flock_to_posix_lock(): the inclusive byte range a struct flock names."""
    if whence == SEEK_SET:
        base = 0
    elif whence == SEEK_CUR:
        base = file.pos
    elif whence == SEEK_END:
        base = file.inode.size if file.inode is not None else 0
    else:
        raise EINVAL()
    if start > OFFSET_MAX - base:
        raise EOVERFLOW()
    start += base
    if start < 0:
        raise EINVAL()
    if length > 0:
        if length - 1 > OFFSET_MAX - start:
            raise EOVERFLOW()
        end = start + length - 1
    elif length < 0:
        end = start - 1
        start += length
        if start < 0:
            raise EINVAL()
    else:
        end = OFFSET_MAX
    return start, end


def _fmode(file) -> tuple[bool, bool]:
    """(FMODE_READ, FMODE_WRITE) of an open file; access mode 3 has neither."""
    mode = file.flags & O_ACCMODE
    return mode in (O_RDONLY, O_RDWR), mode in (O_WRONLY, O_RDWR)


def _owner(task, file, ofd: bool):
    return file if ofd else task.process.fds


def fcntl_getlk(task, fd: int, file, arg: int, ofd: bool = False) -> int:
    """F_GETLK / F_OFD_GETLK: the first lock that would block the described one."""
    raw = task.read(arg, FLOCK.size)
    fl = FLOCK.unpack(raw)
    if fl.l_type not in (F_RDLCK, F_WRLCK):
        raise EINVAL()
    if ofd and fl.l_pid != 0:
        raise EINVAL()
    start, end = _range(file, fl.l_whence, fl.l_start, fl.l_len)
    request = Lock(_owner(task, file, ofd), 0, fl.l_type, start, end, ofd)
    ctx = locks_of(file.inode, create=False)
    blocker = None
    if ctx is not None:
        blocker = next((held for held in ctx.posix if held.conflicts(request)), None)
    if blocker is None:
        out = FLOCK.pack_fields(l_type=F_UNLCK, l_whence=fl.l_whence, l_start=fl.l_start,
                                l_len=fl.l_len, l_pid=fl.l_pid)
    else:
        length = 0 if blocker.end == OFFSET_MAX else blocker.end - blocker.start + 1
        out = FLOCK.pack_fields(l_type=blocker.type, l_whence=SEEK_SET, l_start=blocker.start,
                                l_len=length, l_pid=-1 if blocker.ofd else blocker.pid)
    task.write(arg, out)
    return 0


def fcntl_setlk(task, fd: int, file, arg: int, wait: bool = False, ofd: bool = False) -> int:
    """F_SETLK, F_SETLKW and their OFD twins (fcntl_setlk -> posix_lock_inode)."""
    raw = task.read(arg, FLOCK.size)
    fl = FLOCK.unpack(raw)
    if ofd and fl.l_pid != 0:
        raise EINVAL()
    start, end = _range(file, fl.l_whence, fl.l_start, fl.l_len)
    kind = fl.l_type
    if kind not in (F_RDLCK, F_WRLCK, F_UNLCK):
        raise EINVAL()
    readable, writable = _fmode(file)
    if (kind == F_RDLCK and not readable) or (kind == F_WRLCK and not writable):
        raise EBADF()
    owner = _owner(task, file, ofd)
    ctx = locks_of(file.inode)
    request = Lock(owner, task.process.pid, kind, start, end, ofd)
    if kind != F_UNLCK:
        blocker = next((held for held in ctx.posix if held.conflicts(request)), None)
        if blocker is not None:
            if not wait:
                raise EAGAIN()
            if not ofd and not blocker.ofd and _deadlock(owner, blocker.owner):
                raise EDEADLK()
            _park(task, owner, ctx, request)
    _apply(ctx, request)
    return 0


def _apply(ctx: FileLocks, request: Lock) -> None:
    """Replace the owner's locks over the request's range with it, merging neighbours of
    the same type (posix_lock_inode's split and coalesce)."""
    owner = request.owner
    kept: list[Lock] = []
    start, end = request.start, request.end
    for held in ctx.posix:
        if held.owner is not owner:
            kept.append(held)
            continue
        touching = held.start <= end + (1 if end < OFFSET_MAX else 0) and \
            start <= held.end + (1 if held.end < OFFSET_MAX else 0)
        if held.type == request.type and request.type != F_UNLCK and touching:
            start, end = min(start, held.start), max(end, held.end)
            continue
        if not held.overlaps(request):
            kept.append(held)
            continue
        if held.start < request.start:
            kept.append(Lock(owner, held.pid, held.type, held.start, request.start - 1, held.ofd))
        if held.end > request.end:
            kept.append(Lock(owner, held.pid, held.type, request.end + 1, held.end, held.ofd))
    if request.type != F_UNLCK:
        kept.append(Lock(owner, request.pid, request.type, start, end, request.ofd))
    kept.sort(key=lambda lk: lk.start)
    ctx.posix = kept
    ctx.changed()


def release_posix(table, file) -> None:
    """locks_remove_posix(): a close by `table` of an fd on file's inode."""
    inode = file.inode
    ctx = getattr(inode, "file_locks", None) if inode is not None else None
    if ctx is None or not ctx.posix:
        return
    before = len(ctx.posix)
    ctx.posix = [held for held in ctx.posix if held.owner is not table]
    if len(ctx.posix) != before:
        ctx.changed()


def release_file(file) -> None:
    """locks_remove_file(): the last reference to an open file went: its OFD locks and
    its flock go."""
    inode = file.inode
    ctx = getattr(inode, "file_locks", None) if inode is not None else None
    if ctx is None:
        return
    before = len(ctx.posix) + len(ctx.flocks)
    ctx.posix = [held for held in ctx.posix if held.owner is not file]
    ctx.flocks = [(f, t) for f, t in ctx.flocks if f is not file]
    if len(ctx.posix) + len(ctx.flocks) != before:
        ctx.changed()


def _getlk(task, fd, file, arg):
    return fcntl_getlk(task, fd, file, arg)


def _setlk(task, fd, file, arg):
    return fcntl_setlk(task, fd, file, arg)


def _setlkw(task, fd, file, arg):
    return fcntl_setlk(task, fd, file, arg, wait=True)


def _ofd_getlk(task, fd, file, arg):
    return fcntl_getlk(task, fd, file, arg, ofd=True)


def _ofd_setlk(task, fd, file, arg):
    return fcntl_setlk(task, fd, file, arg, ofd=True)


def _ofd_setlkw(task, fd, file, arg):
    return fcntl_setlk(task, fd, file, arg, wait=True, ofd=True)


FCNTL_COMMANDS: dict = {
    F_GETLK: _getlk,
    F_SETLK: _setlk,
    F_SETLKW: _setlkw,
    F_OFD_GETLK: _ofd_getlk,
    F_OFD_SETLK: _ofd_setlk,
    F_OFD_SETLKW: _ofd_setlkw,
}


# -- flock(2) ---------------------------------------------------------------------------------------
def sys_flock(task, fd: Fd, operation: UInt) -> int:
    """flock(2) (fs/locks.c SYSCALL_DEFINE2(flock)): LOCK_MAND requests succeed doing
    nothing; EINVAL for an operation other than LOCK_SH, LOCK_EX or LOCK_UN (with
    LOCK_NB), EBADF for a bad or O_PATH fd or a file
    open with neither read nor write access, EWOULDBLOCK (EAGAIN) with LOCK_NB."""
    if operation & LOCK_MAND:
        return 0  # LOCK_MAND never worked; Linux ignores it (and warns once)
    op = operation & ~LOCK_NB
    if op == LOCK_SH:
        kind = F_RDLCK
    elif op == LOCK_EX:
        kind = F_WRLCK
    elif op == LOCK_UN:
        kind = F_UNLCK
    else:
        raise EINVAL()
    file = task.process.fds.get(fd)
    if file.flags & O_PATH:
        raise EBADF()
    readable, writable = _fmode(file)
    if kind != F_UNLCK and not (readable or writable):
        raise EBADF()
    ctx = locks_of(file.inode)
    for i, (holder, held) in enumerate(ctx.flocks):
        if holder is file:
            if held == kind:
                return 0
            del ctx.flocks[i]
            ctx.changed()
            break
    if kind == F_UNLCK:
        return 0
    for holder, held in ctx.flocks:
        if holder is not file and (held == F_WRLCK or kind == F_WRLCK):
            if operation & LOCK_NB:
                raise EAGAIN()
            _park(task, file, ctx, None)
    ctx.flocks.append((file, kind))
    return 0


__all__ = ["FCNTL_COMMANDS", "sys_flock", "release_posix", "release_file"]
