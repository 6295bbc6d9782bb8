"""POSIX message queues (ipc/mqueue.c): queues named in the IPC namespace's mqueue file
system, opened as files that poll(2)/epoll can wait on.

A queue is an inode of a small internal file system (mode S_IFREG, owned by the creator,
size FILENT_SIZE); its names live in one root directory (mode 1777), as the kernel's
internal mqueue mount. Messages are kept highest priority first, FIFO within a priority.
Waiting senders and receivers are records, oldest first; as in Linux a send hands its
message straight to a waiting receiver (pipelined_send) and a receive moves a waiting
sender's message into the queue (pipelined_receive), so no wait depends on who runs first.

read(2) of a queue fd shows its status line; the notification (mq_notify SIGEV_SIGNAL or
SIGEV_NONE) fires when a message arrives in an empty queue nobody is waiting on.
"""

import os

from kevlar.abi.constants import O_ACCMODE, S_IFDIR, S_IFREG
from kevlar.fs.file import File
from kevlar.fs.vfs import FileSystem, Inode, Location, Mount
from kevlar.ipc.waitq import POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM, WaitQueue

MQ_PRIO_MAX = 32768
HARD_MSGMAX = 65536
HARD_MSGSIZEMAX = 16 * 1024 * 1024
FILENT_SIZE = 80
MSG_MSG_SIZE = 48  # sizeof(struct msg_msg), charged per message slot
TREE_NODE_SIZE = 48  # sizeof(struct posix_msg_tree_node)
SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD = 0, 1, 2
SI_MESGQ = -3


def _host_knob(name: str, default: int) -> int:
    try:
        with open("/proc/sys/fs/mqueue/" + name) as f:
            return int(f.read())
    except (OSError, ValueError):
        return default


class MqueueFs(FileSystem):
    name = "mqueue"
    magic = 0x19800202

    def __init__(self):
        super().__init__()
        self.root = Inode(self, S_IFDIR | 0o1777)
        self.names: dict[bytes, MqInode] = {}
        self.mount = Mount(self, self.root, source=b"mqueue")
        self.queues_max = _host_knob("queues_max", 256)
        self.msg_max = _host_knob("msg_max", 10)
        self.msgsize_max = _host_knob("msgsize_max", 8192)
        self.msg_default = _host_knob("msg_default", 10)
        self.msgsize_default = _host_knob("msgsize_default", 8192)
        self.count = 0
        self.user_bytes: dict[int, int] = {}  # uid -> bytes charged (RLIMIT_MSGQUEUE)


def mqueue_fs(kernel) -> MqueueFs:
    fs = getattr(kernel, "mqueue_fs", None)
    if fs is None:
        fs = kernel.mqueue_fs = MqueueFs()
    return fs


class Waiter:
    """A parked mq_timedsend or mq_timedreceive (struct ext_wait_queue)."""

    __slots__ = ("task", "msg", "ready")

    def __init__(self, task, msg=None):
        self.task, self.msg, self.ready = task, msg, False

    def live(self) -> bool:
        block = self.task.block
        return block is not None and block.state is self


