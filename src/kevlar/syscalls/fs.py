"""Path syscalls: open, create, remove, rename, link, symlink, directories, attributes.

fs/open.c, fs/namei.c, fs/attr.c, fs/utimes.c. Every path goes through
kevlar.fs.path (one walk); every check returns the errno Linux returns, in Linux's order
where the order is observable (EFAULT before ENOENT before EACCES...).
"""

from kevlar.abi.constants import (
    AT_EACCESS,
    AT_EMPTY_PATH,
    AT_FDCWD,
    AT_REMOVEDIR,
    AT_SYMLINK_FOLLOW,
    AT_SYMLINK_NOFOLLOW,
    F_OK,
    O_ACCMODE,
    O_CLOEXEC,
    O_CREAT,
    O_DIRECTORY,
    O_EXCL,
    O_LARGEFILE,
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
    S_IFBLK,
    S_IFCHR,
    S_IFDIR,
    S_IFIFO,
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
    E2BIG,
    EACCES,
    EBADF,
    EBUSY,
    EEXIST,
    EFAULT,
    EINVAL,
    EISDIR,
    ELOOP,
    ENOENT,
    ENOTDIR,
    ENOTEMPTY,
    EPERM,
    ERANGE,
    EROFS,
    ESPIPE,
)
from kevlar.abi.structs import OPEN_HOW, TIMESPEC, TIMEVAL
from kevlar.fs import notify
from kevlar.fs.path import is_ancestor, resolve, resolve_parent, walk
from kevlar.fs.vfs import (
    Location,
    check_access,
    check_owner,
    check_sticky_delete,
    may_access,
    now_ns,
    same_fs,
)
from kevlar.syscalls.args import Fd, Int, Mode, Ptr, Size, UInt
from kevlar.syscalls.common import install_fd, read_path

O_PATH_FLAGS = O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC


def _writable_mount(loc: Location) -> None:
    if loc.mount.read_only:
        raise EROFS()


def _may_create(task, parent: Location) -> None:
    check_access(task.creds, parent.inode, W_OK | X_OK)
    _writable_mount(parent)


def _new_owner(task, parent: Location, mode: int) -> tuple[int, int, int]:
    """uid, gid and mode of a new inode: the fs ids, or the directory's group (and for
    directories the setgid bit) when the directory is setgid (inode_init_owner)."""
    creds = task.creds
    gid = creds.fsgid
    if parent.inode.mode & S_ISGID:
        gid = parent.inode.gid
        if mode & S_IFMT == S_IFDIR:
            mode |= S_ISGID
    return creds.fsuid, gid, mode


# -- open ----------------------------------------------------------------------------------
def do_open(task, dirfd: int, path: bytes, flags: int, mode: int, strict: bool = False) -> int:
    """The common body of open, openat, openat2 and creat."""
    if flags & O_PATH:
        flags &= O_PATH_FLAGS
    if flags & O_TMPFILE == O_TMPFILE:
        if flags & O_ACCMODE == O_RDONLY:
            raise EINVAL()
        return _open_tmpfile(task, dirfd, path, flags, mode)
    if flags & O_TMPFILE and strict:
        raise EINVAL()
    accmode = flags & O_ACCMODE
    created = False
    if flags & O_CREAT:
        loc, created = _open_create(task, dirfd, path, flags, mode)
    else:
        loc = resolve(task, dirfd, path, follow=not flags & O_NOFOLLOW)
    inode = loc.inode
    if inode.is_symlink():
        if flags & O_PATH and flags & O_NOFOLLOW:
            pass
        else:
            raise ELOOP()
    if flags & O_DIRECTORY and not inode.is_dir():
        raise ENOTDIR()
    if not flags & O_PATH:
        if inode.is_dir() and (accmode != O_RDONLY or flags & O_TRUNC):
            raise EISDIR()
        if not created:
            want = 0
            if accmode != O_WRONLY:  # O_RDONLY, O_RDWR and the ioctl-only mode 3
                want |= R_OK
            if accmode != O_RDONLY or flags & O_TRUNC:
                want |= W_OK
            check_access(task.creds, inode, want)
            if want & W_OK and inode.type in (S_IFREG, S_IFDIR):
                _writable_mount(loc)
        # fs/namei.c do_open: O_TRUNC applies to an existing regular file (permission to
        # write was checked above, even for O_RDONLY).
        if flags & O_TRUNC and inode.is_reg() and not created:
            if inode.size:
                inode.truncate(0)
                notify.modified(task, loc)
    file = inode.open(task, loc, (flags | O_LARGEFILE) & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC))
    fd = install_fd(task, file, bool(flags & O_CLOEXEC))
    if not flags & O_PATH:
        notify.opened(task, loc)
    return fd


