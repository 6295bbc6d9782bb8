"""fsnotify: the hooks every tree-changing path calls, feeding inotify watches.

Syscalls call these after a change succeeds (never before), with the parent directory
and the name, as fs/notify/fsnotify.c does. Watches live on inodes (inode.watches, a
list of callables(mask, cookie, name)), so they follow the object across renames and
bind mounts. The seed's lesson: open(O_CREAT) creates too, so it calls created().
"""

import itertools

IN_ACCESS = 0x00000001
IN_MODIFY = 0x00000002
IN_ATTRIB = 0x00000004
IN_CLOSE_WRITE = 0x00000008
IN_CLOSE_NOWRITE = 0x00000010
IN_OPEN = 0x00000020
IN_MOVED_FROM = 0x00000040
IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_DELETE = 0x00000200
IN_DELETE_SELF = 0x00000400
IN_MOVE_SELF = 0x00000800
IN_UNMOUNT = 0x00002000
IN_Q_OVERFLOW = 0x00004000
IN_IGNORED = 0x00008000
IN_ISDIR = 0x40000000

_cookies = itertools.count(1)


def _emit(inode, mask: int, name: bytes = b"", cookie: int = 0) -> None:
    watches = inode.watches
    if watches:
        for watch in list(watches):
            watch(mask, cookie, name)


def _isdir(inode) -> int:
    return IN_ISDIR if inode is not None and inode.is_dir() else 0


def next_cookie(task) -> int:
    return next(_cookies)


def created(task, parent, name: bytes, inode) -> None:
    _emit(parent.inode, IN_CREATE | _isdir(inode), name)


def deleted(task, parent, name: bytes, inode) -> None:
    _emit(parent.inode, IN_DELETE | _isdir(inode), name)
    if inode.nlink == 0 or (inode.is_dir()):
        _emit(inode, IN_DELETE_SELF)
        _emit(inode, IN_IGNORED)


def moved(task, old_parent, old_name, new_parent, new_name, inode, cookie, replaced, flags) -> None:
    isdir = _isdir(inode)
    _emit(old_parent.inode, IN_MOVED_FROM | isdir, old_name, cookie)
    _emit(new_parent.inode, IN_MOVED_TO | isdir, new_name, cookie)
    _emit(inode, IN_MOVE_SELF)
    if replaced is not None and not flags & 2 and (replaced.nlink == 0 or replaced.is_dir()):
        _emit(replaced, IN_DELETE_SELF)
        _emit(replaced, IN_IGNORED)


def modified(task, loc) -> None:
    _emit_with_parent(loc, IN_MODIFY)


def attrib(task, loc) -> None:
    _emit_with_parent(loc, IN_ATTRIB)


def opened(task, loc) -> None:
    _emit_with_parent(loc, IN_OPEN)


def closed(task, loc, wrote: bool) -> None:
    _emit_with_parent(loc, IN_CLOSE_WRITE if wrote else IN_CLOSE_NOWRITE)


def accessed(task, loc) -> None:
    _emit_with_parent(loc, IN_ACCESS)


def _emit_with_parent(loc, mask: int) -> None:
    """An event on an inode is seen by its own watches and, with the name, by the
    watches of the directory it was reached through (when that is known)."""
    inode = loc.inode
    _emit(inode, mask | _isdir(inode))
    parent = getattr(loc, "parent", None)
    if parent is not None:
        _emit(parent, mask | _isdir(inode), getattr(loc, "name", b""))
