"""Path syscalls: open, create, remove, rename, link, symlink, directories, attributes.

fs/open.c, fs/namei.c, fs/attr.c, fs/utimes.c. Every path goes through
kevlar.fs.path (one walk); every check returns the errno Linux returns, in Linux's order
where the order is observable. The orders, from fs/namei.c:

  create (mkdir, mknod, symlink, link, O_CREAT): the parent walk (ENOENT, ENOTDIR,
    EACCES for search) -> ENAMETOOLONG -> EEXIST -> EROFS -> ENOENT in a removed
    directory -> EACCES (write on the parent)
  remove (unlink, rmdir): the parent walk -> "." / ".." -> EROFS -> ENOENT -> trailing
    slash -> EACCES -> EPERM (sticky) -> EISDIR / ENOTDIR -> EBUSY (a mount point)
  rename: both parent walks -> EXDEV -> "." / ".." -> EROFS -> ENOENT -> EEXIST
    (NOREPLACE) -> ENOTDIR -> EINVAL / ENOTEMPTY (subtree) -> same inode: success ->
    may_delete / may_create -> EBUSY -> ENOTEMPTY
  open: the walk -> EEXIST (O_EXCL) -> EISDIR (O_CREAT on a directory) -> ENOTDIR
    (O_DIRECTORY) -> EROFS (O_TRUNC) -> ELOOP / EISDIR / EACCES (may_open) -> EPERM
    (O_NOATIME) -> EROFS (a read-only mount, for writing)

Capabilities follow the fs uid as Linux's do (CAP_DAC_OVERRIDE, CAP_FOWNER and CAP_CHOWN
drop when fsuid leaves 0): Kevlar's root is fsuid 0 for these, euid 0 for the others.
"""

import struct

from kevlar.abi.constants import (
    AT_EACCESS,
    AT_EMPTY_PATH,
    AT_FDCWD,
    AT_REMOVEDIR,
    AT_SYMLINK_FOLLOW,
    AT_SYMLINK_NOFOLLOW,
    F_OK,
    MAXSYMLINKS,
    O_ACCMODE,
    O_APPEND,
    O_CLOEXEC,
    O_CREAT,
    O_DIRECT,
    O_DIRECTORY,
    O_EXCL,
    O_LARGEFILE,
    O_NOATIME,
    O_NOCTTY,
    O_NOFOLLOW,
    O_PATH,
    O_RDONLY,
    O_TMPFILE,
    O_TRUNC,
    O_WRONLY,
    R_OK,
    RENAME_EXCHANGE,
    RENAME_NOREPLACE,
    RENAME_WHITEOUT,
    RESOLVE_BENEATH,
    RESOLVE_IN_ROOT,
    RESOLVE_NO_SYMLINKS,
    RESOLVE_NO_XDEV,
    S_IFBLK,
    S_IFCHR,
    S_IFDIR,
    S_IFIFO,
    S_IFLNK,
    S_IFMT,
    S_IFREG,
    S_IFSOCK,
    S_ISGID,
    S_ISUID,
    VALID_OPEN_FLAGS,
    W_OK,
    X_OK,
)
from kevlar.abi.errors import (
    EACCES,
    EBADF,
    EBUSY,
    EEXIST,
    EINVAL,
    EISDIR,
    ELOOP,
    ENAMETOOLONG,
    ENOENT,
    ENOTDIR,
    ENOTEMPTY,
    EOPNOTSUPP,
    EPERM,
    ERANGE,
    EROFS,
    ESPIPE,
    EXDEV,
)
from kevlar.abi.structs import TIMESPEC, TIMEVAL
from kevlar.fs import iflags, notify
from kevlar.fs.acl import uses_umask
from kevlar.fs.path import Scope, is_ancestor, resolve, resolve_parent, walk
from kevlar.fs.vfs import (
    Location,
    check_owner,
    check_sticky_delete,
    may_access,
    now_ns,
)
from kevlar.syscalls.args import Fd, Int, Long, Mode, Ptr, Size, UInt
from kevlar.syscalls.common import install_fd, read_path

O_PATH_FLAGS = O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC
O_TMPFILE_MASK = O_TMPFILE | O_CREAT  # __O_TMPFILE | O_DIRECTORY | O_CREAT
SPECIAL = (S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK)


# -- permission helpers (fs/namei.c) ---------------------------------------------------------
def _writable_mount(loc: Location) -> None:
    """mnt_want_write(): EROFS on a read-only mount or file system."""
    if loc.mount is not None and loc.mount.read_only:
        raise EROFS()


def permission(task, inode, mask: int) -> None:
    """inode_permission(): a read-only file system refuses writes to regular files,
    directories and symlinks first (sb_permission), then the mode bits decide."""
    if mask & W_OK and inode.fs.read_only and inode.type in (S_IFREG, S_IFDIR, S_IFLNK):
        raise EROFS()
    if mask & W_OK and iflags.immutable(inode):
        raise EPERM()
    if not may_access(task.creds, inode, mask):
        raise EACCES()


def _may_create(task, parent: Location) -> None:
    """filename_create's mnt_want_write, then may_create() on the directory."""
    _writable_mount(parent)
    if parent.inode.nlink == 0:
        raise ENOENT()  # IS_DEADDIR: the directory was removed
    permission(task, parent.inode, W_OK | X_OK)


def _absent(parent: Location, name: bytes) -> None:
    """EEXIST if name exists in parent (a dangling symlink exists too)."""
    try:
        parent.inode.lookup(name)
    except ENOENT:
        return
    raise EEXIST()


def _new_owner(task, parent: Location, mode: int) -> tuple[int, int, int]:
    """uid, gid and mode of a new inode: the fs ids, or the directory's group (and for
    directories the setgid bit) when the directory is setgid (inode_init_owner). A
    non-directory created setgid in a group the creator is not in loses the bit
    (inode_init_owner -> mode_strip_sgid)."""
    creds = task.creds
    gid = creds.fsgid
    if parent.inode.mode & S_ISGID:
        gid = parent.inode.gid
        if mode & S_IFMT == S_IFDIR:
            mode |= S_ISGID
        elif (mode & (S_ISGID | 0o010)) == (S_ISGID | 0o010) and creds.fsuid != 0 \
                and not creds.in_group(gid):
            mode &= ~S_ISGID
    return creds.fsuid, gid, mode


def _umask(task, parent: Location) -> int:
    """The umask a new inode's mode loses: none under a default ACL (posix_acl_create)."""
    return task.process.fs.umask if uses_umask(parent.inode) else 0


