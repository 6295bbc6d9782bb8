"""Per-run copies of disk images: a reflink (FICLONE) where the file system shares
extents (btrfs, xfs, bcachefs...), else a sparse copy (holes stay holes)."""

import errno
import fcntl
import os
import tempfile

FICLONE = 0x40049409  # _IOW(0x94, 9, int), include/uapi/linux/fs.h


def reflink(src_fd: int, dst_fd: int) -> bool:
    """FICLONE src into dst; False where the file systems cannot share extents."""
    try:
        fcntl.ioctl(dst_fd, FICLONE, src_fd)
        return True
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.ENOTTY, errno.EXDEV, errno.EINVAL, errno.ENOSYS,
                         errno.EBADF, errno.EPERM):
            return False
        raise


def sparse_copy(src_fd: int, dst_fd: int) -> None:
    """Copy the data extents only (SEEK_DATA / SEEK_HOLE), then set the size."""
    size = os.fstat(src_fd).st_size
    pos = 0
    while pos < size:
        try:
            data = os.lseek(src_fd, pos, os.SEEK_DATA)
        except OSError as exc:
            if exc.errno == errno.ENXIO:
                break  # only a hole is left
            raise
        hole = os.lseek(src_fd, data, os.SEEK_HOLE)
        offset = data
        while offset < hole:
            done = os.copy_file_range(src_fd, dst_fd, hole - offset, offset, offset)
            if done <= 0:
                os.lseek(src_fd, offset, os.SEEK_SET)
                chunk = os.pread(src_fd, min(hole - offset, 1 << 20), offset)
                if not chunk:
                    break
                os.pwrite(dst_fd, chunk, offset)
                done = len(chunk)
            offset += done
        pos = hole
    os.ftruncate(dst_fd, size)


def clone_into(src: str, dst_fd: int) -> str:
    """Make the open, empty file dst_fd a copy of src; returns "reflink" or "copy"."""
    with open(src, "rb") as f:
        if reflink(f.fileno(), dst_fd):
            return "reflink"
        sparse_copy(f.fileno(), dst_fd)
        return "copy"


def clone_file(src: str, dst: str) -> str:
    """dst (replaced atomically) becomes a copy of src; returns how it was made."""
    directory = os.path.dirname(os.path.abspath(dst)) or "."
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".clone-")
    try:
        how = clone_into(src, fd)
        os.fchmod(fd, 0o644)
        os.close(fd)
        fd = -1
        os.replace(tmp, dst)
        return how
    except BaseException:
        if fd >= 0:
            os.close(fd)
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def private_clone(src: str) -> tuple[int, str]:
    """An open, already unlinked read-write clone of src (nothing to clean up, however
    the process ends). Made beside src when possible (a reflink needs the same file
    system), else in the temporary directory."""
    candidates = [os.path.dirname(os.path.abspath(src)), tempfile.gettempdir()]
    last: OSError | None = None
    for directory in candidates:
        try:
            fd, tmp = tempfile.mkstemp(dir=directory, prefix=".kevlar-snapshot-")
        except OSError as exc:
            last = exc
            continue
        os.unlink(tmp)
        try:
            how = clone_into(src, fd)
        except OSError as exc:
            os.close(fd)
            last = exc
            continue
        return fd, how
    raise last or OSError(errno.EIO, "no directory for a snapshot")


__all__ = ["clone_file", "clone_into", "private_clone", "reflink", "sparse_copy", "FICLONE"]
