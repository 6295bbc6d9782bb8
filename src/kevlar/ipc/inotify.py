"""inotify instances (fs/notify/inotify/): watches on inodes and an event queue.

A watch (inotify_inode_mark) is one (instance, inode) pair with a mask; it sits in
`inode.watches`, where the fsnotify hooks (kevlar.fs.notify) find it. Watch
descriptors are allocated cyclically from 1 (idr_alloc_cyclic), so a removed wd is not
handed out again soon. Removing a watch, by inotify_rm_watch, IN_ONESHOT or the
inode's deletion, queues IN_IGNORED.

The queue holds (wd, mask, cookie, name) events. An event identical to the last one
queued is dropped (inotify_merge); past max_queued_events (16384) one IN_Q_OVERFLOW
event (wd -1) is queued and the rest dropped. A read returns as many whole events as
fit, each 16 bytes plus the name NUL-padded to a multiple of 16 (EINVAL if not even
the first fits); FIONREAD gives the bytes queued.
"""

import struct
from collections import deque

from kevlar.abi.constants import O_CLOEXEC, O_NONBLOCK, O_RDONLY
from kevlar.abi.errors import EAGAIN, EEXIST, EINVAL, ENOSPC
from kevlar.fs import notify
from kevlar.ipc.anon import AnonFile
from kevlar.ipc.waitq import POLLIN, POLLRDNORM, WaitQueue

IN_CLOEXEC = O_CLOEXEC
IN_NONBLOCK = O_NONBLOCK
IN_ALL_EVENTS = 0xFFF
IN_ONLYDIR = 0x01000000
IN_DONT_FOLLOW = 0x02000000
IN_EXCL_UNLINK = 0x04000000
IN_MASK_CREATE = 0x10000000
IN_MASK_ADD = 0x20000000
IN_ONESHOT = 0x80000000
ALL_INOTIFY_BITS = (IN_ALL_EVENTS | notify.IN_UNMOUNT | notify.IN_Q_OVERFLOW | notify.IN_IGNORED
                    | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_MASK_ADD
                    | IN_MASK_CREATE | notify.IN_ISDIR | IN_ONESHOT)
# what a mark keeps of the user's mask (inotify_arg_to_mask)
MARK_BITS = IN_ALL_EVENTS | IN_EXCL_UNLINK | IN_ONESHOT
MAX_QUEUED_EVENTS = 16384  # /proc/sys/fs/inotify/max_queued_events
MAX_USER_WATCHES = 8192 * 16
EVENT = struct.Struct("<iIII")  # wd, mask, cookie, len
ALWAYS_REPORTED = notify.IN_IGNORED | notify.IN_Q_OVERFLOW | notify.IN_UNMOUNT


