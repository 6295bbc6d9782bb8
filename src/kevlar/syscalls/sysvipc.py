"""System V IPC syscalls: msgget/msgsnd/msgrcv/msgctl, semget/semop/semtimedop/semctl,
shmget/shmat/shmdt/shmctl (ipc/msg.c, sem.c, shm.c), on Kevlar's own IPC namespace
(kevlar.ipc.sysv). Arguments are checked in Linux's order; x86_64 always uses the ipc64
structures (no IPC_64 flag: a cmd with 0x100 set is EINVAL, as in Linux).

Waits: msgsnd and msgrcv end with ERESTARTNOHAND on a signal (restarted when no handler
runs), semop/semtimedop with EINTR (never restarted); a removed object wakes its waiters
with EIDRM.

shmat maps the segment's host memfd into the guest the way syscalls/mm.py maps Kevlar
files: a host fd injected once per address space and segment, then an injected mmap
whose result is shmat's. shmdt is an injected munmap of the whole segment.
"""

import struct

from kevlar.abi.constants import MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_SHARED, PAGE_SIZE, RLIMIT_MEMLOCK
from kevlar.abi.errors import (
    BY_NUMBER,
    E2BIG,
    EACCES,
    EAGAIN,
    EEXIST,
    EFBIG,
    EIDRM,
    EINTR,
    EINVAL,
    ENOMEM,
    ENOMSG,
    ENOSPC,
    EPERM,
    ERANGE,
    ERESTARTNOHAND,
)
from kevlar.abi.sysnums import SYSCALLS
from kevlar.ipc import sysv
from kevlar.ipc.sysv import (
    GETALL,
    GETNCNT,
    GETPID,
    GETVAL,
    GETZCNT,
    IPC_INFO,
    IPC_NOWAIT,
    IPC_PRIVATE,
    IPC_RMID,
    IPC_SET,
    IPC_STAT,
    MSG_COPY,
    MSG_EXCEPT,
    MSG_INFO,
    MSG_NOERROR,
    MSG_STAT,
    MSG_STAT_ANY,
    S_IRUGO,
    S_IWUGO,
    S_IXUGO,
    SEM_INFO,
    SEM_STAT,
    SEM_STAT_ANY,
    SEMVMX,
    SETALL,
    SETVAL,
    SHM_DEST,
    SHM_EXEC,
    SHM_HUGETLB,
    SHM_INFO,
    SHM_LOCK,
    SHM_LOCKED,
    SHM_NORESERVE,
    SHM_RDONLY,
    SHM_REMAP,
    SHM_RND,
    SHM_STAT,
    SHM_STAT_ANY,
    SHM_UNLOCK,
    MsgQueue,
    Receiver,
    SemArray,
    SemWaiter,
    ShmSegment,
    namespace,
)
from kevlar.ipc.waitq import POLLOUT
from kevlar.platform.inject import inject_syscall
from kevlar.process.blocking import Block
from kevlar.syscalls.args import Int, Long, Ptr, Size, UInt, ULong
from kevlar.syscalls.mm import _guest_fd
from kevlar.timers import monotonic_ns

LONG = struct.Struct("<q")
SEMBUF = struct.Struct("<Hhh")
TIMESPEC = struct.Struct("<qq")
INT_MAX = 0x7FFFFFFF
NSEC = 1_000_000_000


def _resumed(task):
    """The RestartState of this call when it runs again after a park, else None."""
    return task.kernel.restart_state(task, ())


def _stat_object(ids, id_: int, cmd: int, by_index: tuple, stat_any: int, creds):
    """The lookup of the *_STAT commands: by index for MSG_STAT-like commands, by full
    id for IPC_STAT; read permission unless *_STAT_ANY."""
    obj = ids.by_index(id_) if cmd in by_index else ids.check(id_)
    if cmd != stat_any and obj.denies(creds, S_IRUGO):
        raise EACCES()
    return obj


def _owned(ids, id_: int, creds):
    """ipcctl_obtain_check() for IPC_SET and IPC_RMID."""
    obj = ids.check(id_)
    obj.check_owner(creds)
    return obj


# -- message queues --------------------------------------------------------------------------
def sys_msgget(task, key: Int, msgflg: Int) -> int:
    """msgget(2)."""
    ns = namespace(task.kernel)
    creds = task.creds

    def create():
        queue = MsgQueue(key, msgflg, creds, ns.msg_ctlmnb)
        ns.msg.add(queue, ns.msg_ctlmni)
        return queue
    return ns.msg.get(key, msgflg, creds, create)


