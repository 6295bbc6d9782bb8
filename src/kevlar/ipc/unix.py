"""AF_UNIX sockets (net/unix/af_unix.c, with the generic parts of net/core/sock.c,
net/core/scm.c and net/core/datagram.c they use).

Two objects, as in Linux: a `Sock` is the protocol state (struct sock + struct
unix_sock): type, state, peer, name, receive queue, buffers, options. A `SocketFile` is
the open file (struct socket + struct file) that fds and in-flight SCM_RIGHTS messages
hold. A connection made by connect() is an "embryo" Sock with no file on the listener's
queue until accept() gives it one.

Data travels in `Skb`s on the receiver's queue. Each is charged to its sender's write
memory with the truesize Linux would give it (head from kmalloc size classes, data
pages), so SO_SNDBUF bounds what a writer may queue exactly as natively: a sender may
allocate while its write memory is below sk_sndbuf, and is woken (POLLOUT) when the
memory falls to a quarter of it (unix_writable). Datagrams to a receiver that is not
connected back are also limited by the receiver's queue length (max_dgram_qlen, or the
listen() backlog for connection requests).

Blocking follows Kevlar's Block protocol (process/blocking.py): an operation that cannot
complete raises Block on the exact queue (the socket's own `waitq` for data and write
space, a peer's `peer_wait` for queue room or backlog room); the handler runs again
from the top when woken. Progress already made (bytes of a stream send or a MSG_WAITALL
receive) is kept in a `Progress` saved with the Block. SO_RCVTIMEO/SO_SNDTIMEO become
Block deadlines; a call with a timeout is never restarted after a signal
(sock_intr_errno), and one that moved data returns its count.

Names: pathname sockets get an S_IFSOCK inode in Kevlar's VFS at bind() and are found
again by the inode a path walk reaches (unix_find_bsd); abstract names (leading NUL)
live in a per-kernel table keyed by socket type, as Linux hashes them.

Lock order: none; the tracer is single-threaded and every operation runs to completion.
"""

import itertools
import os
import struct
import time
from collections import deque

from kevlar.abi.constants import O_NONBLOCK, O_RDWR, PAGE_SIZE, SIGPIPE, W_OK
from kevlar.abi.errors import (
    EACCES,
    EADDRINUSE,
    EAGAIN,
    ECONNREFUSED,
    ECONNRESET,
    EDOM,
    EEXIST,
    EFAULT,
    EINTR,
    EINVAL,
    EISCONN,
    EMSGSIZE,
    ENOBUFS,
    ENODATA,
    ENOENT,
    ENOPROTOOPT,
    ENOSPC,
    ENOTCONN,
    ENOTTY,
    EOPNOTSUPP,
    EPERM,
    EPIPE,
    EPROTONOSUPPORT,
    EPROTOTYPE,
    ERANGE,
    ERESTARTSYS,
    EROFS,
    ESOCKTNOSUPPORT,
    LinuxError,
)
from kevlar.abi.net import (
    AF_UNIX,
    AF_UNSPEC,
    MSG_DONTWAIT,
    MSG_NOSIGNAL,
    MSG_OOB,
    MSG_PEEK,
    MSG_TRUNC,
    MSG_WAITALL,
    PF_UNIX,
    SO_ACCEPTCONN,
    SO_BINDTODEVICE,
    SO_BINDTOIFINDEX,
    SO_BROADCAST,
    SO_BSDCOMPAT,
    SO_BUF_LOCK,
    SO_BUSY_POLL,
    SO_COOKIE,
    SO_DEBUG,
    SO_DOMAIN,
    SO_DONTROUTE,
    SO_ERROR,
    SO_INCOMING_CPU,
    SO_INQ,
    SO_KEEPALIVE,
    SO_LINGER,
    SO_LOCK_FILTER,
    SO_MARK,
    SO_NO_CHECK,
    SO_NOFCS,
    SO_OOBINLINE,
    SO_PASSCRED,
    SO_PASSPIDFD,
    SO_PASSRIGHTS,
    SO_PASSSEC,
    SO_PEEK_OFF,
    SO_PEERCRED,
    SO_PEERGROUPS,
    SO_PEERNAME,
    SO_PRIORITY,
    SO_PROTOCOL,
    SO_RCVBUF,
    SO_RCVBUFFORCE,
    SO_RCVLOWAT,
    SO_RCVTIMEO_NEW,
    SO_RCVTIMEO_OLD,
    SO_REUSEADDR,
    SO_REUSEPORT,
    SO_RXQ_OVFL,
    SO_SELECT_ERR_QUEUE,
    SO_SNDBUF,
    SO_SNDBUFFORCE,
    SO_SNDLOWAT,
    SO_SNDTIMEO_NEW,
    SO_SNDTIMEO_OLD,
    SO_TIMESTAMP_NEW,
    SO_TIMESTAMP_OLD,
    SO_TIMESTAMPNS_NEW,
    SO_TIMESTAMPNS_OLD,
    SO_TYPE,
    SO_WIFI_STATUS,
    SO_ZEROCOPY,
    SOCK_DGRAM,
    SOCK_MAX,
    SOCK_RAW,
    SOCK_SEQPACKET,
    SOCK_STREAM,
    SOCKADDR_UN_SIZE,
    SOL_SOCKET,
    SOMAXCONN,
    SUN_PATH_OFFSET,
    UCRED,
)
from kevlar.abi.structs import TIMESPEC, TIMEVAL
from kevlar.fs.file import File
from kevlar.fs.pseudo import socket_inode
from kevlar.ipc.waitq import (
    POLLERR,
    POLLHUP,
    POLLIN,
    POLLOUT,
    POLLPRI,
    POLLRDHUP,
    POLLRDNORM,
    POLLWRBAND,
    POLLWRNORM,
    Waiter,
    WaitQueue,
)
from kevlar.process.blocking import Block
from kevlar.timers import monotonic_ns

# include/net/tcp_states.h (AF_UNIX borrows them) and include/net/sock.h
TCP_ESTABLISHED = 1
TCP_CLOSE = 7
TCP_LISTEN = 10
RCV_SHUTDOWN = 1
SEND_SHUTDOWN = 2
SHUTDOWN_MASK = 3

MAX_SCHEDULE_TIMEOUT = (1 << 63) - 1  # LONG_MAX jiffies: "no timeout"
INT_MAX = 0x7FFFFFFF
USEC_PER_SEC = 1_000_000
ALL_EVENTS = 0xFFFF

# Sizes behind skb truesize (include/linux/skbuff.h): SKB_DATA_ALIGN(sizeof(struct
# sk_buff)) and SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) on x86_64. They reproduce
# what Linux queues before a sender blocks (measured: 278 one-byte datagrams or stream
# writes fit the default 212992-byte sndbuf, 26 of 4096 bytes, 44 stream writes of 4096).
SKB_STRUCT = 256
SKB_SHINFO = 320
SKB_MAX_HEAD0 = PAGE_SIZE - SKB_SHINFO  # SKB_MAX_HEAD(0)
SKB_MAX_ALLOC = (PAGE_SIZE << 2) - SKB_SHINFO  # SKB_MAX_ORDER(0, 2)
MAX_SKB_FRAGS = 17
UNIX_SKB_FRAGS_SZ = 32768  # PAGE_SIZE << get_order(32768)
KMALLOC_MAX_SIZE = 4 << 20  # 1 << (MAX_PAGE_ORDER + PAGE_SHIFT)
SOCK_MIN_SNDBUF = 2 * (2048 + SKB_STRUCT)  # 2 * TCP_SKB_MIN_TRUESIZE
SOCK_MIN_RCVBUF = 2048 + SKB_STRUCT
SOCK_SNDBUF_LOCK = 1
SOCK_RCVBUF_LOCK = 2
SOCK_BUF_LOCK_MASK = SOCK_SNDBUF_LOCK | SOCK_RCVBUF_LOCK

DEFAULTS = {  # /proc/sys/net/... and Linux's defaults when the host does not say
    "core/wmem_default": 212992, "core/rmem_default": 212992, "core/wmem_max": 212992,
    "core/rmem_max": 212992, "core/optmem_max": 131072, "core/somaxconn": SOMAXCONN,
    "unix/max_dgram_qlen": 10,
}
_limits: dict[str, int] = {}
_hz: list[int] = []
_cookies = itertools.count(1)


