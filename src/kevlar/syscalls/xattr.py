"""Extended attribute syscalls (fs/xattr.c): get, set, list and remove, by path (the l*
variants do not follow a final symlink), by fd, or by dirfd and name (the *xattrat calls
of Linux 6.13). The checks come in Linux's order: the name (ERANGE), the object, the
permission, then the file system's answer."""

import struct

from kevlar.abi.constants import AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW, PAGE_SIZE
from kevlar.abi.errors import E2BIG, EBADF, EFAULT, EINVAL, ENAMETOOLONG, ERANGE, EROFS
from kevlar.fs import acl, notify, xattr
from kevlar.fs.path import resolve
from kevlar.fs.vfs import Location
from kevlar.syscalls.args import Fd, Int, Ptr, Size, UInt
from kevlar.syscalls.common import read_path


def _name(task, ptr: int) -> bytes:
    if ptr == 0:
        raise EFAULT()
    try:
        name = task.read_cstring(ptr, xattr.XATTR_NAME_MAX + 1)
    except ENAMETOOLONG:  # the name filled the 256-byte buffer
        raise ERANGE() from None
    xattr.check_name(name)
    return name


def _set_args(task, name: int, value: int, size: int, flags: int) -> tuple[bytes, bytes]:
    """setxattr_copy(): the flags (EINVAL), then the name (EFAULT, ERANGE), then the size
    (E2BIG) and the value, all before the object is looked up."""
    xattr.check_flags(flags)
    key = _name(task, name)
    xattr.check_size(size)
    return key, task.read(value, size) if size else b""


def _at_path(task, path: int, follow: bool) -> Location:
    return resolve(task, AT_FDCWD, read_path(task, path), follow=follow)


def _at_fd(task, fd: int) -> Location:
    file = task.process.fds.get(fd)  # O_PATH fds are EBADF here, as in Linux
    if file.inode is None:
        raise EBADF()
    return file.location if file.location is not None else Location(None, file.inode)


def _get(task, loc: Location, name: bytes, value: int, size: int) -> int:
    xattr.check_permission(task.creds, loc.inode, name, write=False)
    data = loc.inode.getxattr(name)
    if size == 0:
        return len(data)
    if len(data) > min(size, xattr.XATTR_SIZE_MAX):
        raise ERANGE()
    task.write(value, data)
    return len(data)


def _set(task, loc: Location, name: bytes, data: bytes, flags: int) -> int:
    if loc.mount is not None and loc.mount.read_only:
        raise EROFS()
    xattr.check_permission(task.creds, loc.inode, name, write=True)
    if name in acl.NAMES and getattr(loc.inode, "posix_acl", False):
        acl.set_xattr(task.creds, loc.inode, name, data)  # do_set_acl: flags do not apply
    else:
        loc.inode.setxattr(name, data, flags)
    notify.attrib(task, loc)
    return 0


def _list(task, loc: Location, buf: int, size: int) -> int:
    names = loc.inode.listxattr(task.creds.is_root)
    data = b"".join(n + b"\0" for n in names)
    if size == 0:
        return len(data)
    if len(data) > min(size, xattr.XATTR_LIST_MAX):
        raise ERANGE()
    task.write(buf, data)
    return len(data)


def _remove(task, loc: Location, name: bytes) -> int:
    if loc.mount is not None and loc.mount.read_only:
        raise EROFS()
    xattr.check_permission(task.creds, loc.inode, name, write=True)
    if name in acl.NAMES and getattr(loc.inode, "posix_acl", False):
        acl.set_xattr(task.creds, loc.inode, name, None)  # vfs_remove_acl
    else:
        loc.inode.removexattr(name)
    notify.attrib(task, loc)
    return 0


def sys_getxattr(task, path: Ptr, name: Ptr, value: Ptr, size: Size) -> int:
    """getxattr(2)."""
    key = _name(task, name)
    return _get(task, _at_path(task, path, True), key, value, size)


def sys_lgetxattr(task, path: Ptr, name: Ptr, value: Ptr, size: Size) -> int:
    """lgetxattr(2)."""
    key = _name(task, name)
    return _get(task, _at_path(task, path, False), key, value, size)


def _at_fd_or_cwd(task, fd: int) -> Location:
    """Linux 6.13+ runs fgetxattr and fsetxattr as the *xattrat calls with AT_EMPTY_PATH
    and no name, so AT_FDCWD is the cwd there (flistxattr and fremovexattr say EBADF)."""
    return task.process.fs.cwd if fd == AT_FDCWD else _at_fd(task, fd)


def sys_fgetxattr(task, fd: Fd, name: Ptr, value: Ptr, size: Size) -> int:
    """fgetxattr(2)."""
    key = _name(task, name)
    return _get(task, _at_fd_or_cwd(task, fd), key, value, size)


