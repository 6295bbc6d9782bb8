"""System V IPC objects: message queues, semaphore arrays, shared memory segments.

One IPC namespace per Kevlar run (`namespace(kernel)`): the guest never sees or touches
the host's IPC objects. The model follows ipc/util.c, msg.c, sem.c and shm.c:

- Ids: per kind an idr allocated cyclically; id = seq * 32768 + index, seq grows each
  time the index wraps (ipc_idr_alloc), so a removed id is not soon reused.
- Keys: IPC_PRIVATE always creates; other keys are unique per kind while the object
  lives (a removed but still attached segment becomes IPC_PRIVATE).
- Permissions: ipcperms() with uid/cuid, gid/cgid and CAP_IPC_OWNER; IPC_SET/IPC_RMID
  need the owner, the creator or CAP_SYS_ADMIN.
- Limits: the host's sysctls (msgmax, msgmnb, msgmni, sem, shmmax, shmall, shmmni)
  at start-up, which are Linux's defaults unless the host changed them.

Waiting follows Linux's hand-off rules so results do not depend on who runs first: a
message sent while a receiver waits is given to the first matching receiver
(pipelined_send), and a semop that makes a waiting semop possible performs it on the
waiter's behalf (update_queue). Waiters are records kept in the object; the Block of
a parked call carries its record, and the waker fills in the outcome and wakes it.
Senders waiting for room simply retry (ss_wakeup).

Shared memory: a segment's pages are a host memfd the tracer owns; syscalls/sysvipc.py
maps it into guests. Attachments are recorded per address space (AddressSpace.sysv_shm),
so shm_nattch is counted over the live address spaces: fork copies them, exec and exit
drop them, and a segment marked for removal is destroyed when the count reaches 0.
"""

import os
import struct
import time

from kevlar.abi.constants import PAGE_SIZE
from kevlar.abi.errors import E2BIG, EACCES, EAGAIN, EEXIST, EINVAL, ENOENT, ENOSPC, EPERM, ERANGE, LinuxError
from kevlar.ipc.waitq import POLLOUT, WaitQueue

IPC_PRIVATE = 0
IPC_CREAT, IPC_EXCL, IPC_NOWAIT = 0o1000, 0o2000, 0o4000
IPC_RMID, IPC_SET, IPC_STAT, IPC_INFO = 0, 1, 2, 3
MSG_STAT, MSG_INFO, MSG_STAT_ANY = 11, 12, 13
SEM_STAT, SEM_INFO, SEM_STAT_ANY = 18, 19, 20
SHM_LOCK, SHM_UNLOCK, SHM_STAT, SHM_INFO, SHM_STAT_ANY = 11, 12, 13, 14, 15
GETPID, GETVAL, GETALL, GETNCNT, GETZCNT, SETVAL, SETALL = 11, 12, 13, 14, 15, 16, 17
MSG_NOERROR, MSG_EXCEPT, MSG_COPY = 0o10000, 0o20000, 0o40000
SEM_UNDO = 0x1000
SHM_HUGETLB, SHM_RDONLY, SHM_RND, SHM_REMAP, SHM_EXEC = 0o4000, 0o10000, 0o20000, 0o40000, 0o100000
SHM_NORESERVE = 0o10000
SHM_DEST, SHM_LOCKED = 0o1000, 0o2000
S_IRWXUGO = 0o777
S_IRUGO, S_IWUGO, S_IXUGO = 0o444, 0o222, 0o111
CAP_IPC_LOCK, CAP_IPC_OWNER, CAP_SYS_ADMIN, CAP_SYS_RESOURCE = 14, 15, 21, 24

IPCMNI_SHIFT = 15
IPCMNI = 1 << IPCMNI_SHIFT
SEQ_MAX = 0x7FFFFFFF >> IPCMNI_SHIFT
SEMVMX = 32767
SEMAEM = SEMVMX
MSGSSZ, MSGSEG = 16, 0xFFFF
SHMMIN = 1
MAX_LFS_FILESIZE = (1 << 63) - 1

