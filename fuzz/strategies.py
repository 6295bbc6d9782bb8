"""Hypothesis strategies: programs for fuzzguest, one family per strategy.

Small universes on purpose: a dozen names (fuzzguest's PATHS), fds 3-10, a handful of
flag bits per call. Ops whose syscall Kevlar does not implement yet (its table says
`missing`) are not generated, so each family follows the other areas as they land.
"""

from __future__ import annotations

from hypothesis import strategies as st

from fuzz.harness import implemented, paths

# ---- universes ----------------------------------------------------------------------------

O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_NOCTTY, O_TRUNC, O_APPEND, O_NONBLOCK = (
    0o1, 0o2, 0o100, 0o200, 0o400, 0o1000, 0o2000, 0o4000)
O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC, O_PATH, O_TMPFILE = (
    0o200000, 0o400000, 0o2000000, 0o10000000, 0o20200000)
AT_FDCWD = -100
AT_SYMLINK_NOFOLLOW, AT_REMOVEDIR, AT_SYMLINK_FOLLOW, AT_EMPTY_PATH = 0x100, 0x200, 0x400, 0x1000

fds = st.sampled_from([3, 4, 5, 6, 7, 8, 9, 10, -1, 100])
dirfds = st.sampled_from([AT_FDCWD, AT_FDCWD, 3, 4, 5, 6, -1])


def path():
    return st.integers(0, len(paths()) - 1)


def bits(*flags):
    return st.lists(st.sampled_from(flags), max_size=len(flags), unique=True).map(
        lambda fl: sum(fl))


open_flags = st.builds(lambda acc, rest: acc | rest, st.sampled_from([0, O_WRONLY, O_RDWR]),
                       st.one_of(bits(O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_NONBLOCK,
                                      O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC),
                                 st.sampled_from([O_CREAT, O_CREAT | O_EXCL, O_CREAT | O_TRUNC,
                                                  O_PATH, O_PATH | O_NOFOLLOW, O_TMPFILE,
                                                  O_DIRECTORY, 0o10])))
modes = st.sampled_from([0o644, 0o755, 0o600, 0o000, 0o777, 0o4755, 0o1777, 0o444])
sizes = st.sampled_from([0, 1, 3, 10, 100, 4096, 5000])
offsets = st.sampled_from([0, 1, 5, 100, 4095, 4096, 10000, -1, 1 << 33])
whence = st.sampled_from([0, 1, 2, 3, 4, 5])             # SET CUR END DATA HOLE, bad
fcntl_cmd = st.sampled_from([0, 1, 2, 3, 4, 1030, 1032, 1031, 99])
fcntl_arg = st.sampled_from([0, 1, 3, 10, O_APPEND, O_NONBLOCK, O_APPEND | O_NONBLOCK | O_RDWR,
                             4096, 65536, -1])


def _available(op: str) -> bool:
    needs = {
        "open": "open", "openat": "openat", "creat": "creat", "close": "close", "read": "read",
        "pread": "pread64", "write": "write", "pwrite": "pwrite64", "lseek": "lseek",
        "ftruncate": "ftruncate", "truncate": "truncate", "dup": "dup", "dup2": "dup2",
        "dup3": "dup3", "pipe2": "pipe2", "mkdir": "mkdir", "rmdir": "rmdir", "unlink": "unlink",
        "unlinkat": "unlinkat", "rename": "rename", "renameat2": "renameat2", "link": "link",
        "linkat": "linkat", "symlink": "symlink", "readlink": "readlink",
        "getdents": "getdents64", "stat": "stat", "lstat": "lstat", "fstat": "fstat",
        "statx": "statx", "fcntl": "fcntl", "chdir": "chdir", "fchdir": "fchdir",
        "getcwd": "getcwd", "access": "access", "chmod": "chmod", "fchmod": "fchmod",
        "fsync": "fsync", "fork": "fork", "kill": "kill", "wait": "wait4",
        "signal": "rt_sigaction", "sigmask": "rt_sigprocmask", "sigpending": "rt_sigpending",
        "epoll_create": "epoll_create1", "epoll_ctl": "epoll_ctl", "epoll_wait": "epoll_wait",
        "eventfd": "eventfd2", "efd_write": "write", "timerfd_create": "timerfd_create",
        "timerfd_settime": "timerfd_settime", "timerfd_gettime": "timerfd_gettime",
        "poll": "poll", "inotify_init": "inotify_init1", "inotify_add": "inotify_add_watch",
    }
    name = needs.get(op)
    return name is None or name in implemented()


