"""POSIX message queue syscalls (ipc/mqueue.c): mq_open, mq_unlink, mq_timedsend,
mq_timedreceive, mq_notify, mq_getsetattr, on Kevlar's mqueue file system
(kevlar.ipc.mqueue). Arguments are checked in Linux's order.

Waits end with ERESTARTSYS on a signal (restarted with SA_RESTART) and with ETIMEDOUT at
the absolute CLOCK_REALTIME timeout. mq_notify's SIGEV_THREAD needs a netlink socket,
which Kevlar has none of: a socket fd is ECONNREFUSED (netlink_getsockbyfilp).
"""

import struct
import time

from kevlar.abi.constants import O_ACCMODE, O_CREAT, O_EXCL, O_NOCTTY, O_NONBLOCK, O_TRUNC, RLIMIT_MSGQUEUE
from kevlar.abi.errors import (
    EACCES,
    EAGAIN,
    EBADF,
    EBUSY,
    ECONNREFUSED,
    EEXIST,
    EINVAL,
    EMFILE,
    EMSGSIZE,
    ENAMETOOLONG,
    ENOENT,
    ENOSPC,
    ENOTSOCK,
    EOVERFLOW,
    ETIMEDOUT,
)
from kevlar.fs.vfs import Location, check_access, check_sticky_delete
from kevlar.ipc import mqueue
from kevlar.ipc.mqueue import MqFile, MqInode, Waiter, mqueue_fs
from kevlar.ipc.unix import SocketFile
from kevlar.process.blocking import Block
from kevlar.syscalls.args import Fd, Int, Ptr, Size, UInt
from kevlar.syscalls.common import install_fd, nofile_limit, read_path
from kevlar.timers import monotonic_ns

MQ_ATTR = struct.Struct("<4q32x")  # mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs, reserved
SIGEVENT_HEAD = struct.Struct("<Qii")  # sigev_value, sigev_signo, sigev_notify
SIGEVENT_SIZE = 64
TIMESPEC = struct.Struct("<qq")
NSEC = 1_000_000_000
ULONG_MAX = (1 << 64) - 1
CAP_SYS_RESOURCE = 24
MAY_READ, MAY_WRITE = 4, 2


def _getname(task, ptr: int) -> bytes:
    """getname(): EFAULT, ENAMETOOLONG past PATH_MAX, ENOENT for an empty name."""
    name = read_path(task, ptr)
    if not name:
        raise ENOENT()
    return name


def _lookup_checks(name: bytes) -> bytes:
    """lookup_one_len() in the mqueue root: EACCES for '/', '.', '..', ENAMETOOLONG past
    NAME_MAX."""
    if b"/" in name or name in (b".", b".."):
        raise EACCES()
    if len(name) > 255:
        raise ENAMETOOLONG()
    return name


def sys_mq_open(task, u_name: Ptr, oflag: Int, mode: UInt, u_attr: Ptr) -> int:
    """mq_open(2): the fd is always close-on-exec."""
    attr = MQ_ATTR.unpack(task.read(u_attr, MQ_ATTR.size)) if u_attr else None
    name = _getname(task, u_name)
    if len(task.process.fds.files) >= nofile_limit(task):
        raise EMFILE()  # get_unused_fd_flags() comes before the lookup
    _lookup_checks(name)
    fs = mqueue_fs(task.kernel)
    creds = task.creds
    inode = fs.names.get(name)
    if inode is None:
        if not oflag & O_CREAT:
            raise ENOENT()
        inode = _create(task, fs, name, mode & ~task.process.fs.umask & 0o7777, attr)
    else:
        if oflag & O_CREAT and oflag & O_EXCL:
            raise EEXIST()
        acc = oflag & O_ACCMODE
        if acc == O_ACCMODE:
            raise EINVAL()
        check_access(creds, inode, (MAY_READ, MAY_WRITE, MAY_READ | MAY_WRITE)[acc])
    inode.opens += 1
    # do_dentry_open() drops the open-time flags from f_flags
    file = MqFile(Location(fs.mount, inode, fs.root, name), oflag & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC))
    return install_fd(task, file, True)