# x86_64 ipc64 layouts (asm-generic/ipcbuf.h, msgbuf.h, shmbuf.h; asm/sembuf.h).
PERM = "iIIIIIHH4xQQ"  # key uid gid cuid cgid mode seq pad unused1 unused2: 48 bytes
MSQID64 = struct.Struct("<" + PERM + "qqqQQQiiQQ")  # 120
SEMID64 = struct.Struct("<" + PERM + "qQqQQQQ")  # 104
SHMID64 = struct.Struct("<" + PERM + "QqqqiiQQQ")  # 112
PERM_IDS = struct.Struct("<4xII8xI")  # uid, gid, mode as IPC_SET reads them
MSGINFO = struct.Struct("<7iH2x")  # 32
SEMINFO = struct.Struct("<10i")  # 40
SHMINFO64 = struct.Struct("<9Q")  # 72
SHM_INFO_S = struct.Struct("<i4x5Q")  # 48


def now() -> int:
    """ktime_get_real_seconds()."""
    return int(time.time())


class IpcObject:
    """struct kern_ipc_perm and what every kind shares."""

    def __init__(self, key: int, flags: int, creds):
        self.key = key
        self.uid = self.cuid = creds.euid
        self.gid = self.cgid = creds.egid
        self.mode = flags & S_IRWXUGO
        self.seq = 0
        self.id = -1
        self.deleted = False

    def perm_fields(self) -> tuple:
        return (self.key, self.uid, self.gid, self.cuid, self.cgid, self.mode, self.seq, 0, 0, 0)

    def denies(self, creds, flag: int) -> bool:
        """ipcperms(): true if some requested rwx bit is not granted (CAP_IPC_OWNER
        overrides)."""
        requested = (flag >> 6) | (flag >> 3) | flag
        granted = self.mode
        if creds.euid in (self.cuid, self.uid):
            granted >>= 6
        elif creds.in_group(self.cgid) or creds.in_group(self.gid):
            granted >>= 3
        return bool(requested & ~granted & 0o7) and not creds.capable(CAP_IPC_OWNER)

    def check_owner(self, creds) -> None:
        """ipcctl_obtain_check(): IPC_SET and IPC_RMID are for the owner, the creator
        or CAP_SYS_ADMIN."""
        if creds.euid not in (self.cuid, self.uid) and not creds.capable(CAP_SYS_ADMIN):
            raise EPERM()

    def update_perm(self, data: bytes) -> None:
        """ipc_update_perm() from a struct ipc64_perm, and the change time (IPC_SET)."""
        uid, gid, mode = PERM_IDS.unpack_from(data)
        if uid == 0xFFFFFFFF or gid == 0xFFFFFFFF:
            raise EINVAL()
        self.uid, self.gid = uid, gid
        self.mode = (self.mode & ~S_IRWXUGO) | (mode & S_IRWXUGO)
        self.ctime = now()


class IpcIds:
    """struct ipc_ids: the objects of one kind, by index, with cyclic allocation."""

    def __init__(self):
        self.objects: dict[int, IpcObject] = {}
        self.seq = 0
        self.last_idx = -1

    def add(self, obj: IpcObject, limit: int) -> None:
        """ipc_addid(): ENOSPC at the limit (at most IPCMNI objects)."""
        if len(self.objects) >= min(limit, IPCMNI):
            raise ENOSPC()
        idx = next((i for i in range(self.last_idx + 1, IPCMNI) if i not in self.objects), None)
        if idx is None:
            idx = next(i for i in range(IPCMNI) if i not in self.objects)
        if idx <= self.last_idx:
            self.seq = 0 if self.seq + 1 >= SEQ_MAX else self.seq + 1
        self.last_idx = idx
        obj.seq = self.seq
        obj.id = (self.seq << IPCMNI_SHIFT) + idx
        self.objects[idx] = obj

    def remove(self, obj: IpcObject) -> None:
        self.objects.pop(obj.id % IPCMNI, None)
        obj.deleted = True

    def find_key(self, key: int):
        for obj in self.objects.values():
            if obj.key == key:
                return obj
        return None

    def by_index(self, id_: int):
        """ipc_obtain_object_idr(): the object at the id's index (the *_STAT commands)."""
        obj = self.objects.get(id_ % IPCMNI)
        if obj is None:
            raise EINVAL()
        return obj

    def check(self, id_: int):
        """ipc_obtain_object_check(): EINVAL unless the id names a live object."""
        obj = self.objects.get(id_ % IPCMNI)
        if obj is None or obj.seq != id_ >> IPCMNI_SHIFT:
            raise EINVAL()
        return obj

    def max_idx(self) -> int:
        """ipc_get_maxidx() as the *_INFO commands return it (0 when empty)."""
        return max(self.objects, default=0)

    def get(self, key: int, flags: int, creds, create, more_checks=None) -> int:
        """ipcget(): IPC_PRIVATE creates; a known key gives EEXIST with IPC_CREAT|
        IPC_EXCL, then the kind's checks (EINVAL), then EACCES; an unknown one ENOENT
        without IPC_CREAT."""
        if key == IPC_PRIVATE:
            return create().id
        obj = self.find_key(key)
        if obj is None:
            if not flags & IPC_CREAT:
                raise ENOENT()
            return create().id
        if flags & IPC_CREAT and flags & IPC_EXCL:
            raise EEXIST()
        if more_checks is not None:
            more_checks(obj)
        if obj.denies(creds, flags):
            raise EACCES()
        return obj.id


