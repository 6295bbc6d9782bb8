"""stat, statx, statfs and getdents64: reporting what the VFS knows (fs/stat.c,
fs/statfs.c, fs/readdir.c)."""

from kevlar.abi.constants import (
    AT_EMPTY_PATH,
    AT_FDCWD,
    AT_NO_AUTOMOUNT,
    AT_STATX_SYNC_TYPE,
    AT_SYMLINK_NOFOLLOW,
)
from kevlar.abi.errors import EBADF, EFAULT, EINVAL, ENOTDIR
from kevlar.abi.structs import (
    STAT,
    STATFS,
    STATX,
    STATX__RESERVED,
    STATX_BASIC_STATS,
    STATX_BTIME,
    STATX_CTIME,
    STATX_MNT_ID,
    STATX_MTIME,
)
from kevlar.fs import notify
from kevlar.fs.file import dirent, dirent64
from kevlar.fs.hostfile import HostFile
from kevlar.fs.path import resolve
from kevlar.syscalls.args import Fd, Int, Ptr, UInt
from kevlar.syscalls.common import read_path

NS = 1_000_000_000


def encode_dev(major: int, minor: int) -> int:
    """glibc's makedev(): the dev_t layout stat(2) returns."""
    return ((major & 0xFFF) << 8) | ((major & ~0xFFF) << 32) | (minor & 0xFF) | ((minor & ~0xFF) << 12)


def inode_dev(inode) -> tuple[int, int]:
    """(major, minor) of the device holding inode: anonymous devices are major 0."""
    return getattr(inode.fs, "dev_major", 0), inode.fs.dev


def pack_stat(inode) -> bytes:
    major, minor = inode_dev(inode)
    rdev = inode.rdev
    return STAT.pack(encode_dev(major, minor), inode.ino, inode.nlink, inode.mode, inode.uid,
                     inode.gid, encode_dev(rdev >> 8 & 0xFFF, (rdev & 0xFF) | (rdev >> 12 & ~0xFF)),
                     inode.size, inode.blksize, inode.blocks, inode.atime // NS, inode.atime % NS,
                     inode.mtime // NS, inode.mtime % NS, inode.ctime // NS, inode.ctime % NS)


def _empty_path(task, path_ptr: int, flags: int) -> bytes | None:
    """getname_maybe_null(): with AT_EMPTY_PATH a NULL or empty path is None (the call
    is about the fd itself); otherwise the path, EFAULT for NULL."""
    if flags & AT_EMPTY_PATH:
        if path_ptr == 0:
            return None
        path = read_path(task, path_ptr)
        return path if path else None
    return read_path(task, path_ptr)


def _names_nothing(task, path_ptr: int) -> bool:
    """A NULL or empty path (only its first byte is looked at, as getname_maybe_null)."""
    if path_ptr == 0:
        return True
    try:
        return task.read(path_ptr, 1) == b"\0"
    except EFAULT:
        return False


def _stat_path(task, dirfd: int, path_ptr: int, buf: int, flags: int) -> int:
    """vfs_fstatat: an empty path with AT_EMPTY_PATH on a real fd is fstat (flags are not
    even looked at); otherwise vfs_statx's flag check and the walk."""
    if flags & AT_EMPTY_PATH and dirfd >= 0 and _names_nothing(task, path_ptr):
        return _stat_fd(task, dirfd, buf)
    # Linux 6.18 checks the flags before it copies the name (EINVAL, not ENAMETOOLONG or
    # EFAULT, for bad flags with a bad path; measured natively).
    if flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE):
        raise EINVAL()
    path = _empty_path(task, path_ptr, flags)
    if path is None:
        loc = task.process.fs.cwd if dirfd == AT_FDCWD else None
        if loc is None:
            raise EBADF()
    else:
        loc = resolve(task, dirfd, path, follow=not flags & AT_SYMLINK_NOFOLLOW)
    task.write(buf, pack_stat(loc.inode))
    return 0


def _stat_fd(task, fd: int, buf: int) -> int:
    """fstat of an open file (O_PATH fds too); AT_FDCWD is just a bad fd here."""
    file = task.process.fds.get_raw(fd)
    if isinstance(file, HostFile):
        return _host_fstat(task, file, buf)
    task.write(buf, pack_stat(file.inode))
    return 0


