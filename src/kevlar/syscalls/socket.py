"""Socket syscalls (net/socket.c, net/compat.c's native halves, net/core/scm.c).

Kevlar has one address family, AF_UNIX (kevlar.ipc.unix); every other family is
EAFNOSUPPORT (networking is out of scope; the table says so). This module is the
syscall boundary: it copies addresses, msghdrs, iovecs and control messages in and out
of guest memory with Linux's checks in Linux's order, turns SCM_RIGHTS into files and
back into fds, and leaves the protocol to the Sock.

Order of checks, as net/socket.c does them (it matters for bad-input errnos):
- socket/socketpair: flags (EINVAL), family range (EAFNOSUPPORT), type range (EINVAL),
  family (EAFNOSUPPORT), protocol and type (unix_create); socketpair reserves both fds
  (EMFILE) and writes them to the user array (EFAULT) before creating anything.
- calls on an fd: EBADF, then ENOTSOCK (connect reads the address first, accept4 checks
  its flags and reserves the new fd first).
- addresses: move_addr_to_kernel (length < 0 or > 128 EINVAL, copy EFAULT); results
  with move_addr_to_user (the user's length is read first, truncation, the full length
  written back).
- msghdr: copy (EFAULT), msg_namelen < 0 (EINVAL, clamped to 128), name copy, msg_iovlen
  > UIO_MAXIOV (EMSGSIZE), the iovecs (EFAULT, negative length EINVAL, access_ok), then
  for sending the control buffer (> INT_MAX or beyond optmem_max ENOBUFS, EFAULT) and
  __scm_send (malformed cmsg EINVAL, bad fd EBADF, credentials EPERM/ESRCH/EINVAL).
"""

import os
import stat as stat_mod
import struct

from kevlar.abi.constants import MAX_RW_COUNT
from kevlar.abi.errors import (
    EAFNOSUPPORT,
    EAGAIN,
    EBADF,
    EFAULT,
    EINTR,
    EINVAL,
    EMFILE,
    EMSGSIZE,
    ENOBUFS,
    ENOTSOCK,
    EOPNOTSUPP,
    EPERM,
    ESRCH,
    LinuxError,
)
from kevlar.abi.net import (
    AF_INET,
    AF_INET6,
    AF_MAX,
    AF_UNIX,
    CMSGHDR,
    MMSG_LEN_OFFSET,
    MMSGHDR,
    MSG_CMSG_CLOEXEC,
    MSG_CMSG_COMPAT,
    MSG_CONTROLLEN_OFFSET,
    MSG_CTRUNC,
    MSG_DONTWAIT,
    MSG_ERRQUEUE,
    MSG_FLAGS_OFFSET,
    MSG_INTERNAL_SENDMSG_FLAGS,
    MSG_NAMELEN_OFFSET,
    MSG_WAITFORONE,
    MSGHDR,
    SCM_CREDENTIALS,
    SCM_MAX_FD,
    SCM_RIGHTS,
    SO_INQ,
    SOCK_CLOEXEC,
    SOCK_DGRAM,
    SOCK_MAX,
    SOCK_NONBLOCK,
    SOCK_STREAM,
    SOCK_TYPE_MASK,
    SOCKADDR_STORAGE_SIZE,
    SOL_SOCKET,
    UCRED,
    UIO_MAXIOV,
    cmsg_align,
    cmsg_len,
    cmsg_space,
)
from kevlar.abi.structs import IOVEC, TIMESPEC
from kevlar.fs.hostfile import HostFile
from kevlar.ipc import unix
from kevlar.ipc.unix import (
    IoVec,
    Progress,
    Scm,
    SocketFile,
    check_create,
    limit,
    new_socket,
    resume,
    timestamp_cmsgs,
)
from kevlar.process.blocking import Block
from kevlar.syscalls.args import Fd, Int, Ptr, Size, UInt
from kevlar.syscalls.common import (
    TASK_SIZE,
    access_ok,
    get_int,
    host_passthrough,
    install_fd,
    nofile_limit,
    put_int,
)
from kevlar.timers import monotonic_ns