def limit(name: str) -> int:
    """A socket sysctl as the host has it (the host kernel is the oracle Kevlar answers
    like), read once; Linux's default if it cannot be read."""
    value = _limits.get(name)
    if value is None:
        try:
            with open(f"/proc/sys/net/{name}") as f:
                value = int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            value = DEFAULTS[name]
        _limits[name] = value
    return value


def hz() -> int:
    """The host kernel's HZ, which SO_RCVTIMEO/SO_SNDTIMEO round to (sock_set_timeout
    stores jiffies): a 1 us timeout on a host socket reads back as one jiffy."""
    if not _hz:
        import socket
        value = 250
        try:
            a, b = socket.socketpair()
            try:
                a.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("qq", 0, 1))
                sec, usec = struct.unpack("qq", a.getsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, 16))
                if sec * USEC_PER_SEC + usec > 0:
                    value = round(USEC_PER_SEC / (sec * USEC_PER_SEC + usec))
            finally:
                a.close()
                b.close()
        except OSError:
            pass
        _hz.append(value)
    return _hz[0]


def _kmalloc_size(n: int) -> int:
    """kmalloc_size_roundup() for skb heads (never below the 512-byte class here)."""
    size = 512
    while size < n:
        size <<= 1
    return size


def _page_align(n: int) -> int:
    return (n + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)


def skb_truesize(head: int, data_len: int) -> int:
    """truesize of an skb with a linear head of `head` bytes and `data_len` bytes in page
    fragments (alloc_skb_with_frags charges whole pages)."""
    return SKB_STRUCT + _kmalloc_size(((head + 63) & ~63) + SKB_SHINFO) + _page_align(data_len)


def timeo_ns(jiffies: int) -> int:
    return jiffies * 1_000_000_000 // hz()