def _host_fstat(task, file, buf: int) -> int:
    """fstat of a host fd: rewritten to fstat(host_fd, buf) and run by the host."""
    from kevlar.abi.sysnums import SYSCALLS
    from kevlar.platform.interface import ACT_STORE_CONTINUE
    from kevlar.platform.ptrace import ORIG_RAX, RDI, RSI
    regs = task.kernel.engine.regs
    regs[ORIG_RAX] = SYSCALLS["fstat"]
    regs[RDI] = file.host_fd
    regs[RSI] = buf
    return ACT_STORE_CONTINUE


def sys_stat(task, path: Ptr, buf: Ptr) -> int:
    """stat(2)."""
    return _stat_path(task, AT_FDCWD, path, buf, 0)


def sys_lstat(task, path: Ptr, buf: Ptr) -> int:
    """lstat(2)."""
    return _stat_path(task, AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW)


def sys_fstat(task, fd: Fd, buf: Ptr) -> int:
    """fstat(2)."""
    return _stat_fd(task, fd, buf)


def sys_newfstatat(task, dirfd: Fd, path: Ptr, buf: Ptr, flags: Int) -> int:
    """newfstatat(2) (fstatat)."""
    return _stat_path(task, dirfd, path, buf, flags)


def sys_statx(task, dirfd: Fd, path: Ptr, flags: Int, mask: UInt, buf: Ptr) -> int:
    """statx(2): the 256-byte layout. The mask is what the file system fills, as Linux
    6.x reports it: the basic stats, btime where the file system keeps it, the mount id
    (or the unique one when asked), and mtime/ctime only when asked or when nothing
    else was (multigrain timestamps)."""
    # Linux 6.18's order, measured natively: an empty path on an fd is statx of the fd
    # (only the sync type and the mask are checked); otherwise flags and mask are EINVAL
    # before the name is copied.
    sync_both = flags & AT_STATX_SYNC_TYPE == AT_STATX_SYNC_TYPE
    if flags & AT_EMPTY_PATH and dirfd >= 0 and _names_nothing(task, path):
        if sync_both or mask & STATX__RESERVED:
            raise EINVAL()
        file = task.process.fds.get_raw(dirfd)
        if isinstance(file, HostFile):
            return _statx_host(task, file, buf)
        loc = file.location
        mount = loc.mount if loc is not None else None
        task.write(buf, pack_statx(file.inode, mount, mask))
        return 0
    if flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE):
        raise EINVAL()
    if sync_both or mask & STATX__RESERVED:
        raise EINVAL()
    name = _empty_path(task, path, flags)
    if name is None:
        if dirfd != AT_FDCWD:
            raise EBADF()
        loc = task.process.fs.cwd
    else:
        loc = resolve(task, dirfd, name, follow=not flags & AT_SYMLINK_NOFOLLOW)
    task.write(buf, pack_statx(loc.inode, loc.mount, mask))
    return 0


def _statx_host(task, file, buf: int) -> int:
    """statx of a host fd, from the host's fstat of it."""
    st = file.host_stat()
    major, minor = st.st_dev >> 8 & 0xFFF, st.st_dev & 0xFF
    data = STATX.pack_fields(
        stx_mask=STATX_BASIC_STATS, stx_blksize=st.st_blksize, stx_nlink=st.st_nlink,
        stx_uid=st.st_uid, stx_gid=st.st_gid, stx_mode=st.st_mode, stx_ino=st.st_ino,
        stx_size=st.st_size, stx_blocks=st.st_blocks, stx_atime_sec=int(st.st_atime),
        stx_atime_nsec=st.st_atime_ns % NS, stx_mtime_sec=int(st.st_mtime),
        stx_mtime_nsec=st.st_mtime_ns % NS, stx_ctime_sec=int(st.st_ctime),
        stx_ctime_nsec=st.st_ctime_ns % NS, stx_rdev_major=st.st_rdev >> 8 & 0xFFF,
        stx_rdev_minor=st.st_rdev & 0xFF, stx_dev_major=major, stx_dev_minor=minor)
    task.write(buf, data)
    return 0


STATX_MNT_ID_UNIQUE = 0x4000
MNT_ID_UNIQUE_BASE = 1 << 31  # unique mount ids start past the 32-bit ones (fs/namespace.c)