INT_MAX = 0x7FFFFFFF
OVERFLOWUID = 65534  # what an unmapped (invalid) uid reads as


# -- lookups --------------------------------------------------------------------------------

def _host_socket(file) -> bool:
    try:
        return stat_mod.S_ISSOCK(os.fstat(file.host_fd).st_mode)
    except OSError:
        return False


def sockfd(task, fd: int) -> SocketFile:
    """sockfd_lookup_light(): EBADF, then ENOTSOCK."""
    file = task.process.fds.get(fd)
    if isinstance(file, SocketFile):
        return file
    raise ENOTSOCK()


def _host_or_sock(task, fd: int, names: bool = False):
    """For calls that may pass through to a socket the guest inherited from the host
    (fds 0-2): the SocketFile, or the engine action that runs the call on the host. A
    call that carries an address (`names`) would reach the host's namespace: EOPNOTSUPP."""
    file = task.process.fds.get(fd)
    if isinstance(file, SocketFile):
        return file, None
    if isinstance(file, HostFile) and _host_socket(file):
        if names:
            raise EOPNOTSUPP()
        return None, host_passthrough(task, file, 0, fd)
    raise ENOTSOCK()


def _no_host(task, fd: int) -> SocketFile:
    """Calls that would carry names or files between the guest and a host socket are not
    allowed on one (EOPNOTSUPP); on anything else that is not a socket, ENOTSOCK."""
    file = task.process.fds.get(fd)
    if isinstance(file, SocketFile):
        return file
    if isinstance(file, HostFile) and _host_socket(file):
        raise EOPNOTSUPP()
    raise ENOTSOCK()


# -- guest memory -----------------------------------------------------------------------------

def move_addr_to_kernel(task, uaddr: int, ulen: int) -> bytes:
    if ulen < 0 or ulen > SOCKADDR_STORAGE_SIZE:
        raise EINVAL()
    if ulen == 0:
        return b""
    return task.read(uaddr, ulen)


def move_addr_to_user(task, addr: bytes, uaddr: int, ulen_ptr: int) -> None:
    """Copy as much of addr as the user's length allows; write back the full length."""
    length = get_int(task, ulen_ptr)
    klen = len(addr)
    if length > klen:
        length = klen
    if length < 0:
        raise EINVAL()
    if length:
        task.write(uaddr, addr[:length])
    put_int(task, ulen_ptr, klen)


def import_iovec(task, iov: int, count: int) -> list[tuple[int, int]]:
    """import_iovec(): every entry is read first (a negative length is EINVAL), then each
    is checked with access_ok (EFAULT); the total is clamped to MAX_RW_COUNT."""
    if count > UIO_MAXIOV:
        raise EINVAL()
    if count == 0:
        return []
    raw = task.read(iov, IOVEC.size * count)
    vecs = [IOVEC.struct.unpack_from(raw, i * IOVEC.size) for i in range(count)]
    for _, length in vecs:
        if length >> 63:
            raise EINVAL()
    out = []
    total = 0
    for base, length in vecs:
        if length and (base > TASK_SIZE or base + length > TASK_SIZE):
            raise EFAULT()
        if length > MAX_RW_COUNT - total:
            length = MAX_RW_COUNT - total
        total += length
        out.append((base, length))
    return out


class Msg:
    """A user msghdr copied in (copy_msghdr_from_user)."""

    __slots__ = ("name_ptr", "name", "namelen", "vecs", "control_ptr", "controllen", "flags")


def copy_msghdr(task, ptr: int, sending: bool) -> Msg:
    raw = task.read(ptr, MSGHDR.size)
    hdr = MSGHDR.unpack(raw)
    msg = Msg()
    msg.name_ptr = hdr.msg_name
    namelen = hdr.msg_namelen if hdr.msg_name else 0
    if namelen < 0:
        raise EINVAL()
    namelen = min(namelen, SOCKADDR_STORAGE_SIZE)
    msg.namelen = namelen
    msg.name = None
    if sending and hdr.msg_name and namelen:
        msg.name = move_addr_to_kernel(task, hdr.msg_name, namelen)
    if hdr.msg_iovlen > UIO_MAXIOV:
        raise EMSGSIZE()
    msg.vecs = import_iovec(task, hdr.msg_iov, hdr.msg_iovlen)
    msg.control_ptr = hdr.msg_control
    msg.controllen = hdr.msg_controllen
    msg.flags = hdr.msg_flags
    return msg