def _is_mountpoint(task, loc: Location) -> bool:
    return task.kernel.mounts.cross(loc) != loc


def _may_delete(task, parent: Location, victim: Location, isdir: bool) -> None:
    """may_delete(): write and search on the directory, the sticky rule, the type."""
    permission(task, parent.inode, W_OK | X_OK)
    if iflags.append_only(parent.inode):
        raise EPERM()
    check_sticky_delete(task.creds, parent.inode, victim.inode)
    iflags.check_unchangeable(victim.inode)
    if isdir:
        if not victim.inode.is_dir():
            raise ENOTDIR()
        if victim.inode is victim.mount.root:
            raise EBUSY()
    elif victim.inode.is_dir():
        raise EISDIR()
    if parent.inode.nlink == 0:
        raise ENOENT()


def _child(parent: Location, name: bytes) -> Location:
    """The entry name of parent, not crossing mounts (ENOENT if missing)."""
    return Location(parent.mount, parent.inode.lookup(name), parent.inode, name)


# -- open ----------------------------------------------------------------------------------
def open_how_flags(flags: int) -> int:
    """build_open_how() for open(2)/openat(2)/creat(2): unknown bits are dropped,
    O_PATH keeps only the flags that go with it, O_LARGEFILE is implied on 64-bit."""
    flags &= VALID_OPEN_FLAGS
    if flags & O_PATH:
        return flags & O_PATH_FLAGS
    return flags | O_LARGEFILE


def check_open_flags(flags: int, strict: bool) -> None:
    """build_open_flags(): the combinations Linux refuses whatever the path."""
    if strict and flags & ~VALID_OPEN_FLAGS:
        raise EINVAL()
    if flags & (O_DIRECTORY | O_CREAT) == (O_DIRECTORY | O_CREAT):
        raise EINVAL()  # also O_TMPFILE | O_CREAT (O_TMPFILE includes O_DIRECTORY)
    if flags & O_TMPFILE & ~O_DIRECTORY:
        if flags & O_TMPFILE_MASK != O_TMPFILE:
            raise EINVAL()
        if flags & O_ACCMODE == O_RDONLY:
            raise EINVAL()
    elif flags & O_PATH and flags & ~O_PATH_FLAGS:
        raise EINVAL()


def do_open(task, dirfd: int, path: bytes, flags: int, mode: int, strict: bool = False,
            scope: Scope | None = None) -> int:
    """The common body of open, openat, openat2 and creat (fs/namei.c path_openat).
    flags are already normalized (open_how_flags) and checked (check_open_flags)."""
    if flags & O_TMPFILE & ~O_DIRECTORY:
        return _open_tmpfile(task, dirfd, path, flags, mode, scope)
    accmode = flags & O_ACCMODE
    created = False
    if flags & O_PATH:
        loc = resolve(task, dirfd, path, follow=not flags & O_NOFOLLOW, scope=scope)
        if flags & O_DIRECTORY and not loc.inode.is_dir():
            raise ENOTDIR()
        file = loc.inode.open_path(task, loc, flags) if hasattr(loc.inode, "open_path") \
            else _path_file(loc, flags)
        return install_fd(task, file, bool(flags & O_CLOEXEC))
    if flags & O_CREAT:
        loc, created = _open_create(task, dirfd, path, flags, mode, scope)
    else:
        loc = resolve(task, dirfd, path, follow=not flags & O_NOFOLLOW, scope=scope)
    inode = loc.inode
    if flags & O_CREAT:
        if flags & O_EXCL and not created:
            raise EEXIST()
        if inode.is_dir():
            raise EISDIR()
    if flags & O_DIRECTORY and not inode.is_dir():
        raise ENOTDIR()
    truncate = False
    if not created:
        want = 0
        if accmode != O_WRONLY:  # O_RDONLY, O_RDWR and the ioctl-only mode 3
            want |= R_OK
        if accmode != O_RDONLY or flags & O_TRUNC:
            want |= W_OK
        if flags & O_TRUNC and inode.is_reg():
            _writable_mount(loc)
            truncate = True
        kind = inode.type
        if kind == S_IFLNK:
            raise ELOOP()
        if kind == S_IFDIR and want & W_OK:
            raise EISDIR()
        if kind in (S_IFCHR, S_IFBLK) and loc.mount is not None and loc.mount.flags & MS_NODEV:
            raise EACCES()
        permission(task, inode, want)
        if iflags.append_only(inode) and (accmode != O_RDONLY and not flags & O_APPEND
                                           or flags & O_TRUNC):
            raise EPERM()  # may_open: append-only files open for appending only
        if flags & O_NOATIME:
            check_owner(task.creds, inode)
        if want & W_OK and kind not in SPECIAL:
            _writable_mount(loc)
    file = inode.open(task, loc, flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC))
    if flags & O_DIRECT:
        from kevlar.syscalls.fd import can_odirect
        if not can_odirect(file):
            file.get()
            file.put()  # do_dentry_open: fput after ->open, so a FIFO end is released
            raise EINVAL()
    if truncate:
        # handle_truncate: do_truncate with ATTR_MTIME|ATTR_CTIME, whatever the size.
        inode.truncate(0)
        inode.changed()
    fd = install_fd(task, file, bool(flags & O_CLOEXEC))
    notify.opened(task, loc)
    if truncate:
        notify.modified(task, loc)  # Linux reports IN_OPEN, then the truncation
    return fd


def _path_file(loc: Location, flags: int):
    """An O_PATH file: a location and nothing else (do_o_path)."""
    from kevlar.fs.file import File
    return File(loc, flags)