def _live(record) -> bool:
    """A waiter record is live while its thread is parked on the call that made it."""
    block = record.task.block
    return block is not None and block.state is record


def _prune(records: list) -> None:
    """Forget records of threads that died while parked."""
    kernel = records[0].task.kernel if records else None
    records[:] = [r for r in records if kernel.tasks.get(r.task.host_tid) is r.task]


# -- message queues --------------------------------------------------------------------------
SEARCH_ANY, SEARCH_EQUAL, SEARCH_NOTEQUAL, SEARCH_LESSEQUAL, SEARCH_NUMBER = 1, 2, 3, 4, 5
LONG_MAX = (1 << 63) - 1


def convert_mode(msgtyp: int, flags: int) -> tuple[int, int]:
    """convert_mode(): how msgrcv selects (any, equal, not equal, lowest <= |type|)."""
    if flags & MSG_COPY:
        return msgtyp, SEARCH_NUMBER
    if msgtyp == 0:
        return msgtyp, SEARCH_ANY
    if msgtyp < 0:
        return (LONG_MAX if msgtyp == -(1 << 63) else -msgtyp), SEARCH_LESSEQUAL
    return msgtyp, SEARCH_NOTEQUAL if flags & MSG_EXCEPT else SEARCH_EQUAL


def testmsg(mtype: int, want: int, mode: int) -> bool:
    if mode == SEARCH_EQUAL:
        return mtype == want
    if mode == SEARCH_NOTEQUAL:
        return mtype != want
    if mode == SEARCH_LESSEQUAL:
        return mtype <= want
    return True


class Receiver:
    """A parked msgrcv (struct msg_receiver): result is set by the sender that hands it
    a message, or an errno class (E2BIG for a message too big, EIDRM, EAGAIN to retry)."""

    __slots__ = ("task", "queue", "want", "mode", "maxsize", "result")

    def __init__(self, task, queue, want: int, mode: int, maxsize: int):
        self.task, self.queue, self.want, self.mode, self.maxsize = task, queue, want, mode, maxsize
        self.result = None


class MsgQueue(IpcObject):
    def __init__(self, key, flags, creds, qbytes: int):
        super().__init__(key, flags, creds)
        self.messages: list[tuple[int, bytes]] = []
        self.cbytes = 0
        self.qbytes = qbytes
        self.stime = self.rtime = 0
        self.ctime = now()
        self.lspid = self.lrpid = 0
        self.receivers: list[Receiver] = []
        self.senders = WaitQueue()  # senders waiting for room (ss_wakeup)

    def fits(self, size: int) -> bool:
        return size + self.cbytes <= self.qbytes and 1 + len(self.messages) <= self.qbytes

    def find(self, want: int, mode: int):
        """find_msg(): the index of the message msgrcv takes, or None."""
        found = None
        count = 0
        for index, (mtype, _text) in enumerate(self.messages):
            if mode == SEARCH_NUMBER:
                if count == want:
                    return index
                count += 1
            elif testmsg(mtype, want, mode):
                if mode != SEARCH_LESSEQUAL:
                    return index
                if mtype != 1:
                    want = mtype - 1
                    found = index
                else:
                    return index
        return found

    def send(self, mtype: int, text: bytes, pid: int) -> None:
        """The end of do_msgsnd(): hand the message to a waiting receiver, else queue it."""
        self.lspid = pid
        self.stime = now()
        _prune(self.receivers)
        for record in list(self.receivers):
            if not _live(record) or not testmsg(mtype, record.want, record.mode):
                continue
            self.receivers.remove(record)
            if record.maxsize < len(text):
                record.result = E2BIG
                record.task.kernel.wake(record.task)
                continue
            self.lrpid = record.task.tid  # task_pid(r_tsk): the thread's own pid
            self.rtime = now()
            record.result = (mtype, text)
            record.task.kernel.wake(record.task)
            return
        self.messages.append((mtype, text))
        self.cbytes += len(text)

    def take(self, index: int, pid: int) -> tuple[int, bytes]:
        mtype, text = self.messages.pop(index)
        self.cbytes -= len(text)
        self.rtime = now()
        self.lrpid = pid
        self.senders.notify(POLLOUT)  # room for a waiting sender
        return mtype, text

    def wake_all(self, error) -> None:
        """expunge_all() and ss_wakeup(): receivers get error (EIDRM, or EAGAIN to
        look again), senders retry."""
        for record in self.receivers:
            record.result = error
            if _live(record):
                record.task.kernel.wake(record.task)
        self.receivers = []
        self.senders.notify(POLLOUT)