def scm_send(task, control: bytes) -> Scm:
    """__scm_send(): walk the control messages (CMSG_FIRSTHDR/CMSG_NXTHDR); each must
    fit (EINVAL); SOL_SOCKET ones must be SCM_RIGHTS or SCM_CREDENTIALS."""
    scm = Scm()
    try:
        size = len(control)
        off = 0 if size >= CMSGHDR.size else None
        while off is not None:
            length, level, kind = CMSGHDR.struct.unpack_from(control, off)
            if length < CMSGHDR.size or length > size - off:
                raise EINVAL()
            if level == SOL_SOCKET:
                data = control[off + CMSGHDR.size:off + length]
                if kind == SCM_RIGHTS:
                    _scm_fp_copy(task, scm, data)
                elif kind == SCM_CREDENTIALS:
                    _scm_creds(task, scm, length, data)
                else:
                    raise EINVAL()
            nxt = off + cmsg_align(length)
            off = nxt if nxt + CMSGHDR.size <= size else None
    except BaseException:
        scm.destroy()
        raise
    return scm


def _scm_fp_copy(task, scm: Scm, data: bytes) -> None:
    """scm_fp_copy(): up to SCM_MAX_FD files in all, each taken with a reference
    (fget_raw: O_PATH files too); a closed or negative fd is EBADF."""
    num = len(data) // 4
    if num <= 0:
        return
    if num > SCM_MAX_FD:
        raise EINVAL()
    if scm.fds is None:
        scm.fds = []
    if len(scm.fds) + num > SCM_MAX_FD:
        raise EINVAL()
    fds = task.process.fds
    for (fd,) in struct.iter_unpack("<i", data[:num * 4]):
        if fd < 0:
            raise EBADF()
        file = fds.get_raw(fd) if hasattr(fds, "get_raw") else fds.get(fd)
        scm.fds.append(file.get())


def _pid_exists(kernel, pid: int) -> bool:
    if pid <= 0:
        return False
    if pid in kernel.threads:
        return True
    proc = kernel.processes.get(pid)
    return proc is not None and not proc.reaped


def _scm_creds(task, scm: Scm, length: int, data: bytes) -> None:
    """SCM_CREDENTIALS: exactly one struct ucred; non-root may only send its own pid and
    one of its uids/gids (scm_check_creds); the pid must exist."""
    if length != cmsg_len(UCRED.size):
        raise EINVAL()
    pid, uid, gid = UCRED.struct.unpack_from(data)
    if uid == 0xFFFFFFFF or gid == 0xFFFFFFFF:
        raise EINVAL()
    creds = task.creds
    root = creds.is_root
    if not ((pid == task.process.pid or root)
            and (uid in (creds.uid, creds.euid, creds.suid) or root)
            and (gid in (creds.gid, creds.egid, creds.sgid) or root)):
        raise EPERM()
    if not _pid_exists(task.kernel, pid):
        raise ESRCH()
    scm.creds = (pid, uid, gid)


