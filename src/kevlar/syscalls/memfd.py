"""memfd_create(2) and file seals (F_ADD_SEALS, F_GET_SEALS): mm/memfd.c.

A memfd is a tmpfs file with no name on Kevlar's internal shm mount, so it has every
tmpfs behaviour (holes, fallocate, mmap through a host memfd) and /proc/PID/fd shows it
as "/memfd:NAME (deleted)". Seals are enforced in tmpfs (TmpfsInode.seals).
"""

from kevlar.abi.constants import F_ADD_SEALS, F_GET_SEALS, O_LARGEFILE, O_RDWR, S_IFDIR, S_IFREG
from kevlar.abi.errors import EBUSY, EFAULT, EINVAL, ENAMETOOLONG, EPERM
from kevlar.fs.tmpfs import Tmpfs
from kevlar.fs.vfs import Location, Mount
from kevlar.syscalls.args import Ptr, UInt
from kevlar.syscalls.common import install_fd

MFD_CLOEXEC = 0x0001
MFD_ALLOW_SEALING = 0x0002
MFD_HUGETLB = 0x0004
MFD_NOEXEC_SEAL = 0x0008
MFD_EXEC = 0x0010
MFD_HUGE_MASK = 0x3F << 26
MFD_ALL_FLAGS = MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | MFD_NOEXEC_SEAL | MFD_EXEC
MFD_NAME_PREFIX = b"memfd:"
MFD_NAME_MAX_LEN = 255 - len(MFD_NAME_PREFIX)

F_SEAL_SEAL = 0x0001
F_SEAL_SHRINK = 0x0002
F_SEAL_GROW = 0x0004
F_SEAL_WRITE = 0x0008
F_SEAL_FUTURE_WRITE = 0x0010
F_SEAL_EXEC = 0x0020
F_ALL_SEALS = (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE
               | F_SEAL_EXEC)

_shm_mount = None


def shm_mount() -> Mount:
    """The internal tmpfs memfds live on (shm_mnt): mounted nowhere."""
    global _shm_mount
    if _shm_mount is None:
        fs = Tmpfs(mode=0o1777)
        fs.name = "tmpfs"
        _shm_mount = Mount(fs, fs.root, source=b"shm")
    return _shm_mount


def sys_memfd_create(task, uname: Ptr, flags: UInt) -> int:
    """memfd_create(2): EINVAL for unknown flags or a name longer than 249 bytes;
    MFD_HUGETLB is refused (EINVAL) as without hugetlbfs pages; sealing is allowed only
    with MFD_ALLOW_SEALING (else F_SEAL_SEAL is set from the start)."""
    if flags & MFD_HUGETLB:
        raise EINVAL()
    if flags & ~MFD_ALL_FLAGS:
        raise EINVAL()
    if flags & MFD_EXEC and flags & MFD_NOEXEC_SEAL:
        raise EINVAL()
    if uname == 0:
        raise EFAULT()
    try:
        name = task.read_cstring(uname, MFD_NAME_MAX_LEN + 1)
    except ENAMETOOLONG:
        raise EINVAL() from None  # longer than MFD_NAME_MAX_LEN
    mnt = shm_mount()
    creds = task.creds
    mode = 0o666 if flags & MFD_NOEXEC_SEAL else 0o777
    inode = mnt.root.make_unlinked(S_IFREG | mode, creds.fsuid, creds.fsgid)
    inode.seals = 0 if flags & MFD_ALLOW_SEALING else F_SEAL_SEAL
    if flags & MFD_NOEXEC_SEAL:
        inode.seals |= F_SEAL_EXEC
    inode.memfd_name = name
    loc = Location(mnt, inode, mnt.root, MFD_NAME_PREFIX + name)
    file = inode.open(task, loc, O_RDWR | O_LARGEFILE)
    return install_fd(task, file, bool(flags & MFD_CLOEXEC))


def _sealable(file):
    inode = file.inode
    if inode is None or not hasattr(inode, "seals") or not inode.is_reg():
        raise EINVAL()
    return inode


def fcntl_add_seals(task, fd: int, file, arg: int) -> int:
    """memfd_add_seals: EPERM once F_SEAL_SEAL is set or when the file is not open for
    writing; EBUSY for F_SEAL_WRITE while a writable shared mapping exists."""
    inode = _sealable(file)
    seals = arg & 0xFFFFFFFF
    if not file.writable:
        raise EPERM()
    if seals & ~F_ALL_SEALS:
        raise EINVAL()
    if inode.seals & F_SEAL_SEAL:
        raise EPERM()
    if seals & F_SEAL_WRITE and not inode.seals & F_SEAL_WRITE and getattr(inode, "shared_writers", 0):
        raise EBUSY()
    inode.seals |= seals
    return 0


def fcntl_get_seals(task, fd: int, file, arg: int) -> int:
    return _sealable(file).seals


def _register() -> None:
    from kevlar.syscalls import locks
    locks.FCNTL_COMMANDS.setdefault(F_ADD_SEALS, fcntl_add_seals)
    locks.FCNTL_COMMANDS.setdefault(F_GET_SEALS, fcntl_get_seals)


_register()

__all__ = ["sys_memfd_create", "shm_mount", "F_SEAL_WRITE", "F_SEAL_SHRINK", "F_SEAL_GROW", "S_IFDIR"]