def _open_create(task, dirfd: int, path: bytes, flags: int, mode: int):
    """O_CREAT: find or make the last component. Returns (location, created)."""
    parent, name, trailing = resolve_parent(task, dirfd, path)
    if trailing or name in (b".", b".."):
        raise EISDIR()
    check_access(task.creds, parent.inode, X_OK)
    try:
        child = parent.inode.lookup(name)
    except ENOENT:
        child = None
    if child is not None:
        if flags & O_EXCL:
            raise EEXIST()
        loc = task.kernel.mounts.cross(Location(parent.mount, child))
        if loc.inode.is_symlink() and not flags & O_NOFOLLOW:
            try:
                return walk(task, parent, name, follow=True), False
            except ENOENT:
                pass
            # A dangling symlink: create what it points at (fs/namei.c open_last_lookups).
            text = loc.inode.readlink()
            start = task.process.fs.root if text.startswith(b"/") else parent
            head, _, target_name = text.rstrip(b"/").rpartition(b"/")
            target_parent = walk(task, start, head, follow=True) if head else start
            return _create_in(task, target_parent, target_name, mode), True
        return loc, False
    return _create_in(task, parent, name, mode), True


def _create_in(task, parent: Location, name: bytes, mode: int) -> Location:
    _may_create(task, parent)
    uid, gid, mode = _new_owner(task, parent, S_IFREG | (mode & 0o7777 & ~task.process.fs.umask))
    inode = parent.inode.create(name, mode, uid, gid)
    notify.created(task, parent, name, inode)
    return Location(parent.mount, inode)


def _open_tmpfile(task, dirfd: int, path: bytes, flags: int, mode: int) -> int:
    loc = resolve(task, dirfd, path)
    if not loc.inode.is_dir():
        raise ENOTDIR()
    _may_create(task, loc)
    make = getattr(loc.inode, "make_unlinked", None)
    if make is None:
        from kevlar.abi.errors import EOPNOTSUPP
        raise EOPNOTSUPP()
    uid, gid, mode = _new_owner(task, loc, S_IFREG | (mode & 0o7777 & ~task.process.fs.umask))
    inode = make(mode, uid, gid)
    file = inode.open(task, Location(loc.mount, inode), (flags | O_LARGEFILE) & ~(O_CREAT | O_EXCL))
    return install_fd(task, file, bool(flags & O_CLOEXEC))


def sys_open(task, path: Ptr, flags: Int, mode: Mode) -> int:
    """open(2): unknown flag bits are ignored, as in Linux."""
    return do_open(task, AT_FDCWD, read_path(task, path), flags & VALID_OPEN_FLAGS, mode)


def sys_openat(task, dirfd: Fd, path: Ptr, flags: Int, mode: Mode) -> int:
    """openat(2)."""
    return do_open(task, dirfd, read_path(task, path), flags & VALID_OPEN_FLAGS, mode)


def sys_creat(task, path: Ptr, mode: Mode) -> int:
    """creat(2) = open(path, O_CREAT|O_WRONLY|O_TRUNC, mode)."""
    return do_open(task, AT_FDCWD, read_path(task, path), O_CREAT | O_WRONLY | O_TRUNC, mode)


