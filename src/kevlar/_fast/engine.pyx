# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The Cython engine: waitpid, one GETREGS per stop into a fixed buffer, dispatch, resume.

Twin of kevlar/platform/engine.py (the pure reference): same methods, same order of
operations, same errors. Only the calls into libc differ (direct C here, ctypes there).
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize
from libc.errno cimport EINTR, errno
from libc.string cimport memchr, memcpy
from posix.types cimport pid_t

from kevlar.abi.errors import EFAULT, ENAMETOOLONG
from kevlar.platform.interface import (ACT_BASE, ACT_CONTINUE, ACT_NONE, ACT_STORE_CONTINUE,
                                       ACT_STORE_SYSCALL, ACT_SYSCALL)


cdef extern from "<sys/ptrace.h>":
    long c_ptrace "ptrace"(int request, pid_t pid, void *addr, void *data) nogil

cdef extern from "<sys/wait.h>":
    pid_t waitpid(pid_t pid, int *status, int options) nogil

cdef extern from "<sys/uio.h>":
    struct iovec:
        void *iov_base
        size_t iov_len
    ssize_t process_vm_readv(pid_t pid, const iovec *local, unsigned long liovcnt,
                             const iovec *remote, unsigned long riovcnt,
                             unsigned long flags) nogil
    ssize_t process_vm_writev(pid_t pid, const iovec *local, unsigned long liovcnt,
                              const iovec *remote, unsigned long riovcnt,
                              unsigned long flags) nogil

cdef enum:
    NREGS = 27
    R10 = 7
    R9 = 8
    R8 = 9
    RAX = 10
    RDX = 12
    RSI = 13
    RDI = 14
    ORIG_RAX = 15
    PTRACE_CONT = 7
    PTRACE_GETREGS = 12
    PTRACE_SETREGS = 13
    PTRACE_SYSCALL = 24
    PTRACE_GETEVENTMSG = 0x4201
    PTRACE_GETSIGINFO = 0x4202
    PTRACE_SETSIGINFO = 0x4203
    PTRACE_INTERRUPT = 0x4207
    SECCOMP_STOP = 5 | (7 << 8)
    WNOHANG = 1
    WALL = 0x40000000
    PAGE = 4096
    ESRCH = 3

cdef object _ACT_BASE = ACT_BASE
cdef object _ACT_CONTINUE = ACT_CONTINUE
cdef object _ACT_SYSCALL = ACT_SYSCALL
cdef object _ACT_STORE_CONTINUE = ACT_STORE_CONTINUE
cdef object _ACT_STORE_SYSCALL = ACT_STORE_SYSCALL
cdef object _ACT_NONE = ACT_NONE
cdef object _MASK = (1 << 64) - 1


cdef inline void _raise_lookup(long ret) except *:
    if ret == -1:
        if errno == ESRCH:
            raise ProcessLookupError(ESRCH, "No such process")
        raise OSError(errno, "ptrace failed")