class CmsgWriter:
    """put_cmsg() and scm_detach_fds() into the user's control buffer: a message that does
    not fit is truncated and MSG_CTRUNC set; write faults are ignored, as Linux does."""

    def __init__(self, task, ptr: int, length: int):
        self.task = task
        self.start = ptr
        self.ptr = ptr
        self.left = length
        self.flags = 0

    @property
    def used(self) -> int:
        return self.ptr - self.start

    def put(self, level: int, kind: int, payload: bytes) -> None:
        cmlen = cmsg_len(len(payload))
        if not self.ptr or self.left < CMSGHDR.size:
            self.flags |= MSG_CTRUNC
            return
        if self.left < cmlen:
            self.flags |= MSG_CTRUNC
            cmlen = self.left
        try:
            self.task.write(self.ptr, CMSGHDR.pack(cmlen, level, kind)
                            + payload[:cmlen - CMSGHDR.size])
        except EFAULT:
            return
        step = min(cmsg_space(len(payload)), self.left)
        self.ptr += step
        self.left -= step

    def put_fds(self, files: list, cloexec: bool) -> None:
        """Install as many of files as fit as new fds of the receiver; the rest are
        closed and MSG_CTRUNC is set."""
        task = self.task
        fdmax = 0 if self.left <= CMSGHDR.size else (self.left - CMSGHDR.size) // 4
        fdmax = min(fdmax, len(files))
        table = task.process.fds
        installed = 0
        data_at = self.ptr + CMSGHDR.size
        for i in range(fdmax):
            table.max_fds = nofile_limit(task)
            try:
                fd = table.lowest_free()
                task.write(data_at + 4 * i, struct.pack("<i", fd))
            except LinuxError:
                break
            table.install(files[i], cloexec)
            installed += 1
        if installed:
            try:
                task.write(self.ptr, CMSGHDR.pack(cmsg_len(installed * 4), SOL_SOCKET, SCM_RIGHTS))
            except EFAULT:
                pass
            else:
                step = min(cmsg_space(installed * 4), self.left)
                self.ptr += step
                self.left -= step
        if installed < len(files) or (files and fdmax <= 0):
            self.flags |= MSG_CTRUNC
        for file in files:
            file.put()


def deliver_ancillary(task, sock, result, writer: CmsgWriter | None, flags: int) -> int:
    """The receive side of the control messages (__sock_recv_timestamp, scm_recv_unix,
    SCM_INQ); returns the MSG_CTRUNC bit if anything did not fit. Without a control
    buffer, passed fds are closed."""
    fds, result.fds = result.fds, None
    if writer is None or not writer.ptr:
        for file in fds or ():
            file.put()
        if sock.passcred or sock.passpidfd or fds:
            return MSG_CTRUNC
        return 0
    if sock.type != SOCK_STREAM and sock.tstamp & 1:
        for kind, payload in timestamp_cmsgs(sock, result.stamp or _now_ns()):
            writer.put(SOL_SOCKET, kind, payload)
    if sock.passcred:
        pid, uid, gid = result.creds
        if uid == 0xFFFFFFFF:
            uid = OVERFLOWUID
        if gid == 0xFFFFFFFF:
            gid = OVERFLOWUID
        writer.put(SOL_SOCKET, SCM_CREDENTIALS, UCRED.pack(pid, uid, gid))
    if fds:
        writer.put_fds(fds, bool(flags & MSG_CMSG_CLOEXEC))
    if sock.type == SOCK_STREAM and sock.inq:
        writer.put(SOL_SOCKET, SO_INQ, struct.pack("<i", sock.inq_len()))
    return writer.flags


def _now_ns() -> int:
    import time
    return time.time_ns()


# -- socket, socketpair -------------------------------------------------------------------------

def _split_type(kind: int) -> tuple[int, int]:
    flags = kind & ~SOCK_TYPE_MASK
    if flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK):
        raise EINVAL()
    return kind & SOCK_TYPE_MASK, flags


def _create_check(family: int, kind: int, protocol: int) -> int:
    """__sock_create() up to the family's create(): which errno a socket of this family,
    type and protocol gets, and the type an AF_UNIX socket will have."""
    if family < 0 or family >= AF_MAX:
        raise EAFNOSUPPORT()
    if kind < 0 or kind >= SOCK_MAX:
        raise EINVAL()
    if family != AF_UNIX:
        raise EAFNOSUPPORT()  # Kevlar has no networking: AF_INET, AF_INET6, AF_NETLINK...
    return check_create(kind, protocol)


