"""Linux errors as exceptions: handlers `raise EBADF()`, the dispatcher writes -errno.

One class per errno name (from the host's errno table, which is Linux's), all
subclasses of LinuxError, so `except EAGAIN:` reads like the kernel source.
The kernel-internal restart codes (include/linux/errno.h) are here too: they never
reach a guest as a result, only through the signal-restart logic.
"""

import errno as _errno


class LinuxError(Exception):
    """A syscall failure with a Linux errno; `str()` is the errno name."""

    errno = 0

    def __init__(self, message: str = ""):
        super().__init__(message or type(self).__name__)


def _make(name: str, number: int) -> type:
    return type(name, (LinuxError,), {"errno": number, "__doc__": f"errno {number} ({name})."})


# Kernel-internal codes from include/linux/errno.h.
ERESTARTSYS = 512
ERESTARTNOINTR = 513
ERESTARTNOHAND = 514
ERESTART_RESTARTBLOCK = 516

ERRNO_NAMES: dict[int, str] = dict(_errno.errorcode)
ERRNO_NAMES[_errno.EAGAIN] = "EAGAIN"  # not EWOULDBLOCK
ERRNO_NAMES[_errno.EDEADLK] = "EDEADLK"
ERRNO_NAMES[_errno.ENOTSUP] = "EOPNOTSUPP"

BY_NUMBER: dict[int, type] = {n: _make(name, n) for n, name in ERRNO_NAMES.items()}
# Every name the errno table knows, aliases included (EWOULDBLOCK is EAGAIN's class).
globals().update({name: BY_NUMBER[getattr(_errno, name)] for name in dir(_errno) if name.startswith("E")})


def error_name(number: int) -> str:
    """'ENOENT' for 2; 'E<n>' for numbers Linux does not name."""
    return ERRNO_NAMES.get(number, f"E{number}")


def from_oserror(exc: OSError) -> LinuxError:
    """Turn a host OSError (e.g. from a bind's openat2) into the same Linux error."""
    return BY_NUMBER.get(exc.errno, BY_NUMBER[_errno.EIO])(str(exc))