def _open_create(task, dirfd: int, path: bytes, flags: int, mode: int, scope):
    """O_CREAT (open_last_lookups + lookup_open): find or make the last component,
    following a symlink there unless O_EXCL or O_NOFOLLOW. Returns (location, created)."""
    if not path:
        raise ENOENT()
    parent, name, trailing = _parent_scoped(task, dirfd, path, scope)
    links = 0
    while True:
        if name in (b".", b".."):
            loc = walk(task, parent, name, follow=True, scope=_sub(scope))
            return loc, False
        if trailing:
            raise EISDIR()
        try:
            found = _child(parent, name)
        except ENOENT:
            found = None
        if found is None:
            # lookup_open: the create errors count only when the name is missing.
            _may_create(task, parent)
            return _create_in(task, parent, name, mode), True
        loc = task.kernel.mounts.cross(found)
        if scope is not None and scope.flags & RESOLVE_NO_XDEV and loc.mount is not found.mount:
            raise EXDEV()
        if not loc.inode.is_symlink() or flags & (O_EXCL | O_NOFOLLOW):
            return loc, False
        links += 1
        if links > MAXSYMLINKS:
            raise ELOOP()
        if scope is not None and scope.flags & RESOLVE_NO_SYMLINKS:
            raise ELOOP()
        jump = loc.inode.follow(task)
        if jump is not None:
            if scope is not None and scope.flags:
                return walk(task, parent, name, follow=True, scope=_sub(scope)), False
            return jump, False
        text = loc.inode.readlink()
        if not text:
            raise ENOENT()
        start = parent
        if text.startswith(b"/"):
            if scope is not None and scope.flags & RESOLVE_BENEATH:
                raise EXDEV()
            start = scope.root if scope is not None and scope.flags & RESOLVE_IN_ROOT \
                else task.process.fs.root
        trailing = text.endswith(b"/")
        stripped = text.rstrip(b"/")
        head, _, name = stripped.rpartition(b"/")
        if not stripped:
            return start, False  # the link names "/": a directory, EISDIR follows
        parent = walk(task, start, head, follow=True, scope=_sub(scope)) if head else start
        if not parent.inode.is_dir():
            raise ENOTDIR()
        permission(task, parent.inode, X_OK)
        if len(name) > 255:
            raise ENAMETOOLONG()


def _sub(scope):
    """The same restrictions for a walk that continues from within the scope."""
    if scope is None:
        return None
    return Scope(scope.flags & ~(RESOLVE_BENEATH | RESOLVE_IN_ROOT) if scope.root is None
                 else scope.flags, scope.root)


def _parent_scoped(task, dirfd: int, path: bytes, scope):
    if scope is None or not scope.flags:
        return resolve_parent(task, dirfd, path)
    from kevlar.fs.path import dir_location
    trailing = path.endswith(b"/")
    stripped = path.rstrip(b"/")
    if scope.flags & (RESOLVE_BENEATH | RESOLVE_IN_ROOT):
        scope.root = dir_location(task, dirfd)
        start = scope.root
    else:
        from kevlar.fs.path import start_location
        start = start_location(task, dirfd, path)
    if not stripped:
        if scope.flags & RESOLVE_BENEATH:
            raise EXDEV()
        root = scope.root if scope.flags & RESOLVE_IN_ROOT else task.process.fs.root
        return root, b".", trailing
    head, _, name = stripped.rpartition(b"/")
    if head or stripped.startswith(b"/"):
        parent = walk(task, start, head or b"/", follow=True, scope=scope)
    else:
        parent = start
    if not parent.inode.is_dir():
        raise ENOTDIR()
    permission(task, parent.inode, X_OK)
    if len(name) > 255:
        raise ENAMETOOLONG()
    return parent, name, trailing


def _create_in(task, parent: Location, name: bytes, mode: int) -> Location:
    uid, gid, mode = _new_owner(task, parent, S_IFREG | (mode & 0o7777 & ~_umask(task, parent)))
    inode = parent.inode.create(name, mode, uid, gid)
    loc = Location(parent.mount, inode, parent.inode, name)
    notify.created(task, parent, name, inode)
    return loc


def _open_tmpfile(task, dirfd: int, path: bytes, flags: int, mode: int, scope) -> int:
    """O_TMPFILE (do_tmpfile): an unnamed file in a directory; linkable unless O_EXCL."""
    loc = resolve(task, dirfd, path, scope=scope)
    if not loc.inode.is_dir():
        raise ENOTDIR()
    _writable_mount(loc)
    permission(task, loc.inode, W_OK | X_OK)
    make = getattr(loc.inode, "make_unlinked", None)
    if make is None:
        raise EOPNOTSUPP()
    uid, gid, mode = _new_owner(task, loc, S_IFREG | (mode & 0o7777 & ~_umask(task, loc)))
    inode = make(mode, uid, gid)
    inode.linkable_when_unlinked = not flags & O_EXCL
    file = inode.open(task, Location(loc.mount, inode, loc.inode, b"#%d" % inode.ino),
                      flags & ~(O_CREAT | O_EXCL))
    return install_fd(task, file, bool(flags & O_CLOEXEC))


def sys_open(task, path: Ptr, flags: Int, mode: Mode) -> int:
    """open(2): unknown flag bits are ignored, as in Linux."""
    flags = open_how_flags(flags)
    check_open_flags(flags, False)
    return do_open(task, AT_FDCWD, read_path(task, path), flags, mode)


def sys_openat(task, dirfd: Fd, path: Ptr, flags: Int, mode: Mode) -> int:
    """openat(2)."""
    flags = open_how_flags(flags)
    check_open_flags(flags, False)
    return do_open(task, dirfd, read_path(task, path), flags, mode)


def sys_creat(task, path: Ptr, mode: Mode) -> int:
    """creat(2) = open(path, O_CREAT|O_WRONLY|O_TRUNC, mode)."""
    return do_open(task, AT_FDCWD, read_path(task, path), O_CREAT | O_WRONLY | O_TRUNC | O_LARGEFILE,
                   mode)


def sys_openat2(task, dirfd: Fd, path: Ptr, how: Ptr, size: UInt) -> int:
    """openat2(2): strict flag checking; RESOLVE_* restrictions on the walk."""
    from kevlar.fs.resolve import check_how, open_restricted, read_open_how
    flags, mode, resolve_flags = read_open_how(task, how, size)
    check_how(flags, mode, resolve_flags)  # before the path is read, as build_open_flags
    return open_restricted(task, dirfd, read_path(task, path), flags, mode, resolve_flags)


# -- directories and names -------------------------------------------------------------------
def do_mkdir(task, dirfd: int, path: bytes, mode: int) -> int:
    parent, name, _ = resolve_parent(task, dirfd, path)
    if name in (b".", b".."):
        raise EEXIST()
    _absent(parent, name)
    _may_create(task, parent)
    uid, gid, mode = _new_owner(task, parent, S_IFDIR | (mode & 0o1777 & ~_umask(task, parent)))
    inode = parent.inode.mkdir(name, mode, uid, gid)
    notify.created(task, parent, name, inode)
    return 0


def sys_mkdir(task, path: Ptr, mode: Mode) -> int:
    """mkdir(2)."""
    return do_mkdir(task, AT_FDCWD, read_path(task, path), mode)