def pack_statx(inode, mount, mask: int = STATX_BASIC_STATS) -> bytes:
    major, minor = inode_dev(inode)
    rdev = inode.rdev
    fs = inode.fs
    result = STATX_BASIC_STATS
    if getattr(fs, "statx_btime", False):
        result |= STATX_BTIME
    if getattr(fs, "multigrain", False) and not mask & (STATX_MTIME | STATX_CTIME):
        result &= ~(STATX_MTIME | STATX_CTIME)
    mnt_id = 0
    if mount is not None:
        if mask & STATX_MNT_ID_UNIQUE:
            result |= STATX_MNT_ID_UNIQUE
            mnt_id = MNT_ID_UNIQUE_BASE + mount.id
        else:
            result |= STATX_MNT_ID
            mnt_id = mount.id
    btime = getattr(inode, "btime", 0)
    return STATX.pack_fields(
        stx_mask=result, stx_blksize=inode.blksize, stx_nlink=inode.nlink, stx_uid=inode.uid,
        stx_gid=inode.gid, stx_mode=inode.mode, stx_ino=inode.ino, stx_size=inode.size,
        stx_blocks=inode.blocks, stx_atime_sec=inode.atime // NS, stx_atime_nsec=inode.atime % NS,
        stx_btime_sec=btime // NS if result & STATX_BTIME else 0,
        stx_btime_nsec=btime % NS if result & STATX_BTIME else 0,
        stx_ctime_sec=inode.ctime // NS, stx_ctime_nsec=inode.ctime % NS,
        stx_mtime_sec=inode.mtime // NS, stx_mtime_nsec=inode.mtime % NS,
        stx_rdev_major=rdev >> 8 & 0xFFF, stx_rdev_minor=(rdev & 0xFF) | (rdev >> 12 & ~0xFF),
        stx_dev_major=major, stx_dev_minor=minor, stx_mnt_id=mnt_id)


ST_VALID = 0x20
MOUNT_ST_FLAGS = ((1, 1), (2, 2), (4, 4), (8, 8), (16, 16), (1024, 1024), (2048, 2048),
                  (1 << 21, 4096))  # MS_* -> ST_* (fs/statfs.c flags_by_mnt)


def pack_statfs(fs, mount=None) -> bytes:
    """struct statfs; f_flags from the mount (fs/statfs.c calculate_f_flags)."""
    info = fs.statfs()
    if mount is not None:
        flags = ST_VALID
        mflags = mount.flags
        for ms, st in MOUNT_ST_FLAGS:
            if mflags & ms:
                flags |= st
        if mount.read_only:
            flags |= 1
        info = dict(info, f_flags=flags)
    return STATFS.pack_fields(f_fsid0=fs.dev, f_fsid1=0, **info)


def sys_statfs(task, path: Ptr, buf: Ptr) -> int:
    """statfs(2): the file system of the mount the path is on (the walk decides, so
    /tmp/mntfoo is not on a mount at /tmp/mnt)."""
    loc = resolve(task, AT_FDCWD, read_path(task, path))
    task.write(buf, pack_statfs(loc.mount.fs, loc.mount))
    return 0


def sys_fstatfs(task, fd: Fd, buf: Ptr) -> int:
    """fstatfs(2): O_PATH fds too (fdget_raw)."""
    file = task.process.fds.get_raw(fd)
    if file.location is None or file.location.mount is None:
        from kevlar.fs.pseudo import pseudo_fs_of
        task.write(buf, pack_statfs(pseudo_fs_of(file)))
        return 0
    task.write(buf, pack_statfs(file.location.mount.fs, file.location.mount))
    return 0


def _getdents(task, fd: int, dirp: int, count: int, record) -> int:
    file = task.process.fds.get(fd)
    if file.location is None or file.inode is None or not file.inode.is_dir():
        raise ENOTDIR()
    before = file.pos
    # No access_ok of the whole count: filldir checks each record as it writes it. The
    # callback's count is an int: 2 GiB or more is negative there, so no entry fits
    # (EINVAL) while an exhausted directory still answers 0.
    records = file.getdents(count - (1 << 32) if count >= 1 << 31 else count, record)
    notify.accessed(task, file.location)  # iterate_dir: fsnotify_access
    data = b"".join(records)
    try:
        task.write(dirp, data)
    except EFAULT:
        file.pos = before
        raise
    return len(data)


def sys_getdents64(task, fd: Fd, dirp: Ptr, count: UInt) -> int:
    """getdents64(2): "." and ".." first; offsets are stable cookies. EBADF for O_PATH
    fds, ENOTDIR for non-directories, EINVAL when one entry does not fit."""
    return _getdents(task, fd, dirp, count, dirent64)


def sys_getdents(task, fd: Fd, dirp: Ptr, count: UInt) -> int:
    """getdents(2): as getdents64, in the legacy struct linux_dirent (d_type last)."""
    return _getdents(task, fd, dirp, count, dirent)