def sys_openat2(task, dirfd: Fd, path: Ptr, how: Ptr, size: Size) -> int:
    """openat2(2): strict flag checking; RESOLVE_* restrictions on the walk."""
    if size < OPEN_HOW.size:
        raise EINVAL()
    if size > 4096:
        raise E2BIG()
    raw = task.read(how, size)
    if any(raw[OPEN_HOW.size:]):
        raise E2BIG()
    flags, mode, resolve_flags = OPEN_HOW.struct.unpack_from(raw)
    if flags & ~VALID_OPEN_FLAGS or resolve_flags & ~0x3F:
        raise EINVAL()
    if mode & ~0o7777 or (mode and not flags & (O_CREAT | O_TMPFILE)):
        raise EINVAL()
    from kevlar.fs.resolve import open_restricted
    return open_restricted(task, dirfd, read_path(task, path), flags, mode, resolve_flags)


# -- directories and names -------------------------------------------------------------------
def do_mkdir(task, dirfd: int, path: bytes, mode: int) -> int:
    parent, name, _ = resolve_parent(task, dirfd, path)
    if name in (b".", b".."):
        raise EEXIST()
    check_access(task.creds, parent.inode, X_OK)
    try:
        parent.inode.lookup(name)
        raise EEXIST()
    except ENOENT:
        pass
    _may_create(task, parent)
    uid, gid, mode = _new_owner(task, parent, S_IFDIR | (mode & 0o1777 & ~task.process.fs.umask))
    inode = parent.inode.mkdir(name, mode, uid, gid)
    notify.created(task, parent, name, inode)
    return 0


def sys_mkdir(task, path: Ptr, mode: Mode) -> int:
    """mkdir(2)."""
    return do_mkdir(task, AT_FDCWD, read_path(task, path), mode)


def sys_mkdirat(task, dirfd: Fd, path: Ptr, mode: Mode) -> int:
    """mkdirat(2)."""
    return do_mkdir(task, dirfd, read_path(task, path), mode)


def do_mknod(task, dirfd: int, path: bytes, mode: int, dev: int) -> int:
    kind = mode & S_IFMT
    if kind == 0:
        kind = S_IFREG
    if kind == S_IFDIR:
        raise EPERM()
    if kind not in (S_IFREG, S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK):
        raise EINVAL()
    if kind in (S_IFCHR, S_IFBLK) and not task.creds.is_root:
        raise EPERM()
    parent, name, trailing = resolve_parent(task, dirfd, path)
    if name in (b".", b"..") or trailing:
        raise EEXIST()
    check_access(task.creds, parent.inode, X_OK)
    try:
        parent.inode.lookup(name)
        raise EEXIST()
    except ENOENT:
        pass
    _may_create(task, parent)
    uid, gid, full = _new_owner(task, parent, kind | (mode & 0o7777 & ~task.process.fs.umask))
    if kind == S_IFREG:
        inode = parent.inode.create(name, full, uid, gid)
    else:
        inode = parent.inode.mknod(name, full, dev & 0xFFFFFFFF, uid, gid)
    notify.created(task, parent, name, inode)
    return 0


def sys_mknod(task, path: Ptr, mode: Mode, dev: UInt) -> int:
    """mknod(2)."""
    return do_mknod(task, AT_FDCWD, read_path(task, path), mode, dev)


def sys_mknodat(task, dirfd: Fd, path: Ptr, mode: Mode, dev: UInt) -> int:
    """mknodat(2)."""
    return do_mknod(task, dirfd, read_path(task, path), mode, dev)


def _victim(task, parent: Location, name: bytes) -> Location:
    check_access(task.creds, parent.inode, X_OK)
    child = parent.inode.lookup(name)
    loc = Location(parent.mount, child)
    return loc


def _check_delete(task, parent: Location, victim: Location) -> None:
    check_access(task.creds, parent.inode, W_OK | X_OK)
    check_sticky_delete(task.creds, parent.inode, victim.inode)
    _writable_mount(parent)
    if task.kernel.mounts.cross(victim) != victim:
        raise EBUSY()  # something is mounted on it


def do_unlink(task, dirfd: int, path: bytes) -> int:
    parent, name, trailing = resolve_parent(task, dirfd, path)
    if name in (b".", b".."):
        raise EISDIR()
    victim = _victim(task, parent, name)
    if victim.inode.is_dir():
        raise EISDIR()
    if trailing:
        raise ENOTDIR()
    _check_delete(task, parent, victim)
    parent.inode.unlink(name)
    notify.deleted(task, parent, name, victim.inode)
    return 0


