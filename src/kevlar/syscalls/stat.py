"""stat, statx, statfs and getdents64: reporting what the VFS knows (fs/stat.c,
fs/statfs.c, fs/readdir.c)."""

from kevlar.abi.constants import (
    AT_EMPTY_PATH,
    AT_FDCWD,
    AT_NO_AUTOMOUNT,
    AT_STATX_SYNC_TYPE,
    AT_SYMLINK_NOFOLLOW,
)
from kevlar.abi.errors import EINVAL
from kevlar.abi.structs import STAT, STATFS, STATX, STATX__RESERVED, STATX_BASIC_STATS, STATX_MNT_ID
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


def _stat_path(task, dirfd: int, path_ptr: int, buf: int, flags: int) -> int:
    if flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT):
        raise EINVAL()
    path = read_path(task, path_ptr)
    if not path and flags & AT_EMPTY_PATH:
        return _stat_fd(task, dirfd, buf)
    loc = resolve(task, dirfd, path, follow=not flags & AT_SYMLINK_NOFOLLOW)
    task.write(buf, pack_stat(loc.inode))
    return 0


def _stat_fd(task, fd: int, buf: int) -> int:
    if fd == AT_FDCWD:
        task.write(buf, pack_stat(task.process.fs.cwd.inode))
        return 0
    file = task.process.fds.get(fd)
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
    """statx(2): the 256-byte layout; the mask always has the basic stats and the
    mount id, as Linux fills them whatever was asked."""
    if flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE):
        raise EINVAL()
    if flags & AT_STATX_SYNC_TYPE == AT_STATX_SYNC_TYPE or mask & STATX__RESERVED:
        raise EINVAL()
    p = read_path(task, path)
    if not p and flags & AT_EMPTY_PATH:
        if dirfd == AT_FDCWD:
            loc = task.process.fs.cwd
        else:
            file = task.process.fds.get(dirfd)
            if isinstance(file, HostFile):
                return _statx_host(task, file, buf)
            loc = file.location
            inode = file.inode
            mnt_id = loc.mount.id if loc is not None and loc.mount is not None else 0
            task.write(buf, pack_statx(inode, mnt_id))
            return 0
    else:
        loc = resolve(task, dirfd, p, follow=not flags & AT_SYMLINK_NOFOLLOW)
    task.write(buf, pack_statx(loc.inode, loc.mount.id if loc.mount is not None else 0))
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


def pack_statx(inode, mnt_id: int) -> bytes:
    major, minor = inode_dev(inode)
    rdev = inode.rdev
    mask = STATX_BASIC_STATS | STATX_MNT_ID
    return STATX.pack_fields(
        stx_mask=mask, stx_blksize=inode.blksize, stx_nlink=inode.nlink, stx_uid=inode.uid,
        stx_gid=inode.gid, stx_mode=inode.mode, stx_ino=inode.ino, stx_size=inode.size,
        stx_blocks=inode.blocks, stx_atime_sec=inode.atime // NS, stx_atime_nsec=inode.atime % NS,
        stx_ctime_sec=inode.ctime // NS, stx_ctime_nsec=inode.ctime % NS,
        stx_mtime_sec=inode.mtime // NS, stx_mtime_nsec=inode.mtime % NS,
        stx_rdev_major=rdev >> 8 & 0xFFF, stx_rdev_minor=(rdev & 0xFF) | (rdev >> 12 & ~0xFF),
        stx_dev_major=major, stx_dev_minor=minor, stx_mnt_id=mnt_id)


def pack_statfs(fs) -> bytes:
    info = fs.statfs()
    return STATFS.pack_fields(f_fsid0=fs.dev, f_fsid1=0, **info)


def sys_statfs(task, path: Ptr, buf: Ptr) -> int:
    """statfs(2): the file system of the mount the path is on (longest mount prefix)."""
    loc = resolve(task, AT_FDCWD, read_path(task, path))
    task.write(buf, pack_statfs(loc.mount.fs))
    return 0


def sys_fstatfs(task, fd: Fd, buf: Ptr) -> int:
    """fstatfs(2)."""
    file = task.process.fds.get(fd)
    if file.location is None or file.location.mount is None:
        from kevlar.fs.pseudo import pseudo_fs_of
        task.write(buf, pack_statfs(pseudo_fs_of(file)))
        return 0
    task.write(buf, pack_statfs(file.location.mount.fs))
    return 0


def sys_getdents64(task, fd: Fd, dirp: Ptr, count: UInt) -> int:
    """getdents64(2): "." and ".." first; offsets are stable cookies."""
    file = task.process.fds.get(fd)
    from kevlar.abi.errors import EBADF, ENOTDIR
    if file.flags & 0o10000000:  # O_PATH
        raise EBADF()
    if file.location is None or not file.inode.is_dir():
        raise ENOTDIR()
    records = file.getdents(count)
    data = b"".join(records)
    task.write(dirp, data)
    return len(data)