def sys_msgsnd(task, msqid: Int, msgp: Ptr, msgsz: Size, msgflg: Int) -> int:
    """msgsnd(2): EFAULT for mtype, EINVAL (size, id, mtype < 1), EFAULT for the text,
    EINVAL/EACCES/EIDRM for the queue, then EAGAIN or a wait for room."""
    (mtype,) = LONG.unpack(task.read(msgp, 8))
    ns = namespace(task.kernel)
    if msgsz > ns.msg_ctlmax or msgsz >> 63 or msqid < 0 or mtype < 1:
        raise EINVAL()
    text = task.read(msgp + 8, msgsz) if msgsz else b""
    resumed = _resumed(task)
    if resumed is not None and resumed.state.deleted:
        raise EIDRM()
    queue = ns.msg.check(msqid)
    if queue.denies(task.creds, S_IWUGO):
        raise EACCES()
    if not queue.fits(msgsz):
        if msgflg & IPC_NOWAIT:
            raise EAGAIN()
        raise Block([(queue.senders, POLLOUT)], interrupt=ERESTARTNOHAND, state=queue)
    queue.send(mtype, text, task.process.pid)
    return 0


def sys_msgrcv(task, msqid: Int, msgp: Ptr, msgsz: Size, msgtyp: Long, msgflg: Int) -> int:
    """msgrcv(2): mtype 0 (first), > 0 (that type, or any other with MSG_EXCEPT), < 0
    (lowest type <= |msgtyp|); MSG_COPY peeks at the msgtyp'th message (IPC_NOWAIT
    only); E2BIG unless MSG_NOERROR; ENOMSG with IPC_NOWAIT, else a wait."""
    ns = namespace(task.kernel)
    if msqid < 0 or msgsz >> 63:
        raise EINVAL()
    limit = None
    if msgflg & MSG_COPY:
        if msgflg & MSG_EXCEPT or not msgflg & IPC_NOWAIT:
            raise EINVAL()
        limit = min(msgsz, ns.msg_ctlmax)
        if limit:
            task.read(msgp, limit)  # prepare_copy() loads the buffer first
    want, mode = sysv.convert_mode(msgtyp, msgflg)
    resumed = _resumed(task)
    if resumed is not None:
        record = resumed.state
        if isinstance(record.result, tuple):
            return _fill(task, msgp, msgsz, *record.result)
        if record.result is not None and record.result is not EAGAIN:
            raise record.result()
        if record in record.queue.receivers:
            record.queue.receivers.remove(record)
    queue = ns.msg.check(msqid)
    if queue.denies(task.creds, S_IRUGO):
        raise EACCES()
    index = queue.find(want, mode)
    if index is not None:
        mtype, text = queue.messages[index]
        if msgsz < len(text) and not msgflg & MSG_NOERROR:
            raise E2BIG()
        if limit is not None:
            if len(text) > limit:
                raise EINVAL()  # copy_msg(): the copy buffer is too small
            return _fill(task, msgp, msgsz, mtype, text)
        return _fill(task, msgp, msgsz, *queue.take(index, task.process.pid))
    if msgflg & IPC_NOWAIT:
        raise ENOMSG()
    record = Receiver(task, queue, want, mode, INT_MAX if msgflg & MSG_NOERROR else msgsz)
    queue.receivers.append(record)

    def interrupted(_task):
        if record in queue.receivers:
            queue.receivers.remove(record)
    raise Block((), interrupt=ERESTARTNOHAND, state=record, on_interrupt=interrupted)


def _fill(task, msgp: int, msgsz: int, mtype: int, text: bytes) -> int:
    """do_msg_fill(): mtype, then at most msgsz bytes of text (the message is gone even
    if this faults)."""
    task.write(msgp, LONG.pack(mtype))
    size = min(msgsz, len(text))
    if size:
        task.write(msgp + 8, text[:size])
    return size