def sys_mkdirat(task, dirfd: Fd, path: Ptr, mode: Mode) -> int:
    """mkdirat(2)."""
    return do_mkdir(task, dirfd, read_path(task, path), mode)


def do_mknod(task, dirfd: int, path_ptr: int, mode: int, dev: int) -> int:
    kind = mode & S_IFMT
    if kind == S_IFDIR:
        raise EPERM()  # may_mknod, before the path is even read
    if kind not in (0, S_IFREG, S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK):
        raise EINVAL()
    path = read_path(task, path_ptr)
    parent, name, trailing = resolve_parent(task, dirfd, path)
    if name in (b".", b".."):
        raise EEXIST()
    _absent(parent, name)
    if trailing:
        raise ENOENT()
    _may_create(task, parent)
    if kind in (S_IFCHR, S_IFBLK) and not task.creds.is_root:
        raise EPERM()  # CAP_MKNOD
    kind = kind or S_IFREG
    uid, gid, full = _new_owner(task, parent, kind | (mode & 0o7777 & ~_umask(task, parent)))
    if kind == S_IFREG:
        inode = parent.inode.create(name, full, uid, gid)
    else:
        inode = parent.inode.mknod(name, full, dev & 0xFFFFFFFF if kind in (S_IFCHR, S_IFBLK) else 0,
                                   uid, gid)
    notify.created(task, parent, name, inode)
    return 0


def sys_mknod(task, path: Ptr, mode: Mode, dev: UInt) -> int:
    """mknod(2)."""
    return do_mknod(task, AT_FDCWD, path, mode, dev)


def sys_mknodat(task, dirfd: Fd, path: Ptr, mode: Mode, dev: UInt) -> int:
    """mknodat(2)."""
    return do_mknod(task, dirfd, path, mode, dev)


def do_unlink(task, dirfd: int, path: bytes) -> int:
    parent, name, trailing = resolve_parent(task, dirfd, path)
    if name in (b".", b".."):
        raise EISDIR()
    _writable_mount(parent)
    victim = _child(parent, name)
    if trailing:
        raise EISDIR() if victim.inode.is_dir() else ENOTDIR()
    _may_delete(task, parent, victim, False)
    if _is_mountpoint(task, victim):
        raise EBUSY()
    parent.inode.unlink(name)
    notify.deleted(task, parent, name, victim.inode)
    return 0


def do_rmdir(task, dirfd: int, path: bytes) -> int:
    parent, name, _ = resolve_parent(task, dirfd, path)
    if name == b"..":
        raise ENOTEMPTY()
    if name == b".":
        raise EINVAL() if path.rstrip(b"/") else EBUSY()
    _writable_mount(parent)
    victim = _child(parent, name)
    _may_delete(task, parent, victim, True)
    if _is_mountpoint(task, victim):
        raise EBUSY()
    parent.inode.rmdir(name)
    notify.deleted(task, parent, name, victim.inode)
    return 0


def sys_unlink(task, path: Ptr) -> int:
    """unlink(2)."""
    return do_unlink(task, AT_FDCWD, read_path(task, path))


def sys_rmdir(task, path: Ptr) -> int:
    """rmdir(2)."""
    return do_rmdir(task, AT_FDCWD, read_path(task, path))


def sys_unlinkat(task, dirfd: Fd, path: Ptr, flags: Int) -> int:
    """unlinkat(2)."""
    if flags & ~AT_REMOVEDIR:
        raise EINVAL()
    if flags & AT_REMOVEDIR:
        return do_rmdir(task, dirfd, read_path(task, path))
    return do_unlink(task, dirfd, read_path(task, path))


def do_rename(task, olddirfd: int, old_ptr: int, newdirfd: int, new_ptr: int, flags: int) -> int:
    """renameat2 (fs/namei.c do_renameat2 then vfs_rename)."""
    if flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT):
        raise EINVAL()
    if flags & (RENAME_NOREPLACE | RENAME_WHITEOUT) and flags & RENAME_EXCHANGE:
        raise EINVAL()
    if flags & RENAME_WHITEOUT and not task.creds.is_root:
        raise EPERM()  # CAP_MKNOD
    old_parent, old_name, old_trailing = resolve_parent(task, olddirfd, read_path(task, old_ptr))
    new_parent, new_name, new_trailing = resolve_parent(task, newdirfd, read_path(task, new_ptr))
    if old_parent.mount is not new_parent.mount:
        raise EXDEV()
    if old_name in (b".", b".."):
        raise EBUSY()
    if new_name in (b".", b".."):
        raise EEXIST() if flags & RENAME_NOREPLACE else EBUSY()
    _writable_mount(old_parent)
    source = _child(old_parent, old_name)
    try:
        target = _child(new_parent, new_name)
    except ENOENT:
        target = None
        if flags & RENAME_EXCHANGE:
            raise
    if target is not None and flags & RENAME_NOREPLACE:
        raise EEXIST()
    if flags & RENAME_EXCHANGE and not target.inode.is_dir() and new_trailing:
        raise ENOTDIR()
    if not source.inode.is_dir():
        if old_trailing or (not flags & RENAME_EXCHANGE and new_trailing):
            raise ENOTDIR()
    mounts = task.kernel.mounts
    if old_parent != new_parent:
        # lock_rename's "trap": the child of the common ancestor on the way down.
        if source.inode.is_dir() and is_ancestor(mounts, source, new_parent):
            raise EINVAL()
        if target is not None and target.inode.is_dir() and is_ancestor(mounts, target, old_parent):
            raise EINVAL() if flags & RENAME_EXCHANGE else ENOTEMPTY()
    if target is not None and target.inode is source.inode:
        return 0
    is_dir = source.inode.is_dir()
    _may_delete(task, old_parent, source, is_dir)
    if target is None:
        if new_parent.inode.nlink == 0:
            raise ENOENT()
        permission(task, new_parent.inode, W_OK | X_OK)
    else:
        _may_delete(task, new_parent, target,
                    target.inode.is_dir() if flags & RENAME_EXCHANGE else is_dir)
    if old_parent.inode is not new_parent.inode:
        if is_dir:
            permission(task, source.inode, W_OK)  # its ".." changes
        if flags & RENAME_EXCHANGE and target.inode.is_dir():
            permission(task, target.inode, W_OK)
    if _is_mountpoint(task, source) or (target is not None and _is_mountpoint(task, target)):
        raise EBUSY()
    cookie = notify.next_cookie(task)
    old_parent.inode.rename(old_name, new_parent.inode, new_name, flags)
    notify.moved(task, old_parent, old_name, new_parent, new_name, source.inode, cookie,
                 target.inode if target is not None else None, flags)
    return 0