def sys_socket(task, family: Int, kind: Int, protocol: Int) -> int:
    """socket(2)."""
    kind, flags = _split_type(kind)
    kind = _create_check(family, kind, protocol)
    file = new_socket(task, kind, flags)
    try:
        return install_fd(task, file, bool(flags & SOCK_CLOEXEC))
    except BaseException:
        file.release()
        raise


def sys_socketpair(task, family: Int, kind: Int, protocol: Int, usockvec: Ptr) -> int:
    """socketpair(2): both fds are reserved and written to the user's array before the
    sockets exist (so a creation error still leaves the numbers there, as Linux does)."""
    kind, flags = _split_type(kind)
    table = task.process.fds
    table.max_fds = nofile_limit(task)
    fd1 = table.lowest_free()
    fd2 = fd1 + 1
    while fd2 in table.files:
        fd2 += 1
    if fd2 >= table.max_fds:
        raise EMFILE()
    task.write(usockvec, struct.pack("<i", fd1))
    task.write(usockvec + 4, struct.pack("<i", fd2))
    if family in (AF_INET, AF_INET6) and 0 <= kind < SOCK_MAX and kind in (SOCK_STREAM, SOCK_DGRAM) \
            and protocol == 0:
        raise EOPNOTSUPP()  # inet sockets have no socketpair (sock_no_socketpair)
    kind = _create_check(family, kind, protocol)
    a = new_socket(task, kind, flags)
    b = new_socket(task, kind, flags)
    unix.pair(task, a.sock, b.sock)
    cloexec = bool(flags & SOCK_CLOEXEC)
    table.install(a, cloexec)
    table.install(b, cloexec)
    return 0


# -- names and connections ------------------------------------------------------------------

def sys_bind(task, fd: Fd, umyaddr: Ptr, addrlen: Int) -> int:
    """bind(2)."""
    file = _no_host(task, fd)
    addr = move_addr_to_kernel(task, umyaddr, addrlen)
    file.sock.bind(task, addr)
    return 0


def sys_listen(task, fd: Fd, backlog: Int) -> int:
    """listen(2): a backlog above net.core.somaxconn (or negative) is somaxconn."""
    file = _no_host(task, fd)
    somaxconn = limit("core/somaxconn")
    if backlog & 0xFFFFFFFF > somaxconn:
        backlog = somaxconn
    file.sock.listen(task, backlog)
    return 0


def sys_connect(task, fd: Fd, uservaddr: Ptr, addrlen: Int) -> int:
    """connect(2): the address is copied before the fd is known to be a socket."""
    task.process.fds.get(fd)
    addr = move_addr_to_kernel(task, uservaddr, addrlen)
    file = _no_host(task, fd)
    file.sock.connect(task, addr, file.nonblocking, ("connect", fd, uservaddr, addrlen))
    return 0


def sys_accept4(task, fd: Fd, upeer_sockaddr: Ptr, upeer_addrlen: Ptr, flags: Int) -> int:
    """accept4(2): EBADF, flags EINVAL, EMFILE, ENOTSOCK, then the protocol. A failure to
    copy the peer's address out loses the connection, as in Linux."""
    table = task.process.fds
    table.get(fd)
    if flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK):
        raise EINVAL()
    table.max_fds = nofile_limit(task)
    table.lowest_free()
    file = _no_host(task, fd)
    embryo = file.sock.accept(task, file.nonblocking,
                              ("accept", fd, upeer_sockaddr, upeer_addrlen, flags))
    new = SocketFile(embryo, flags, task)
    new.get()
    try:
        if upeer_sockaddr:
            move_addr_to_user(task, embryo.getname(peer=True), upeer_sockaddr, upeer_addrlen)
        return install_fd(task, new, bool(flags & SOCK_CLOEXEC))
    finally:
        new.put()


def sys_accept(task, fd: Fd, upeer_sockaddr: Ptr, upeer_addrlen: Ptr) -> int:
    """accept(2)."""
    return sys_accept4(task, fd, upeer_sockaddr, upeer_addrlen, 0)