cdef class Engine:
    """Stops, registers and guest memory through direct libc calls."""

    cdef readonly str name
    cdef public object kernel
    cdef public object regs
    cdef object _buf
    cdef unsigned long long *_r
    cdef unsigned long _msg
    cdef char _siginfo[128]

    def __init__(self, kernel):
        self.name = "cython"
        self.kernel = kernel
        self._buf = bytearray(NREGS * 8)
        self.regs = memoryview(self._buf).cast("Q")
        self._r = <unsigned long long *> <char *> self._buf

    # -- registers ------------------------------------------------------------------
    def load_regs(self, int tid):
        _raise_lookup(c_ptrace(PTRACE_GETREGS, tid, NULL, self._r))

    def store_regs(self, int tid):
        _raise_lookup(c_ptrace(PTRACE_SETREGS, tid, NULL, self._r))

    # -- thread control -------------------------------------------------------------
    cpdef resume(self, int tid, int how=PTRACE_CONT, long sig=0):
        """Restart a stopped thread; a thread that died meanwhile is not an error."""
        if c_ptrace(how, tid, NULL, <void *> sig) == -1 and errno != ESRCH:
            raise OSError(errno, "ptrace resume failed")

    def interrupt(self, int tid):
        if c_ptrace(PTRACE_INTERRUPT, tid, NULL, NULL) == -1 and errno != ESRCH:
            raise OSError(errno, "PTRACE_INTERRUPT failed")

    def event_msg(self, int tid):
        _raise_lookup(c_ptrace(PTRACE_GETEVENTMSG, tid, NULL, &self._msg))
        return self._msg

    def siginfo(self, int tid):
        _raise_lookup(c_ptrace(PTRACE_GETSIGINFO, tid, NULL, self._siginfo))
        return self._siginfo[:128]

    def set_siginfo(self, int tid, bytes data):
        memcpy(self._siginfo, PyBytes_AS_STRING(data), 128 if len(data) >= 128 else len(data))
        _raise_lookup(c_ptrace(PTRACE_SETSIGINFO, tid, NULL, self._siginfo))

    # -- guest memory ---------------------------------------------------------------
    cdef ssize_t _vm(self, bint write, pid_t pid, char *local, unsigned long addr, size_t size):
        cdef iovec liov, riov
        liov.iov_base = local
        liov.iov_len = size
        riov.iov_base = <void *> addr
        riov.iov_len = size
        if write:
            return process_vm_writev(pid, &liov, 1, &riov, 1, 0)
        return process_vm_readv(pid, &liov, 1, &riov, 1, 0)

    def read(self, int pid, unsigned long addr, size_t size):
        """Exactly size bytes at addr, or EFAULT (as copy_from_user)."""
        if size == 0:
            return b""
        data = PyBytes_FromStringAndSize(NULL, size)
        if self._vm(False, pid, PyBytes_AS_STRING(data), addr, size) != <ssize_t> size:
            raise EFAULT()
        return data

    def write(self, int pid, unsigned long addr, bytes data):
        """Write all of data at addr, or EFAULT (read-only pages fault, as copy_to_user)."""
        cdef size_t size = len(data)
        if size == 0:
            return
        if self._vm(True, pid, PyBytes_AS_STRING(data), addr, size) != <ssize_t> size:
            raise EFAULT()

    def read_cstring(self, int pid, unsigned long addr, size_t limit):
        """A NUL-terminated string of at most limit-1 bytes (strncpy_from_user rules):
        EFAULT if unreadable before the NUL, ENAMETOOLONG if no NUL within limit."""
        cdef char page[PAGE]
        cdef size_t have = 0, chunk
        cdef ssize_t got
        cdef char *nul
        out = bytearray()
        while have < limit:
            chunk = PAGE - (addr % PAGE)
            if chunk > limit - have:
                chunk = limit - have
            got = self._vm(False, pid, page, addr, chunk)
            if got <= 0:
                raise EFAULT()
            nul = <char *> memchr(page, 0, got)
            if nul != NULL:
                out += page[:nul - page]
                return bytes(out)
            out += page[:got]
            have += got
            addr += got
        raise ENAMETOOLONG()

    # -- the loop -------------------------------------------------------------------
    cpdef apply(self, int tid, object action):
        """Carry out kernel.syscall's action for a thread at a syscall stop."""
        if action < _ACT_BASE:
            self._r[ORIG_RAX] = 0xFFFFFFFFFFFFFFFF
            self._r[RAX] = <unsigned long long> (action & _MASK)
            if c_ptrace(PTRACE_SETREGS, tid, NULL, self._r) == -1:
                return
            self.resume(tid, PTRACE_CONT)
        elif action == _ACT_CONTINUE:
            self.resume(tid, PTRACE_CONT)
        elif action == _ACT_SYSCALL:
            self.resume(tid, PTRACE_SYSCALL)
        elif action == _ACT_STORE_CONTINUE or action == _ACT_STORE_SYSCALL:
            if c_ptrace(PTRACE_SETREGS, tid, NULL, self._r) == -1:
                return
            self.resume(tid, PTRACE_CONT if action == _ACT_STORE_CONTINUE else PTRACE_SYSCALL)
        elif action != _ACT_NONE:
            raise ValueError(f"unknown engine action {action}")

    cpdef int drain(self, bint block=False):
        """Handle every stop waitpid has for us; return how many. With block, wait for
        the first one (the loop does this when nothing but a stop can happen)."""
        cdef int status = 0, handled = 0
        cdef int flags = WALL if block else WALL | WNOHANG
        cdef pid_t tid
        cdef unsigned long long *r = self._r
        kernel = self.kernel
        tasks = kernel.tasks
        syscall = kernel.syscall
        on_stop = kernel.on_stop
        while True:
            tid = waitpid(-1, &status, flags)
            if tid <= 0:
                if tid < 0 and errno == EINTR:
                    continue
                return handled
            flags = WALL | WNOHANG
            handled += 1
            if (status & 0xFF) == 0x7F and (status >> 8) == SECCOMP_STOP:
                task = tasks.get(tid)
                if task is not None and task.ready:
                    if c_ptrace(PTRACE_GETREGS, tid, NULL, r) == -1:
                        continue  # killed while stopped; its exit status follows
                    action = syscall(task, r[ORIG_RAX], r[RDI], r[RSI], r[RDX], r[R10],
                                     r[R8], r[R9])
                    self.apply(tid, action)
                    continue
            on_stop(tid, status)