def family(ops: dict, *, max_size: int = 25):
    """A program: a list of ops drawn from the available ones of a family."""
    choices = [strategy for op, strategy in ops.items() if _available(op)]
    return st.lists(st.one_of(choices), min_size=1, max_size=max_size)


def op(name, *args):
    return st.tuples(st.just(name), *args)


# ---- the file family ----------------------------------------------------------------------

FILE_OPS = {
    "open": op("open", path(), open_flags, modes),
    "openat": op("openat", dirfds, path(), open_flags, modes),
    "creat": op("creat", path(), modes),
    "close": op("close", fds),
    "read": op("read", fds, sizes),
    "pread": op("pread", fds, sizes, offsets),
    "write": op("write", fds, sizes),
    "pwrite": op("pwrite", fds, sizes, offsets),
    "lseek": op("lseek", fds, offsets, whence),
    "ftruncate": op("ftruncate", fds, offsets),
    "truncate": op("truncate", path(), offsets),
    "dup": op("dup", fds),
    "dup2": op("dup2", fds, fds),
    "dup3": op("dup3", fds, fds, st.sampled_from([0, O_CLOEXEC, 1])),
    "pipe2": op("pipe2", st.sampled_from([0, O_NONBLOCK, O_CLOEXEC, 0o40000, 1])),
    "mkdir": op("mkdir", path(), modes),
    "rmdir": op("rmdir", path()),
    "unlink": op("unlink", path()),
    "unlinkat": op("unlinkat", dirfds, path(), st.sampled_from([0, AT_REMOVEDIR, 1])),
    "rename": op("rename", path(), path()),
    "renameat2": op("renameat2", path(), path(), st.sampled_from([0, 1, 2, 3, 4, 8])),
    "link": op("link", path(), path()),
    "linkat": op("linkat", path(), path(), st.sampled_from([0, AT_SYMLINK_FOLLOW, AT_EMPTY_PATH, 1])),
    "symlink": op("symlink", path(), path()),
    "readlink": op("readlink", path(), st.sampled_from([0, 1, 3, 100])),
    "getdents": op("getdents", fds, st.sampled_from([0, 0, 1, 30, 4096])),
    "stat": op("stat", path()),
    "lstat": op("lstat", path()),
    "fstat": op("fstat", fds),
    "statx": op("statx", dirfds, path(),
                st.sampled_from([0, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, 0x8, 0x6000]),
                st.sampled_from([0, 0x7ff, 0xfff, 1, 0x80000000])),
    "fcntl": op("fcntl", fds, fcntl_cmd, fcntl_arg),
    "chdir": op("chdir", path()),
    "fchdir": op("fchdir", fds),
    "getcwd": op("getcwd"),
    "access": op("access", path(), st.sampled_from([0, 1, 2, 4, 7, 8])),
    "chmod": op("chmod", path(), modes),
    "fchmod": op("fchmod", fds, modes),
    "fsync": op("fsync", fds),
}


def file_programs():
    return family(FILE_OPS, max_size=30)


# ---- the process family -------------------------------------------------------------------
# Children: 0 exit(arg), 1 pause forever, 2 read 1 byte from fd arg, 3 exit(0),
# 4 write 1 byte to fd arg, 5 raise(arg), 6 stop itself then exit 4 (fuzzguest child_body).
# Waits block (bounded at 250 ms); WNOHANG is not generated: its answer races the child.