def sys_getsockname(task, fd: Fd, usockaddr: Ptr, usockaddr_len: Ptr) -> int:
    """getsockname(2)."""
    file, action = _host_or_sock(task, fd)
    if file is None:
        return action
    move_addr_to_user(task, file.sock.getname(peer=False), usockaddr, usockaddr_len)
    return 0


def sys_getpeername(task, fd: Fd, usockaddr: Ptr, usockaddr_len: Ptr) -> int:
    """getpeername(2): ENOTCONN without a peer."""
    file, action = _host_or_sock(task, fd)
    if file is None:
        return action
    move_addr_to_user(task, file.sock.getname(peer=True), usockaddr, usockaddr_len)
    return 0


def sys_shutdown(task, fd: Fd, how: Int) -> int:
    """shutdown(2)."""
    file, action = _host_or_sock(task, fd)
    if file is None:
        return action
    file.sock.shutdown_sock(how)
    return 0


# -- options ------------------------------------------------------------------------------------

def sys_setsockopt(task, fd: Fd, level: Int, optname: Int, optval: Ptr, optlen: Int) -> int:
    """setsockopt(2)."""
    file, action = _host_or_sock(task, fd)
    if file is None:
        return action
    if optlen < 0:
        raise EINVAL()
    file.sock.setsockopt(task, level, optname, optval, optlen)
    return 0


def sys_getsockopt(task, fd: Fd, level: Int, optname: Int, optval: Ptr, optlen: Ptr) -> int:
    """getsockopt(2): the value is truncated to the user's length, which is then set to
    what was copied."""
    file, action = _host_or_sock(task, fd)
    if file is None:
        return action
    if level != SOL_SOCKET:
        raise EOPNOTSUPP()
    length = get_int(task, optlen)
    if length < 0:
        raise EINVAL()
    try:
        value = file.sock.getsockopt(task, optname, length)
    except unix._Range as err:
        put_int(task, optlen, err.need)
        raise
    n = min(length, len(value))
    if n:
        task.write(optval, value[:n])
    put_int(task, optlen, n)
    return 0


# -- data -------------------------------------------------------------------------------------

def _send_flags(file, flags: int) -> int:
    flags &= ~MSG_INTERNAL_SENDMSG_FLAGS
    if file.nonblocking:
        flags |= MSG_DONTWAIT
    return flags


def sys_sendto(task, fd: Fd, buff: Ptr, length: Size, flags: UInt, addr: Ptr, addr_len: Int) -> int:
    """sendto(2) and send(3)."""
    length = min(length, MAX_RW_COUNT)
    access_ok(buff, length)
    file, action = _host_or_sock(task, fd, names=bool(addr))
    if file is None:
        return action
    name = None
    if addr:
        raw = move_addr_to_kernel(task, addr, addr_len)
        name = raw if addr_len else None
    flags = _send_flags(file, flags)
    return file.sock.sendmsg(task, IoVec(task, [(buff, length)]), length, name, Scm(), flags,
                             ("sendto", fd, buff, length, flags, addr, addr_len))


def sys_recvfrom(task, fd: Fd, ubuf: Ptr, size: Size, flags: UInt, addr: Ptr, addr_len: Ptr) -> int:
    """recvfrom(2) and recv(3)."""
    size = min(size, MAX_RW_COUNT)
    access_ok(ubuf, size)
    file, action = _host_or_sock(task, fd, names=bool(addr))
    if file is None:
        return action
    if file.nonblocking:
        flags |= MSG_DONTWAIT
    sock = file.sock
    result = sock.recvmsg(task, IoVec(task, [(ubuf, size)]), size, flags,
                          ("recvfrom", fd, ubuf, size, flags, addr, addr_len))
    deliver_ancillary(task, sock, result, None, flags)
    if addr:
        move_addr_to_user(task, result.name or b"", addr, addr_len)
    return result.count