def _buffer_request(val: int, force: bool, root: bool, sysctl_max: int) -> int:
    """SO_*BUF clamps to the net.core.*mem_max sysctl; the *BUFFORCE variants need
    CAP_NET_ADMIN and skip it (net/core/sock.c sk_setsockopt)."""
    if force:
        if not root:
            raise EPERM()
        val = max(val, 0)
    else:
        val = min(val & 0xFFFFFFFF, sysctl_max)
    return min(val, INT_MAX // 2)


# -- names ---------------------------------------------------------------------------------


class UnixNames:
    """The per-kernel tables of bound sockets: pathname sockets by their inode
    (bsd_socket_buckets), abstract names by (type, name) (the hash includes the type),
    and the sockets whose files are in flight in SCM_RIGHTS messages (for the GC)."""

    def __init__(self):
        self.bsd: dict[tuple[int, int], Sock] = {}
        self.abstract: dict[tuple[int, bytes], Sock] = {}
        self.inflight: set[SocketFile] = set()


def names(kernel) -> UnixNames:
    table = getattr(kernel, "unix_names", None)
    if table is None:
        table = kernel.unix_names = UnixNames()
    return table


def inode_key(inode) -> tuple[int, int]:
    return (id(inode.fs), inode.ino)


# -- credentials ---------------------------------------------------------------------------

def peercred_of(task) -> tuple:
    """prepare_peercred(): the tgid, euid, egid and groups of the caller."""
    creds = task.creds
    return (task.process.pid, creds.euid, creds.egid, tuple(creds.groups))


def scm_creds_of(task) -> tuple[int, int, int]:
    """unix_maybe_add_creds(): tgid and real uid/gid (current_uid_gid)."""
    creds = task.creds
    return (task.process.pid, creds.uid, creds.gid)


NO_CREDS = (0, 0xFFFFFFFF, 0xFFFFFFFF)  # no pid, INVALID_UID/GID


# -- what moves between sockets --------------------------------------------------------------

class Skb:
    """One buffer on a receive queue (struct sk_buff + struct unix_skb_parms)."""

    __slots__ = ("data", "consumed", "owner", "truesize", "fds", "creds", "embryo", "stamp",
                 "peeked")

    def __init__(self, owner: "Sock | None", data: bytes, truesize: int, fds=None,
                 creds=None, embryo=None):
        self.data = data
        self.consumed = 0
        self.owner = owner  # skb->sk: charged for it, and whose name recvfrom reports
        self.truesize = truesize
        self.fds = fds  # [SocketFile | File] holding in-flight references, or None
        self.creds = creds  # (pid, uid, gid) or None (UNIXCB(skb).pid == NULL)
        self.embryo = embryo  # a connection request on a listener's queue
        self.stamp = 0
        self.peeked = False

    def __len__(self) -> int:
        return len(self.data) - self.consumed


class Scm:
    """A control message being sent (struct scm_cookie): the files of SCM_RIGHTS (one
    reference each) and the credentials of SCM_CREDENTIALS."""

    __slots__ = ("fds", "creds")

    def __init__(self):
        self.fds: list | None = None
        self.creds: tuple | None = None

    def destroy(self) -> None:
        fds, self.fds = self.fds, None
        for file in fds or ():
            file.put()


class Progress:
    """What a blocking socket call keeps across its re-runs (RestartState.state). For
    sendmmsg/recvmmsg the call's Progress carries the blocked message's as `inner`."""

    __slots__ = ("key", "done", "deadline", "extra", "inner", "resumed")

    def __init__(self, key, deadline: int | None):
        self.key = key
        self.done = 0
        self.deadline = deadline
        self.extra = None
        self.inner = None
        self.resumed = False


def resume(task, key) -> Progress | None:
    """The Progress of this exact call (same syscall, same decoded arguments) if it is
    being run again after a park."""
    state = task.restart
    if state is None or state.nr != task.current:
        return None
    progress = state.state
    while isinstance(progress, Progress):
        if progress.key == key:
            progress.resumed = True
            return progress
        progress = progress.inner
    return None


def start(task, key, timeo: int) -> Progress:
    """The Progress for this call: resumed, or new with its deadline from the socket's
    timeout in jiffies (sock_rcvtimeo/sock_sndtimeo)."""
    progress = resume(task, key)
    if progress is None:
        deadline = None if timeo == MAX_SCHEDULE_TIMEOUT else monotonic_ns() + timeo_ns(timeo)
        progress = Progress(key, deadline)
    return progress


def timed_out(progress: Progress) -> bool:
    return progress.deadline is not None and monotonic_ns() >= progress.deadline


def wait(progress: Progress, waits) -> Block:
    """The Block for a socket wait: a call with a timeout, or one that already moved
    data, is never restarted by a signal (sock_intr_errno, and `copied ?: err`)."""
    interrupt = EINTR if (progress.deadline is not None or progress.done) else ERESTARTSYS
    return Block(waits, deadline=progress.deadline, interrupt=interrupt,
                 partial=progress.done or None, state=progress)


class IoVec:
    """A guest iovec list seen as one byte range (struct iov_iter)."""

    __slots__ = ("task", "vecs", "total")

    def __init__(self, task, vecs: list[tuple[int, int]]):
        self.task = task
        self.vecs = vecs
        self.total = sum(length for _, length in vecs)

    def _spans(self, offset: int, n: int):
        for base, length in self.vecs:
            if n <= 0:
                return
            if offset >= length:
                offset -= length
                continue
            take = min(length - offset, n)
            yield base + offset, take
            n -= take
            offset = 0

    def read(self, offset: int, n: int) -> bytes:
        """Bytes [offset, offset+n) of the guest data (EFAULT if any is unmapped)."""
        return b"".join(self.task.read(addr, k) for addr, k in self._spans(offset, n))

    def write(self, offset: int, data: bytes) -> None:
        done = 0
        for addr, k in self._spans(offset, len(data)):
            self.task.write(addr, data[done:done + k])
            done += k


# -- the protocol ----------------------------------------------------------------------------

def check_create(kind: int, protocol: int) -> int:
    """unix_create(): the protocol must be 0 or PF_UNIX; SOCK_RAW is taken as SOCK_DGRAM;
    other types in range are ESOCKTNOSUPPORT. Returns the type the socket will have."""
    if protocol and protocol != PF_UNIX:
        raise EPROTONOSUPPORT()
    if kind == SOCK_RAW:
        return SOCK_DGRAM
    if kind not in (SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET):
        raise ESOCKTNOSUPPORT()
    return kind


class Sock:
    """struct sock + struct unix_sock."""

    def __init__(self, kernel, kind: int):
        self.kernel = kernel
        self.type = kind
        self.state = TCP_CLOSE
        self.shutdown = 0
        self.err = 0
        self.peer: Sock | None = None
        self.addr: bytes | None = None  # the bound sockaddr_un, as getsockname returns it
        self.name_key = None  # ("bsd", key) or ("abstract", key) while registered
        self.path = None  # Location of the socket inode (pathname sockets)
        self.recvq: deque[Skb] = deque()
        self.wmem = 0
        self.sndbuf = limit("core/wmem_default")
        self.rcvbuf = limit("core/rmem_default")
        self.userlocks = 0
        self.max_backlog = limit("unix/max_dgram_qlen")
        self.passcred = False
        self.passpidfd = False
        self.passsec = False
        self.passrights = True
        self.peercred: tuple | None = None  # (pid, euid, egid, groups)
        self.rcvtimeo = MAX_SCHEDULE_TIMEOUT
        self.sndtimeo = MAX_SCHEDULE_TIMEOUT
        self.rcvlowat = 1
        self.peek_off = -1
        self.inq = False  # SO_INQ
        self.lingertime = 0
        self.flags: dict[int, int] = {}  # option -> value for options with no behaviour here
        self.tstamp = 0  # SOCK_RCVTSTAMP (1), SOCK_RCVTSTAMPNS (2), SOCK_TSTAMP_NEW (4)
        self.cookie = 0
        self.dead = False
        self.file: SocketFile | None = None
        self.listener: Sock | None = None
        self.waitq = WaitQueue()  # sk_sleep: readers, writers, pollers of this socket
        self.peer_wait = WaitQueue()  # writers waiting for room in this socket's queue
        self.relay: Waiter | None = None  # on the peer's peer_wait (unix_dgram_peer_wake)
        self.relay_target: Sock | None = None

    def __repr__(self) -> str:
        return f"<Sock type={self.type} state={self.state} addr={self.addr!r}>"

    # -- readiness -------------------------------------------------------------------------
    def writable(self) -> bool:
        """unix_writable(): not listening and write memory at most a quarter of sndbuf
        (sk_wmem_alloc counts one more than the skbs)."""
        return self.state != TCP_LISTEN and ((self.wmem + 1) << 2) <= self.sndbuf

    def recvq_full(self) -> bool:
        return len(self.recvq) > self.max_backlog

    def poll(self) -> int:
        """unix_poll (SOCK_STREAM) and unix_dgram_poll (SOCK_DGRAM, SOCK_SEQPACKET)."""
        mask = 0
        shutdown = self.shutdown
        if self.err:
            mask |= POLLERR
        if shutdown == SHUTDOWN_MASK:
            mask |= POLLHUP
        if shutdown & RCV_SHUTDOWN:
            mask |= POLLRDHUP | POLLIN | POLLRDNORM
        if self.recvq:
            mask |= POLLIN | POLLRDNORM
        if self.type == SOCK_STREAM:
            if self.state == TCP_CLOSE:
                mask |= POLLHUP
            if self.writable():
                mask |= POLLOUT | POLLWRNORM | POLLWRBAND
            return mask
        if self.type == SOCK_SEQPACKET and self.state == TCP_CLOSE:
            mask |= POLLHUP
        writable = self.writable()
        if writable:
            other = self.peer
            if other is not None and other.peer is not self and other.recvq_full() \
                    and self.peer_wake_me(other):
                writable = False
        if writable:
            mask |= POLLOUT | POLLWRNORM | POLLWRBAND
        return mask

    def notify(self, events: int) -> None:
        self.waitq.notify(events)

    def state_change(self) -> None:
        """sk_state_change (sock_def_wakeup): wake everyone."""
        self.waitq.notify(ALL_EVENTS)

    def data_ready(self) -> None:
        self.waitq.notify(POLLIN | POLLRDNORM | POLLPRI)

    def write_space(self) -> None:
        """unix_write_space: writers wake once the memory fell to a quarter."""
        if self.writable():
            self.waitq.notify(POLLOUT | POLLWRNORM | POLLWRBAND)

    def error_report(self) -> None:
        self.waitq.notify(POLLERR)

    # unix_dgram_peer_wake_*: a writer that found its peer's queue full is told when
    # there is room by a relay on the peer's peer_wait.
    def peer_wake_connect(self, other: "Sock") -> bool:
        if self.relay is not None:
            return False

        def relay(_events, me=self, other=other):
            me.peer_wake_disconnect(other)
            me.waitq.notify(POLLOUT | POLLWRNORM | POLLWRBAND)
            return False

        self.relay = other.peer_wait.add(Waiter(POLLOUT, relay))
        self.relay_target = other
        return True

    def peer_wake_disconnect(self, other: "Sock") -> None:
        relay = self.relay
        if relay is not None and self.relay_target is other:
            other.peer_wait.remove(relay)
            self.relay = None
            self.relay_target = None

    def peer_wake_me(self, other: "Sock") -> bool:
        connected = self.peer_wake_connect(other)
        if other.recvq_full() and not other.dead:
            return True
        if connected:
            self.peer_wake_disconnect(other)
        return False

    def sock_error(self) -> int:
        """sock_error(): take the pending error."""
        err, self.err = self.err, 0
        return err

    # -- buffers ------------------------------------------------------------------------------
    def charge(self, skb: Skb) -> None:
        """skb_set_owner_w: the sender pays for what it queued."""
        self.wmem += skb.truesize

    def free_skb(self, skb: Skb) -> None:
        """kfree_skb: in-flight files are dropped, the sender gets its memory back."""
        fds, skb.fds = skb.fds, None
        if fds:
            drop_inflight(self.kernel, fds)
        owner = skb.owner
        if owner is not None:
            owner.wmem -= skb.truesize
            owner.write_space()

    # -- names ----------------------------------------------------------------------------------
    def bind(self, task, addr: bytes) -> None:
        """unix_bind(); addr is the kernel copy of the user's sockaddr (addrlen bytes)."""
        if len(addr) == SUN_PATH_OFFSET and _family(addr) == AF_UNIX:
            self.autobind()
            return
        validate_addr(addr)
        if addr[SUN_PATH_OFFSET]:
            self.bind_bsd(task, addr)
        else:
            self.bind_abstract(addr)

    def bind_bsd(self, task, addr: bytes) -> None:
        """unix_bind_bsd(): create the socket inode like mknod (EEXIST is EADDRINUSE),
        with mode 0777 & ~umask."""
        from kevlar.abi.constants import AT_FDCWD, S_IFSOCK, S_ISGID, X_OK
        from kevlar.fs import notify
        from kevlar.fs.path import resolve_parent
        from kevlar.fs.vfs import Location
        from kevlar.syscalls.fs import permission
        path = bsd_path(addr)
        stored = addr[:SUN_PATH_OFFSET] + path + b"\0"
        try:
            parent, name, trailing = resolve_parent(task, AT_FDCWD, path)
            if name in (b".", b".."):
                raise EEXIST()
            permission(task, parent.inode, X_OK)
            try:
                parent.inode.lookup(name)
            except ENOENT:
                pass
            else:
                raise EEXIST()
            if trailing:
                raise ENOENT()
            if parent.mount is not None and parent.mount.read_only:
                raise EROFS()
            if parent.inode.nlink == 0:
                raise ENOENT()
            permission(task, parent.inode, W_OK | X_OK)
        except EEXIST:
            raise EADDRINUSE() from None
        if self.addr is not None:
            raise EINVAL()  # already bound (Linux creates and then unlinks the node)
        creds = task.creds
        gid = parent.inode.gid if parent.inode.mode & S_ISGID else creds.fsgid
        mode = S_IFSOCK | (0o777 & ~task.process.fs.umask)
        inode = parent.inode.mknod(name, mode, 0, creds.fsuid, gid)
        notify.created(task, parent, name, inode)
        key = inode_key(inode)
        names(self.kernel).bsd[key] = self
        self.name_key = ("bsd", key)
        self.path = Location(parent.mount, inode, parent.inode, name)
        self.addr = stored

    def bind_abstract(self, addr: bytes) -> None:
        if self.addr is not None:
            raise EINVAL()
        table = names(self.kernel).abstract
        key = (self.type, addr)
        if key in table:
            raise EADDRINUSE()
        table[key] = self
        self.name_key = ("abstract", key)
        self.addr = addr

    def autobind(self) -> None:
        """unix_autobind(): an abstract name of five hex digits, from a random start."""
        if self.addr is not None:
            return
        table = names(self.kernel).abstract
        ordernum = int.from_bytes(os.urandom(4), "little")
        lastnum = ordernum & 0xFFFFF
        while True:
            ordernum = (ordernum + 1) & 0xFFFFF
            addr = struct.pack("<H", AF_UNIX) + b"\0" + b"%05x" % ordernum
            key = (self.type, addr)
            if key not in table:
                break
            if ordernum == lastnum:
                raise ENOSPC()
        table[key] = self
        self.name_key = ("abstract", key)
        self.addr = addr

    def unhash(self) -> None:
        if self.name_key is None:
            return
        kind, key = self.name_key
        table = names(self.kernel).bsd if kind == "bsd" else names(self.kernel).abstract
        if table.get(key) is self:
            del table[key]
        self.name_key = None

    def getname(self, peer: bool) -> bytes:
        """unix_getname(): the bound name, or just the family for an unbound socket."""
        sock = self
        if peer:
            sock = self.peer
            if sock is None:
                raise ENOTCONN()
        if sock.addr is None:
            return struct.pack("<H", AF_UNIX)
        return sock.addr

    # -- connections ------------------------------------------------------------------------------
    def listen(self, task, backlog: int) -> None:
        if self.type not in (SOCK_STREAM, SOCK_SEQPACKET):
            raise EOPNOTSUPP()
        if self.addr is None:
            raise EINVAL()
        if self.state not in (TCP_CLOSE, TCP_LISTEN):
            raise EINVAL()
        if backlog > self.max_backlog:
            self.peer_wait.notify(ALL_EVENTS)
        self.max_backlog = backlog
        self.state = TCP_LISTEN
        self.peercred = peercred_of(task)

    def connect(self, task, addr: bytes, nonblock: bool, key) -> None:
        if self.type == SOCK_DGRAM:
            self.dgram_connect(task, addr)
        else:
            self.stream_connect(task, addr, nonblock, key)

    def dgram_connect(self, task, addr: bytes) -> None:
        """unix_dgram_connect(): set (or with AF_UNSPEC, clear) the default peer."""
        if len(addr) < SUN_PATH_OFFSET:
            raise EINVAL()
        if _family(addr) != AF_UNSPEC:
            validate_addr(addr)
            if self.passcred and self.addr is None:
                self.autobind()
            other = find_other(task, addr, self.type)
            if not may_send(self, other):
                raise EPERM()
            self.state = TCP_ESTABLISHED
            other.state = TCP_ESTABLISHED
        else:
            other = None
        old = self.peer
        self.peer = other
        if old is not None:
            if other is None:
                self.state = TCP_CLOSE
            self.peer_wake_disconnect(old)
            self.notify(POLLOUT | POLLWRNORM | POLLWRBAND)
            if other is not old:
                self.dgram_disconnected(old)
                if old.peer is None:
                    old.state = TCP_CLOSE

    def dgram_disconnected(self, other: "Sock") -> None:
        """unix_dgram_disconnected(): a datagram socket that changes peer drops what the
        old peer sent it; the old peer, if connected back, learns ECONNRESET."""
        if self.recvq:
            self.purge()
            self.peer_wait.notify(ALL_EVENTS)
            if not other.dead and other.peer is self:
                other.err = ECONNRESET.errno
                other.error_report()

    def stream_connect(self, task, addr: bytes, nonblock: bool, key) -> None:
        """unix_stream_connect(): queue an embryo on the listener; wait while its backlog
        is full (EAGAIN when non-blocking or timed out)."""
        validate_addr(addr)
        if self.passcred and self.addr is None:
            self.autobind()
        progress = start(task, key, 0 if nonblock else self.sndtimeo)
        other = find_other(task, addr, self.type)
        if other.state != TCP_LISTEN or other.shutdown & RCV_SHUTDOWN:
            raise ECONNREFUSED()
        if other.recvq_full():
            if nonblock or timed_out(progress):
                raise EAGAIN()
            raise wait(progress, [(other.peer_wait, POLLOUT)])
        if self.state != TCP_CLOSE:
            raise EISCONN() if self.state == TCP_ESTABLISHED else EINVAL()
        embryo = Sock(self.kernel, self.type)
        embryo.peer = self
        embryo.state = TCP_ESTABLISHED
        embryo.peercred = peercred_of(task)
        embryo.listener = other
        embryo.passcred = other.passcred
        embryo.passpidfd = other.passpidfd
        embryo.passrights = other.passrights
        embryo.addr = other.addr
        embryo.path = other.path
        self.peercred = other.peercred
        self.state = TCP_ESTABLISHED
        self.peer = embryo
        other.recvq.append(Skb(embryo, b"", 0, embryo=embryo))
        other.data_ready()

    def accept(self, task, nonblock: bool, key) -> "Sock":
        """unix_accept(): the oldest connection request (skb_recv_datagram on the
        listener)."""
        if self.type not in (SOCK_STREAM, SOCK_SEQPACKET):
            raise EOPNOTSUPP()
        if self.state != TCP_LISTEN:
            raise EINVAL()
        err = self.sock_error()
        if err:
            raise _error(err)
        if not self.recvq:
            if nonblock:
                raise EAGAIN()
            progress = start(task, key, self.rcvtimeo)
            if timed_out(progress):
                raise EAGAIN()
            if self.shutdown & RCV_SHUTDOWN:
                raise EINVAL()
            raise wait(progress, [(self.waitq, POLLIN)])
        skb = self.recvq.popleft()
        self.peer_wait.notify(POLLOUT)
        embryo = skb.embryo
        embryo.listener = None
        return embryo

    def shutdown_sock(self, how: int) -> None:
        """unix_shutdown()."""
        if how < 0 or how > 2:
            raise EINVAL()
        mode = how + 1
        self.shutdown |= mode
        other = self.peer
        self.state_change()
        if other is not None and self.type in (SOCK_STREAM, SOCK_SEQPACKET):
            peer_mode = 0
            if mode & RCV_SHUTDOWN:
                peer_mode |= SEND_SHUTDOWN
            if mode & SEND_SHUTDOWN:
                peer_mode |= RCV_SHUTDOWN
            other.shutdown |= peer_mode
            other.state_change()

    def release(self, embryo: bool = False) -> None:
        """unix_release_sock(): the socket dies; a connected peer is shut down (and reset
        if data was left unread here), queued buffers and connection requests go."""
        if self.dead:
            return
        self.unhash()
        self.dead = True
        self.shutdown = SHUTDOWN_MASK
        state = self.state
        self.state = TCP_CLOSE
        pair, self.peer = self.peer, None
        self.peer_wait.notify(ALL_EVENTS)
        if pair is not None:
            if self.type in (SOCK_STREAM, SOCK_SEQPACKET):
                pair.shutdown = SHUTDOWN_MASK
                if self.recvq or embryo:
                    pair.err = ECONNRESET.errno
                pair.state_change()
            self.peer_wake_disconnect(pair)
        if self.relay is not None:
            self.peer_wake_disconnect(self.relay_target)
        while self.recvq:
            skb = self.recvq.popleft()
            if state == TCP_LISTEN and skb.embryo is not None:
                skb.embryo.release(embryo=True)
            self.free_skb(skb)
        self.path = None
        self.notify(ALL_EVENTS)

    def purge(self) -> None:
        while self.recvq:
            self.free_skb(self.recvq.popleft())

    # -- sending ------------------------------------------------------------------------------------
    def sendmsg(self, task, data: IoVec, length: int, name: bytes | None, scm: Scm, flags: int, key):
        """The protocol's sendmsg; returns the byte count. scm's references are consumed
        (attached to a buffer or dropped) whatever happens."""
        try:
            if self.type == SOCK_STREAM:
                return self.stream_sendmsg(task, data, length, name, scm, flags, key)
            if self.type == SOCK_SEQPACKET:
                err = self.sock_error()
                if err:
                    raise _error(err)
                if self.state != TCP_ESTABLISHED:
                    raise ENOTCONN()
                name = None
            return self.dgram_sendmsg(task, data, length, name, scm, flags, key)
        finally:
            scm.destroy()

    def _alloc_send(self, task, progress: Progress, nonblock: bool, waits=None) -> None:
        """sock_alloc_send_pskb(): the caller may allocate while its write memory is
        below sndbuf; otherwise EAGAIN or wait for write space."""
        err = self.sock_error()
        if err:
            raise _error(err)
        if self.shutdown & SEND_SHUTDOWN:
            raise EPIPE()
        if self.wmem < self.sndbuf:
            return
        if nonblock or timed_out(progress):
            raise EAGAIN()
        raise wait(progress, [(self.waitq, POLLOUT)])

    def dgram_sendmsg(self, task, data: IoVec, length: int, name, scm: Scm, flags: int, key) -> int:
        """unix_dgram_sendmsg(), in its order of checks."""
        if flags & MSG_OOB:
            raise EOPNOTSUPP()
        if name is not None:
            validate_addr(name)
        if self.passcred and self.addr is None:
            self.autobind()
        if length > self.sndbuf - 32:
            raise EMSGSIZE()
        nonblock = bool(flags & MSG_DONTWAIT)
        progress = start(task, key, 0 if nonblock else self.sndtimeo)
        self._alloc_send(task, progress, nonblock)
        data_len = 0
        if length > SKB_MAX_ALLOC:
            data_len = _page_align(min(length - SKB_MAX_ALLOC, MAX_SKB_FRAGS * PAGE_SIZE))
        if ((length - data_len + 63) & ~63) + SKB_SHINFO > KMALLOC_MAX_SIZE:
            raise ENOBUFS()  # alloc_skb(): the linear part is beyond what kmalloc gives
        payload = data.read(0, length)
        if name is not None:
            other = find_other(task, name, self.type)
        else:
            other = self.peer
            if other is None:
                raise ENOTCONN()
        creds = scm.creds
        if creds is None and (self.passcred or other.passcred or other.file is None):
            creds = scm_creds_of(task)
        if not may_send(self, other):
            raise EPERM()
        if other.dead:
            if self.type == SOCK_SEQPACKET:
                raise EPIPE()
            if self.peer is other:
                self.peer = None
                self.peer_wake_disconnect(other)
                self.notify(POLLOUT | POLLWRNORM | POLLWRBAND)
                self.state = TCP_CLOSE
                self.dgram_disconnected(other)
                raise ECONNREFUSED()
            if name is None:
                raise ECONNRESET()
            raise ECONNREFUSED()  # the name went with the socket
        if other.shutdown & RCV_SHUTDOWN:
            raise EPIPE()
        if scm.fds and not other.passrights:
            raise EPERM()
        if other is not self and other.peer is not self and other.recvq_full():
            if not nonblock and not timed_out(progress):
                raise wait(progress, [(other.peer_wait, POLLOUT)])
            if self.peer is not other or self.peer_wake_me(other):
                raise EAGAIN()
        skb = Skb(self, payload, skb_truesize(length - data_len, data_len), creds=creds)
        if scm.fds:
            skb.fds, scm.fds = scm.fds, None
            mark_inflight(self.kernel, skb.fds)
        if other.tstamp & 1:
            skb.stamp = time.time_ns()
        self.charge(skb)
        other.recvq.append(skb)
        other.data_ready()
        return length

    def stream_sendmsg(self, task, data: IoVec, length: int, name, scm: Scm, flags: int, key) -> int:
        """unix_stream_sendmsg(): chunks of at most half the sndbuf; EPIPE (with SIGPIPE
        unless MSG_NOSIGNAL, and only if nothing was sent) once either side shut down."""
        if flags & MSG_OOB:
            raise EOPNOTSUPP()
        if name is not None:
            raise EISCONN() if self.state == TCP_ESTABLISHED else EOPNOTSUPP()
        other = self.peer
        if other is None:
            raise ENOTCONN()
        nonblock = bool(flags & MSG_DONTWAIT)
        progress = start(task, key, 0 if nonblock else self.sndtimeo)
        sent = progress.done
        if self.shutdown & SEND_SHUTDOWN:
            if progress.resumed and not sent:
                raise EPIPE()  # woken in sock_alloc_send_pskb: EPIPE without SIGPIPE
            return self._pipe(task, sent, flags)
        fds_sent = progress.extra is not None
        while sent < length:
            size = min(length - sent, (self.sndbuf >> 1) - 64, SKB_MAX_HEAD0 + UNIX_SKB_FRAGS_SZ)
            data_len = max(0, size - SKB_MAX_HEAD0)
            data_len = min(size, _page_align(data_len))
            try:
                self._alloc_send(task, progress, nonblock)
            except LinuxError:
                if sent:
                    return sent
                raise
            try:
                payload = data.read(sent, size)
            except EFAULT:
                if sent:
                    return sent
                raise
            if other.dead or other.shutdown & RCV_SHUTDOWN:
                return self._pipe(task, sent, flags)
            skb = Skb(self, payload, skb_truesize(size - data_len, data_len))
            if not fds_sent and scm.fds:
                if not other.passrights:
                    if sent:
                        return sent
                    raise EPERM()
                skb.fds, scm.fds = scm.fds, None
                mark_inflight(self.kernel, skb.fds)
            fds_sent = True
            progress.extra = True
            creds = scm.creds
            if creds is None and (self.passcred or other.passcred or other.file is None):
                creds = scm_creds_of(task)
            skb.creds = creds
            self.charge(skb)
            other.recvq.append(skb)
            other.data_ready()
            sent += size
            progress.done = sent
        return sent

    def _pipe(self, task, sent: int, flags: int) -> int:
        if sent:
            return sent
        if not flags & MSG_NOSIGNAL:
            task.kernel.signal_thread(task, SIGPIPE)
        raise EPIPE()

    # -- receiving ----------------------------------------------------------------------------------
    def recvmsg(self, task, data: IoVec, size: int, flags: int, key) -> "Received":
        if self.type == SOCK_STREAM:
            return self.stream_recvmsg(task, data, size, flags, key)
        if self.type == SOCK_SEQPACKET and self.state != TCP_ESTABLISHED:
            raise ENOTCONN()
        return self.dgram_recvmsg(task, data, size, flags, key)

    def dgram_recvmsg(self, task, data: IoVec, size: int, flags: int, key) -> "Received":
        """__unix_dgram_recvmsg(): one datagram per call; MSG_TRUNC reports its real
        length; a datagram the buffer could not take is lost (EFAULT)."""
        if flags & MSG_OOB:
            raise EOPNOTSUPP()
        err = self.sock_error()
        if err:
            raise _error(err)
        peek = bool(flags & MSG_PEEK)
        skip = self.peek_off if peek and self.peek_off >= 0 else 0
        skb = None
        for candidate in self.recvq:
            if peek and self.peek_off >= 0 and skip >= len(candidate) \
                    and (skip or candidate.peeked):
                skip -= len(candidate)
                continue
            skb = candidate
            break
        if skb is None:
            skip = 0
            nonblock = bool(flags & MSG_DONTWAIT)
            progress = None if nonblock else start(task, key, self.rcvtimeo)
            if nonblock or timed_out(progress):
                if self.type == SOCK_SEQPACKET and self.shutdown & RCV_SHUTDOWN:
                    return Received(0)
                raise EAGAIN()
            if self.shutdown & RCV_SHUTDOWN:
                return Received(0)
            if self.type == SOCK_SEQPACKET and self.state not in (TCP_ESTABLISHED, TCP_LISTEN):
                raise ENOTCONN()
            raise wait(progress, [(self.waitq, POLLIN)])
        if not peek:
            self.recvq.remove(skb)
        else:
            skb.peeked = True
        self.peer_wait.notify(POLLOUT | POLLWRNORM | POLLWRBAND)
        result = Received(0)
        result.name = skb.owner.addr if skb.owner is not None else None
        whole = len(skb) - skip
        take = min(size, whole)
        if size < whole:
            result.flags |= MSG_TRUNC
        try:
            data.write(0, skb.data[skb.consumed + skip:skb.consumed + skip + take])
        except EFAULT:
            if not peek:
                self.free_skb(skb)
            raise
        result.creds = skb.creds or NO_CREDS
        if not peek:
            result.fds, skb.fds = skb.fds, None
            if result.fds:
                unmark_inflight(self.kernel, result.fds)
            if self.peek_off >= 0:
                self.peek_off = max(self.peek_off - len(skb.data), 0)
            self.free_skb(skb)
        else:
            if skb.fds:
                result.fds = [f.get() for f in skb.fds]
            if self.peek_off >= 0:
                self.peek_off += take
        result.stamp = skb.stamp
        result.count = whole if flags & MSG_TRUNC else take
        return result

    def stream_recvmsg(self, task, data: IoVec, size: int, flags: int, key) -> "Received":
        """unix_stream_read_generic(): bytes from as many buffers as fit, stopping at a
        buffer that carried fds, and (with SO_PASSCRED) between different writers."""
        if self.state != TCP_ESTABLISHED:
            raise EINVAL()
        if flags & MSG_OOB:
            raise EINVAL()  # CONFIG_AF_UNIX_OOB: no out-of-band byte is ever queued here
        waitall = bool(flags & MSG_WAITALL)
        target = (size if waitall else min(self.rcvlowat, size)) or 1
        nonblock = bool(flags & MSG_DONTWAIT)
        progress = start(task, key, 0 if nonblock else self.rcvtimeo)
        copied = progress.done
        size -= copied
        peek = bool(flags & MSG_PEEK)
        result = Received(0)
        creds = progress.extra  # the writer we are reading (check_creds), once known
        skip = max(self.peek_off, 0) if peek else 0
        index = 0
        while True:
            skb = None
            while index < len(self.recvq):
                candidate = self.recvq[index]
                if skip >= len(candidate):
                    skip -= len(candidate)
                    index += 1
                    continue
                skb = candidate
                break
            if skb is None:
                if copied >= target:
                    break
                err = self.sock_error()
                if err:
                    if copied:
                        break
                    raise _error(err)
                if self.shutdown & RCV_SHUTDOWN:
                    break
                if nonblock or timed_out(progress):
                    if copied:
                        break
                    raise EAGAIN()
                progress.done = copied
                progress.extra = creds
                raise wait(progress, [(self.waitq, POLLIN)])
            if creds is not None:
                if (skb.creds or NO_CREDS) != creds:
                    break
            elif self.passcred:
                creds = skb.creds or NO_CREDS
            if skb.owner is not None:
                result.name = skb.owner.addr
            chunk = min(len(skb) - skip, size)
            start_at = skb.consumed + skip
            try:
                data.write(copied, skb.data[start_at:start_at + chunk])
            except EFAULT:
                if copied == 0:
                    raise
                break
            copied += chunk
            size -= chunk
            if not peek:
                skb.consumed += chunk
                if self.peek_off >= 0:
                    self.peek_off = max(self.peek_off - chunk, 0)
                fds = None
                if skb.fds:
                    fds, skb.fds = skb.fds, None
                    unmark_inflight(self.kernel, fds)
                    result.fds = (result.fds or []) + fds
                if len(skb):
                    break
                self.recvq.popleft()
                self.free_skb(skb)
                if fds:
                    break
            else:
                if skb.fds:
                    result.fds = [f.get() for f in skb.fds]
                if self.peek_off >= 0:
                    self.peek_off += chunk
                if skb.fds:
                    break
                skip = 0
                index += 1
                if index >= len(self.recvq):
                    break
                if not size:
                    break
                continue
            if not size:
                break
            index = 0
        result.creds = creds if creds is not None else NO_CREDS
        result.count = copied
        return result

    def inq_len(self) -> int:
        """unix_inq_len(): SIOCINQ/FIONREAD."""
        if self.state == TCP_LISTEN:
            raise EINVAL()
        if self.type == SOCK_STREAM:
            return sum(len(skb) for skb in self.recvq)
        if self.type == SOCK_SEQPACKET:
            return sum(len(skb) for skb in self.recvq)
        return len(self.recvq[0]) if self.recvq else 0

    def queued_files(self) -> list:
        """Files in flight in this socket's queue (and its embryos' queues)."""
        out = []
        for skb in self.recvq:
            if skb.fds:
                out.extend(skb.fds)
            if skb.embryo is not None:
                for inner in skb.embryo.recvq:
                    if inner.fds:
                        out.extend(inner.fds)
        return out

    # -- options ----------------------------------------------------------------------------------
    def setsockopt(self, task, level: int, optname: int, optval: int, optlen: int) -> None:
        """unix_setsockopt() for SO_INQ on stream sockets, the rest sk_setsockopt()."""
        if self.type == SOCK_STREAM:
            if level != SOL_SOCKET:
                raise EOPNOTSUPP()
            if optname == SO_INQ:
                if optlen != 4:
                    raise EINVAL()
                val = _get_int(task, optval)
                if val > 1 or val < 0:
                    raise EINVAL()
                self.inq = bool(val)
                return
        elif level != SOL_SOCKET:
            raise EOPNOTSUPP()
        self.sk_setsockopt(task, optname, optval, optlen)

    def sk_setsockopt(self, task, optname: int, optval: int, optlen: int) -> None:
        root = task.creds.is_root
        if optname == SO_BINDTODEVICE:
            if not root:
                raise EPERM()
            n = min(max(optlen, 0), 16)
            name = task.read(optval, n).split(b"\0", 1)[0] if n else b""
            if name:
                from kevlar.abi.errors import ENODEV
                raise ENODEV()  # Kevlar has no network devices
            return
        if optlen < 4:
            raise EINVAL()
        val = _get_int(task, optval)
        on = 1 if val else 0
        if optname == SO_PRIORITY:
            if 0 <= val <= 6 or root:
                self.flags[SO_PRIORITY] = val
                return
            raise EPERM()
        if optname in (SO_TYPE, SO_PROTOCOL, SO_DOMAIN, SO_ERROR):
            raise ENOPROTOOPT()
        if optname == SO_PEEK_OFF:
            self.peek_off = val
            return
        if optname in (SO_RCVTIMEO_OLD, SO_RCVTIMEO_NEW, SO_SNDTIMEO_OLD, SO_SNDTIMEO_NEW):
            if optlen < TIMEVAL.size:
                raise EINVAL()
            sec, usec = struct.unpack("<qq", task.read(optval, TIMEVAL.size))
            timeo = set_timeout(sec, usec)
            if optname in (SO_RCVTIMEO_OLD, SO_RCVTIMEO_NEW):
                self.rcvtimeo = timeo
            else:
                self.sndtimeo = timeo
            return
        if optname == SO_DEBUG:
            if val and not root:
                raise EACCES()
            self.flags[SO_DEBUG] = on
        elif optname == SO_REUSEADDR:
            self.flags[SO_REUSEADDR] = on
        elif optname == SO_REUSEPORT:
            if on:
                raise EOPNOTSUPP()
            self.flags[SO_REUSEPORT] = 0
        elif optname in (SO_DONTROUTE, SO_BROADCAST, SO_KEEPALIVE, SO_OOBINLINE, SO_NO_CHECK,
                         SO_RXQ_OVFL, SO_WIFI_STATUS, SO_SELECT_ERR_QUEUE, SO_NOFCS):
            self.flags[optname] = on
        elif optname in (SO_SNDBUF, SO_SNDBUFFORCE):
            val = _buffer_request(val, optname == SO_SNDBUFFORCE, root, limit("core/wmem_max"))
            self.userlocks |= SOCK_SNDBUF_LOCK
            self.sndbuf = max(val * 2, SOCK_MIN_SNDBUF)
            self.write_space()
        elif optname in (SO_RCVBUF, SO_RCVBUFFORCE):
            val = _buffer_request(val, optname == SO_RCVBUFFORCE, root, limit("core/rmem_max"))
            self.userlocks |= SOCK_RCVBUF_LOCK
            self.rcvbuf = max(val * 2, SOCK_MIN_RCVBUF)
        elif optname == SO_LINGER:
            if optlen < 8:
                raise EINVAL()
            onoff, seconds = struct.unpack("<iI", task.read(optval, 8))
            if not onoff:
                self.flags[SO_LINGER] = 0
            else:
                limit_s = MAX_SCHEDULE_TIMEOUT // hz()
                self.lingertime = MAX_SCHEDULE_TIMEOUT if seconds >= limit_s else seconds * hz()
                self.flags[SO_LINGER] = 1
        elif optname == SO_BSDCOMPAT:
            pass
        elif optname == SO_PASSCRED:
            self.passcred = bool(on)
        elif optname == SO_PASSPIDFD:
            self.passpidfd = bool(on)
        elif optname == SO_PASSSEC:
            self.passsec = bool(on)
        elif optname == SO_PASSRIGHTS:
            self.passrights = bool(on)
        elif optname in (SO_TIMESTAMP_OLD, SO_TIMESTAMP_NEW, SO_TIMESTAMPNS_OLD, SO_TIMESTAMPNS_NEW):
            new = optname in (SO_TIMESTAMP_NEW, SO_TIMESTAMPNS_NEW)
            stamp = (self.tstamp & ~4) | (4 if new else 0)
            if on:
                if optname in (SO_TIMESTAMP_OLD, SO_TIMESTAMP_NEW):
                    stamp &= ~2
                else:
                    stamp |= 2
                stamp |= 1
            else:
                stamp &= ~3
            self.tstamp = stamp
        elif optname == SO_RCVLOWAT:
            if val < 0:
                val = INT_MAX
            self.rcvlowat = val or 1
        elif optname == SO_LOCK_FILTER:
            if self.flags.get(SO_LOCK_FILTER) and not on:
                raise EPERM()
            self.flags[SO_LOCK_FILTER] = on
        elif optname == SO_MARK:
            if not root:
                raise EPERM()
            self.flags[SO_MARK] = val & 0xFFFFFFFF
        elif optname == SO_ZEROCOPY:
            raise EOPNOTSUPP()
        elif optname == SO_BUF_LOCK:
            if val & ~SOCK_BUF_LOCK_MASK:
                raise EINVAL()
            self.userlocks = val | (self.userlocks & ~SOCK_BUF_LOCK_MASK)
        elif optname == SO_BUSY_POLL:
            if val < 0:
                raise EINVAL()
            if not root:
                raise EPERM()
            self.flags[SO_BUSY_POLL] = val
        elif optname == SO_INCOMING_CPU:
            self.flags[SO_INCOMING_CPU] = val
        else:
            raise ENOPROTOOPT()

    def getsockopt(self, task, optname: int, length: int) -> bytes:
        """sk_getsockopt(): the value's bytes (the caller truncates to length). SO_PEERCRED
        and SO_PEERNAME give their own length rules through the return value."""
        def i(v: int) -> bytes:
            return struct.pack("<i", v)

        flag = self.flags.get
        if optname in (SO_DEBUG, SO_DONTROUTE, SO_BROADCAST, SO_KEEPALIVE, SO_OOBINLINE,
                       SO_NO_CHECK, SO_RXQ_OVFL, SO_WIFI_STATUS, SO_SELECT_ERR_QUEUE, SO_NOFCS,
                       SO_LOCK_FILTER, SO_REUSEADDR, SO_REUSEPORT, SO_PRIORITY, SO_BUSY_POLL):
            return i(flag(optname, 0))
        if optname == SO_MARK:
            return struct.pack("<I", flag(SO_MARK, 0))
        if optname == SO_SNDBUF:
            return i(self.sndbuf)
        if optname == SO_RCVBUF:
            return i(self.rcvbuf)
        if optname == SO_TYPE:
            return i(self.type)
        if optname == SO_PROTOCOL:
            return i(0)
        if optname == SO_DOMAIN:
            return i(AF_UNIX)
        if optname == SO_ERROR:
            return i(self.sock_error())
        if optname == SO_LINGER:
            return struct.pack("<ii", flag(SO_LINGER, 0),
                               _int32(self.lingertime // hz()))
        if optname == SO_BSDCOMPAT:
            return i(0)
        if optname == SO_TIMESTAMP_OLD:
            return i(int(self.tstamp & 1 and not self.tstamp & 4 and not self.tstamp & 2))
        if optname == SO_TIMESTAMPNS_OLD:
            return i(int(bool(self.tstamp & 2 and not self.tstamp & 4)))
        if optname == SO_TIMESTAMP_NEW:
            return i(int(bool(self.tstamp & 1 and self.tstamp & 4 and not self.tstamp & 2)))
        if optname == SO_TIMESTAMPNS_NEW:
            return i(int(bool(self.tstamp & 2 and self.tstamp & 4)))
        if optname in (SO_RCVTIMEO_OLD, SO_RCVTIMEO_NEW):
            return get_timeout(self.rcvtimeo)
        if optname in (SO_SNDTIMEO_OLD, SO_SNDTIMEO_NEW):
            return get_timeout(self.sndtimeo)
        if optname == SO_RCVLOWAT:
            return i(self.rcvlowat)
        if optname == SO_SNDLOWAT:
            return i(1)
        if optname == SO_PASSCRED:
            return i(int(self.passcred))
        if optname == SO_PASSPIDFD:
            return i(int(self.passpidfd))
        if optname == SO_PASSSEC:
            return i(int(self.passsec))
        if optname == SO_PASSRIGHTS:
            return i(int(self.passrights))
        if optname == SO_PEERCRED:
            pid, uid, gid = (self.peercred or (0, 0xFFFFFFFF, 0xFFFFFFFF, ()))[:3]
            return UCRED.pack(pid, uid, gid)
        if optname == SO_PEERGROUPS:
            if self.peercred is None:
                raise ENODATA()
            groups = self.peercred[3]
            need = 4 * len(groups)
            if length < need:
                raise _Range(need)
            return b"".join(struct.pack("<I", g) for g in groups)
        if optname == SO_PEERNAME:
            try:
                name = self.getname(peer=True)
            except ENOTCONN:
                raise ENOTCONN() from None
            if len(name) < length:
                raise EINVAL()
            return name
        if optname == SO_ACCEPTCONN:
            return i(int(self.state == TCP_LISTEN))
        if optname == SO_PEEK_OFF:
            return i(self.peek_off)
        if optname == SO_INCOMING_CPU:
            return i(flag(SO_INCOMING_CPU, -1))
        if optname == SO_COOKIE:
            if length < 8:
                raise EINVAL()
            if not self.cookie:
                self.cookie = next(_cookies)
            return struct.pack("<Q", self.cookie)
        if optname == SO_ZEROCOPY:
            return i(0)
        if optname == SO_BINDTOIFINDEX:
            return i(0)
        if optname == SO_BUF_LOCK:
            return i(self.userlocks & SOCK_BUF_LOCK_MASK)
        raise ENOPROTOOPT()


class _Range(LinuxError):
    """SO_PEERGROUPS with a short buffer: ERANGE, and optlen says what is needed."""

    errno = ERANGE.errno

    def __init__(self, need: int):
        super().__init__("ERANGE")
        self.need = need


class Received:
    """What one recvmsg produced: bytes copied (or the real length with MSG_TRUNC),
    msg_flags, the sender's name, and the ancillary data to deliver."""

    __slots__ = ("count", "flags", "name", "creds", "fds", "stamp")

    def __init__(self, count: int):
        self.count = count
        self.flags = 0
        self.name: bytes | None = None
        self.creds = NO_CREDS
        self.fds: list | None = None
        self.stamp = 0

    def drop(self) -> None:
        fds, self.fds = self.fds, None
        for file in fds or ():
            file.put()


def _int32(v: int) -> int:
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v & 0x80000000 else v


def _get_int(task, ptr: int) -> int:
    return struct.unpack("<i", task.read(ptr, 4))[0]


def _family(addr: bytes) -> int:
    return struct.unpack_from("<H", addr)[0]


def _error(errno: int) -> LinuxError:
    from kevlar.abi.errors import BY_NUMBER
    return BY_NUMBER.get(errno, EINVAL)()


def set_timeout(sec: int, usec: int) -> int:
    """sock_set_timeout(): jiffies; EDOM for a bad usec; a negative time is 0 (which
    makes the socket's calls non-blocking); zero is no timeout."""
    if usec < 0 or usec >= USEC_PER_SEC:
        raise EDOM()
    if sec < 0:
        return 0
    rate = hz()
    val = MAX_SCHEDULE_TIMEOUT
    if (sec or usec) and sec < (MAX_SCHEDULE_TIMEOUT // rate - 1):
        step = USEC_PER_SEC // rate
        val = sec * rate + (usec + step - 1) // step
    return val


def get_timeout(timeo: int) -> bytes:
    if timeo == MAX_SCHEDULE_TIMEOUT:
        return TIMEVAL.pack(0, 0)
    rate = hz()
    return TIMEVAL.pack(timeo // rate, (timeo % rate) * USEC_PER_SEC // rate)


def timestamp_cmsgs(sock: Sock, stamp: int) -> list[tuple[int, bytes]]:
    """__sock_recv_timestamp for SO_TIMESTAMP{,NS}{_OLD,_NEW}: (type, payload)."""
    if not sock.tstamp & 1:
        return []
    sec, nsec = divmod(stamp, 1_000_000_000)
    new = bool(sock.tstamp & 4)
    if sock.tstamp & 2:
        return [(SO_TIMESTAMPNS_NEW if new else SO_TIMESTAMPNS_OLD, TIMESPEC.pack(sec, nsec))]
    return [(SO_TIMESTAMP_NEW if new else SO_TIMESTAMP_OLD, TIMEVAL.pack(sec, nsec // 1000))]


def validate_addr(addr: bytes) -> None:
    """unix_validate_addr()."""
    if len(addr) <= SUN_PATH_OFFSET or len(addr) > SOCKADDR_UN_SIZE:
        raise EINVAL()
    if _family(addr) != AF_UNIX:
        raise EINVAL()


def bsd_path(addr: bytes) -> bytes:
    """unix_mkname_bsd(): the path ends at the first NUL or at addrlen."""
    return addr[SUN_PATH_OFFSET:].split(b"\0", 1)[0]


def may_send(sk: Sock, other: Sock) -> bool:
    """unix_may_send(): a socket connected elsewhere takes datagrams only from its peer."""
    return other.peer is None or other.peer is sk


def find_other(task, addr: bytes, kind: int) -> Sock:
    """unix_find_other(): a pathname is walked in the VFS (write permission on the socket
    inode, ECONNREFUSED if nothing is bound to it, EPROTOTYPE for another type); an
    abstract name is looked up among sockets of the same type."""
    table = names(task.kernel)
    if addr[SUN_PATH_OFFSET]:
        from kevlar.abi.constants import AT_FDCWD, S_IFSOCK
        from kevlar.fs.path import resolve
        from kevlar.syscalls.fs import permission
        path = bsd_path(addr)
        loc = resolve(task, AT_FDCWD, path, follow=True)
        permission(task, loc.inode, W_OK)
        if loc.inode.type != S_IFSOCK:
            raise ECONNREFUSED()
        sock = table.bsd.get(inode_key(loc.inode))
        if sock is None or sock.dead:
            raise ECONNREFUSED()
        if sock.type != kind:
            raise EPROTOTYPE()
        loc.inode.touch(atime=True)
        return sock
    sock = table.abstract.get((kind, addr))
    if sock is None or sock.dead:
        raise ECONNREFUSED()
    return sock


# -- SCM_RIGHTS bookkeeping and the garbage collector ------------------------------------------

def mark_inflight(kernel, files) -> None:
    table = names(kernel)
    for file in files:
        if isinstance(file, SocketFile):
            file.inflight += 1
            table.inflight.add(file)


def unmark_inflight(kernel, files) -> None:
    table = names(kernel)
    for file in files:
        if isinstance(file, SocketFile):
            file.inflight -= 1
            if file.inflight <= 0:
                table.inflight.discard(file)


def drop_inflight(kernel, files) -> None:
    unmark_inflight(kernel, files)
    for file in files:
        file.put()


def unix_gc(kernel) -> None:
    """net/unix/garbage.c, simply: sockets whose every reference is an in-flight message
    sitting in the queue of another such socket can never be received; purge them so
    cycles (a socket sent over itself, two sockets sent to each other) are freed. Like
    Linux it runs when a unix socket is released (unix_release_sock), not at every
    close."""
    table = names(kernel)
    candidates = {f for f in table.inflight if f.refs and f.refs == f.inflight}
    if not candidates:
        return
    internal: dict = {}
    for file in candidates:
        for inner in file.sock.queued_files():
            if inner in candidates:
                internal[inner] = internal.get(inner, 0) + 1
    live = [f for f in candidates if internal.get(f, 0) < f.inflight]
    seen = set(live)
    while live:
        file = live.pop()
        for inner in file.sock.queued_files():
            if inner in candidates and inner not in seen:
                seen.add(inner)
                live.append(inner)
    # The hit list: every buffer of every dead socket leaves its queue first, then they
    # are freed (so no socket is released with a queue still full, as __unix_gc does).
    hitlist = []
    for file in candidates:
        if file in seen:
            continue
        sock = file.sock
        for skb in sock.recvq:
            if skb.embryo is not None:
                hitlist.extend((skb.embryo, inner) for inner in skb.embryo.recvq)
                skb.embryo.recvq.clear()
        hitlist.extend((sock, skb) for skb in sock.recvq)
        sock.recvq.clear()
    for sock, skb in hitlist:
        sock.free_skb(skb)


# -- the open file --------------------------------------------------------------------------

class SocketFile(File):
    """An AF_UNIX socket as an open file (sock_alloc_file): O_RDWR, not seekable, on a
    sockfs inode owned by the creator's fsuid/fsgid."""

    seekable = False
    pollable = True

    def __init__(self, sock: Sock, flags: int, task):
        super().__init__(None, O_RDWR | (flags & O_NONBLOCK))
        self.sock = sock
        sock.file = self
        creds = task.creds
        self._inode = socket_inode(creds.fsuid, creds.fsgid)
        self.inflight = 0

    def __repr__(self) -> str:
        return f"<SocketFile {self.sock!r}>"

    @property
    def inode(self):
        return self._inode

    @property
    def waitq(self):
        return self.sock.waitq

    def poll(self) -> int:
        return self.sock.poll()

    def release(self) -> None:
        kernel = self.sock.kernel
        names(kernel).inflight.discard(self)
        self.sock.release()
        if names(kernel).inflight:
            unix_gc(kernel)

    # Generic fd paths (syscalls/fd.py) for read/write/readv/writev use read_iter and
    # write_iter (sock_read_iter/sock_write_iter: one recvmsg/sendmsg over all iovecs);
    # read/write/write_quota serve other generic users (splice, sendfile) without
    # blocking semantics of their own.
    def read_iter(self, task, vecs) -> int:
        from kevlar.syscalls.socket import sock_read_iter
        return sock_read_iter(task, self, vecs)

    def write_iter(self, task, vecs) -> int:
        from kevlar.syscalls.socket import sock_write_iter
        return sock_write_iter(task, self, vecs)

    def read(self, task, size: int) -> bytes:
        sock = self.sock
        if sock.type == SOCK_STREAM and sock.state != TCP_ESTABLISHED:
            raise EINVAL()
        if not sock.recvq or (sock.state == TCP_LISTEN):
            if sock.shutdown & RCV_SHUTDOWN:
                return b""
            raise EAGAIN()
        out = bytearray()
        while sock.recvq and len(out) < size:
            skb = sock.recvq[0]
            take = min(len(skb), size - len(out))
            out += skb.data[skb.consumed:skb.consumed + take]
            skb.consumed += take
            if skb.fds:
                fds, skb.fds = skb.fds, None
                drop_inflight(sock.kernel, fds)
            if sock.type != SOCK_STREAM or not len(skb):
                sock.recvq.popleft()
                sock.free_skb(skb)
            if sock.type != SOCK_STREAM:
                break
        return bytes(out)

    def write_quota(self, want: int) -> int:
        sock = self.sock
        if sock.shutdown & SEND_SHUTDOWN or sock.peer is None or sock.wmem < sock.sndbuf:
            return want or 1
        return 0

    def write(self, task, data: bytes) -> int:
        from kevlar.syscalls.socket import sock_sendmsg_kernel
        return sock_sendmsg_kernel(task, self, data)

    def read_size_hint(self) -> int:
        return self.sock.inq_len()

    def fdinfo(self) -> bytes:
        """unix_show_fdinfo(): the fds in flight in this socket's queue (a listener: in
        its pending connections' queues)."""
        sock = self.sock
        if sock.type == SOCK_DGRAM or sock.state == TCP_ESTABLISHED:
            count = sum(len(skb.fds) for skb in sock.recvq if skb.fds)
        elif sock.state == TCP_LISTEN:
            count = sum(len(inner.fds) for skb in sock.recvq if skb.embryo is not None
                        for inner in skb.embryo.recvq if inner.fds)
        else:
            count = 0
        return b"scm_fds: %d\n" % count

    def ioctl(self, task, cmd: int, arg: int):
        from kevlar.syscalls.common import put_int
        if cmd == 0x541B:  # SIOCINQ (FIONREAD)
            put_int(task, arg, self.sock.inq_len())
            return 0
        if cmd == 0x5411:  # SIOCOUTQ (TIOCOUTQ)
            put_int(task, arg, self.sock.wmem)
            return 0
        if cmd == 0x8905:  # SIOCATMARK: no out-of-band data is ever queued
            put_int(task, arg, 0)
            return 0
        raise ENOTTY()


def pair(task, a: Sock, b: Sock) -> None:
    """unix_socketpair(): back to back, each with the caller's credentials."""
    a.peer, b.peer = b, a
    a.peercred = b.peercred = peercred_of(task)
    a.state = b.state = TCP_ESTABLISHED


def new_socket(task, kind: int, flags: int) -> SocketFile:
    return SocketFile(Sock(task.kernel, kind), flags, task)


__all__ = ["Sock", "SocketFile", "Skb", "Scm", "Received", "IoVec", "Progress", "check_create",
           "new_socket", "pair", "SOCK_MAX"]
