"""Socket ABI (x86_64): address families, types, flags, options and the structs that
sendmsg/recvmsg and friends pass, declared with the kernel headers' names
(include/linux/socket.h, include/uapi/asm-generic/socket.h, include/linux/net.h,
include/uapi/linux/un.h, include/net/scm.h)."""

from kevlar.abi.structs import Layout

# include/linux/socket.h
AF_UNSPEC = 0
AF_UNIX = 1
AF_INET = 2
AF_INET6 = 10
AF_NETLINK = 16
AF_PACKET = 17
AF_MAX = 46  # NPROTO: socket(2) with family >= AF_MAX is EAFNOSUPPORT before anything else
PF_UNIX = AF_UNIX

# include/linux/net.h
SOCK_STREAM = 1
SOCK_DGRAM = 2
SOCK_RAW = 3
SOCK_RDM = 4
SOCK_SEQPACKET = 5
SOCK_DCCP = 6
SOCK_PACKET = 10
SOCK_MAX = 11
SOCK_TYPE_MASK = 0xF
SOCK_CLOEXEC = 0o2000000  # O_CLOEXEC
SOCK_NONBLOCK = 0o4000  # O_NONBLOCK
SOCK_NAMES = {SOCK_STREAM: "SOCK_STREAM", SOCK_DGRAM: "SOCK_DGRAM", SOCK_SEQPACKET: "SOCK_SEQPACKET"}

SHUT_RD, SHUT_WR, SHUT_RDWR = 0, 1, 2

# include/linux/socket.h: msg flags
MSG_OOB = 0x1
MSG_PEEK = 0x2
MSG_DONTROUTE = 0x4
MSG_CTRUNC = 0x8
MSG_PROBE = 0x10
MSG_TRUNC = 0x20
MSG_DONTWAIT = 0x40
MSG_EOR = 0x80
MSG_WAITALL = 0x100
MSG_FIN = 0x200
MSG_SYN = 0x400
MSG_CONFIRM = 0x800
MSG_RST = 0x1000
MSG_ERRQUEUE = 0x2000
MSG_NOSIGNAL = 0x4000
MSG_MORE = 0x8000
MSG_WAITFORONE = 0x10000
MSG_SENDPAGE_NOPOLICY = 0x10000
MSG_BATCH = 0x40000
MSG_SOCK_DEVMEM = 0x2000000
MSG_ZEROCOPY = 0x4000000
MSG_SPLICE_PAGES = 0x8000000
MSG_FASTOPEN = 0x20000000
MSG_CMSG_CLOEXEC = 0x40000000
MSG_CMSG_COMPAT = 0x80000000
# Flags the kernel sets for itself and strips from what user space passes to sendmsg
# (net/socket.c MSG_INTERNAL_SENDMSG_FLAGS).
MSG_INTERNAL_SENDMSG_FLAGS = MSG_SPLICE_PAGES | MSG_SENDPAGE_NOPOLICY

# include/uapi/asm-generic/socket.h (x86_64 uses the generic numbers)
SOL_SOCKET = 1
SO_DEBUG = 1
SO_REUSEADDR = 2
SO_TYPE = 3
SO_ERROR = 4
SO_DONTROUTE = 5
SO_BROADCAST = 6
SO_SNDBUF = 7
SO_RCVBUF = 8
SO_KEEPALIVE = 9
SO_OOBINLINE = 10
SO_NO_CHECK = 11
SO_PRIORITY = 12
SO_LINGER = 13
SO_BSDCOMPAT = 14
SO_REUSEPORT = 15
SO_PASSCRED = 16
SO_PEERCRED = 17
SO_RCVLOWAT = 18
SO_SNDLOWAT = 19
SO_RCVTIMEO_OLD = 20
SO_SNDTIMEO_OLD = 21
SO_BINDTODEVICE = 25
SO_ATTACH_FILTER = 26
SO_DETACH_FILTER = 27
SO_PEERNAME = 28
SO_TIMESTAMP_OLD = 29
SO_ACCEPTCONN = 30
SO_PEERSEC = 31
SO_SNDBUFFORCE = 32
SO_RCVBUFFORCE = 33
SO_PASSSEC = 34
SO_TIMESTAMPNS_OLD = 35
SO_MARK = 36
SO_PROTOCOL = 38
SO_DOMAIN = 39
SO_RXQ_OVFL = 40
SO_WIFI_STATUS = 41
SO_PEEK_OFF = 42
SO_NOFCS = 43
SO_LOCK_FILTER = 44
SO_SELECT_ERR_QUEUE = 45
SO_BUSY_POLL = 46
SO_INCOMING_CPU = 49
SO_COOKIE = 57
SO_PEERGROUPS = 59
SO_ZEROCOPY = 60
SO_BINDTOIFINDEX = 62
SO_TIMESTAMP_NEW = 63
SO_TIMESTAMPNS_NEW = 64
SO_RCVTIMEO_NEW = 66
SO_SNDTIMEO_NEW = 67
SO_BUF_LOCK = 72
SO_PASSPIDFD = 76
SO_PEERPIDFD = 77
SO_PASSRIGHTS = 83
SO_INQ = 84

# include/linux/socket.h: control message types at SOL_SOCKET
SCM_RIGHTS = 1
SCM_CREDENTIALS = 2
SCM_SECURITY = 3
SCM_PIDFD = 4
SCM_MAX_FD = 253  # include/net/scm.h: fds in one SCM_RIGHTS message

UIO_MAXIOV = 1024
SOMAXCONN = 4096  # net.core.somaxconn

# include/uapi/linux/un.h: struct sockaddr_un; the path starts at offset 2.
SUN_PATH_OFFSET = 2
SOCKADDR_UN_SIZE = 110
SOCKADDR_STORAGE_SIZE = 128

# include/linux/socket.h: struct user_msghdr (56 bytes on x86_64) and struct mmsghdr
MSGHDR = Layout("user_msghdr", [
    ("msg_name", "Q"), ("msg_namelen", "i"), ("", "4x"), ("msg_iov", "Q"), ("msg_iovlen", "Q"),
    ("msg_control", "Q"), ("msg_controllen", "Q"), ("msg_flags", "I"), ("", "4x"),
])
MSG_NAMELEN_OFFSET = 8
MSG_CONTROLLEN_OFFSET = 40
MSG_FLAGS_OFFSET = 48
MMSGHDR = Layout("mmsghdr", [("msg_hdr", f"{MSGHDR.size}s"), ("msg_len", "I"), ("", "4x")])
MMSG_LEN_OFFSET = MSGHDR.size
CMSGHDR = Layout("cmsghdr", [("cmsg_len", "Q"), ("cmsg_level", "i"), ("cmsg_type", "i")])
UCRED = Layout("ucred", [("pid", "i"), ("uid", "I"), ("gid", "I")])
LINGER = Layout("linger", [("l_onoff", "i"), ("l_linger", "i")])
# SO_RCVTIMEO/SO_SNDTIMEO: struct __kernel_old_timeval and __kernel_sock_timeval are both
# {s64 tv_sec; s64 tv_usec} on x86_64.
SOCK_TIMEVAL = Layout("timeval", [("tv_sec", "q"), ("tv_usec", "q")])


def cmsg_align(n: int) -> int:
    """CMSG_ALIGN: to sizeof(long)."""
    return (n + 7) & ~7


def cmsg_len(n: int) -> int:
    return CMSGHDR.size + n


def cmsg_space(n: int) -> int:
    return CMSGHDR.size + cmsg_align(n)