# -- semaphores ------------------------------------------------------------------------------
class SemWaiter:
    """A parked semop (struct sem_queue): status None while waiting, then 0 (the waker
    performed the operations), or an errno class (EIDRM, ERANGE)."""

    __slots__ = ("task", "array", "sops", "proc", "blocking", "status")

    def __init__(self, task, array, sops, blocking):
        self.task, self.array, self.sops, self.proc = task, array, sops, task.process
        self.blocking = blocking
        self.status = None


class SemArray(IpcObject):
    def __init__(self, key, flags, creds, nsems: int):
        super().__init__(key, flags, creds)
        self.values = [0] * nsems
        self.pids = [0] * nsems
        self.otime = 0
        self.ctime = now()
        self.pending: list[SemWaiter] = []
        self.undo: dict = {}  # Process -> semadj list (struct sem_undo)

    @property
    def nsems(self) -> int:
        return len(self.values)

    def attempt(self, sops, proc, pid: int):
        """perform_atomic_semop(): all or nothing. Returns None when done, else the
        sop that must wait, or raises ERANGE (and EAGAIN for IPC_NOWAIT)."""
        values = list(self.values)
        adj = self.undo.get(proc)
        adj = list(adj) if adj is not None else [0] * self.nsems
        for sop in sops:
            num, op, flg = sop
            result = values[num]
            if (op == 0 and result) or result + op < 0:
                if flg & IPC_NOWAIT:
                    raise EAGAIN()
                return sop
            result += op
            if result > SEMVMX:
                raise ERANGE()
            if flg & SEM_UNDO:
                undo = adj[num] - op
                if undo < -SEMAEM - 1 or undo > SEMAEM:
                    raise ERANGE()
                adj[num] = undo
            values[num] = result
        self.values = values
        if any(flg & SEM_UNDO for _n, _o, flg in sops):
            self.undo[proc] = adj
        for num, _op, _flg in sops:
            self.pids[num] = pid
        self.otime = now()
        return None

    def update_queue(self) -> None:
        """update_queue(): perform what waiters can now do, in arrival order, starting
        over after each success (it may enable earlier waiters)."""
        _prune(self.pending)
        progress = True
        while progress:
            progress = False
            for waiter in list(self.pending):
                if not _live(waiter):
                    continue
                try:
                    blocking = self.attempt(waiter.sops, waiter.proc, waiter.proc.pid)
                except LinuxError as err:
                    waiter.status = type(err)
                else:
                    if blocking is not None:
                        waiter.blocking = blocking
                        continue
                    waiter.status = 0
                    progress = True
                self.pending.remove(waiter)
                waiter.task.kernel.wake(waiter.task)
                if progress:
                    break

    def count_waiting(self, semnum: int, zero: bool) -> int:
        """count_semcnt(): waiters whose blocking operation is on semnum (wait for
        zero, or a decrement)."""
        count = 0
        for waiter in self.pending:
            num, op, _flg = waiter.blocking
            if _live(waiter) and num == semnum and (op == 0 if zero else op < 0):
                count += 1
        return count

    def reset_undo(self, semnum: int | None = None) -> None:
        """SETVAL/SETALL clear the adjustments of every process (for one or all)."""
        for adj in self.undo.values():
            for i in range(self.nsems) if semnum is None else (semnum,):
                adj[i] = 0

    def exit_undo(self, proc) -> None:
        """exit_sem(): apply the process's adjustments, clamped to 0..SEMVMX."""
        adj = self.undo.pop(proc, None)
        if adj is None:
            return
        for i, delta in enumerate(adj):
            if delta:
                self.values[i] = min(max(self.values[i] + delta, 0), SEMVMX)
                self.pids[i] = proc.pid
        self.update_queue()