def sys_rename(task, old: Ptr, new: Ptr) -> int:
    """rename(2)."""
    return do_rename(task, AT_FDCWD, old, AT_FDCWD, new, 0)


def sys_renameat(task, olddirfd: Fd, old: Ptr, newdirfd: Fd, new: Ptr) -> int:
    """renameat(2)."""
    return do_rename(task, olddirfd, old, newdirfd, new, 0)


def sys_renameat2(task, olddirfd: Fd, old: Ptr, newdirfd: Fd, new: Ptr, flags: UInt) -> int:
    """renameat2(2): RENAME_NOREPLACE, RENAME_EXCHANGE and RENAME_WHITEOUT."""
    return do_rename(task, olddirfd, old, newdirfd, new, flags)


def _may_linkat(task, inode) -> None:
    """fs.protected_hardlinks=1 (the default): a user may hard-link only files they own,
    or regular files they can read and write that are not setuid or setgid-executable."""
    creds = task.creds
    if creds.fsuid == 0 or creds.fsuid == inode.uid:
        return
    mode = inode.mode
    if (inode.is_reg() and not mode & S_ISUID and (mode & (S_ISGID | 0o010)) != (S_ISGID | 0o010)
            and may_access(creds, inode, R_OK | W_OK)):
        return
    raise EPERM()


def do_link(task, olddirfd: int, old_ptr: int, newdirfd: int, new_ptr: int, flags: int) -> int:
    """linkat (fs/namei.c do_linkat, vfs_link)."""
    if flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH):
        raise EINVAL()
    old = read_path(task, old_ptr)
    if not old and flags & AT_EMPTY_PATH:
        if olddirfd == AT_FDCWD:
            source = task.process.fs.cwd
        else:
            file = task.process.fds.get_raw(olddirfd)
            if file.location is None:
                raise ENOENT()
            source = file.location
    else:
        source = resolve(task, olddirfd, old, follow=bool(flags & AT_SYMLINK_FOLLOW))
    parent, name, trailing = resolve_parent(task, newdirfd, read_path(task, new_ptr))
    if name in (b".", b".."):
        raise EEXIST()
    _absent(parent, name)
    if trailing:
        raise ENOENT()
    _writable_mount(parent)
    if source.mount is not parent.mount:
        raise EXDEV()
    _may_linkat(task, source.inode)
    if parent.inode.nlink == 0:
        raise ENOENT()
    permission(task, parent.inode, W_OK | X_OK)
    if source.inode.fs is not parent.inode.fs:
        raise EXDEV()
    iflags.check_unchangeable(source.inode)
    if source.inode.is_dir():
        raise EPERM()
    if source.inode.nlink == 0 and not getattr(source.inode, "linkable_when_unlinked", False):
        raise ENOENT()
    parent.inode.link(name, source.inode)
    if getattr(source.inode, "linkable_when_unlinked", False):
        source.inode.linkable_when_unlinked = False
    notify.linked(task, parent, name, source.inode)
    return 0


def sys_link(task, old: Ptr, new: Ptr) -> int:
    """link(2): never follows a symlink at old."""
    return do_link(task, AT_FDCWD, old, AT_FDCWD, new, 0)


def sys_linkat(task, olddirfd: Fd, old: Ptr, newdirfd: Fd, new: Ptr, flags: Int) -> int:
    """linkat(2)."""
    return do_link(task, olddirfd, old, newdirfd, new, flags)


def do_symlink(task, target_ptr: int, newdirfd: int, path_ptr: int) -> int:
    """do_symlinkat: the target's errors (an empty one is ENOENT, as getname) come before
    the new name's."""
    target = read_path(task, target_ptr)
    if not target:
        raise ENOENT()
    parent, name, trailing = resolve_parent(task, newdirfd, read_path(task, path_ptr))
    if name in (b".", b".."):
        raise EEXIST()
    _absent(parent, name)
    if trailing:
        raise ENOENT()
    _may_create(task, parent)
    uid, gid, _ = _new_owner(task, parent, 0)
    inode = parent.inode.symlink(name, target, uid, gid)
    notify.created(task, parent, name, inode)
    return 0


def sys_symlink(task, target: Ptr, path: Ptr) -> int:
    """symlink(2)."""
    return do_symlink(task, target, AT_FDCWD, path)


def sys_symlinkat(task, target: Ptr, newdirfd: Fd, path: Ptr) -> int:
    """symlinkat(2)."""
    return do_symlink(task, target, newdirfd, path)


def do_readlink(task, dirfd: int, path_ptr: int, buf: int, size: int) -> int:
    """do_readlinkat: EINVAL for size <= 0 first, before the path is read; an empty path
    reads the link dirfd is (O_PATH|O_NOFOLLOW), and ENOENT when dirfd is not a symlink."""
    if size <= 0:
        raise EINVAL()
    path = read_path(task, path_ptr)
    if not path:
        if dirfd == AT_FDCWD:
            raise ENOENT()
        file = task.process.fds.get_raw(dirfd)
        if file.location is None or not file.inode.is_symlink():
            raise ENOENT()
        loc = file.location
    else:
        loc = resolve(task, dirfd, path, follow=False)
    inode = loc.inode
    if not inode.is_symlink():
        raise EINVAL()
    data = inode.readlink()[:size]
    task.write(buf, data)
    return len(data)


def sys_readlink(task, path: Ptr, buf: Ptr, size: Int) -> int:
    """readlink(2): no NUL is written; EINVAL for non-symlinks or size <= 0."""
    return do_readlink(task, AT_FDCWD, path, buf, size)


def sys_readlinkat(task, dirfd: Fd, path: Ptr, buf: Ptr, size: Int) -> int:
    """readlinkat(2): an empty path reads the link dirfd refers to (O_PATH)."""
    return do_readlink(task, dirfd, path, buf, size)


# -- cwd and root --------------------------------------------------------------------------------
def _enter_dir(task, loc: Location) -> Location:
    if not loc.inode.is_dir():
        raise ENOTDIR()
    permission(task, loc.inode, X_OK)
    return loc


def sys_chdir(task, path: Ptr) -> int:
    """chdir(2)."""
    task.process.fs.cwd = _enter_dir(task, resolve(task, AT_FDCWD, read_path(task, path)))
    return 0