def do_rmdir(task, dirfd: int, path: bytes) -> int:
    parent, name, _ = resolve_parent(task, dirfd, path)
    if name == b".":
        raise EINVAL()
    if name == b"..":
        raise ENOTEMPTY()
    if path.rstrip(b"/") == b"":
        raise EBUSY()
    victim = _victim(task, parent, name)
    if not victim.inode.is_dir():
        raise ENOTDIR()
    _check_delete(task, parent, victim)
    fs = task.process.fs
    if victim == fs.root:
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


def do_rename(task, olddirfd: int, old: bytes, newdirfd: int, new: bytes, flags: int) -> int:
    if flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT):
        raise EINVAL()
    if flags & RENAME_NOREPLACE and flags & RENAME_EXCHANGE:
        raise EINVAL()
    if flags & RENAME_WHITEOUT:
        raise EINVAL()
    old_parent, old_name, old_trailing = resolve_parent(task, olddirfd, old)
    new_parent, new_name, new_trailing = resolve_parent(task, newdirfd, new)
    if old_name in (b".", b"..") or new_name in (b".", b".."):
        raise EBUSY()
    same_fs(old_parent, new_parent)
    source = _victim(task, old_parent, old_name)
    check_access(task.creds, new_parent.inode, X_OK)
    try:
        target = Location(new_parent.mount, new_parent.inode.lookup(new_name))
    except ENOENT:
        target = None
        if flags & RENAME_EXCHANGE:
            raise
    if not source.inode.is_dir() and (old_trailing or new_trailing):
        raise ENOTDIR()
    if target is not None and target.inode is source.inode:
        return 0
    if target is not None and flags & RENAME_NOREPLACE:
        raise EEXIST()
    mounts = task.kernel.mounts
    if source.inode.is_dir() and is_ancestor(mounts, source, new_parent):
        raise EINVAL()
    if target is not None and target.inode.is_dir() and is_ancestor(mounts, target, old_parent):
        raise EINVAL() if flags & RENAME_EXCHANGE else ENOTEMPTY()
    _check_delete(task, old_parent, source)
    if target is not None:
        _check_delete(task, new_parent, target)
    else:
        _may_create(task, new_parent)
    if source.inode.is_dir() and old_parent.inode is not new_parent.inode:
        check_access(task.creds, source.inode, W_OK)  # its ".." changes
    cookie = notify.next_cookie(task)
    old_parent.inode.rename(old_name, new_parent.inode, new_name, flags)
    notify.moved(task, old_parent, old_name, new_parent, new_name, source.inode, cookie,
                 target.inode if target is not None else None, flags)
    return 0


def sys_rename(task, old: Ptr, new: Ptr) -> int:
    """rename(2)."""
    return do_rename(task, AT_FDCWD, read_path(task, old), AT_FDCWD, read_path(task, new), 0)


def sys_renameat(task, olddirfd: Fd, old: Ptr, newdirfd: Fd, new: Ptr) -> int:
    """renameat(2)."""
    return do_rename(task, olddirfd, read_path(task, old), newdirfd, read_path(task, new), 0)


def sys_renameat2(task, olddirfd: Fd, old: Ptr, newdirfd: Fd, new: Ptr, flags: UInt) -> int:
    """renameat2(2): RENAME_NOREPLACE and RENAME_EXCHANGE."""
    return do_rename(task, olddirfd, read_path(task, old), newdirfd, read_path(task, new), flags)


def do_link(task, olddirfd: int, old: bytes, newdirfd: int, new: bytes, flags: int) -> int:
    if flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH):
        raise EINVAL()
    if flags & AT_EMPTY_PATH and not old and not task.creds.is_root:
        raise ENOENT()
    source = resolve(task, olddirfd, old, follow=bool(flags & AT_SYMLINK_FOLLOW),
                     empty_ok=bool(flags & AT_EMPTY_PATH))
    parent, name, trailing = resolve_parent(task, newdirfd, new)
    if name in (b".", b"..") or trailing:
        raise EEXIST() if name in (b".", b"..") else ENOENT()
    check_access(task.creds, parent.inode, X_OK)
    try:
        parent.inode.lookup(name)
        raise EEXIST()
    except ENOENT:
        pass
    same_fs(source, parent)
    if source.inode.is_dir():
        raise EPERM()
    _may_create(task, parent)
    if source.inode.nlink == 0 and not getattr(source.inode, "linkable_when_unlinked", False):
        raise ENOENT()
    parent.inode.link(name, source.inode)
    notify.created(task, parent, name, source.inode)
    notify.attrib(task, source)
    return 0