class MqInode(Inode):
    def __init__(self, fs: MqueueFs, mode: int, uid: int, gid: int, maxmsg: int, msgsize: int):
        super().__init__(fs, S_IFREG | mode, uid, gid)
        self.maxmsg, self.msgsize = maxmsg, msgsize
        self.messages: list[tuple[int, bytes]] = []  # highest priority first
        self.qsize = 0
        self.waitq = WaitQueue()
        self.senders: list[Waiter] = []
        self.receivers: list[Waiter] = []
        self.notify_owner = None  # the registered Process
        self.notify = (SIGEV_NONE, 0, 0)  # (sigev_notify, signo, sigval)
        self.charged = (uid, 0)  # (uid, bytes) charged against RLIMIT_MSGQUEUE
        self.opens = 0

    @property
    def size(self) -> int:
        return FILENT_SIZE

    def poll_bits(self) -> int:
        bits = POLLIN | POLLRDNORM if self.messages else 0
        if len(self.messages) < self.maxmsg:
            bits |= POLLOUT | POLLWRNORM
        return bits

    def insert(self, prio: int, data: bytes) -> None:
        """msg_insert(): after every message of the same or higher priority."""
        index = len(self.messages)
        for i, (p, _d) in enumerate(self.messages):
            if p < prio:
                index = i
                break
        self.messages.insert(index, (prio, data))
        self.qsize += len(data)

    @staticmethod
    def _first(waiters: list):
        for waiter in list(waiters):
            if waiter.live():
                return waiter
            if waiter.task.kernel.tasks.get(waiter.task.host_tid) is not waiter.task:
                waiters.remove(waiter)  # its thread died while parked
        return None

    def send(self, task, prio: int, data: bytes) -> None:
        """The queue has room: hand the message to a waiting receiver, else queue it and
        notify."""
        self.touch(atime=True, mtime=True, ctime=True)
        receiver = self._first(self.receivers)
        if receiver is not None:
            self.receivers.remove(receiver)
            receiver.msg, receiver.ready = (prio, data), True
            task.kernel.wake(receiver.task)
            return
        self.insert(prio, data)
        if self.notify_owner is not None and len(self.messages) == 1:
            self._do_notify(task)
        self.waitq.notify(POLLIN | POLLRDNORM)

    def receive(self) -> tuple[int, bytes]:
        """msg_get(), then a waiting sender's message takes the free slot."""
        self.touch(atime=True, mtime=True, ctime=True)
        prio, data = self.messages.pop(0)
        self.qsize -= len(data)
        sender = self._first(self.senders)
        if sender is None:
            self.waitq.notify(POLLOUT | POLLWRNORM)
        else:
            self.senders.remove(sender)
            self.insert(*sender.msg)
            sender.ready = True
            sender.task.kernel.wake(sender.task)
        return prio, data

    def _do_notify(self, task) -> None:
        """__do_notify(): one signal (SI_MESGQ, the sender's pid and uid), then the
        registration is gone."""
        owner, (how, signo, value) = self.notify_owner, self.notify
        self.notify_owner = None
        if how == SIGEV_SIGNAL and signo:
            from kevlar.process.signals import make_siginfo, post_signal
            proc = task.process
            post_signal(task.kernel, owner, signo,
                        make_siginfo(signo, SI_MESGQ, proc.pid, proc.creds.uid, value=value))

    def status(self) -> bytes:
        owner = self.notify_owner
        how, signo, _value = self.notify
        return b"QSIZE:%-10d NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n" % (
            self.qsize, how if owner else 0, signo if owner and how == SIGEV_SIGNAL else 0,
            owner.pid if owner else 0)

    def release_charge(self) -> None:
        uid, amount = self.charged
        fs = self.fs
        fs.user_bytes[uid] = fs.user_bytes.get(uid, 0) - amount
        fs.count -= 1
        self.charged = (uid, 0)


class MqFile(File):
    """An open queue: read(2) shows the status line, poll says IN/OUT; no write."""

    pollable = True

    def __init__(self, location: Location, flags: int):
        super().__init__(location, flags)
        self.waitq = location.inode.waitq

    @property
    def readable(self) -> bool:
        return (self.flags & O_ACCMODE) in (os.O_RDONLY, os.O_RDWR)

    @property
    def writable(self) -> bool:
        return (self.flags & O_ACCMODE) in (os.O_WRONLY, os.O_RDWR)

    def read(self, task, size: int) -> bytes:
        text = self.inode.status()
        data = text[self.pos:self.pos + size]
        self.pos += len(data)
        if data:
            self.inode.touch(atime=True, ctime=True)
        return data

    def seek(self, offset: int, whence: int) -> int:
        from kevlar.abi.errors import EINVAL
        base = {0: 0, 1: self.pos, 2: FILENT_SIZE}.get(whence)
        if base is None or base + offset < 0:
            raise EINVAL()
        self.pos = base + offset
        return self.pos

    def poll(self) -> int:
        return self.inode.poll_bits()

    def release(self) -> None:
        inode = self.inode
        inode.opens -= 1
        if inode.opens == 0 and inode.nlink == 0:
            inode.release_charge()


__all__ = ["MqueueFs", "MqInode", "MqFile", "Waiter", "mqueue_fs"]