def event_size(name: bytes) -> int:
    return EVENT.size + (-(-(len(name) + 1) // EVENT.size) * EVENT.size if name else 0)


class Watch:
    """An inotify mark on one inode."""

    __slots__ = ("group", "inode", "wd", "mask", "kernel")

    def __init__(self, group: "Inotify", inode, wd: int, mask: int):
        self.group = group
        self.inode = inode
        self.wd = wd
        self.mask = mask
        self.kernel = group.kernel

    def event(self, mask: int, cookie: int, name: bytes, child_unlinked: bool) -> None:
        """inotify_handle_inode_event."""
        if not mask & ALWAYS_REPORTED and not mask & self.mask & IN_ALL_EVENTS:
            return
        if child_unlinked and self.mask & IN_EXCL_UNLINK:
            return
        if mask & (notify.IN_MOVE_SELF | notify.IN_DELETE_SELF):
            mask &= ~notify.IN_ISDIR
        self.group.queue_event(self.wd, mask, cookie, name)
        if self.mask & IN_ONESHOT and not mask & notify.IN_IGNORED:
            self.ignore()

    def ignore(self) -> None:
        """Destroy the mark: IN_IGNORED, and the wd is gone."""
        if self.group.watches.pop(self.wd, None) is None:
            return
        self.group.by_inode.pop(id(self.inode), None)
        watches = self.inode.watches
        if watches and self in watches:
            watches.remove(self)
        self.group.queue_event(self.wd, notify.IN_IGNORED, 0, b"")

    def drop(self) -> None:
        """Remove silently (the instance is being closed)."""
        watches = self.inode.watches
        if watches and self in watches:
            watches.remove(self)


class Inotify(AnonFile):
    anon_name = b"inotify"

    def __init__(self, kernel, flags: int):
        super().__init__(None, O_RDONLY | (flags & (O_CLOEXEC | O_NONBLOCK)))
        self.kernel = kernel
        self.watches: dict[int, Watch] = {}
        self.by_inode: dict[int, Watch] = {}
        self.queue: deque = deque()
        self.queued_bytes = 0
        self.last_wd = 0
        self.waitq = WaitQueue()
        notify.groups.add(self)

    # -- watches ------------------------------------------------------------------------
    def add_watch(self, inode, mask: int) -> int:
        """inotify_update_watch: the existing mark's wd (mask replaced, or or-ed with
        IN_MASK_ADD; EEXIST with IN_MASK_CREATE), or a new mark."""
        new_mask = mask & MARK_BITS
        watch = self.by_inode.get(id(inode))
        if watch is not None and watch.inode is inode:
            if mask & IN_MASK_CREATE:
                raise EEXIST()
            if mask & IN_MASK_ADD:
                new_mask |= watch.mask
            watch.mask = new_mask
            return watch.wd
        if len(self.watches) >= MAX_USER_WATCHES:
            raise ENOSPC()
        wd = self._next_wd()
        watch = Watch(self, inode, wd, new_mask)
        self.watches[wd] = watch
        self.by_inode[id(inode)] = watch
        if inode.watches is None:
            inode.watches = []
        inode.watches.append(watch)
        return wd

    def _next_wd(self) -> int:
        wd = self.last_wd
        while True:
            wd = wd + 1 if wd < 0x7FFFFFFF else 1
            if wd not in self.watches:
                self.last_wd = wd
                return wd

    def rm_watch(self, wd: int) -> None:
        watch = self.watches.get(wd)
        if watch is None:
            raise EINVAL()
        watch.ignore()

    # -- the queue ----------------------------------------------------------------------
    def queue_event(self, wd: int, mask: int, cookie: int, name: bytes) -> None:
        """fsnotify_add_event with inotify_merge."""
        event = (wd, mask & 0xFFFFFFFF, cookie, name)
        queue = self.queue
        if queue and queue[-1] == event:
            return
        if len(queue) >= MAX_QUEUED_EVENTS:
            overflow = (-1, notify.IN_Q_OVERFLOW, 0, b"")
            if queue[-1] == overflow:
                return
            event = overflow
        queue.append(event)
        self.queued_bytes += event_size(event[3])
        self.waitq.notify(POLLIN | POLLRDNORM)

    def poll(self) -> int:
        return POLLIN | POLLRDNORM if self.queue else 0

    def read(self, task, size: int) -> bytes:
        queue = self.queue
        if not queue:
            raise EAGAIN()
        out = []
        used = 0
        while queue:
            wd, mask, cookie, name = queue[0]
            length = event_size(name)
            if used + length > size:
                break
            padded = name + bytes(length - EVENT.size - len(name)) if name else b""
            out.append(EVENT.pack(wd, mask, cookie, length - EVENT.size) + padded)
            used += length
            queue.popleft()
            self.queued_bytes -= length
        if not out:
            raise EINVAL()
        return b"".join(out)


    def read_size_hint(self) -> int:
        return self.queued_bytes

    def ioctl(self, task, cmd: int, arg: int):
        """inotify_ioctl: FIONREAD is the bytes queued; nothing else (ENOTTY)."""
        from kevlar.abi.constants import FIONREAD
        from kevlar.abi.errors import ENOTTY
        if cmd != FIONREAD:
            raise ENOTTY()
        task.write(arg, struct.pack("<i", self.queued_bytes))
        return 0

    def release(self) -> None:
        for watch in list(self.watches.values()):
            watch.drop()
        self.watches.clear()
        self.by_inode.clear()
        self.queue.clear()

    def fdinfo(self) -> bytes:
        return b"".join(b"inotify wd:%x ino:%x sdev:%x mask:%x ignored_mask:0\n"
                        % (w.wd, w.inode.ino, w.inode.fs.dev, w.mask & IN_ALL_EVENTS)
                        for w in self.watches.values())