def _sendmsg(task, file, msg_ptr: int, flags: int, key) -> tuple[int, int]:
    """___sys_sendmsg(): (bytes sent, bytes the iovecs held)."""
    msg = copy_msghdr(task, msg_ptr, sending=True)
    control = b""
    if msg.controllen > INT_MAX:
        raise ENOBUFS()
    if msg.controllen:
        if msg.controllen > 36 and msg.controllen >= limit("core/optmem_max"):
            raise ENOBUFS()  # sock_kmalloc() refuses it
        control = task.read(msg.control_ptr, msg.controllen)
    flags = _send_flags(file, flags)
    data = IoVec(task, msg.vecs)
    resumed = resume(task, key)
    scm = scm_send(task, control) if resumed is None or not resumed.done else Scm()
    sent = file.sock.sendmsg(task, data, data.total, msg.name, scm, flags, key)
    return sent, data.total


def sys_sendmsg(task, fd: Fd, msg: Ptr, flags: UInt) -> int:
    """sendmsg(2)."""
    if flags & MSG_CMSG_COMPAT:
        raise EINVAL()
    file = _no_host(task, fd)
    return _sendmsg(task, file, msg, flags, ("sendmsg", fd, msg, flags))[0]


def _recvmsg(task, file, msg_ptr: int, flags: int, key) -> int:
    """___sys_recvmsg() and ____sys_recvmsg()."""
    msg = copy_msghdr(task, msg_ptr, sending=False)
    out_flags = flags & MSG_CMSG_CLOEXEC
    if file.nonblocking:
        flags |= MSG_DONTWAIT
    sock = file.sock
    data = IoVec(task, msg.vecs)
    result = sock.recvmsg(task, data, data.total, flags, key)
    writer = CmsgWriter(task, msg.control_ptr, msg.controllen)
    ctrunc = deliver_ancillary(task, sock, result, writer, flags)
    if msg.name_ptr:
        name = result.name or b""
        move_addr_to_user(task, name, msg.name_ptr, msg_ptr + MSG_NAMELEN_OFFSET)
    task.write(msg_ptr + MSG_FLAGS_OFFSET, struct.pack("<I", (result.flags | ctrunc | out_flags)
                                                       & ~MSG_CMSG_COMPAT & 0xFFFFFFFF))
    task.write(msg_ptr + MSG_CONTROLLEN_OFFSET, struct.pack("<Q", writer.used))
    return result.count


def sys_recvmsg(task, fd: Fd, msg: Ptr, flags: UInt) -> int:
    """recvmsg(2)."""
    if flags & MSG_CMSG_COMPAT:
        raise EINVAL()
    file = _no_host(task, fd)
    return _recvmsg(task, file, msg, flags, ("recvmsg", fd, msg, flags))


def _outer(task, key) -> Progress:
    progress = resume(task, key)
    return progress if progress is not None else Progress(key, None)


def _rewrap(block: Block, outer: Progress, done: int) -> Block:
    """A Block from one message of sendmmsg/recvmmsg, made the Block of the whole call:
    the message's own progress rides inside, and messages already moved are the partial
    result a signal returns."""
    outer.done = done
    outer.inner = block.state
    return Block(block.waits, deadline=block.deadline,
                 interrupt=EINTR if done else block.interrupt,
                 partial=done or block.partial, state=outer)


def sys_sendmmsg(task, fd: Fd, mmsg: Ptr, vlen: UInt, flags: UInt) -> int:
    """sendmmsg(2): an error after some messages went returns their count."""
    if flags & MSG_CMSG_COMPAT:
        raise EINVAL()
    vlen = min(vlen, UIO_MAXIOV)
    file = _no_host(task, fd)
    key = ("sendmmsg", fd, mmsg, vlen, flags)
    outer = _outer(task, key)
    datagrams = outer.done
    err = None
    while datagrams < vlen:
        entry = mmsg + datagrams * MMSGHDR.size
        try:
            sent, total = _sendmsg(task, file, entry, flags, ("sendmmsg-entry", fd, entry))
            task.write(entry + MMSG_LEN_OFFSET, struct.pack("<I", sent & 0xFFFFFFFF))
        except Block as block:
            raise _rewrap(block, outer, datagrams) from None
        except LinuxError as exc:
            err = exc
            break
        datagrams += 1
        if sent < total:
            break
    if datagrams:
        return datagrams
    if err is not None:
        raise err
    return 0