SIGS = [0, 1, 2, 10, 12, 15, 17, 18, 19, 9, 20, 13, 28]
kids = st.integers(-1, 3)

PROCESS_OPS = {
    "fork": op("fork", st.integers(0, 6), st.sampled_from([0, 1, 3, 4, 5, 7, 10, 15, 19, 255])),
    "kill": op("kill", kids, st.sampled_from(SIGS)),
    "wait": op("wait", kids, st.sampled_from([0, 2, 8, 10])),
    "signal": op("signal", st.sampled_from(SIGS[1:]), st.integers(0, 3)),
    "sigmask": op("sigmask", st.integers(0, 1), st.sampled_from(SIGS)),
    "sigcount": op("sigcount"),
    "sigpending": op("sigpending"),
    "pipe2": op("pipe2", st.sampled_from([0, O_NONBLOCK, O_CLOEXEC])),
    "close": op("close", fds),
    "read": op("read", fds, st.sampled_from([0, 1, 10])),
    "write": op("write", fds, st.sampled_from([0, 1, 10])),
}


def process_programs():
    return family(PROCESS_OPS, max_size=20)


# ---- the events family (zero timeouts) ----------------------------------------------------

EPOLLIN, EPOLLPRI, EPOLLOUT, EPOLLRDHUP = 0x1, 0x2, 0x4, 0x2000
EPOLLEXCLUSIVE, EPOLLONESHOT, EPOLLET = 1 << 28, 1 << 30, 1 << 31
epoll_events = st.one_of(bits(EPOLLIN, EPOLLOUT, EPOLLET, EPOLLONESHOT, EPOLLRDHUP, EPOLLPRI),
                         st.sampled_from([EPOLLIN | EPOLLEXCLUSIVE, 0]))
IN_ACCESS, IN_MODIFY, IN_OPEN, IN_CLOSE, IN_CREATE, IN_ALL_EVENTS = (
    0x1, 0x2, 0x20, 0x18, 0x100, 0xfff)
IN_ONLYDIR, IN_MASK_CREATE, IN_MASK_ADD, IN_ONESHOT = 0x01000000, 0x10000000, 0x20000000, 0x80000000
poll_events = st.sampled_from([0, 1, 4, 5, 0x2000, 0x10, 0x7fff])

EVENT_OPS = {
    "epoll_create": op("epoll_create", st.sampled_from([0, 0, O_CLOEXEC, 1])),
    "epoll_ctl": op("epoll_ctl", fds, st.sampled_from([1, 1, 2, 3, 0, 4]), fds, epoll_events,
                    st.sampled_from([0, 0, 0, 0, 1])),
    "epoll_wait": op("epoll_wait", fds, st.sampled_from([16, 16, 1, 0, -1])),
    "eventfd": op("eventfd", st.sampled_from([0, 1, 5]),
                  st.sampled_from([0, 1, O_NONBLOCK, O_NONBLOCK | 1, O_CLOEXEC, 2])),
    "efd_write": op("efd_write", fds, st.sampled_from([1, 0, 5, (1 << 64) - 1, (1 << 64) - 2])),
    "timerfd_create": op("timerfd_create", st.sampled_from([0, 1, 1, 7, 5]),
                         st.sampled_from([0, O_NONBLOCK, O_NONBLOCK, O_CLOEXEC, 1])),
    "timerfd_settime": op("timerfd_settime", fds, st.sampled_from([0, 0, 1, 4]),
                          st.sampled_from([0, -1, 100000]), st.sampled_from([0, 100000])),
    "timerfd_gettime": op("timerfd_gettime", fds),
    "poll": st.builds(lambda a: ("poll", *a), st.lists(st.tuples(fds, poll_events), min_size=1,
                                                       max_size=3).map(lambda x: sum(x, ()))),
    "pipe2": op("pipe2", st.sampled_from([0, O_NONBLOCK])),
    # inotify watches on the scratch dir ("."), "d" and "a": the opens, writes and closes
    # of the other ops make events to read, poll and epoll (no renames: cookies differ)
    "inotify_init": op("inotify_init", st.sampled_from([0, O_NONBLOCK, O_NONBLOCK, O_CLOEXEC, 1])),
    "inotify_add": op("inotify_add", fds, st.sampled_from([16, 16, 3, 0]),
                      st.sampled_from([IN_ALL_EVENTS, IN_ALL_EVENTS, IN_CREATE, IN_OPEN | IN_CLOSE,
                                       IN_CREATE | IN_ONESHOT, IN_MODIFY | IN_MASK_ADD, 0,
                                       IN_ACCESS | IN_MASK_CREATE, IN_ALL_EVENTS | IN_ONLYDIR,
                                       0x80000000])),
    "read": op("read", fds, st.sampled_from([8, 8, 1, 100, 16, 32])),
    # (not 100: events/eventfd_write_size, issue 4, an eventfd write of != 8 bytes)
    "write": op("write", fds, st.sampled_from([1, 8])),
    "close": op("close", fds),
    "dup": op("dup", fds),
    "open": op("open", st.sampled_from([0, 3]), st.sampled_from([O_CREAT | O_RDWR, O_DIRECTORY]),
               st.just(0o644)),
}