def _create(task, fs, name: bytes, mode: int, attr) -> MqInode:
    """mqueue_create_attr() and mqueue_get_inode(): ENOSPC past queues_max, EINVAL and
    EOVERFLOW for the attributes, EMFILE past RLIMIT_MSGQUEUE."""
    creds = task.creds
    privileged = creds.capable(CAP_SYS_RESOURCE)
    if fs.count >= fs.queues_max and not privileged:
        raise ENOSPC()
    maxmsg, msgsize = fs.msg_default, fs.msgsize_default
    if attr is not None:
        maxmsg, msgsize = attr[1], attr[2]
        if maxmsg <= 0 or msgsize <= 0:
            raise EINVAL()
        if privileged:
            if maxmsg > mqueue.HARD_MSGMAX or msgsize > mqueue.HARD_MSGSIZEMAX:
                raise EINVAL()
        elif maxmsg > fs.msg_max or msgsize > fs.msgsize_max:
            raise EINVAL()
        if msgsize > ULONG_MAX // maxmsg:
            raise EOVERFLOW()
    treesize = maxmsg * mqueue.MSG_MSG_SIZE + min(maxmsg, mqueue.MQ_PRIO_MAX) * mqueue.TREE_NODE_SIZE
    total = maxmsg * msgsize
    if total + treesize > ULONG_MAX:
        raise EOVERFLOW()
    charge = total + treesize
    used = fs.user_bytes.get(creds.uid, 0)
    if used + charge > task.process.rlimits[RLIMIT_MSGQUEUE][0]:
        raise EMFILE()
    fs.user_bytes[creds.uid] = used + charge
    fs.count += 1
    inode = MqInode(fs, mode, creds.fsuid, creds.fsgid, maxmsg, msgsize)
    inode.charged = (creds.uid, charge)
    fs.names[name] = inode
    fs.root.touch(mtime=True, ctime=True)
    return inode


def sys_mq_unlink(task, u_name: Ptr) -> int:
    """mq_unlink(2): the name goes; the queue lives while it is open."""
    name = _lookup_checks(_getname(task, u_name))
    fs = mqueue_fs(task.kernel)
    inode = fs.names.get(name)
    if inode is None:
        raise ENOENT()
    check_sticky_delete(task.creds, fs.root, inode)
    del fs.names[name]
    inode.nlink = 0
    if inode.opens == 0:
        inode.release_charge()
    fs.root.touch(mtime=True, ctime=True)
    return 0


def _queue_file(task, fd: int) -> MqFile:
    file = task.process.fds.get(fd)
    if not isinstance(file, MqFile):
        raise EBADF()
    return file


def _deadline(task, u_timeout: int) -> int | None:
    """prepare_timeout(): EFAULT, EINVAL; an absolute CLOCK_REALTIME time, as a
    monotonic deadline."""
    if not u_timeout:
        return None
    sec, nsec = TIMESPEC.unpack(task.read(u_timeout, TIMESPEC.size))
    if sec < 0 or not 0 <= nsec < NSEC:
        raise EINVAL()
    return monotonic_ns() + (sec * NSEC + nsec - time.time_ns())


def _wait(waiters: list, waiter: Waiter, deadline):
    """Park with waiter queued (oldest first); ETIMEDOUT once the deadline has passed."""
    if deadline is not None and deadline <= monotonic_ns():
        if waiter in waiters:
            waiters.remove(waiter)
        raise ETIMEDOUT()
    if waiter not in waiters:
        waiters.append(waiter)

    def interrupted(_task):
        if waiter in waiters:
            waiters.remove(waiter)
    return Block((), deadline=deadline, state=waiter, on_interrupt=interrupted)


def sys_mq_timedsend(task, mqdes: Fd, u_msg: Ptr, msg_len: Size, msg_prio: UInt,
                     u_timeout: Ptr) -> int:
    """mq_timedsend(2): the timeout, EINVAL for msg_prio >= MQ_PRIO_MAX, EBADF, EMSGSIZE,
    EFAULT; EAGAIN on a full queue with O_NONBLOCK, else a wait."""
    resumed = task.kernel.restart_state(task, ())
    if resumed is not None and resumed.state.ready:
        return 0
    deadline = resumed.deadline if resumed is not None else _deadline(task, u_timeout)
    if msg_prio >= mqueue.MQ_PRIO_MAX:
        raise EINVAL()
    file = _queue_file(task, mqdes)
    if not file.writable:
        raise EBADF()
    inode = file.inode
    if msg_len > inode.msgsize:
        raise EMSGSIZE()
    data = task.read(u_msg, msg_len) if msg_len else b""
    if len(inode.messages) >= inode.maxmsg:
        if file.flags & O_NONBLOCK:
            raise EAGAIN()
        waiter = resumed.state if resumed is not None else Waiter(task, (msg_prio, data))
        raise _wait(inode.senders, waiter, deadline)
    if resumed is not None and resumed.state in inode.senders:
        inode.senders.remove(resumed.state)
    inode.send(task, msg_prio, data)
    return 0