def sys_setxattr(task, path: Ptr, name: Ptr, value: Ptr, size: Size, flags: Int) -> int:
    """setxattr(2)."""
    key, data = _set_args(task, name, value, size, flags)
    return _set(task, _at_path(task, path, True), key, data, flags)


def sys_lsetxattr(task, path: Ptr, name: Ptr, value: Ptr, size: Size, flags: Int) -> int:
    """lsetxattr(2)."""
    key, data = _set_args(task, name, value, size, flags)
    return _set(task, _at_path(task, path, False), key, data, flags)


def sys_fsetxattr(task, fd: Fd, name: Ptr, value: Ptr, size: Size, flags: Int) -> int:
    """fsetxattr(2)."""
    key, data = _set_args(task, name, value, size, flags)
    return _set(task, _at_fd_or_cwd(task, fd), key, data, flags)


def sys_listxattr(task, path: Ptr, buf: Ptr, size: Size) -> int:
    """listxattr(2)."""
    return _list(task, _at_path(task, path, True), buf, size)


def sys_llistxattr(task, path: Ptr, buf: Ptr, size: Size) -> int:
    """llistxattr(2)."""
    return _list(task, _at_path(task, path, False), buf, size)


def sys_flistxattr(task, fd: Fd, buf: Ptr, size: Size) -> int:
    """flistxattr(2)."""
    return _list(task, _at_fd(task, fd), buf, size)


def sys_removexattr(task, path: Ptr, name: Ptr) -> int:
    """removexattr(2)."""
    key = _name(task, name)
    return _remove(task, _at_path(task, path, True), key)


def sys_lremovexattr(task, path: Ptr, name: Ptr) -> int:
    """lremovexattr(2)."""
    key = _name(task, name)
    return _remove(task, _at_path(task, path, False), key)


def sys_fremovexattr(task, fd: Fd, name: Ptr) -> int:
    """fremovexattr(2)."""
    key = _name(task, name)
    return _remove(task, _at_fd(task, fd), key)


XATTR_ARGS = struct.Struct("<QII")  # struct xattr_args {value, size, flags}: XATTR_ARGS_SIZE_VER0
XATTRAT_FLAGS = AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH


def _xattr_args(task, uargs: int, usize: int) -> tuple[int, int, int]:
    """copy_struct_from_user with the xattrat size rules: EINVAL below version 0, E2BIG
    past a page or when bytes this kernel does not know are non-zero."""
    if usize < XATTR_ARGS.size:
        raise EINVAL()
    if usize > PAGE_SIZE:
        raise E2BIG()
    raw = task.read(uargs, usize)
    if any(raw[XATTR_ARGS.size:]):
        raise E2BIG()
    return XATTR_ARGS.unpack_from(raw)


def _check_at_flags(at_flags: int) -> None:
    if at_flags & ~XATTRAT_FLAGS:
        raise EINVAL()


def _at(task, dfd: int, path: int, at_flags: int) -> Location:
    """getname_maybe_null: with AT_EMPTY_PATH a NULL or empty name means the dirfd itself
    (or the cwd for AT_FDCWD)."""
    if at_flags & AT_EMPTY_PATH:
        if not path or task.read(path, 1) == b"\0":
            return _at_fd_or_cwd(task, dfd)
    return resolve(task, dfd, read_path(task, path), follow=not at_flags & AT_SYMLINK_NOFOLLOW)


def sys_setxattrat(task, dfd: Fd, path: Ptr, at_flags: UInt, name: Ptr, uargs: Ptr,
                   usize: Size) -> int:
    """setxattrat(2)."""
    value, size, flags = _xattr_args(task, uargs, usize)
    _check_at_flags(at_flags)
    key, data = _set_args(task, name, value, size, flags)
    return _set(task, _at(task, dfd, path, at_flags), key, data, flags)


def sys_getxattrat(task, dfd: Fd, path: Ptr, at_flags: UInt, name: Ptr, uargs: Ptr,
                   usize: Size) -> int:
    """getxattrat(2): the args' flags must be zero."""
    value, size, flags = _xattr_args(task, uargs, usize)
    if flags:
        raise EINVAL()
    _check_at_flags(at_flags)
    key = _name(task, name)
    return _get(task, _at(task, dfd, path, at_flags), key, value, size)


def sys_listxattrat(task, dfd: Fd, path: Ptr, at_flags: UInt, buf: Ptr, size: Size) -> int:
    """listxattrat(2)."""
    _check_at_flags(at_flags)
    return _list(task, _at(task, dfd, path, at_flags), buf, size)


def sys_removexattrat(task, dfd: Fd, path: Ptr, at_flags: UInt, name: Ptr) -> int:
    """removexattrat(2)."""
    _check_at_flags(at_flags)
    key = _name(task, name)
    return _remove(task, _at(task, dfd, path, at_flags), key)