def sys_msgctl(task, msqid: Int, cmd: Int, buf: Ptr) -> int:
    """msgctl(2): IPC_STAT, MSG_STAT, MSG_STAT_ANY, IPC_SET (msg_qbytes above msgmnb
    needs CAP_SYS_RESOURCE), IPC_RMID, IPC_INFO, MSG_INFO."""
    ns = namespace(task.kernel)
    creds = task.creds
    if msqid < 0 or cmd < 0:
        raise EINVAL()
    if cmd in (IPC_INFO, MSG_INFO):
        queues = ns.msg.objects.values()
        if cmd == IPC_INFO:
            pool, msgmap, tql = ns.msg_ctlmni * ns.msg_ctlmnb // 1024, ns.msg_ctlmnb, ns.msg_ctlmnb
        else:
            pool = len(queues)
            msgmap = sum(len(q.messages) for q in queues)
            tql = sum(q.cbytes for q in queues)
        task.write(buf, sysv.MSGINFO.pack(pool, msgmap, ns.msg_ctlmax, ns.msg_ctlmnb,
                                          ns.msg_ctlmni, sysv.MSGSSZ, tql, sysv.MSGSEG))
        return ns.msg.max_idx()
    if cmd in (IPC_STAT, MSG_STAT, MSG_STAT_ANY):
        q = _stat_object(ns.msg, msqid, cmd, (MSG_STAT, MSG_STAT_ANY), MSG_STAT_ANY, creds)
        task.write(buf, sysv.MSQID64.pack(*q.perm_fields(), q.stime, q.rtime, q.ctime, q.cbytes,
                                          len(q.messages), q.qbytes, q.lspid, q.lrpid, 0, 0))
        return 0 if cmd == IPC_STAT else q.id
    if cmd == IPC_SET:
        data = task.read(buf, sysv.MSQID64.size)
        queue = _owned(ns.msg, msqid, creds)
        qbytes = struct.unpack_from("<Q", data, 88)[0]
        if qbytes > ns.msg_ctlmnb and not creds.capable(sysv.CAP_SYS_RESOURCE):
            raise EPERM()
        queue.update_perm(data)
        queue.qbytes = qbytes
        queue.wake_all(EAGAIN)  # receivers look again, senders may fit now
        return 0
    if cmd == IPC_RMID:
        queue = _owned(ns.msg, msqid, creds)
        ns.msg.remove(queue)
        queue.wake_all(EIDRM)
        return 0
    raise EINVAL()


# -- semaphores ------------------------------------------------------------------------------
def sys_semget(task, key: Int, nsems: Int, semflg: Int) -> int:
    """semget(2): EINVAL for nsems < 0 or > SEMMSL first; 0 only names an existing
    array; ENOSPC past SEMMNS or SEMMNI."""
    ns = namespace(task.kernel)
    creds = task.creds
    if nsems < 0 or nsems > ns.sc_semmsl:
        raise EINVAL()

    def create():
        if not nsems:
            raise EINVAL()
        if ns.used_sems + nsems > ns.sc_semmns:
            raise ENOSPC()
        array = SemArray(key, semflg, creds, nsems)
        ns.sem.add(array, ns.sc_semmni)
        ns.used_sems += nsems
        return array

    def more_checks(array):
        if nsems > array.nsems:
            raise EINVAL()
    return ns.sem.get(key, semflg, creds, create, more_checks)


def sys_semop(task, semid: Int, sops: Ptr, nsops: UInt) -> int:
    """semop(2): semtimedop without a timeout."""
    return _semtimedop(task, semid, sops, nsops, 0)


def sys_semtimedop(task, semid: Int, sops: Ptr, nsops: UInt, timeout: Ptr) -> int:
    """semtimedop(2): EAGAIN when the timeout passes."""
    return _semtimedop(task, semid, sops, nsops, timeout)