def sys_fchdir(task, fd: Fd) -> int:
    """fchdir(2): works on O_PATH directories (fdget_raw)."""
    file = task.process.fds.get_raw(fd)
    if file.location is None:
        raise ENOTDIR()
    task.process.fs.cwd = _enter_dir(task, file.location)
    return 0


def sys_chroot(task, path: Ptr) -> int:
    """chroot(2): needs CAP_SYS_CHROOT (root); the cwd stays where it is."""
    loc = _enter_dir(task, resolve(task, AT_FDCWD, read_path(task, path)))
    if not task.creds.is_root:
        raise EPERM()
    task.process.fs.root = loc
    return 0


def sys_getcwd(task, buf: Ptr, size: UInt) -> int:
    """getcwd(2): returns the length including the NUL; ERANGE if it does not fit;
    ENOENT once the cwd was removed; "(unreachable)" outside the root (d_path)."""
    fs = task.process.fs
    if fs.cwd.inode.unlinked():
        raise ENOENT()
    path, reachable = task.kernel.mounts.path_of(fs.cwd, fs.root)
    if not reachable:
        path = b"(unreachable)" + path
    data = path + b"\0"
    if len(data) > 4096:
        raise ENAMETOOLONG()
    if len(data) > size:
        raise ERANGE()
    task.write(buf, data)
    return len(data)


def sys_umask(task, mask: UInt) -> int:
    """umask(2)."""
    fs = task.process.fs
    old = fs.umask
    fs.umask = mask & 0o777
    return old


# -- attributes ------------------------------------------------------------------------------------
def _target(task, dirfd: int, path_ptr: int, flags: int, allowed: int) -> Location:
    if flags & ~allowed:
        raise EINVAL()
    path = read_path(task, path_ptr)
    if not path and flags & AT_EMPTY_PATH:
        if dirfd == AT_FDCWD:
            return task.process.fs.cwd
        return _fd_location(task, dirfd, raw=True)
    return resolve(task, dirfd, path, follow=not flags & AT_SYMLINK_NOFOLLOW)


def _fd_location(task, fd: int, raw: bool = False) -> Location:
    """Where an fd's file is (AT_FDCWD is a bad fd here); pipes and other pseudo files
    have an inode but no mount.
    raw: O_PATH fds count (fdget_raw), else they are EBADF (fdget)."""
    fds = task.process.fds
    file = fds.get_raw(fd) if raw else fds.get(fd)
    if file.location is not None:
        return file.location
    if file.inode is None:
        raise EINVAL()
    return Location(None, file.inode)


def do_chmod(task, loc: Location, mode: int) -> int:
    """chmod_common: EROFS, then notify_change's owner check."""
    inode = loc.inode
    _writable_mount(loc)
    if inode.fs.read_only:
        raise EROFS()
    iflags.check_unchangeable(inode)  # notify_change
    check_owner(task.creds, inode)
    if inode.is_symlink():
        raise EOPNOTSUPP()
    mode &= 0o7777
    creds = task.creds
    # setattr_should_drop_sgid: setgid stays only for a member of the group (or CAP_FSETID).
    if creds.fsuid != 0 and not creds.in_group(inode.gid):
        mode &= ~S_ISGID
    inode.setattr(mode=mode)
    notify.attrib(task, loc)
    return 0


def sys_chmod(task, path: Ptr, mode: Mode) -> int:
    """chmod(2)."""
    return do_chmod(task, resolve(task, AT_FDCWD, read_path(task, path)), mode)


def sys_fchmod(task, fd: Fd, mode: Mode) -> int:
    """fchmod(2)."""
    return do_chmod(task, _fd_location(task, fd), mode)


def sys_fchmodat(task, dirfd: Fd, path: Ptr, mode: Mode) -> int:
    """fchmodat(2): the syscall has no flags argument (libcs emulate AT_SYMLINK_NOFOLLOW)."""
    return do_chmod(task, resolve(task, dirfd, read_path(task, path)), mode)


def sys_fchmodat2(task, dirfd: Fd, path: Ptr, mode: Mode, flags: UInt) -> int:
    """fchmodat2(2): AT_SYMLINK_NOFOLLOW (EOPNOTSUPP on a symlink) and AT_EMPTY_PATH."""
    return do_chmod(task, _target(task, dirfd, path, flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH), mode)


def do_chown(task, loc: Location, uid: int, gid: int) -> int:
    """chown_common + notify_change: EROFS, then chown_ok/chgrp_ok; any chown of a
    non-directory drops setuid, and setgid when group-executable (ATTR_KILL_S*ID)."""
    inode = loc.inode
    creds = task.creds
    uid = None if uid == 0xFFFFFFFF else uid
    gid = None if gid == 0xFFFFFFFF else gid
    _writable_mount(loc)
    if inode.fs.read_only:
        raise EROFS()
    iflags.check_unchangeable(inode)  # notify_change
    if creds.fsuid != 0:
        if uid is not None and (creds.fsuid != inode.uid or uid != inode.uid):
            raise EPERM()
        if gid is not None and (creds.fsuid != inode.uid
                                or (gid != inode.gid and not creds.in_group(gid))):
            raise EPERM()
    mode = None
    if not inode.is_dir():
        kill = S_ISUID
        if inode.mode & 0o010:
            kill |= S_ISGID
        if inode.mode & kill:
            mode = inode.mode & 0o7777 & ~kill
    inode.setattr(mode=mode, uid=uid, gid=gid)
    notify.attrib(task, loc)
    return 0


def sys_chown(task, path: Ptr, uid: UInt, gid: UInt) -> int:
    """chown(2)."""
    return do_chown(task, resolve(task, AT_FDCWD, read_path(task, path)), uid, gid)


def sys_lchown(task, path: Ptr, uid: UInt, gid: UInt) -> int:
    """lchown(2)."""
    return do_chown(task, resolve(task, AT_FDCWD, read_path(task, path), follow=False), uid, gid)


def sys_fchown(task, fd: Fd, uid: UInt, gid: UInt) -> int:
    """fchown(2)."""
    return do_chown(task, _fd_location(task, fd), uid, gid)


def sys_fchownat(task, dirfd: Fd, path: Ptr, uid: UInt, gid: UInt, flags: Int) -> int:
    """fchownat(2)."""
    loc = _target(task, dirfd, path, flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)
    return do_chown(task, loc, uid, gid)