def sys_link(task, old: Ptr, new: Ptr) -> int:
    """link(2): never follows a symlink at old."""
    return do_link(task, AT_FDCWD, read_path(task, old), AT_FDCWD, read_path(task, new), 0)


def sys_linkat(task, olddirfd: Fd, old: Ptr, newdirfd: Fd, new: Ptr, flags: Int) -> int:
    """linkat(2)."""
    return do_link(task, olddirfd, read_path(task, old), newdirfd, read_path(task, new), flags)


def do_symlink(task, target: bytes, newdirfd: int, path: bytes) -> int:
    if not target:
        raise ENOENT()
    parent, name, trailing = resolve_parent(task, newdirfd, path)
    if name in (b".", b"..") or trailing:
        raise EEXIST() if name in (b".", b"..") else ENOENT()
    check_access(task.creds, parent.inode, X_OK)
    try:
        parent.inode.lookup(name)
        raise EEXIST()
    except ENOENT:
        pass
    _may_create(task, parent)
    uid, gid, _ = _new_owner(task, parent, 0)
    inode = parent.inode.symlink(name, target, uid, gid)
    notify.created(task, parent, name, inode)
    return 0


def sys_symlink(task, target: Ptr, path: Ptr) -> int:
    """symlink(2)."""
    return do_symlink(task, read_path(task, target), AT_FDCWD, read_path(task, path))


def sys_symlinkat(task, target: Ptr, newdirfd: Fd, path: Ptr) -> int:
    """symlinkat(2)."""
    return do_symlink(task, read_path(task, target), newdirfd, read_path(task, path))


def do_readlink(task, dirfd: int, path: bytes, buf: int, size: int) -> int:
    if size <= 0:
        raise EINVAL()
    loc = resolve(task, dirfd, path, follow=False, empty_ok=True)
    if loc is None:
        raise EINVAL()
    data = loc.inode.readlink()[:size]
    task.write(buf, data)
    return len(data)


def sys_readlink(task, path: Ptr, buf: Ptr, size: Int) -> int:
    """readlink(2): no NUL is written; EINVAL for non-symlinks or size <= 0."""
    return do_readlink(task, AT_FDCWD, read_path(task, path), buf, size)


def sys_readlinkat(task, dirfd: Fd, path: Ptr, buf: Ptr, size: Int) -> int:
    """readlinkat(2): an empty path reads the link dirfd refers to (O_PATH)."""
    return do_readlink(task, dirfd, read_path(task, path), buf, size)


# -- cwd and root --------------------------------------------------------------------------------
def _enter_dir(task, loc: Location) -> Location:
    if not loc.inode.is_dir():
        raise ENOTDIR()
    check_access(task.creds, loc.inode, X_OK)
    return loc


def sys_chdir(task, path: Ptr) -> int:
    """chdir(2)."""
    task.process.fs.cwd = _enter_dir(task, resolve(task, AT_FDCWD, read_path(task, path)))
    return 0


def sys_fchdir(task, fd: Fd) -> int:
    """fchdir(2)."""
    file = task.process.fds.get(fd)
    if file.location is None:
        raise ENOTDIR()
    task.process.fs.cwd = _enter_dir(task, file.location)
    return 0


def sys_chroot(task, path: Ptr) -> int:
    """chroot(2): needs CAP_SYS_CHROOT (root)."""
    loc = _enter_dir(task, resolve(task, AT_FDCWD, read_path(task, path)))
    if not task.creds.is_root:
        raise EPERM()
    task.process.fs.root = loc
    return 0