def event_programs():
    return family(EVENT_OPS, max_size=25)


# ---- the hostile family -------------------------------------------------------------------
# Argument kinds: F fd, D dirfd, P path, B buffer/struct pointer, N length or count,
# O offset, X flags or any integer, I a pid (the program's own, or none that exists),
# S a signal number that delivers nothing (0 or invalid). Path arguments are never buffer
# pointers (the buffers may hold a "..", and the native side must stay inside its scratch
# directory). xattr names are path tokens too: none has a namespace prefix.

SIGNATURES = {
    "read": "FBN", "write": "FBN", "open": "PXX", "close": "F", "stat": "PB", "fstat": "FB",
    "lstat": "PB", "lseek": "FOX", "pread64": "FBNO", "pwrite64": "FBNO", "readv": "FBN",
    "writev": "FBN", "access": "PX", "pipe": "B", "dup": "F", "dup2": "FF",
    "socketpair": "XXXB", "uname": "B", "fcntl": "FXX", "flock": "FX", "fsync": "F",
    "fdatasync": "F", "truncate": "PO", "ftruncate": "FO", "getdents": "FBN", "chdir": "P",
    "fchdir": "F", "rename": "PP", "mkdir": "PX", "rmdir": "P", "creat": "PX", "link": "PP",
    "unlink": "P", "symlink": "PP", "readlink": "PBN", "chmod": "PX", "fchmod": "FX",
    "umask": "X", "gettimeofday": "BB", "getrlimit": "XB", "sysinfo": "B", "getuid": "",
    "getgid": "", "geteuid": "", "getegid": "", "rt_sigpending": "BN", "statfs": "PB",
    "fstatfs": "FB", "getdents64": "FBN", "clock_gettime": "XB", "clock_getres": "XB",
    "epoll_ctl": "FXFB", "openat": "DPXX", "mkdirat": "DPX", "newfstatat": "DPBX",
    "unlinkat": "DPX", "renameat": "DPDP", "linkat": "DPDPX", "symlinkat": "PDP",
    "readlinkat": "DPBN", "fchmodat": "DPX", "faccessat": "DPX", "utimensat": "DPBX",
    "timerfd_create": "XX", "eventfd": "X", "timerfd_settime": "FXBB", "timerfd_gettime": "FB",
    "eventfd2": "XX", "epoll_create1": "X", "dup3": "FFX", "pipe2": "BX", "preadv": "FBNO",
    "pwritev": "FBNO", "renameat2": "DPDPX", "getrandom": "BNX", "memfd_create": "PX",
    "statx": "DPXXB", "preadv2": "FBNOX", "pwritev2": "FBNOX", "faccessat2": "DPXX",
    "epoll_create": "X", "wait4": "XBXB", "readahead": "FON", "fadvise64": "FONX",
    "sync_file_range": "FONX", "inotify_init1": "X", "inotify_add_watch": "FPX",
    "inotify_rm_watch": "FX", "signalfd4": "FBNX", "getxattr": "PPBN", "lgetxattr": "PPBN",
    "fgetxattr": "FPBN", "listxattr": "PBN", "flistxattr": "FBN", "utime": "PB", "utimes": "PB",
    "futimesat": "DPB", "openat2": "DPBN", "fchmodat2": "DPXX",
    "llistxattr": "PBN", "setxattr": "PPBNX", "lsetxattr": "PPBNX", "fsetxattr": "FPBNX",
    "removexattr": "PP", "lremovexattr": "PP", "fremovexattr": "FP",
    "getxattrat": "DPXPBN", "setxattrat": "DPXPBN", "listxattrat": "DPXBN",
    "removexattrat": "DPXP", "cachestat": "FBBX", "kcmp": "IIXXX", "ioprio_get": "XI",
    "ioprio_set": "XIX", "pidfd_open": "IX", "pidfd_send_signal": "FSBX", "pidfd_getfd": "FFX",
    "process_vm_readv": "IBNBNX", "process_vm_writev": "IBNBNX",
}

