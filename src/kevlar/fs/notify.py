"""fsnotify: the hooks every tree-changing path calls, feeding inotify watches.

Syscalls call these after a change succeeds (never before), with the parent directory
and the name, as fs/notify/fsnotify.c does. Watches live on inodes (`inode.watches`, a
list of marks with `event(mask, cookie, name, child_unlinked)`), so they follow the
object across renames and bind mounts. The seed's lesson: open(O_CREAT) creates too, so
it calls created().

Orders and masks are Linux's, checked against the host (tests/events):
- an event on a file goes first to a watch on the directory it was reached through
  (with the name: fsnotify_parent), then to a watch on the file itself (no name);
- IN_ISDIR marks directories, except on IN_DELETE_SELF and IN_MOVE_SELF (inotify
  masks it out there);
- unlink: IN_ATTRIB on the file (its link count changed; not for rmdir), then, when
  that was the last link and nothing has it open, IN_DELETE_SELF and IN_IGNORED on it,
  then IN_DELETE on the directory. A file still open gets IN_DELETE_SELF at its last
  close (after IN_CLOSE_*), as the dentry dies then;
- link: IN_ATTRIB on the file, then IN_CREATE on the directory;
- rename: IN_MOVED_FROM and IN_MOVED_TO with one cookie, IN_ATTRIB on a replaced
  target, IN_MOVE_SELF on the moved object, then the target's IN_DELETE_SELF if that
  was its last link; RENAME_EXCHANGE is two moves.
- umount of a file system's last mount: IN_UNMOUNT then IN_IGNORED on each watch.
What is not modelled: a directory that is someone's cwd gets IN_DELETE_SELF at rmdir
(Linux waits for the last reference to its dentry); hard links are one inode, so
IN_EXCL_UNLINK excludes events only once the last link is gone; a lazily detached
mount unmounts (IN_UNMOUNT) at the detach, not when its last user goes.
"""

import itertools
import weakref

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
RENAME_EXCHANGE = 2

_cookies = itertools.count(1)
# Every inotify instance (kevlar.ipc.inotify registers them), for unmounted().
groups: "weakref.WeakSet" = weakref.WeakSet()


def _emit(inode, mask: int, name: bytes = b"", cookie: int = 0, unlinked: bool = False) -> None:
    watches = getattr(inode, "watches", None)
    if watches:
        for watch in list(watches):
            watch.event(mask, cookie, name, unlinked)


def _isdir(inode) -> int:
    return IN_ISDIR if inode is not None and inode.is_dir() else 0


def next_cookie(task) -> int:
    return next(_cookies) & 0xFFFFFFFF or next(_cookies)


def created(task, parent, name: bytes, inode) -> None:
    _emit(parent.inode, IN_CREATE | _isdir(inode), name)


def linked(task, parent, name: bytes, inode) -> None:
    """link(2): the file's link count changed, then a name appeared (fsnotify_link)."""
    _emit(inode, IN_ATTRIB | _isdir(inode))
    _emit(parent.inode, IN_CREATE | _isdir(inode), name)


def deleted(task, parent, name: bytes, inode) -> None:
    """unlink or rmdir of name (inode) from parent succeeded."""
    isdir = _isdir(inode)
    if not isdir:
        _emit(inode, IN_ATTRIB)  # fsnotify_link_count
    _gone(inode)
    _emit(parent.inode, IN_DELETE | isdir, name)


def moved(task, old_parent, old_name, new_parent, new_name, inode, cookie, replaced, flags) -> None:
    """rename succeeded: inode went from old_parent/old_name to new_parent/new_name,
    replacing `replaced` (None if nothing was there)."""
    isdir = _isdir(inode)
    _emit(old_parent.inode, IN_MOVED_FROM | isdir, old_name, cookie)
    _emit(new_parent.inode, IN_MOVED_TO | isdir, new_name, cookie)
    exchange = bool(flags & RENAME_EXCHANGE)
    if replaced is not None and not exchange:
        _emit(replaced, IN_ATTRIB | _isdir(replaced))
    _emit(inode, IN_MOVE_SELF)
    if exchange and replaced is not None:
        other = next_cookie(task)
        risdir = _isdir(replaced)
        _emit(new_parent.inode, IN_MOVED_FROM | risdir, new_name, other)
        _emit(old_parent.inode, IN_MOVED_TO | risdir, old_name, other)
        _emit(replaced, IN_MOVE_SELF)
    elif replaced is not None:
        _gone(replaced)


def _gone(inode) -> None:
    """The last link went: IN_DELETE_SELF and IN_IGNORED now, or at the last close."""
    if not getattr(inode, "watches", None):
        return
    if inode.nlink > 0 and not inode.is_dir():
        return
    if _open_anywhere(inode):
        inode.delete_self_pending = True
        return
    _delete_self(inode)


def _delete_self(inode) -> None:
    inode.delete_self_pending = False
    _emit(inode, IN_DELETE_SELF)
    for watch in list(getattr(inode, "watches", None) or ()):
        watch.ignore()


def _open_anywhere(inode) -> bool:
    """Does any open file description of any guest refer to inode?"""
    for watch in inode.watches or ():
        kernel = watch.kernel
        seen = set()
        for proc in list(kernel.processes.values()):
            table = proc.fds
            if table is None or id(table) in seen:
                continue
            seen.add(id(table))
            for file in table.files.values():
                loc = file.location
                if loc is not None and loc.inode is inode:
                    return True
        return False
    return False


def unmounted(fs) -> None:
    """The last mount of fs went away (fsnotify_unmount_inodes): each watched inode of
    it, newest first as the superblock lists them, gets IN_UNMOUNT, then its watches go
    (IN_IGNORED)."""
    inodes = {}
    for group in list(groups):
        for watch in list(group.watches.values()):
            if watch.inode.fs is fs:
                inodes[id(watch.inode)] = watch.inode
    for inode in sorted(inodes.values(), key=lambda i: i.ino, reverse=True):
        _emit(inode, IN_UNMOUNT | _isdir(inode))
        for watch in list(inode.watches or ()):
            watch.ignore()


def modified(task, loc) -> None:
    _emit_with_parent(loc, IN_MODIFY)


def attrib(task, loc) -> None:
    _emit_with_parent(loc, IN_ATTRIB)


def opened(task, loc) -> None:
    _emit_with_parent(loc, IN_OPEN)


def accessed(task, loc) -> None:
    _emit_with_parent(loc, IN_ACCESS)


def closed(task, loc, wrote: bool) -> None:
    """The last reference to an open file went away (File.put)."""
    _emit_with_parent(loc, IN_CLOSE_WRITE if wrote else IN_CLOSE_NOWRITE)
    inode = loc.inode
    if getattr(inode, "delete_self_pending", False) and not _open_anywhere(inode):
        _delete_self(inode)


def _emit_with_parent(loc, mask: int) -> None:
    """An event on an inode is seen by the watches of the directory it was reached
    through (with its name, when that is known), then by its own watches."""
    inode = loc.inode
    mask |= _isdir(inode)
    unlinked = inode.nlink == 0 and not inode.is_dir()
    parent = getattr(loc, "parent", None)
    if parent is not None and parent is not inode:
        _emit(parent, mask, getattr(loc, "name", b""), 0, unlinked)
    _emit(inode, mask, b"", 0, unlinked)