def _semtimedop(task, semid: int, tsops: int, nsops: int, timeout: int) -> int:
    """do_semtimedop(): the timeout (EFAULT), E2BIG past SEMOPM, EINVAL for none,
    EFAULT for the array, EINVAL (id, timespec), EFBIG (sem_num), EACCES, then the
    operations all at once (ERANGE, EAGAIN with IPC_NOWAIT) or a wait."""
    resumed = _resumed(task)
    if resumed is not None:
        return _semop_resumed(task, resumed)
    ts = TIMESPEC.unpack(task.read(timeout, TIMESPEC.size)) if timeout else None
    ns = namespace(task.kernel)
    if nsops > ns.sc_semopm:
        raise E2BIG()
    if nsops < 1:
        raise EINVAL()
    raw = task.read(tsops, nsops * SEMBUF.size)
    if semid < 0:
        raise EINVAL()
    deadline = None
    if ts is not None:
        if ts[0] < 0 or not 0 <= ts[1] < NSEC:
            raise EINVAL()
        deadline = monotonic_ns() + ts[0] * NSEC + ts[1]
    ops = [SEMBUF.unpack_from(raw, i * SEMBUF.size) for i in range(nsops)]
    alter = any(op for _num, op, _flg in ops)
    array = ns.sem.check(semid)
    if max(num for num, _op, _flg in ops) >= array.nsems:
        raise EFBIG()
    if array.denies(task.creds, S_IWUGO if alter else S_IRUGO):
        raise EACCES()
    blocking = array.attempt(ops, task.process, task.process.pid)
    if blocking is None:
        if alter:
            array.update_queue()
        return 0
    if deadline is not None and deadline <= monotonic_ns():
        raise EAGAIN()
    waiter = SemWaiter(task, array, ops, blocking)
    array.pending.append(waiter)
    raise _sem_block(waiter, deadline)


def _sem_block(waiter, deadline) -> Block:
    def interrupted(_task):
        if waiter in waiter.array.pending:
            waiter.array.pending.remove(waiter)
    return Block((), deadline=deadline, interrupt=EINTR, state=waiter, on_interrupt=interrupted)


def _semop_resumed(task, resumed) -> int:
    """A parked semop runs again: done by a waker, failed (EIDRM, ERANGE), timed out
    (EAGAIN), or still waiting."""
    waiter = resumed.state
    if waiter.status == 0:
        return 0
    if waiter.status is not None:
        raise waiter.status()
    if resumed.deadline is not None and resumed.deadline <= monotonic_ns():
        if waiter in waiter.array.pending:
            waiter.array.pending.remove(waiter)
        raise EAGAIN()
    raise _sem_block(waiter, resumed.deadline)


SEM_MAIN = (GETALL, GETVAL, GETPID, GETNCNT, GETZCNT, SETALL)


def sys_semctl(task, semid: Int, semnum: Int, cmd: Int, arg: ULong) -> int:
    """semctl(2)."""
    ns = namespace(task.kernel)
    creds = task.creds
    if semid < 0:
        raise EINVAL()
    if cmd in (IPC_INFO, SEM_INFO):
        arrays = ns.sem.objects.values()
        usz = len(arrays) if cmd == SEM_INFO else 20
        aem = ns.used_sems if cmd == SEM_INFO else sysv.SEMAEM
        task.write(arg, sysv.SEMINFO.pack(ns.sc_semmns, ns.sc_semmni, ns.sc_semmns, ns.sc_semmns,
                                          ns.sc_semmsl, ns.sc_semopm, ns.sc_semopm, usz, SEMVMX,
                                          aem))
        return ns.sem.max_idx()
    if cmd in (IPC_STAT, SEM_STAT, SEM_STAT_ANY):
        s = _stat_object(ns.sem, semid, cmd, (SEM_STAT, SEM_STAT_ANY), SEM_STAT_ANY, creds)
        task.write(arg, sysv.SEMID64.pack(*s.perm_fields(), s.otime, 0, s.ctime, 0, s.nsems, 0, 0))
        return 0 if cmd == IPC_STAT else s.id
    if cmd in SEM_MAIN:
        return _semctl_main(task, ns, semid, semnum, cmd, arg)
    if cmd == SETVAL:
        val = Int(arg)
        if val > SEMVMX or val < 0:
            raise ERANGE()
        array = ns.sem.check(semid)
        if semnum < 0 or semnum >= array.nsems:
            raise EINVAL()
        if array.denies(creds, S_IWUGO):
            raise EACCES()
        array.reset_undo(semnum)
        array.values[semnum] = val
        array.pids[semnum] = task.process.pid
        array.ctime = sysv.now()
        array.update_queue()
        return 0
    if cmd == IPC_SET:
        data = task.read(arg, sysv.SEMID64.size)
        array = _owned(ns.sem, semid, creds)
        array.update_perm(data)
        return 0
    if cmd == IPC_RMID:
        array = _owned(ns.sem, semid, creds)
        ns.sem.remove(array)
        ns.used_sems -= array.nsems
        for waiter in array.pending:  # freeary(): every sleeper gets EIDRM
            waiter.status = EIDRM
            if waiter.task.block is not None and waiter.task.block.state is waiter:
                task.kernel.wake(waiter.task)
        array.pending = []
        array.undo.clear()
        return 0
    raise EINVAL()


