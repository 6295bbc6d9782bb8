"""Per-task I/O accounting: the rchar/wchar/syscr/syscw counters of /proc/PID/io.

Linux counts in the VFS (vfs_read/vfs_write, do_readv/do_writev, sendfile,
copy_file_range, kernel_read): a call that reached the file bumps syscr/syscw, and the
bytes it moved go to rchar/wchar. The calls Kevlar answers are counted here, once, when
their handler finishes (a parked call is counted when it completes); the calls the
host runs (inherited terminal fds) are counted by the host, and /proc/PID/io adds the
host's numbers.
"""

from kevlar.abi.errors import EBADF, EFAULT, EINVAL, ESPIPE

READ, WRITE, BOTH = 1, 2, 3
# x86_64 numbers: read pread64 readv preadv preadv2; write pwrite64 writev pwritev
# pwritev2; sendfile and copy_file_range read and write.
CALLS = {0: READ, 17: READ, 19: READ, 295: READ, 327: READ,
         1: WRITE, 18: WRITE, 20: WRITE, 296: WRITE, 328: WRITE,
         40: BOTH, 326: BOTH}
# Errors found before vfs_read/vfs_write count the call (fdget, FMODE_*, access_ok,
# rw_verify_area, FMODE_PREAD).
UNCOUNTED = {-EBADF.errno, -EINVAL.errno, -EFAULT.errno, -ESPIPE.errno}
ACT_BASE = 1 << 64


class IoCounters:
    __slots__ = ("rchar", "wchar", "syscr", "syscw")

    def __init__(self):
        self.rchar = self.wchar = self.syscr = self.syscw = 0

    def add(self, kind: int, moved: int) -> None:
        if kind & READ:
            self.syscr += 1
            self.rchar += moved
        if kind & WRITE:
            self.syscw += 1
            self.wchar += moved


def account(task, nr: int, result) -> None:
    """Count one finished call if it is an I/O call Kevlar answered."""
    kind = CALLS.get(nr)
    if kind is None or not isinstance(result, int) or result >= ACT_BASE or result in UNCOUNTED:
        return
    moved = result if result > 0 else 0
    task.ioac.add(kind, moved)
    task.process.ioac.add(kind, moved)
