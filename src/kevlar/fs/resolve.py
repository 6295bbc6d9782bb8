"""openat2(2): the open_how argument and RESOLVE_* restricted opens.

The restrictions themselves live in the one path walk (kevlar.fs.path.Scope), so a
restricted open is an ordinary open whose walk carries a Scope. This module checks
what openat2 checks before any walking (fs/open.c build_open_flags, copy_struct_from_user):

  size < 24 (OPEN_HOW_SIZE_VER0)             EINVAL
  size > PAGE_SIZE                           E2BIG
  non-zero bytes past the known struct       E2BIG
  unknown flags or resolve bits              EINVAL
  RESOLVE_BENEATH with RESOLVE_IN_ROOT       EINVAL
  mode bits outside 07777, or a mode
  without O_CREAT/O_TMPFILE                  EINVAL
  RESOLVE_CACHED with O_CREAT/O_TRUNC/
  O_TMPFILE                                  EAGAIN

Every lookup Kevlar does is "cached" (the tree is in memory), so RESOLVE_CACHED
otherwise changes nothing.
"""

from kevlar.abi.constants import (
    O_CREAT,
    O_TMPFILE,
    O_TRUNC,
    RESOLVE_BENEATH,
    RESOLVE_CACHED,
    RESOLVE_IN_ROOT,
    RESOLVE_NO_MAGICLINKS,
    RESOLVE_NO_SYMLINKS,
    RESOLVE_NO_XDEV,
)
from kevlar.abi.errors import E2BIG, EAGAIN, EINVAL
from kevlar.abi.structs import OPEN_HOW
from kevlar.fs.path import Scope

VALID_RESOLVE_FLAGS = (RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS
                       | RESOLVE_BENEATH | RESOLVE_IN_ROOT | RESOLVE_CACHED)
OPEN_HOW_SIZE_VER0 = 24
PAGE_SIZE = 4096


def read_open_how(task, how: int, size: int) -> tuple[int, int, int]:
    """copy_struct_from_user() of struct open_how: (flags, mode, resolve)."""
    if size < OPEN_HOW_SIZE_VER0:
        raise EINVAL()
    if size > PAGE_SIZE:
        raise E2BIG()
    raw = task.read(how, size)
    if any(raw[OPEN_HOW.size:]):
        raise E2BIG()
    return OPEN_HOW.struct.unpack_from(raw)


def check_how(flags: int, mode: int, resolve_flags: int) -> None:
    from kevlar.syscalls.fs import check_open_flags
    check_open_flags(flags, strict=True)
    if resolve_flags & ~VALID_RESOLVE_FLAGS:
        raise EINVAL()
    if resolve_flags & RESOLVE_BENEATH and resolve_flags & RESOLVE_IN_ROOT:
        raise EINVAL()
    creates = flags & O_CREAT or flags & O_TMPFILE == O_TMPFILE
    if creates:
        if mode & ~0o7777:
            raise EINVAL()
    elif mode:
        raise EINVAL()
    if resolve_flags & RESOLVE_CACHED and (flags & (O_TRUNC | O_CREAT) or flags & O_TMPFILE == O_TMPFILE):
        raise EAGAIN()


def open_restricted(task, dirfd: int, path: bytes, flags: int, mode: int, resolve_flags: int) -> int:
    """openat2's open: strict flags, then the walk under the RESOLVE_* scope."""
    from kevlar.abi.constants import O_LARGEFILE, O_PATH
    from kevlar.syscalls.fs import do_open
    check_how(flags, mode, resolve_flags)
    if not flags & O_PATH:
        flags |= O_LARGEFILE
    scope = Scope(resolve_flags & ~RESOLVE_CACHED) if resolve_flags & ~RESOLVE_CACHED else None
    return do_open(task, dirfd, path, flags, mode, strict=True, scope=scope)


__all__ = ["open_restricted", "read_open_how", "check_how", "VALID_RESOLVE_FLAGS"]