def sys_mq_timedreceive(task, mqdes: Fd, u_msg: Ptr, msg_len: Size, u_prio: Ptr,
                        u_timeout: Ptr) -> int:
    """mq_timedreceive(2): the timeout, EBADF, EMSGSIZE below mq_msgsize, EAGAIN on an
    empty queue with O_NONBLOCK, else a wait; the highest priority, oldest message."""
    resumed = task.kernel.restart_state(task, ())
    if resumed is not None and resumed.state.ready:
        return _deliver(task, u_msg, u_prio, *resumed.state.msg)
    deadline = resumed.deadline if resumed is not None else _deadline(task, u_timeout)
    file = _queue_file(task, mqdes)
    if not file.readable:
        raise EBADF()
    inode = file.inode
    if msg_len < inode.msgsize:
        raise EMSGSIZE()
    if not inode.messages:
        if file.flags & O_NONBLOCK:
            raise EAGAIN()
        waiter = resumed.state if resumed is not None else Waiter(task)
        raise _wait(inode.receivers, waiter, deadline)
    if resumed is not None and resumed.state in inode.receivers:
        inode.receivers.remove(resumed.state)
    return _deliver(task, u_msg, u_prio, *inode.receive())


def _deliver(task, u_msg: int, u_prio: int, prio: int, data: bytes) -> int:
    """The priority, then the text (EFAULT: the message is lost, as in Linux)."""
    if u_prio:
        task.write(u_prio, struct.pack("<I", prio))
    if data:
        task.write(u_msg, data)
    return len(data)


def sys_mq_notify(task, mqdes: Fd, u_notification: Ptr) -> int:
    """mq_notify(2): EINVAL for an unknown sigev_notify or signal, EBUSY while another
    process is registered; NULL unregisters the caller."""
    note = None
    if u_notification:
        raw = task.read(u_notification, SIGEVENT_SIZE)
        value, signo, how = SIGEVENT_HEAD.unpack_from(raw)
        if how not in (mqueue.SIGEV_NONE, mqueue.SIGEV_SIGNAL, mqueue.SIGEV_THREAD):
            raise EINVAL()
        if how == mqueue.SIGEV_SIGNAL and not 0 <= signo <= 64:
            raise EINVAL()
        if how == mqueue.SIGEV_THREAD:
            task.read(value, 32)  # NOTIFY_COOKIE_LEN bytes of cookie
            sock = task.process.fds.get(signo)
            raise ECONNREFUSED() if isinstance(sock, SocketFile) else ENOTSOCK()
        note = (how, signo, value)
    inode = _queue_file(task, mqdes).inode
    proc = task.process
    if inode.notify_owner is not None and (inode.notify_owner.zombie or inode.notify_owner.reaped):
        inode.notify_owner = None  # the registering process is gone
    if note is None:
        if inode.notify_owner is proc:
            inode.notify_owner = None
            inode.touch(atime=True, ctime=True)
        return 0
    if inode.notify_owner is not None:
        raise EBUSY()
    inode.notify_owner, inode.notify = proc, note
    inode.touch(atime=True, ctime=True)
    return 0


def sys_mq_getsetattr(task, mqdes: Fd, u_new: Ptr, u_old: Ptr) -> int:
    """mq_getsetattr(2): only O_NONBLOCK may be set (EINVAL for other flags)."""
    new = MQ_ATTR.unpack(task.read(u_new, MQ_ATTR.size)) if u_new else None
    if new is not None and new[0] & ~O_NONBLOCK:
        raise EINVAL()
    file = _queue_file(task, mqdes)
    inode = file.inode
    old = MQ_ATTR.pack(file.flags & O_NONBLOCK, inode.maxmsg, inode.msgsize, len(inode.messages))
    if new is not None:
        file.flags = (file.flags & ~O_NONBLOCK) | (new[0] & O_NONBLOCK)
        inode.touch(atime=True, ctime=True)
    if u_old:
        task.write(u_old, old)
    return 0


__all__ = [name for name in dir() if name.startswith("sys_")]
