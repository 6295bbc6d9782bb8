"""The syscall table: every x86_64 syscall, its handler, its support level and a note.

This file is the single source of truth: the dispatcher indexes it by number,
docs/syscalls.md is generated from it (tools/gen_syscall_docs.py), and a test fails if a
number of the kernel's list has no row. Levels:

  full     implemented with Linux's semantics and errnos
  partial  implemented, with the limits the note states
  stub     answers what Linux would in Kevlar's world, without doing more (note says why)
  native   the host runs it (the seccomp filter allows it in the fast profile; the tracer
           lets it through in the full profile); see platform/seccomp.py for why each is safe
  missing  ENOSYS, counted and reported when the guest exits
"""

import sys
from collections import Counter

from kevlar.abi.errors import ENOSYS
from kevlar.abi.sysnums import NAMES, SYSCALLS
from kevlar.platform.interface import ACT_CONTINUE
from kevlar.platform.seccomp import NATIVE
from kevlar.syscalls import (
    events,
    fd,
    fs,
    info,
    ioprio,
    kcmp,
    locks,
    memfd,
    mm,
    mount,
    mqueue,
    pidfd,
    poll,
    prctl,
    process,
    process_vm,
    sched,
    signal,
    socket,
    splice,
    stat,
    sysvipc,
    time,
    xattr,
)
from kevlar.syscalls.args import bind_arguments

LEVELS = ("full", "partial", "stub", "native", "missing")


class Entry:
    __slots__ = ("nr", "name", "handler", "level", "note", "call")

    def __init__(self, name: str, handler, level: str, note: str = ""):
        if level not in LEVELS:
            raise ValueError(f"{name}: unknown support level {level!r}")
        self.nr = SYSCALLS[name]
        self.name = name
        self.handler = handler
        self.level = level
        self.note = note
        self.call = None


def full(handler, note: str = "") -> tuple:
    return handler, "full", note


def partial(handler, note: str) -> tuple:
    return handler, "partial", note


def stub(handler, note: str) -> tuple:
    return handler, "stub", note


def missing(note: str = "") -> tuple:
    return None, "missing", note


XATTR_NOTE = ("tmpfs keeps user/trusted/security in memory and POSIX ACLs (system.posix_acl_*: "
              "mode sync, inheritance, permission checks), binds use the host's; ext2 none")

