"""Inode flags (chattr/lsattr): FS_IOC_GETFLAGS/SETFLAGS and FS_IOC_FSGETXATTR
(fs/file_attr.c, mm/shmem.c shmem_fileattr_get/set), and the rules they impose.

`Inode.iflags` holds the FS_*_FL bits; a file system that keeps them says which it
lets users change (`iflags_modifiable`; tmpfs: append-only, immutable, nodump,
noatime). The VFS rules live at the call sites, as in Linux: an immutable inode refuses
write permission (inode_permission: EPERM, even for root), an append-only file opens
for writing only with O_APPEND and never truncates, neither may be unlinked, renamed,
linked, chmod/chown-ed, have explicit times or xattrs set (notify_change, may_delete,
vfs_link, xattr_permission); an append-only directory takes new names but loses none.
"""

import struct

from kevlar.abi.errors import ENOTTY, EOPNOTSUPP, EPERM, EROFS

FS_IMMUTABLE_FL = 0x10
FS_APPEND_FL = 0x20
FS_NODUMP_FL = 0x40
FS_NOATIME_FL = 0x80
TMPFS_MODIFIABLE = FS_IMMUTABLE_FL | FS_APPEND_FL | FS_NODUMP_FL | FS_NOATIME_FL
TMPFS_INHERITED = FS_NODUMP_FL | FS_NOATIME_FL  # SHMEM_FL_INHERITED (and casefold)
CAP_LINUX_IMMUTABLE = 9

FS_IOC_GETFLAGS = 0x80086601
FS_IOC_SETFLAGS = 0x40086602
FS_IOC_FSGETXATTR = 0x801C581F
IOCTLS = (FS_IOC_GETFLAGS, FS_IOC_SETFLAGS, FS_IOC_FSGETXATTR)
# struct fsxattr: xflags, extsize, nextents, projid, cowextsize, 8 pad bytes.
FSXATTR = struct.Struct("<5I8x")
UINT = struct.Struct("<I")
XFLAGS = ((FS_IMMUTABLE_FL, 0x8), (FS_APPEND_FL, 0x10), (FS_NOATIME_FL, 0x40),
          (FS_NODUMP_FL, 0x80))  # FS_XFLAG_IMMUTABLE, _APPEND, _NOATIME, _NODUMP


def immutable(inode) -> bool:
    return bool(inode.iflags & FS_IMMUTABLE_FL)


def append_only(inode) -> bool:
    return bool(inode.iflags & FS_APPEND_FL)


def check_unchangeable(inode) -> None:
    """IS_IMMUTABLE || IS_APPEND: EPERM (attributes, links, xattrs, removal)."""
    if inode.iflags & (FS_IMMUTABLE_FL | FS_APPEND_FL):
        raise EPERM()


def ioctl(task, file, cmd: int, arg: int) -> int:
    """ioctl_getflags/ioctl_setflags/ioctl_fsgetxattr on any open file of the inode."""
    inode = file.inode
    modifiable = getattr(inode, "iflags_modifiable", 0)
    if not modifiable:
        raise ENOTTY()  # no fileattr_get/set: ENOIOCTLCMD
    if cmd == FS_IOC_GETFLAGS:
        task.write(arg, UINT.pack(inode.iflags))  # an int, whatever the ioctl number says
        return 0
    if cmd == FS_IOC_FSGETXATTR:
        xflags = sum(x for bit, x in XFLAGS if inode.iflags & bit)
        task.write(arg, FSXATTR.pack(xflags, 0, 0, 0, 0))
        return 0
    flags = UINT.unpack(task.read(arg, UINT.size))[0]
    if (file.location is not None and file.location.mount is not None
            and file.location.mount.read_only) or inode.fs.read_only:
        raise EROFS()  # mnt_want_write_file
    creds = task.creds
    if creds.fsuid != 0 and creds.fsuid != inode.uid:
        raise EPERM()  # inode_owner_or_capable
    if (flags ^ inode.iflags) & (FS_APPEND_FL | FS_IMMUTABLE_FL) and not creds.capable(CAP_LINUX_IMMUTABLE):
        raise EPERM()  # fileattr_set_prepare
    if flags & ~modifiable:
        raise EOPNOTSUPP()
    inode.iflags = flags
    inode.touch(ctime=True)
    return 0
