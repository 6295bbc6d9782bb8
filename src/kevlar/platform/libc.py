"""ctypes bindings for what the os module lacks: ptrace, process_vm_readv/writev, prctl,
seccomp, signalfd. Used by spawn, the probes and the pure engine; the Cython engine calls
the same functions directly from C.
"""

import ctypes
import ctypes.util
import os

libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)

SYS_seccomp = 317
SYS_process_vm_readv = 310
SYS_process_vm_writev = 311


class iovec(ctypes.Structure):
    _fields_ = [("iov_base", ctypes.c_void_p), ("iov_len", ctypes.c_size_t)]


class sock_filter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8),
                ("k", ctypes.c_uint32)]


class sock_fprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(sock_filter))]


_ptrace = libc.ptrace
_ptrace.restype = ctypes.c_long
_ptrace.argtypes = [ctypes.c_long, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p]
_syscall = libc.syscall
_syscall.restype = ctypes.c_long
_prctl = libc.prctl
_prctl.restype = ctypes.c_int
_prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]


def _check(ret: int) -> int:
    if ret == -1:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return ret


def ptrace(request: int, pid: int, addr: int = 0, data: int = 0) -> int:
    """ptrace(2); raises OSError. PEEK requests need peek() (their -1 is ambiguous)."""
    return _check(_ptrace(request, pid, addr, data))


def prctl(option: int, a2: int = 0, a3: int = 0, a4: int = 0, a5: int = 0) -> int:
    return _check(_prctl(option, a2, a3, a4, a5))


def seccomp_set_filter(program: bytes) -> None:
    """seccomp(SECCOMP_SET_MODE_FILTER, 0, prog) with a packed sock_filter array."""
    count = len(program) // 8
    filters = (sock_filter * count).from_buffer_copy(program)
    prog = sock_fprog(count, filters)
    _check(_syscall(SYS_seccomp, ctypes.c_uint(1), ctypes.c_uint(0), ctypes.byref(prog)))


def _vm_call(nr: int, pid: int, local: ctypes.Array, addr: int, size: int) -> int:
    liov = iovec(ctypes.addressof(local), size)
    riov = iovec(addr, size)
    return _check(_syscall(nr, ctypes.c_int(pid), ctypes.byref(liov), ctypes.c_ulong(1),
                           ctypes.byref(riov), ctypes.c_ulong(1), ctypes.c_ulong(0)))


def process_vm_read(pid: int, addr: int, size: int) -> bytes:
    """Read up to size bytes; a short result means the range crossed into unmapped memory."""
    buf = ctypes.create_string_buffer(size)
    n = _vm_call(SYS_process_vm_readv, pid, buf, addr, size)
    return buf.raw[:n]


def process_vm_write(pid: int, addr: int, data: bytes) -> int:
    buf = ctypes.create_string_buffer(data, len(data))
    return _vm_call(SYS_process_vm_writev, pid, buf, addr, len(data))


def signalfd_for(signals: set[int]) -> int:
    """A non-blocking signalfd for the given (already blocked) signals."""
    mask = ctypes.c_uint64(sum(1 << (s - 1) for s in signals))
    sfd_nonblock_cloexec = os.O_NONBLOCK | os.O_CLOEXEC
    return _check(libc.signalfd(-1, ctypes.byref(mask), sfd_nonblock_cloexec))


SYS_tgkill = 234


def tgkill(tgid: int, tid: int, sig: int) -> None:
    """Send a signal to one thread; a vanished thread is not an error."""
    if _syscall(SYS_tgkill, ctypes.c_int(tgid), ctypes.c_int(tid), ctypes.c_int(sig)) == -1:
        err = ctypes.get_errno()
        if err != 3:  # ESRCH
            raise OSError(err, os.strerror(err))


def sysinfo_raw() -> bytes:
    """The host's struct sysinfo (112 bytes)."""
    buf = ctypes.create_string_buffer(112)
    _check(libc.sysinfo(buf))
    return buf.raw


SYS_rt_sigqueueinfo = 129
SYS_rt_tgsigqueueinfo = 297


def sigqueueinfo(tgid: int, tid: int, sig: int, info: bytes) -> None:
    """rt_sigqueueinfo(tgid, sig, info), or rt_tgsigqueueinfo when tid is not 0."""
    buf = ctypes.create_string_buffer(info, 128)
    if tid:
        ret = _syscall(SYS_rt_tgsigqueueinfo, ctypes.c_int(tgid), ctypes.c_int(tid),
                       ctypes.c_int(sig), buf)
    else:
        ret = _syscall(SYS_rt_sigqueueinfo, ctypes.c_int(tgid), ctypes.c_int(sig), buf)
    _check(ret)


# -- file system helpers for tmpfs memfds and host binds (fs/tmpfs.py, fs/hostfs.py) --------
SYS_fallocate = 285
SYS_openat2 = 437


class open_how(ctypes.Structure):
    _fields_ = [("flags", ctypes.c_uint64), ("mode", ctypes.c_uint64), ("resolve", ctypes.c_uint64)]


def fallocate(fd: int, mode: int, offset: int, length: int) -> None:
    """fallocate(2) with a mode (os.posix_fallocate has none)."""
    _check(_syscall(SYS_fallocate, ctypes.c_int(fd), ctypes.c_int(mode), ctypes.c_long(offset),
                    ctypes.c_long(length)))


def openat2(dirfd: int, path: bytes, flags: int, mode: int = 0, resolve: int = 0) -> int:
    """openat2(2); Python has no wrapper. Raises OSError with the errno."""
    how = open_how(flags, mode, resolve)
    return _check(_syscall(SYS_openat2, ctypes.c_int(dirfd), ctypes.c_char_p(path),
                           ctypes.byref(how), ctypes.c_size_t(ctypes.sizeof(how))))


def fstatfs(fd: int) -> tuple[int, ...]:
    """struct statfs of a host fd: (f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files,
    f_ffree, fsid0, fsid1, f_namelen, f_frsize, f_flags)."""
    buf = ctypes.create_string_buffer(120)
    _check(libc.fstatfs(ctypes.c_int(fd), buf))
    import struct
    return struct.unpack_from("<qqQQQQQiiqqq", buf.raw)


SYS_renameat2 = 316


def renameat2(olddirfd: int, old: bytes, newdirfd: int, new: bytes, flags: int) -> None:
    """renameat2(2) (RENAME_NOREPLACE, RENAME_EXCHANGE, RENAME_WHITEOUT)."""
    _check(_syscall(SYS_renameat2, ctypes.c_int(olddirfd), ctypes.c_char_p(old),
                    ctypes.c_int(newdirfd), ctypes.c_char_p(new), ctypes.c_uint(flags)))