TABLE: dict[str, tuple] = {
    # fd layer: syscalls/fd.py
    "read": full(fd.sys_read),
    "write": full(fd.sys_write),
    "pread64": full(fd.sys_pread64),
    "pwrite64": full(fd.sys_pwrite64),
    "readv": full(fd.sys_readv),
    "writev": full(fd.sys_writev),
    "preadv": full(fd.sys_preadv),
    "pwritev": full(fd.sys_pwritev),
    "preadv2": full(fd.sys_preadv2),
    "pwritev2": full(fd.sys_pwritev2),
    "lseek": full(fd.sys_lseek),
    "close": full(fd.sys_close),
    "close_range": full(fd.sys_close_range),
    "dup": full(fd.sys_dup),
    "dup2": full(fd.sys_dup2),
    "dup3": full(fd.sys_dup3),
    "fcntl": partial(fd.sys_fcntl, "no leases (F_SETLEASE), no directory notification (F_NOTIFY)"),
    "ioctl": partial(fd.sys_ioctl, (
        "generic requests; terminal requests on host fds; Kevlar's ptys (ipc/pty.py): termios "
        "(TCGETS*/TCSETS*), window size, FIONREAD/TIOCOUTQ, TCFLSH, TCXONC (accepted, no flow "
        "control), break requests, TIOCGETD, TIOCGDEV, job control (TIOCSCTTY/TIOCNOTTY/"
        "TIOCGPGRP/TIOCSPGRP/TIOCGSID), TIOCGPTN/TIOCSPTLCK/TIOCGPTLCK/TIOCGPTPEER; not "
        "TIOCPKT, TIOCSTI, TIOCSETD, TIOCEXCL, modem lines")),
    "pipe": full(fd.sys_pipe),
    "pipe2": full(fd.sys_pipe2),
    # paths and attributes: syscalls/fs.py, syscalls/stat.py
    "open": full(fs.sys_open),
    "openat": full(fs.sys_openat),
    "openat2": full(fs.sys_openat2, "every RESOLVE_* flag; RESOLVE_CACHED always finds the tree cached"),
    "creat": full(fs.sys_creat),
    "mkdir": full(fs.sys_mkdir),
    "mkdirat": full(fs.sys_mkdirat),
    "mknod": full(fs.sys_mknod),
    "mknodat": full(fs.sys_mknodat),
    "unlink": full(fs.sys_unlink),
    "unlinkat": full(fs.sys_unlinkat),
    "rmdir": full(fs.sys_rmdir),
    "rename": full(fs.sys_rename),
    "renameat": full(fs.sys_renameat),
    "renameat2": partial(fs.sys_renameat2, "RENAME_WHITEOUT is EINVAL"),
    "link": full(fs.sys_link),
    "linkat": full(fs.sys_linkat),
    "symlink": full(fs.sys_symlink),
    "symlinkat": full(fs.sys_symlinkat),
    "readlink": full(fs.sys_readlink),
    "readlinkat": full(fs.sys_readlinkat),
    "chdir": full(fs.sys_chdir),
    "fchdir": full(fs.sys_fchdir),
    "chroot": full(fs.sys_chroot),
    "getcwd": full(fs.sys_getcwd),
    "umask": full(fs.sys_umask),
    "chmod": full(fs.sys_chmod),
    "fchmod": full(fs.sys_fchmod),
    "fchmodat": full(fs.sys_fchmodat),
    "fchmodat2": full(fs.sys_fchmodat2),
    "chown": full(fs.sys_chown),
    "fchown": full(fs.sys_fchown),
    "lchown": full(fs.sys_lchown),
    "fchownat": full(fs.sys_fchownat),
    "access": full(fs.sys_access),
    "faccessat": full(fs.sys_faccessat),
    "faccessat2": full(fs.sys_faccessat2),
    "truncate": full(fs.sys_truncate),
    "ftruncate": full(fs.sys_ftruncate),
    "utimensat": full(fs.sys_utimensat),
    "utimes": full(fs.sys_utimes),
    "futimesat": full(fs.sys_futimesat),
    "utime": full(fs.sys_utime),
    "fsync": full(fs.sys_fsync),
    "fdatasync": full(fs.sys_fdatasync),
    "sync": full(fs.sys_sync),
    "syncfs": full(fs.sys_syncfs),
    "fallocate": full(fs.sys_fallocate),
    "readahead": stub(fs.sys_readahead, "checked as Linux; there is no page cache to fill"),
    "fadvise64": stub(fs.sys_fadvise64, "advice is accepted and checked; there is no page cache"),
    "sync_file_range": stub(fs.sys_sync_file_range, "checked; data is already where a sync puts it"),
    # locks, moving data, mounts: syscalls/locks.py, splice.py, mount.py
    "flock": full(locks.sys_flock),
    "sendfile": full(splice.sys_sendfile),
    "splice": partial(splice.sys_splice,
                      "copies (Kevlar pipes hold bytes, not pages); SPLICE_F_MOVE/GIFT are hints"),
    "tee": full(splice.sys_tee),
    "copy_file_range": full(splice.sys_copy_file_range),
    "mount": partial(mount.sys_mount, "tmpfs, proc, sysfs, devtmpfs and registered types; bind (MS_REC), "
                                      "remount, MS_MOVE; propagation flags accepted, nothing propagates"),
    "umount2": full(mount.sys_umount2),
    "memfd_create": partial(memfd.sys_memfd_create, "no MFD_HUGETLB (EINVAL)"),
    "stat": full(stat.sys_stat),
    "lstat": full(stat.sys_lstat),
    "fstat": full(stat.sys_fstat),
    "newfstatat": full(stat.sys_newfstatat),
    "statx": full(stat.sys_statx),
    "statfs": full(stat.sys_statfs),
    "fstatfs": full(stat.sys_fstatfs),
    "getdents64": full(stat.sys_getdents64),
    "getdents": full(stat.sys_getdents),
    # processes: syscalls/process.py
    "clone": partial(process.sys_clone, "only the UTS namespace (others EPERM)"),
    "fork": full(process.sys_fork),
    "unshare": partial(process.sys_unshare, "fd table, fs context and UTS namespace; other "
                                            "namespaces EPERM"),
    "vfork": full(process.sys_vfork),
    "clone3": stub(process.sys_clone3, "malformed arguments get Linux's errno; valid requests "
                                       "ENOSYS so libcs fall back to clone(2)"),
    "execve": partial(process.sys_execve,
                      "dynamic programs run through their interpreter, argv[0] becomes the path"),
    "execveat": partial(process.sys_execveat, "as execve"),
    "wait4": partial(process.sys_wait4, "rusage is zero for orphans reaped by the tracer"),
    "waitid": partial(process.sys_waitid, "rusage is zero"),
    "getpid": full(process.sys_getpid),
    "gettid": full(process.sys_gettid),
    "getppid": full(process.sys_getppid),
    "getpgid": full(process.sys_getpgid),
    "getpgrp": full(process.sys_getpgrp),
    "getsid": full(process.sys_getsid),
    "setpgid": full(process.sys_setpgid),
    "setsid": full(process.sys_setsid),
    "set_tid_address": full(process.sys_set_tid_address),
    "getuid": full(process.sys_getuid),
    "geteuid": full(process.sys_geteuid),
    "getgid": full(process.sys_getgid),
    "getegid": full(process.sys_getegid),
    "getresuid": full(process.sys_getresuid),
    "getresgid": full(process.sys_getresgid),
    "setuid": full(process.sys_setuid),
    "setgid": full(process.sys_setgid),
    "setreuid": full(process.sys_setreuid),
    "setregid": full(process.sys_setregid),
    "setresuid": full(process.sys_setresuid),
    "setresgid": full(process.sys_setresgid),
    "setfsuid": full(process.sys_setfsuid),
    "setfsgid": full(process.sys_setfsgid),
    "getgroups": full(process.sys_getgroups),
    "setgroups": full(process.sys_setgroups),
    "prlimit64": partial(process.sys_prlimit64, "limits are Kevlar's; only RLIMIT_NOFILE is enforced"),
    "getrlimit": partial(process.sys_getrlimit, "as prlimit64"),
    "setrlimit": partial(process.sys_setrlimit, "as prlimit64"),
    "prctl": partial(prctl.sys_prctl, "Kevlar's state (names, subreaper, pdeathsig, dumpable, "
                                      "securebits, capabilities, no_new_privs); thread-local "
                                      "options run on the host; PR_SET_SECCOMP, "
                                      "PR_SET_MM_EXE_FILE/MAP EINVAL"),
    "capget": full(prctl.sys_capget),
    "capset": partial(prctl.sys_capset, "the sets are per process, not per thread; file "
                                        "permission checks still ask for euid 0"),
    # pidfds: syscalls/pidfd.py, ipc/pidfd.py
    "pidfd_open": full(pidfd.sys_pidfd_open),
    "pidfd_send_signal": full(pidfd.sys_pidfd_send_signal),
    "pidfd_getfd": full(pidfd.sys_pidfd_getfd),
    # other processes' memory: syscalls/process_vm.py
    "process_vm_readv": full(process_vm.sys_process_vm_readv),
    "process_vm_writev": full(process_vm.sys_process_vm_writev),
    # comparing kernel objects: syscalls/kcmp.py
    "kcmp": full(kcmp.sys_kcmp),
    # scheduling: syscalls/sched.py, I/O priorities: syscalls/ioprio.py
    "ioprio_get": full(ioprio.sys_ioprio_get),
    "ioprio_set": partial(ioprio.sys_ioprio_set, "kept and reported; nothing schedules I/O by it"),
    "getpriority": full(sched.sys_getpriority),
    "setpriority": full(sched.sys_setpriority),
    "sched_getaffinity": full(sched.sys_sched_getaffinity),
    "sched_setaffinity": partial(sched.sys_sched_setaffinity,
                                 "Kevlar's view; the host thread stays on the tracer's CPU "
                                 "while the set includes it"),
    "sched_setscheduler": full(sched.sys_sched_setscheduler),
    "sched_getscheduler": full(sched.sys_sched_getscheduler),
    "sched_setparam": full(sched.sys_sched_setparam),
    "sched_getparam": full(sched.sys_sched_getparam),
    "sched_rr_get_interval": full(sched.sys_sched_rr_get_interval),
    "sched_setattr": full(sched.sys_sched_setattr),
    "sched_getattr": full(sched.sys_sched_getattr),
    # signals: syscalls/signal.py
    "rt_sigaction": full(signal.sys_rt_sigaction),
    "rt_sigprocmask": full(signal.sys_rt_sigprocmask),
    "kill": full(signal.sys_kill),
    "tgkill": full(signal.sys_tgkill),
    "tkill": full(signal.sys_tkill),
    "rt_sigqueueinfo": full(signal.sys_rt_sigqueueinfo),
    "rt_tgsigqueueinfo": full(signal.sys_rt_tgsigqueueinfo),
    "rt_sigtimedwait": full(signal.sys_rt_sigtimedwait),
    # AF_UNIX sockets: syscalls/socket.py, ipc/unix.py. No networking: AF_INET, AF_INET6,
    # AF_NETLINK and every other family are EAFNOSUPPORT.
    "socket": partial(socket.sys_socket, "AF_UNIX only; AF_INET, AF_INET6, AF_NETLINK and "
                                         "other families are EAFNOSUPPORT (no networking); "
                                         "no SIGIO for O_ASYNC"),
    "socketpair": partial(socket.sys_socketpair, "AF_UNIX; AF_INET/AF_INET6 stream and dgram "
                                                 "are EOPNOTSUPP as in Linux, others EAFNOSUPPORT"),
    "bind": partial(socket.sys_bind, "pathname and abstract names, autobind; EOPNOTSUPP on a "
                                     "socket inherited from the host"),
    "listen": full(socket.sys_listen),
    "accept": full(socket.sys_accept),
    "accept4": full(socket.sys_accept4),
    "connect": partial(socket.sys_connect, "EOPNOTSUPP on a socket inherited from the host"),
    "shutdown": full(socket.sys_shutdown),
    "getsockname": full(socket.sys_getsockname),
    "getpeername": full(socket.sys_getpeername),
    "sendto": partial(socket.sys_sendto, "MSG_OOB is EOPNOTSUPP (Linux queues one "
                                         "out-of-band byte on stream sockets)"),
    "recvfrom": partial(socket.sys_recvfrom, "MSG_OOB finds no out-of-band data"),
    "sendmsg": partial(socket.sys_sendmsg, "SCM_RIGHTS and SCM_CREDENTIALS; MSG_OOB is "
                                           "EOPNOTSUPP; not on sockets inherited from the host"),
    "recvmsg": partial(socket.sys_recvmsg, "SCM_RIGHTS, SCM_CREDENTIALS, SO_TIMESTAMP*, "
                                           "SCM_INQ; no SCM_PIDFD or SCM_SECURITY"),
    "sendmmsg": partial(socket.sys_sendmmsg, "as sendmsg"),
    "recvmmsg": partial(socket.sys_recvmmsg, "as recvmsg"),
    "getsockopt": partial(socket.sys_getsockopt, "SOL_SOCKET options of AF_UNIX; "
                                                 "SO_PEERPIDFD, SO_PEERSEC, SO_MEMINFO, "
                                                 "SO_GET_FILTER, SO_TXTIME, SO_TIMESTAMPING "
                                                 "are ENOPROTOOPT"),
    "setsockopt": partial(socket.sys_setsockopt, "SOL_SOCKET options of AF_UNIX; socket "
                                                 "filters, SO_TIMESTAMPING and SO_TXTIME are "
                                                 "ENOPROTOOPT; SO_BINDTODEVICE to a name is "
                                                 "ENODEV (no network devices)"),
    # memory: syscalls/mm.py (anonymous mappings are native)
    "mmap": partial(mm.sys_mmap, "files: private copies; shared writable file mappings ENODEV"),
    "msync": partial(mm.sys_msync, "private copies need no flush"),
    "cachestat": partial(mm.sys_cachestat, "every data page of a file counts as cached, none dirty"),
    # extended attributes: syscalls/xattr.py
    "getxattr": partial(xattr.sys_getxattr, XATTR_NOTE),
    "lgetxattr": partial(xattr.sys_lgetxattr, XATTR_NOTE),
    "fgetxattr": partial(xattr.sys_fgetxattr, XATTR_NOTE),
    "setxattr": partial(xattr.sys_setxattr, XATTR_NOTE),
    "lsetxattr": partial(xattr.sys_lsetxattr, XATTR_NOTE),
    "fsetxattr": partial(xattr.sys_fsetxattr, XATTR_NOTE),
    "listxattr": partial(xattr.sys_listxattr, XATTR_NOTE),
    "llistxattr": partial(xattr.sys_llistxattr, XATTR_NOTE),
    "flistxattr": partial(xattr.sys_flistxattr, XATTR_NOTE),
    "removexattr": partial(xattr.sys_removexattr, XATTR_NOTE),
    "lremovexattr": partial(xattr.sys_lremovexattr, XATTR_NOTE),
    "fremovexattr": partial(xattr.sys_fremovexattr, XATTR_NOTE),
    "setxattrat": partial(xattr.sys_setxattrat, XATTR_NOTE),
    "getxattrat": partial(xattr.sys_getxattrat, XATTR_NOTE),
    "listxattrat": partial(xattr.sys_listxattrat, XATTR_NOTE),
    "removexattrat": partial(xattr.sys_removexattrat, XATTR_NOTE),
    # clocks and timers: syscalls/time.py (reading clocks and sleeping are native)
    "timer_create": full(time.sys_timer_create),
    "clock_settime": stub(time.sys_clock_settime, "Kevlar never sets the host's clock: EPERM"),
    "settimeofday": stub(time.sys_settimeofday, "Kevlar never sets the host's clock: EPERM"),
    "adjtimex": partial(time.sys_adjtimex, "queries only; adjustments EPERM"),
    "clock_adjtime": partial(time.sys_clock_adjtime, "queries only; adjustments EPERM"),
    # readiness: syscalls/poll.py, ipc/epoll.py
    "poll": full(poll.sys_poll),
    "ppoll": full(poll.sys_ppoll),
    "select": full(poll.sys_select),
    "pselect6": full(poll.sys_pselect6),
    "epoll_create": full(poll.sys_epoll_create),
    "epoll_create1": full(poll.sys_epoll_create1),
    "epoll_ctl": partial(poll.sys_epoll_ctl,
                         "no wakeup-path limits (reverse_path_check); EPOLLWAKEUP has no effect"),
    "epoll_wait": full(poll.sys_epoll_wait),
    "epoll_pwait": full(poll.sys_epoll_pwait),
    "epoll_pwait2": full(poll.sys_epoll_pwait2),
    "epoll_ctl_old": missing("never wired up on x86_64"),
    "epoll_wait_old": missing("never wired up on x86_64"),
    # event files: syscalls/events.py, ipc/eventfd.py, timerfd.py, signalfd.py, inotify.py
    "eventfd": full(events.sys_eventfd),
    "eventfd2": full(events.sys_eventfd2),
    "timerfd_create": partial(events.sys_timerfd_create,
                              "REALTIME timers are not re-based (Kevlar never sets the clock): "
                              "TFD_TIMER_CANCEL_ON_SET is accepted and never cancels"),
    "timerfd_settime": full(events.sys_timerfd_settime),
    "timerfd_gettime": full(events.sys_timerfd_gettime),
    "signalfd": full(events.sys_signalfd),
    "signalfd4": partial(events.sys_signalfd4,
                         "a signal caught for a waiting reader is re-queued to that thread"),
    "inotify_init": full(events.sys_inotify_init),
    "inotify_init1": full(events.sys_inotify_init1),
    "inotify_add_watch": partial(events.sys_inotify_add_watch,
                                 "IN_DELETE_SELF of a removed cwd comes at rmdir, not at its "
                                 "last use; a detached mount unmounts at the detach"),
    "inotify_rm_watch": full(events.sys_inotify_rm_watch),
    # System V IPC: syscalls/sysvipc.py, ipc/sysv.py (Kevlar's own IPC namespace)
    "msgget": full(sysvipc.sys_msgget),
    "msgsnd": full(sysvipc.sys_msgsnd),
    "msgrcv": full(sysvipc.sys_msgrcv),
    "msgctl": full(sysvipc.sys_msgctl),
    "semget": full(sysvipc.sys_semget),
    "semop": full(sysvipc.sys_semop),
    "semtimedop": full(sysvipc.sys_semtimedop),
    "semctl": full(sysvipc.sys_semctl),
    "shmget": partial(sysvipc.sys_shmget, "SHM_HUGETLB is ENOMEM (no huge pages)"),
    "shmat": partial(sysvipc.sys_shmat, "attachments are counted per address space: a guest "
                                        "munmap or mremap of a segment is not seen"),
    "shmdt": full(sysvipc.sys_shmdt),
    "shmctl": partial(sysvipc.sys_shmctl, "SHM_LOCK/SHM_UNLOCK only set the flag"),
    # POSIX message queues: syscalls/mqueue.py, ipc/mqueue.py
    "mq_open": full(mqueue.sys_mq_open),
    "mq_unlink": full(mqueue.sys_mq_unlink),
    "mq_timedsend": full(mqueue.sys_mq_timedsend),
    "mq_timedreceive": full(mqueue.sys_mq_timedreceive),
    "mq_notify": partial(mqueue.sys_mq_notify, "SIGEV_SIGNAL and SIGEV_NONE; SIGEV_THREAD "
                                               "needs netlink (ECONNREFUSED/ENOTSOCK); a "
                                               "registration ends at exit, not at close"),
    "mq_getsetattr": full(mqueue.sys_mq_getsetattr),
    # information: syscalls/info.py
    "uname": full(info.sys_uname),
    "sethostname": full(info.sys_sethostname),
    "setdomainname": full(info.sys_setdomainname),
    "sysinfo": full(info.sys_sysinfo),
    # calls libcs probe and must fall back from
    "rseq": stub(process.sys_rseq, "argument checks as Linux, then ENOSYS so libcs do "
                                   "without restartable sequences"),
    "uselib": missing("obsolete"),
    "create_module": missing("obsolete"),
    "get_kernel_syms": missing("obsolete"),
    "query_module": missing("obsolete"),
    "nfsservctl": missing("obsolete"),
    "afs_syscall": missing("never implemented in Linux"),
    "tuxcall": missing("never implemented in Linux"),
    "security": missing("never implemented in Linux"),
    "getpmsg": missing("never implemented in Linux"),
    "putpmsg": missing("never implemented in Linux"),
    "vserver": missing("never implemented in Linux"),
}