def sys_getcwd(task, buf: Ptr, size: Size) -> int:
    """getcwd(2): returns the length including the NUL; ERANGE if it does not fit."""
    fs = task.process.fs
    path, reachable = task.kernel.mounts.path_of(fs.cwd, fs.root)
    if fs.cwd.inode.unlinked():
        raise ENOENT()  # the cwd was removed
    if not reachable:
        path = b"(unreachable)" + path
    data = path + b"\0"
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
    loc = resolve(task, dirfd, path, follow=not flags & AT_SYMLINK_NOFOLLOW,
                  empty_ok=bool(flags & AT_EMPTY_PATH))
    if loc is None:
        raise EBADF()
    return loc


def _fd_location(task, fd: int) -> Location:
    """Where an fd's file is; pipes and other pseudo files have an inode but no mount."""
    file = task.process.fds.get(fd)
    if file.location is not None:
        return file.location
    if file.inode is None:
        raise EINVAL()
    return Location(None, file.inode)


def do_chmod(task, loc: Location, mode: int) -> int:
    inode = loc.inode
    check_owner(task.creds, inode)
    if loc.mount is not None:
        _writable_mount(loc)
    mode &= 0o7777
    creds = task.creds
    if not creds.is_root and not creds.in_group(inode.gid):
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
    """fchmodat(2): the syscall has no flags argument (glibc emulates AT_SYMLINK_NOFOLLOW)."""
    return do_chmod(task, resolve(task, dirfd, read_path(task, path)), mode)


def do_chown(task, loc: Location, uid: int, gid: int) -> int:
    inode = loc.inode
    creds = task.creds
    uid = None if uid == 0xFFFFFFFF else uid
    gid = None if gid == 0xFFFFFFFF else gid
    if not creds.is_root:
        if uid is not None and uid != inode.uid:
            raise EPERM()
        if gid is not None and (creds.fsuid != inode.uid or not creds.in_group(gid)):
            if gid != inode.gid or creds.fsuid != inode.uid:
                raise EPERM()
    if loc.mount is not None:
        _writable_mount(loc)
    mode = None
    if (uid is not None or gid is not None) and not inode.is_dir():
        # Changing owner drops setuid, and setgid when group-executable (notify_change).
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
    if mode & ~(R_OK | W_OK | X_OK):
        raise EINVAL()
    loc = _target(task, dirfd, path_ptr, flags, AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)
    if mode == F_OK:
        return 0
    creds = task.creds
    if not flags & AT_EACCESS:  # access(2) checks with the real ids
        creds = creds.copy()
        creds.fsuid, creds.fsgid = creds.uid, creds.gid
    if not may_access(creds, loc.inode, mode):
        raise EACCES()
    if mode & W_OK and loc.mount is not None and loc.inode.type in (S_IFREG, S_IFDIR):
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


def do_truncate(task, loc: Location, length: int) -> int:
    if length < 0:
        raise EINVAL()
    inode = loc.inode
    if inode.is_dir():
        raise EISDIR()
    if not inode.is_reg():
        raise EINVAL()
    inode.truncate(length)
    notify.modified(task, loc)
    return 0


def sys_truncate(task, path: Ptr, length: int) -> int:
    """truncate(2): needs write permission on the file."""
    from kevlar.syscalls.args import Long
    loc = resolve(task, AT_FDCWD, read_path(task, path))
    if loc.inode.is_dir():
        raise EISDIR()
    check_access(task.creds, loc.inode, W_OK)
    _writable_mount(loc)
    return do_truncate(task, loc, Long(length))


def sys_ftruncate(task, fd: Fd, length: int) -> int:
    """ftruncate(2): EINVAL unless a regular file open for writing."""
    from kevlar.syscalls.args import Long
    file = task.process.fds.get(fd)
    length = Long(length)
    if length < 0:
        raise EINVAL()
    if file.location is None or not file.writable or not file.inode.is_reg():
        raise EINVAL()  # fs/open.c do_sys_ftruncate
    return do_truncate(task, file.location, length)


UTIME_NOW = (1 << 30) - 1
UTIME_OMIT = (1 << 30) - 2