KINDS = {
    "F": st.sampled_from([-1, 3, 4, 5, 6, 7, 8, 1000, 2**31 - 1, -2**31, (1 << 32) | 3, -100]),
    "D": st.sampled_from([-100, -100, 3, 4, 5, -1, 1000, 2**31 - 1]),
    "P": st.sampled_from(["@path", "@path", "@long", "@none", "@end-1", "@ro", 0, 1, "@kern",
                          "@path+1", "@none-1"]),
    "B": st.sampled_from(["@buf", "@buf", "@buf+1", "@buf+4093", "@end-8", "@end-1", "@ro",
                          "@ro+8", "@none", 0, 1, "@kern", "@buf+65533", "@none-4"]),
    "N": st.sampled_from([0, 1, 7, 8, 16, 64, 128, 4096, 65536, 65537, 1 << 20, 1 << 31,
                          2**32 - 1, 2**63 - 1, -1, -2**31]),
    "O": st.sampled_from([0, 1, 4096, -1, -4096, 1 << 31, 1 << 40, 2**63 - 1, -2**63]),
    "I": st.sampled_from(["@self", "@self", 0, -1, 0x7ffffff0]),
    "S": st.sampled_from([0, 0, 65, -1, 1 << 32]),
    "X": st.one_of(st.sampled_from([0, 1, 2, 3, 4, 8, 0x100, 0x200, 0x400, 0x800, 0x1000,
                                    O_CREAT | O_RDWR, O_TMPFILE | O_RDWR, 0o644, -1,
                                    0x80000000, 0o2000000, 0o4000]),
                   st.integers(-2**63, 2**64 - 1), st.integers(0, 2**32 - 1)),
}


def _sys_op(name: str):
    from kevlar.abi.sysnums import SYSCALLS
    sig = SIGNATURES[name]
    return st.tuples(st.just("sys"), st.just(SYSCALLS[name]), *(KINDS[k] for k in sig))


def hostile_programs():
    """Setup ops that make fds exist (a file, a directory, a pipe), then raw calls."""
    from kevlar.abi.sysnums import SYSCALLS
    names = sorted(n for n in SIGNATURES if n in implemented() and n in SYSCALLS)
    setup = st.sampled_from([("open", 0, O_CREAT | O_RDWR, 0o644), ("mkdir", 3, 0o755),
                             ("open", 3, O_DIRECTORY, 0), ("pipe2", 0), ("pipe2", O_NONBLOCK),
                             ("write", 3, 100)])
    calls = st.one_of([_sys_op(n) for n in names])
    return st.tuples(st.lists(setup, max_size=4), st.lists(calls, min_size=1, max_size=12)).map(
        lambda t: t[0] + t[1])