def do_access(task, dirfd: int, path_ptr: int, mode: int, flags: int) -> int:
    """do_faccessat: the real ids unless AT_EACCESS; EROFS for W_OK on a read-only
    mount (not for device, fifo and socket files)."""
    if mode & ~(R_OK | W_OK | X_OK):
        raise EINVAL()
    loc = _target(task, dirfd, path_ptr, flags, AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)
    if mode == F_OK:
        return 0
    creds = task.creds
    if not flags & AT_EACCESS:  # access(2) checks with the real ids
        creds = creds.copy()
        creds.fsuid, creds.fsgid = creds.uid, creds.gid
    inode = loc.inode
    if mode & W_OK and inode.fs.read_only and inode.type in (S_IFREG, S_IFDIR, S_IFLNK):
        raise EROFS()
    if mode & W_OK and iflags.immutable(inode):
        raise EPERM()
    if not may_access(creds, inode, mode):
        raise EACCES()
    if mode & W_OK and inode.type not in SPECIAL:
        _writable_mount(loc)
    return 0


def sys_access(task, path: Ptr, mode: Int) -> int:
    """access(2)."""
    return do_access(task, AT_FDCWD, path, mode, 0)


def sys_faccessat(task, dirfd: Fd, path: Ptr, mode: Int) -> int:
    """faccessat(2): the syscall has no flags."""
    return do_access(task, dirfd, path, mode, 0)


def sys_faccessat2(task, dirfd: Fd, path: Ptr, mode: Int, flags: Int) -> int:
    """faccessat2(2)."""
    return do_access(task, dirfd, path, mode, flags)


def _truncate_to(task, loc: Location, length: int) -> int:
    """do_truncate: the size moves, and mtime and ctime move even when the size stays
    (Linux 6.18 does so for truncate(2) as for ftruncate(2) and O_TRUNC)."""
    inode = loc.inode
    inode.truncate(length)
    inode.changed()
    notify.modified(task, loc)
    return 0


def sys_truncate(task, path: Ptr, length: Long) -> int:
    """truncate(2) (vfs_truncate): EINVAL for a negative length before the lookup."""
    if length < 0:
        raise EINVAL()
    loc = resolve(task, AT_FDCWD, read_path(task, path))
    inode = loc.inode
    if inode.is_dir():
        raise EISDIR()
    if not inode.is_reg():
        raise EINVAL()
    _writable_mount(loc)
    permission(task, inode, W_OK)
    if iflags.append_only(inode):
        raise EPERM()
    return _truncate_to(task, loc, length)


def sys_ftruncate(task, fd: Fd, length: Long) -> int:
    """ftruncate(2): EINVAL for a negative length (before EBADF), and unless a regular
    file open for writing."""
    if length < 0:
        raise EINVAL()
    file = task.process.fds.get(fd)
    if file.location is None or file.inode is None or not file.inode.is_reg() or not file.writable:
        raise EINVAL()  # fs/open.c do_ftruncate
    if iflags.append_only(file.inode):
        raise EPERM()
    return _truncate_to(task, file.location, length)


UTIME_NOW = (1 << 30) - 1
UTIME_OMIT = (1 << 30) - 2


def do_utimes(task, loc: Location, times: tuple | None) -> int:
    """vfs_utimes: times is None (both now) or two (sec, nsec | UTIME_*) pairs already
    checked. Explicit times (anything but None) need the owner (EPERM); "now" needs
    the owner or write permission (EACCES)."""
    inode = loc.inode
    creds = task.creds
    if times is not None and all(nsec == UTIME_NOW for _, nsec in times):
        times = None
    _writable_mount(loc)
    if times is not None:
        iflags.check_unchangeable(inode)  # notify_change: ATTR_TIMES_SET
    elif iflags.immutable(inode):
        raise EPERM()  # ATTR_TOUCH
    if times is not None:
        if creds.fsuid not in (0, inode.uid):
            raise EPERM()
    elif creds.fsuid not in (0, inode.uid):
        permission(task, inode, W_OK)
    elif inode.fs.read_only:
        raise EROFS()
    now = now_ns()
    values = []
    for sec, nsec in times or ((0, UTIME_NOW), (0, UTIME_NOW)):
        if nsec == UTIME_OMIT:
            values.append(None)
        elif nsec == UTIME_NOW:
            values.append(now)
        else:
            values.append(sec * 1_000_000_000 + nsec)
    inode.setattr(atime=values[0], mtime=values[1])
    notify.attrib(task, loc)
    return 0


def _timespecs(task, times: int):
    raw = task.read(times, 2 * TIMESPEC.size)
    return tuple(TIMESPEC.struct.unpack_from(raw, i * TIMESPEC.size) for i in range(2))


def _check_nsec(parsed) -> None:
    for _, nsec in parsed:
        if nsec not in (UTIME_NOW, UTIME_OMIT) and not 0 <= nsec < 1_000_000_000:
            raise EINVAL()


def sys_utimensat(task, dirfd: Fd, path: Ptr, times: Ptr, flags: Int) -> int:
    """utimensat(2): a NULL path applies to dirfd itself (Linux extension); two
    UTIME_OMIT do nothing, not even the lookup."""
    parsed = None
    if times:
        parsed = _timespecs(task, times)
        if all(nsec == UTIME_OMIT for _, nsec in parsed):
            return 0
    if path == 0 and dirfd != AT_FDCWD:
        if flags:
            raise EINVAL()
        loc = _fd_location(task, dirfd)
    else:
        if flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH):
            raise EINVAL()
        loc = _target(task, dirfd, path, flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)
    if parsed is not None:
        _check_nsec(parsed)
    return do_utimes(task, loc, parsed)


def _timevals(task, times: int):
    if not times:
        return None
    raw = task.read(times, 2 * TIMEVAL.size)
    out = []
    for i in range(2):
        sec, usec = TIMEVAL.struct.unpack_from(raw, i * TIMEVAL.size)
        if not 0 <= usec < 1_000_000:
            raise EINVAL()
        out.append((sec, usec * 1000))
    return tuple(out)


def sys_utimes(task, path: Ptr, times: Ptr) -> int:
    """utimes(2)."""
    parsed = _timevals(task, times)
    return do_utimes(task, resolve(task, AT_FDCWD, read_path(task, path)), parsed)


def sys_futimesat(task, dirfd: Fd, path: Ptr, times: Ptr) -> int:
    """futimesat(2)."""
    parsed = _timevals(task, times)
    if path == 0 and dirfd != AT_FDCWD:
        return do_utimes(task, _fd_location(task, dirfd), parsed)
    return do_utimes(task, resolve(task, dirfd, read_path(task, path)), parsed)