def _semctl_main(task, ns, semid: int, semnum: int, cmd: int, arg: int) -> int:
    """semctl_main(): GETALL/SETALL ignore semnum; the others check it (EINVAL)."""
    array = ns.sem.check(semid)
    if array.denies(task.creds, S_IWUGO if cmd == SETALL else S_IRUGO):
        raise EACCES()
    if cmd == GETALL:
        task.write(arg, struct.pack(f"<{array.nsems}H", *array.values))
        return 0
    if cmd == SETALL:
        values = struct.unpack(f"<{array.nsems}H", task.read(arg, 2 * array.nsems))
        if any(v > SEMVMX for v in values):
            raise ERANGE()
        array.values = list(values)
        array.pids = [task.process.pid] * array.nsems
        array.reset_undo()
        array.ctime = sysv.now()
        array.update_queue()
        return 0
    if semnum < 0 or semnum >= array.nsems:
        raise EINVAL()
    if cmd == GETVAL:
        return array.values[semnum]
    if cmd == GETPID:
        return array.pids[semnum]
    return array.count_waiting(semnum, cmd == GETZCNT)


# -- shared memory ---------------------------------------------------------------------------
def sys_shmget(task, key: Int, size: Size, shmflg: Int) -> int:
    """shmget(2): EINVAL below SHMMIN or above SHMMAX (and for an existing segment
    smaller than size), ENOSPC past SHMALL pages or SHMMNI segments; SHM_HUGETLB is
    ENOMEM (no huge pages)."""
    ns = namespace(task.kernel)
    creds = task.creds
    ns.sweep_shm()

    def create():
        if size < sysv.SHMMIN or size > ns.shm_ctlmax:
            raise EINVAL()
        pages = -(-size // PAGE_SIZE)
        if pages * PAGE_SIZE >= 1 << 64 or ns.shm_tot + pages > ns.shm_ctlall:
            raise ENOSPC()
        if shmflg & SHM_HUGETLB:
            raise ENOMEM()
        if size > sysv.MAX_LFS_FILESIZE:
            raise EINVAL()
        if not shmflg & SHM_NORESERVE and not sysv.enough_memory(pages):
            raise ENOMEM()
        if len(ns.shm.objects) >= ns.shm_ctlmni:
            raise ENOSPC()
        seg = ShmSegment(key, shmflg, creds, size, task.process.pid)
        ns.shm.add(seg, ns.shm_ctlmni)
        ns.shm_tot += pages
        return seg

    def more_checks(seg):
        if seg.size < size:
            raise EINVAL()
    return ns.shm.get(key, shmflg, creds, create, more_checks)


def sys_shmat(task, shmid: Int, shmaddr: Ptr, shmflg: Int) -> int:
    """shmat(2): address checks (EINVAL unless page aligned or SHM_RND; SHM_REMAP needs
    an address), the segment (EINVAL, EACCES), an address in use without SHM_REMAP
    (EINVAL), then the host maps the segment's memfd MAP_SHARED."""
    if shmid < 0:
        raise EINVAL()
    addr = shmaddr
    flags = MAP_SHARED
    if addr:
        if addr & (PAGE_SIZE - 1):
            if not shmflg & SHM_RND:
                raise EINVAL()
            addr &= ~(PAGE_SIZE - 1)
            if not addr and shmflg & SHM_REMAP:
                raise EINVAL()
        flags |= MAP_FIXED if shmflg & SHM_REMAP else MAP_FIXED_NOREPLACE
    elif shmflg & SHM_REMAP:
        raise EINVAL()
    prot, acc = (1, S_IRUGO) if shmflg & SHM_RDONLY else (3, S_IRUGO | S_IWUGO)
    if shmflg & SHM_EXEC:
        prot, acc = prot | 4, acc | S_IXUGO
    ns = namespace(task.kernel)
    seg = ns.shm.check(shmid)
    if seg.denies(task.creds, acc):
        raise EACCES()
    if addr and not shmflg & SHM_REMAP and (addr + seg.size >= 1 << 64
                                            or _mapped(task, addr, addr + seg.size)):
        raise EINVAL()
    fd = _guest_fd(task, seg, lambda: seg.memfd, not shmflg & SHM_RDONLY)
    result = inject_syscall(task, SYSCALLS["mmap"], addr, seg.size, prot, flags, fd, 0,
                            reissue=False)
    if -4096 < result < 0:
        raise EINVAL() if -result == EEXIST.errno else BY_NUMBER.get(-result, ENOMEM)()
    proc = task.process
    proc.mm.sysv_shm[result] = (seg, seg.size)
    seg.atime, seg.lpid = sysv.now(), proc.pid
    return result


def _mapped(task, start: int, end: int) -> bool:
    """find_vma_intersection(): does any mapping of the guest meet [start, end)?"""
    with open(f"/proc/{task.host_tid}/maps", "rb") as maps:
        for line in maps:
            low, _, high = line.split(b" ", 1)[0].partition(b"-")
            if int(low, 16) < end and start < int(high, 16):
                return True
    return False


def sys_shmdt(task, shmaddr: Ptr) -> int:
    """shmdt(2): EINVAL unless shmaddr is where a segment is attached; unmaps all of it."""
    mm = task.process.mm
    entry = mm.sysv_shm.get(shmaddr) if not shmaddr & (PAGE_SIZE - 1) else None
    if entry is None:
        raise EINVAL()
    inject_syscall(task, SYSCALLS["munmap"], shmaddr, entry[1], reissue=False)
    del mm.sysv_shm[shmaddr]
    seg = entry[0]
    seg.dtime, seg.lpid = sysv.now(), task.process.pid
    namespace(task.kernel).sweep_shm()
    return 0


def sys_shmctl(task, shmid: Int, cmd: Int, buf: Ptr) -> int:
    """shmctl(2): IPC_STAT, SHM_STAT, SHM_STAT_ANY, IPC_SET, IPC_RMID (SHM_DEST while
    attached), IPC_INFO, SHM_INFO, SHM_LOCK/SHM_UNLOCK (a flag: pages are the host's)."""
    ns = namespace(task.kernel)
    creds = task.creds
    if cmd < 0 or shmid < 0:
        raise EINVAL()
    ns.sweep_shm()
    if cmd == IPC_INFO:
        task.write(buf, sysv.SHMINFO64.pack(ns.shm_ctlmax, sysv.SHMMIN, ns.shm_ctlmni,
                                            ns.shm_ctlmni, ns.shm_ctlall, 0, 0, 0, 0))
        return ns.shm.max_idx()
    if cmd == SHM_INFO:
        segs = ns.shm.objects.values()
        rss = sum(sysv.shm_rss(s) for s in segs) // PAGE_SIZE
        task.write(buf, sysv.SHM_INFO_S.pack(len(segs), ns.shm_tot, rss, 0, 0, 0))
        return ns.shm.max_idx()
    if cmd in (IPC_STAT, SHM_STAT, SHM_STAT_ANY):
        s = _stat_object(ns.shm, shmid, cmd, (SHM_STAT, SHM_STAT_ANY), SHM_STAT_ANY, creds)
        task.write(buf, sysv.SHMID64.pack(*s.perm_fields(), s.size, s.atime, s.dtime, s.ctime,
                                          s.cpid, s.lpid, ns.nattch(s), 0, 0))
        return 0 if cmd == IPC_STAT else s.id
    if cmd == IPC_SET:
        data = task.read(buf, sysv.SHMID64.size)
        seg = _owned(ns.shm, shmid, creds)
        seg.update_perm(data)
        return 0
    if cmd == IPC_RMID:
        seg = _owned(ns.shm, shmid, creds)
        if ns.nattch(seg):
            seg.mode |= SHM_DEST
            seg.key = IPC_PRIVATE
        else:
            ns.destroy_shm(seg)
        return 0
    if cmd in (SHM_LOCK, SHM_UNLOCK):
        seg = ns.shm.check(shmid)
        if not creds.capable(sysv.CAP_IPC_LOCK):
            if creds.euid not in (seg.uid, seg.cuid):
                raise EPERM()
            if cmd == SHM_LOCK and not task.process.rlimits[RLIMIT_MEMLOCK][0]:
                raise EPERM()
        if cmd == SHM_LOCK:
            seg.mode |= SHM_LOCKED
        else:
            seg.mode &= ~SHM_LOCKED
        return 0
    raise EINVAL()


__all__ = [name for name in dir() if name.startswith("sys_")]