# -- shared memory ---------------------------------------------------------------------------
class ShmSegment(IpcObject):
    def __init__(self, key, flags, creds, size: int, cpid: int):
        super().__init__(key, flags, creds)
        self.size = size
        self.cpid, self.lpid = cpid, 0
        self.atime = self.dtime = 0
        self.ctime = now()
        self.memfd = os.memfd_create("SYSV%08x" % (key & 0xFFFFFFFF), os.MFD_CLOEXEC)
        os.ftruncate(self.memfd, size)

    @property
    def pages(self) -> int:
        return -(-self.size // PAGE_SIZE)

    def release(self) -> None:
        if self.memfd >= 0:
            os.close(self.memfd)
            self.memfd = -1


def enough_memory(pages: int) -> bool:
    """__vm_enough_memory() for a segment's pages (shmem_acct_size without SHM_NORESERVE),
    under the host's overcommit policy: heuristic (0) refuses more than RAM + swap,
    always (1) accepts, never (2) allows swap + overcommit_ratio% of RAM."""
    try:
        with open("/proc/sys/vm/overcommit_memory") as f:
            policy = int(f.read())
        with open("/proc/meminfo") as f:
            info = {line.split(":")[0]: int(line.split()[1]) for line in f if line.split()[1:]}
    except (OSError, ValueError, IndexError):
        return True
    if policy == 1:
        return True
    ram, swap = info.get("MemTotal", 0) // 4, info.get("SwapTotal", 0) // 4  # kB -> pages
    if policy == 2:
        return pages <= info.get("CommitLimit", 0) // 4 - info.get("Committed_AS", 0) // 4
    return pages <= ram + swap


def shm_host_inodes(mm) -> dict[int, int]:
    """{host inode of a segment's memfd: shmid} for the segments attached in mm, so that
    /proc/PID/maps can name them as Linux does."""
    out = {}
    for seg, _size in mm.sysv_shm.values():
        if seg.memfd >= 0:
            out[os.fstat(seg.memfd).st_ino] = seg.id
    return out


def _host_limits() -> dict:
    def read(name: str, default):
        try:
            with open("/proc/sys/kernel/" + name) as f:
                words = [int(w) for w in f.read().split()]
        except (OSError, ValueError):
            return default
        return words if isinstance(default, list) else words[0]
    return {
        "msgmax": read("msgmax", 8192), "msgmnb": read("msgmnb", 16384),
        "msgmni": read("msgmni", 32000), "sem": read("sem", [32000, 1024000000, 500, 32000]),
        "shmmax": read("shmmax", (1 << 64) - 1 - (1 << 24)),
        "shmall": read("shmall", (1 << 64) - 1 - (1 << 24)), "shmmni": read("shmmni", 4096),
    }


class IpcNamespace:
    """struct ipc_namespace: the three id tables, the limits and the usage counters."""

    def __init__(self, kernel):
        self.kernel = kernel
        self.msg, self.sem, self.shm = IpcIds(), IpcIds(), IpcIds()
        limits = _host_limits()
        self.msg_ctlmax, self.msg_ctlmnb, self.msg_ctlmni = (
            limits["msgmax"], limits["msgmnb"], limits["msgmni"])
        self.sc_semmsl, self.sc_semmns, self.sc_semopm, self.sc_semmni = limits["sem"]
        self.shm_ctlmax, self.shm_ctlall, self.shm_ctlmni = (
            limits["shmmax"], limits["shmall"], limits["shmmni"])
        self.used_sems = 0
        self.shm_tot = 0

    # -- shared memory accounting --------------------------------------------------------
    def live_mms(self) -> list:
        seen = {}
        for proc in self.kernel.processes.values():
            if not proc.zombie:
                seen[id(proc.mm)] = proc.mm
        return list(seen.values())

    def nattch(self, seg: ShmSegment) -> int:
        return sum(1 for mm in self.live_mms() for s, _size in mm.sysv_shm.values() if s is seg)

    def destroy_shm(self, seg: ShmSegment) -> None:
        """shm_destroy()."""
        self.shm.remove(seg)
        self.shm_tot -= seg.pages
        seg.release()

    def sweep_shm(self) -> None:
        """Destroy segments marked SHM_DEST that nobody has attached any more."""
        for seg in list(self.shm.objects.values()):
            if seg.mode & SHM_DEST and not self.nattch(seg):
                self.destroy_shm(seg)

    def mm_dropped(self, proc, mm) -> None:
        """An address space went away (exit, exec): its attachments end (shm_close sets
        shm_lprid and shm_dtim)."""
        if not mm.sysv_shm or any(m is mm for m in self.live_mms()):
            return
        stamp = now()
        for seg, _size in mm.sysv_shm.values():
            seg.lpid, seg.dtime = proc.pid, stamp
        mm.sysv_shm.clear()
        self.sweep_shm()

    def mm_copied(self, parent, mm) -> None:
        """fork copied the attachments: shm_open() runs in the parent (shm_atim, and
        shm_lprid names the parent)."""
        stamp = now()
        for seg, _size in mm.sysv_shm.values():
            seg.lpid, seg.atime = parent.pid, stamp


def namespace(kernel) -> IpcNamespace:
    ns = getattr(kernel, "sysvipc", None)
    if ns is None:
        ns = kernel.sysvipc = IpcNamespace(kernel)
    return ns


# -- process events (process/lifecycle.py) -------------------------------------------------------
def process_forked(kernel, parent, proc) -> None:
    ns = getattr(kernel, "sysvipc", None)
    if ns is not None and proc.mm.sysv_shm and proc.mm is not parent.mm:
        ns.mm_copied(parent, proc.mm)


def process_exec(kernel, proc, old_mm) -> None:
    ns = getattr(kernel, "sysvipc", None)
    if ns is not None:
        ns.mm_dropped(proc, old_mm)


def exit_sem(kernel, proc) -> None:
    """Apply and drop proc's SEM_UNDO adjustments: at exit, and at unshare(CLONE_SYSVSEM)
    ("equivalent to sys_exit()", kernel/fork.c)."""
    ns = getattr(kernel, "sysvipc", None)
    if ns is not None:
        for sma in list(ns.sem.objects.values()):
            sma.exit_undo(proc)


def process_exited(kernel, proc) -> None:
    """exit_sem() and exit_shm() for a process whose last thread is gone."""
    ns = getattr(kernel, "sysvipc", None)
    if ns is None:
        return
    exit_sem(kernel, proc)
    ns.mm_dropped(proc, proc.mm)


# -- /proc/sysvipc ---------------------------------------------------------------------------
def gen_msg(kernel, ctx) -> bytes:
    ns = namespace(kernel)
    out = [b"       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid"
           b"      stime      rtime      ctime\n"]
    for idx in sorted(ns.msg.objects):
        q = ns.msg.objects[idx]
        out.append(b"%10d %10d  %4o  %10d %10d %5d %5d %5d %5d %5d %5d %10d %10d %10d\n" % (
            q.key, q.id, q.mode, q.cbytes, len(q.messages), q.lspid, q.lrpid, q.uid, q.gid,
            q.cuid, q.cgid, q.stime, q.rtime, q.ctime))
    return b"".join(out)


def gen_sem(kernel, ctx) -> bytes:
    ns = namespace(kernel)
    out = [b"       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n"]
    for idx in sorted(ns.sem.objects):
        s = ns.sem.objects[idx]
        out.append(b"%10d %10d  %4o %10d %5d %5d %5d %5d %10d %10d\n" % (
            s.key, s.id, s.mode, s.nsems, s.uid, s.gid, s.cuid, s.cgid, s.otime, s.ctime))
    return b"".join(out)


def gen_shm(kernel, ctx) -> bytes:
    ns = namespace(kernel)
    ns.sweep_shm()
    out = [b"       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid"
           b"  cgid      atime      dtime      ctime                   rss                  swap\n"]
    for idx in sorted(ns.shm.objects):
        s = ns.shm.objects[idx]
        out.append(b"%10d %10d  %4o %21d %5d %5d  %5d %5d %5d %5d %5d %10d %10d %10d %21d %21d\n" % (
            s.key, s.id, s.mode, s.size, s.cpid, s.lpid, ns.nattch(s), s.uid, s.gid, s.cuid,
            s.cgid, s.atime, s.dtime, s.ctime, shm_rss(s), 0))
    return b"".join(out)


def shm_rss(seg: ShmSegment) -> int:
    """Bytes of the segment in memory (the memfd's allocated blocks)."""
    try:
        return os.fstat(seg.memfd).st_blocks * 512
    except OSError:
        return 0


__all__ = ["namespace", "gen_msg", "gen_sem", "gen_shm", "IpcNamespace"]