def _native(task, *_args) -> int:
    return ACT_CONTINUE


def _missing(name: str):
    def call(task, a0, a1, a2, a3, a4, a5) -> int:
        note_missing(task.kernel, name)
        return -ENOSYS.errno
    return call


def entries() -> list[Entry]:
    """Every syscall of the kernel's list, in number order, with its row."""
    out = []
    for nr in sorted(NAMES):
        name = NAMES[nr]
        if name in TABLE:
            handler, level, note = TABLE[name]
            if name in NATIVE and name != "mmap":
                raise ValueError(f"{name} is both native and emulated")
        elif name in NATIVE:
            handler, level, note = None, "native", NATIVE[name]
        else:
            handler, level, note = None, "missing", ""
        out.append(Entry(name, handler, level, note))
    return out


def _bind_on_first_call(entry: Entry):
    """Generating the decoding glue for all ~300 handlers at start-up costs tens of
    milliseconds per kevlar-trace run; a guest calls a few dozen, so bind on first use."""
    def call(task, a0, a1, a2, a3, a4, a5):
        entry.call = bind_arguments(entry.name, entry.handler)
        return entry.call(task, a0, a1, a2, a3, a4, a5)
    return call


def build_table(profile: str) -> list[Entry]:
    """The dispatch list, indexed by syscall number."""
    rows = entries()
    table: list[Entry | None] = [None] * (max(e.nr for e in rows) + 1)
    for entry in rows:
        if entry.level == "native":
            entry.call = _native
        elif entry.handler is None:
            entry.call = _missing(entry.name)
        else:
            entry.call = _bind_on_first_call(entry)
        table[entry.nr] = entry
    for nr, entry in enumerate(table):
        if entry is None:
            filler = Entry.__new__(Entry)
            filler.nr, filler.name, filler.handler = nr, f"syscall_{nr}", None
            filler.level, filler.note = "missing", "not in the kernel's list"
            filler.call = _missing(filler.name)
            table[nr] = filler
    return table


def note_missing(kernel, name: str) -> None:
    counts = getattr(kernel, "missing_counts", None)
    if counts is None:
        counts = kernel.missing_counts = Counter()
    counts[name] += 1


def report_missing(kernel, stream=sys.stderr) -> None:
    """One line per unimplemented syscall the guest called (invariant 5)."""
    counts = getattr(kernel, "missing_counts", None)
    if not counts:
        return
    for name, count in sorted(counts.items()):
        print(f"kevlar: unimplemented syscall {name} called {count} time(s) (ENOSYS)", file=stream)