def sys_recvmmsg(task, fd: Fd, mmsg: Ptr, vlen: UInt, flags: UInt, timeout: Ptr) -> int:
    """recvmmsg(2): the timeout is only looked at between messages (a blocked receive is
    not cut short by it), and the time left is written back."""
    if flags & MSG_CMSG_COMPAT:
        raise EINVAL()
    key = ("recvmmsg", fd, mmsg, vlen, flags, timeout)
    outer = _outer(task, key)
    end = outer.extra
    if timeout and end is None:
        sec, nsec = TIMESPEC.struct.unpack(task.read(timeout, TIMESPEC.size))
        if sec < 0 or not 0 <= nsec < 1_000_000_000:
            raise EINVAL()
        end = outer.extra = monotonic_ns() + sec * 1_000_000_000 + nsec
    file = _no_host(task, fd)
    sock = file.sock
    datagrams = outer.done
    if not flags & MSG_ERRQUEUE and not datagrams:
        err = sock.sock_error()
        if err:
            raise unix._error(err)
    if datagrams and flags & MSG_WAITFORONE:
        flags |= MSG_DONTWAIT
    err = None
    left = None
    while datagrams < vlen:
        entry = mmsg + datagrams * MMSGHDR.size
        try:
            count = _recvmsg(task, file, entry, flags & ~MSG_WAITFORONE, ("recvmmsg-entry", fd, entry))
            task.write(entry + MMSG_LEN_OFFSET, struct.pack("<I", count & 0xFFFFFFFF))
        except Block as block:
            raise _rewrap(block, outer, datagrams) from None
        except LinuxError as exc:
            err = exc
            break
        datagrams += 1
        if flags & MSG_WAITFORONE:
            flags |= MSG_DONTWAIT
        if end is not None:
            left = end - monotonic_ns()
            if left <= 0:
                left = 0
                break
    if err is not None:
        if not datagrams:
            raise err
        if not isinstance(err, EAGAIN):
            sock.err = err.errno  # reported by the next call or SO_ERROR
    if timeout and datagrams > 0:
        if left is None:
            left = max(0, end - monotonic_ns())
        task.write(timeout, TIMESPEC.pack(*divmod(left, 1_000_000_000)))
    return datagrams


# -- read/write/readv/writev on sockets (sock_read_iter, sock_write_iter) ---------------------------

def sock_read_iter(task, file: SocketFile, vecs: list[tuple[int, int]]) -> int:
    data = IoVec(task, vecs)
    if not data.total:
        return 0  # "Match SYS5 behaviour"
    flags = MSG_DONTWAIT if file.nonblocking else 0
    sock = file.sock
    result = sock.recvmsg(task, data, data.total, flags, ("read", id(file), tuple(vecs)))
    deliver_ancillary(task, sock, result, None, flags)
    return result.count


def sock_write_iter(task, file: SocketFile, vecs: list[tuple[int, int]]) -> int:
    data = IoVec(task, vecs)
    flags = MSG_DONTWAIT if file.nonblocking else 0
    return file.sock.sendmsg(task, data, data.total, None, Scm(), flags,
                             ("write", id(file), tuple(vecs)))


class _Bytes:
    """A kernel buffer as a data source (kernel_sendmsg)."""

    def __init__(self, data: bytes):
        self.data = data
        self.total = len(data)

    def read(self, offset: int, n: int) -> bytes:
        return self.data[offset:offset + n]


def sock_sendmsg_kernel(task, file: SocketFile, data: bytes) -> int:
    """File.write for generic callers (splice, sendfile): a non-blocking send."""
    try:
        return file.sock.sendmsg(task, _Bytes(data), len(data), None, Scm(),
                                 MSG_DONTWAIT, ("kernel-write", id(file)))
    except Block:
        raise EAGAIN() from None


__all__ = ["sockfd", "sock_read_iter", "sock_write_iter", "sock_sendmsg_kernel"]