def do_utimes(task, loc: Location, times: tuple | None) -> int:
    """times: None (both now) or ((sec, nsec) | UTIME_*, ...) pairs already checked."""
    inode = loc.inode
    creds = task.creds
    explicit = times is not None and any(nsec not in (UTIME_NOW, UTIME_OMIT) for _, nsec in times)
    if times is not None and all(nsec == UTIME_OMIT for _, nsec in times):
        return 0
    if explicit:
        check_owner(creds, inode)
    elif creds.fsuid not in (0, inode.uid) and not may_access(creds, inode, W_OK):
        raise EACCES()
    if loc.mount is not None:
        _writable_mount(loc)
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


def sys_utimensat(task, dirfd: Fd, path: Ptr, times: Ptr, flags: Int) -> int:
    """utimensat(2): a NULL path applies to dirfd itself (Linux extension)."""
    if flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH):
        raise EINVAL()
    parsed = None
    if times:
        raw = task.read(times, 2 * TIMESPEC.size)
        parsed = tuple(TIMESPEC.struct.unpack_from(raw, i * TIMESPEC.size) for i in range(2))
        for sec, nsec in parsed:
            if nsec not in (UTIME_NOW, UTIME_OMIT) and not 0 <= nsec < 1_000_000_000:
                raise EINVAL()
    if path == 0:
        if dirfd == AT_FDCWD:
            raise EFAULT()
        loc = _fd_location(task, dirfd)
    else:
        loc = _target(task, dirfd, path, flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)
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
    if path == 0:
        return do_utimes(task, _fd_location(task, dirfd), parsed)
    return do_utimes(task, resolve(task, dirfd, read_path(task, path)), parsed)


def sys_utime(task, path: Ptr, times: Ptr) -> int:
    """utime(2): struct utimbuf {actime, modtime} in seconds."""
    parsed = None
    if times:
        import struct
        actime, modtime = struct.unpack("<qq", task.read(times, 16))
        parsed = ((actime, 0), (modtime, 0))
    return do_utimes(task, resolve(task, AT_FDCWD, read_path(task, path)), parsed)


# -- data integrity and hints ---------------------------------------------------------------------
def sys_fsync(task, fd: Fd) -> int:
    """fsync(2): EINVAL for objects that cannot be synced (pipes, sockets)."""
    file = task.process.fds.get(fd)
    if file.location is None:
        raise EINVAL()
    file.inode.sync()
    file.location.mount.fs.sync()
    return 0


def sys_fdatasync(task, fd: Fd) -> int:
    """fdatasync(2)."""
    return sys_fsync(task, fd)


def sys_sync(task) -> int:
    """sync(2)."""
    for mnt in task.kernel.mounts.mounts:
        mnt.fs.sync()
    return 0


def sys_syncfs(task, fd: Fd) -> int:
    """syncfs(2)."""
    file = task.process.fds.get(fd)
    if file.location is not None:
        file.location.mount.fs.sync()
    return 0


def sys_fallocate(task, fd: Fd, mode: Int, offset: int, length: int) -> int:
    """fallocate(2)."""
    from kevlar.syscalls.args import Long
    offset, length = Long(offset), Long(length)
    file = task.process.fds.get(fd)
    if offset < 0 or length <= 0:
        raise EINVAL()
    if not file.writable:
        raise EBADF()
    if file.location is None:
        raise ESPIPE()
    inode = file.inode
    if inode.is_dir():
        raise EISDIR()
    if not inode.is_reg():
        from kevlar.abi.errors import ENODEV
        raise ENODEV()
    _writable_mount(file.location)
    inode.allocate(mode, offset, length)
    notify.modified(task, file.location)
    return 0


def sys_fadvise64(task, fd: Fd, offset: int, length: int, advice: Int) -> int:
    """fadvise64(2): advice only; the checks are Linux's."""
    from kevlar.syscalls.args import Long
    file = task.process.fds.get(fd)
    if file.location is None and not hasattr(file, "host_fd"):
        raise ESPIPE()
    if not 0 <= advice <= 5 or Long(length) < 0:
        raise EINVAL()
    return 0


__all__ = [name for name in dir() if name.startswith("sys_")]