def sys_utime(task, path: Ptr, times: Ptr) -> int:
    """utime(2): struct utimbuf {actime, modtime} in seconds."""
    parsed = None
    if times:
        actime, modtime = struct.unpack("<qq", task.read(times, 16))
        parsed = ((actime, 0), (modtime, 0))
    return do_utimes(task, resolve(task, AT_FDCWD, read_path(task, path)), parsed)


# -- data integrity and hints ---------------------------------------------------------------------
def sys_fsync(task, fd: Fd) -> int:
    """fsync(2): EINVAL for files whose f_op has no fsync: pipes, sockets, FIFOs,
    character devices, and proc and sysfs files (vfs_fsync_range)."""
    file = task.process.fds.get(fd)
    inode = file.inode
    if (file.location is None or file.location.mount is None or inode is None
            or inode.type not in (S_IFREG, S_IFDIR, S_IFBLK)
            or not getattr(inode.fs, "has_fsync", inode.fs.name not in ("proc", "sysfs"))):
        raise EINVAL()
    file.fsync()
    return 0


def sys_fdatasync(task, fd: Fd) -> int:
    """fdatasync(2)."""
    return sys_fsync(task, fd)


def sys_sync(task) -> int:
    """sync(2): every mounted file system writes back."""
    seen = set()
    for mnt in task.kernel.mounts.mounts:
        if id(mnt.fs) not in seen:
            seen.add(id(mnt.fs))
            mnt.fs.sync()
    return 0


def sys_syncfs(task, fd: Fd) -> int:
    """syncfs(2): the file system the fd is on."""
    file = task.process.fds.get(fd)
    if file.location is not None and file.location.mount is not None:
        file.location.mount.fs.sync()
    return 0


SYNC_FILE_RANGE_VALID = 1 | 2 | 4  # WAIT_BEFORE | WRITE | WAIT_AFTER


def sys_sync_file_range(task, fd: Fd, offset: Long, nbytes: Long, flags: UInt) -> int:
    """sync_file_range(2) (fs/sync.c ksys_sync_file_range): EBADF first (fdget), then
    EINVAL for bad flags or ranges, ESPIPE for anything but regular files, directories,
    block devices and symlinks."""
    file = task.process.fds.get(fd)
    if flags & ~SYNC_FILE_RANGE_VALID:
        raise EINVAL()
    endbyte = offset + nbytes
    if offset < 0 or endbyte < 0 or nbytes < 0 or endbyte >= 1 << 63:
        raise EINVAL()
    inode = file.inode
    if inode is None or inode.type not in (S_IFREG, S_IFDIR, S_IFBLK, S_IFLNK) or file.location is None:
        raise ESPIPE()
    if flags & 2:
        inode.sync()
    return 0


FALLOC_FL_KEEP_SIZE = 0x01
FALLOC_FL_PUNCH_HOLE = 0x02
FALLOC_FL_COLLAPSE_RANGE = 0x08
FALLOC_FL_ZERO_RANGE = 0x10
FALLOC_FL_INSERT_RANGE = 0x20
FALLOC_FL_UNSHARE_RANGE = 0x40
FALLOC_FL_WRITE_ZEROES = 0x80  # Linux 6.17
FALLOC_FL_MODE_MASK = 0xFA


def sys_fallocate(task, fd: Fd, mode: Int, offset: Long, length: Long) -> int:
    """fallocate(2) (vfs_fallocate): the arguments, the modes (exclusive, PUNCH_HOLE only
    with KEEP_SIZE, COLLAPSE/INSERT/WRITE_ZEROES never with it), EBADF for a file not open
    for writing, then the file type; the file system decides which modes it has."""
    from kevlar.abi.errors import EFBIG, ENODEV
    file = task.process.fds.get(fd)
    if offset < 0 or length <= 0:
        raise EINVAL()
    if mode & ~(FALLOC_FL_MODE_MASK | FALLOC_FL_KEEP_SIZE):
        raise EOPNOTSUPP()
    kind = mode & FALLOC_FL_MODE_MASK
    keep = mode & FALLOC_FL_KEEP_SIZE
    if kind == FALLOC_FL_PUNCH_HOLE:
        if not keep:
            raise EOPNOTSUPP()
    elif kind in (FALLOC_FL_COLLAPSE_RANGE, FALLOC_FL_INSERT_RANGE, FALLOC_FL_WRITE_ZEROES):
        if keep:
            raise EOPNOTSUPP()
    elif kind not in (0, FALLOC_FL_UNSHARE_RANGE, FALLOC_FL_ZERO_RANGE):
        raise EOPNOTSUPP()
    if not file.writable:
        raise EBADF()
    inode = file.inode
    if inode is not None and (iflags.immutable(inode)
                              or mode & ~FALLOC_FL_KEEP_SIZE and iflags.append_only(inode)):
        raise EPERM()
    if inode is None:
        raise ESPIPE()
    if inode.type == S_IFIFO:
        raise ESPIPE()
    if inode.is_dir():
        raise EISDIR()
    if not inode.is_reg() and inode.type != S_IFBLK:
        raise ENODEV()
    if offset + length > (1 << 63) - 1:
        raise EFBIG()
    if file.location is None:
        raise EOPNOTSUPP()
    _writable_mount(file.location)
    inode.allocate(mode, offset, length)
    notify.modified(task, file.location)
    return 0


def sys_fadvise64(task, fd: Fd, offset: Long, length: Long, advice: Int) -> int:
    """fadvise64(2): advice only; the checks are Linux's (generic_fadvise)."""
    file = task.process.fds.get(fd)
    inode = file.inode
    if inode is not None and inode.type == S_IFIFO:
        raise ESPIPE()
    if not 0 <= advice <= 5 or length < 0:
        raise EINVAL()
    return 0


def sys_readahead(task, fd: Fd, offset: Long, count: Size) -> int:
    """readahead(2): a hint (there is no page cache to fill); the checks are
    ksys_readahead's: EBADF unless open for reading, EINVAL unless a regular file or a
    block device."""
    file = task.process.fds.get(fd)
    if not file.readable:
        raise EBADF()
    inode = file.inode
    if inode is None or inode.type not in (S_IFREG, S_IFBLK):
        raise EINVAL()
    if count > (1 << 63) - 1 - max(offset, 0):
        raise EINVAL()
    return 0


MS_NODEV = 4  # mount flag: device files on this mount cannot be opened

__all__ = [name for name in dir() if name.startswith("sys_")] + ["do_open", "permission",
                                                                 "check_open_flags"]
