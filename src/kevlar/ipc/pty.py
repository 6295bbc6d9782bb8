"""Unix98 pseudo-terminals: the pty driver and the n_tty line discipline.

drivers/tty/pty.c, n_tty.c, tty_io.c, tty_ioctl.c and tty_jobctl.c, for what programs
use. A `Pty` is the pair of tty_structs: the slave side (`Ldisc` in canonical or raw
mode under the pair's one termios) and the master side (a raw queue: the master's
termios is fixed). Master writes are the slave's input; slave writes and echoes are
output, processed under OPOST, that the master reads. As in Linux, every termios,
window-size and job-control ioctl on the master acts on the slave (tty_pair_get_tty).

Buffers: each side holds up to N_TTY_BUF_SIZE - 1 processed characters plus a "flip"
queue of FLIP_LIMIT raw bytes the writer may add before it blocks (Linux's per-port
tty_buffer memory limit); characters move from the flip queue into the line
discipline as the reader frees room. Linux does that move in a worker, so natively an
echo or FIONREAD can lag a write by a moment; here it is immediate.

Hangup: the master's last close hangs the slave up (its files then read 0, write EIO,
poll everything), tells the session leader SIGHUP and SIGCONT and ends the session's
controlling tty, and removes /dev/pts/N. The slave's last close marks the master
TTY_OTHER_CLOSED: reads drain what is left, then EIO, and poll says POLLHUP.

Job control: a session leader that opens a slave without O_NOCTTY (or uses TIOCSCTTY)
makes it its controlling tty (`Process.ctty`); the foreground process group gets the
ISIG signals and SIGWINCH, as kill_pgrp(..., priv=1) sends them (SI_KERNEL).
When the session leader exits, the foreground group hears SIGHUP and the session loses
the tty. A background group that reads (SIGTTIN), or changes the tty or writes under
TOSTOP (SIGTTOU), is signalled and its call parks until the signal decides (restart
after SIGCONT, or EINTR), as tty_check_change. Not modelled: flow control stopping
output (IXON ^S is consumed; TCXONC is accepted), packet mode (TIOCPKT is ENOTTY),
SIGIO (O_ASYNC is accepted).
"""

import struct
import time

from kevlar.abi.constants import (
    CAP_SYS_ADMIN,
    FIONREAD,
    O_ACCMODE,
    O_CLOEXEC,
    O_NOCTTY,
    O_WRONLY,
    SIGCONT,
    SIGHUP,
    SIGINT,
    SIGQUIT,
    SIGTSTP,
    SIGTTIN,
    SIGTTOU,
    SIGWINCH,
    TCGETS,
    TCSETS,
    TCSETSF,
    TCSETSW,
    TIOCGPGRP,
    TIOCGPTN,
    TIOCGSID,
    TIOCGWINSZ,
    TIOCNOTTY,
    TIOCOUTQ,
    TIOCSCTTY,
    TIOCSPGRP,
    TIOCSWINSZ,
)
from kevlar.abi.errors import EAGAIN, EINVAL, EIO, ENOTTY, EPERM, ERESTARTSYS, ESRCH
from kevlar.fs.file import File
from kevlar.ipc.waitq import (
    POLLERR,
    POLLHUP,
    POLLIN,
    POLLOUT,
    READABLE,
    WRITABLE,
    WaitQueue,
)
from kevlar.process.blocking import Block

N_TTY_BUF_SIZE = 4096
FLIP_LIMIT = 65536  # TTYB_DEFAULT_MEM_LIMIT

# include/uapi/asm-generic/termbits.h
VINTR, VQUIT, VERASE, VKILL, VEOF, VTIME, VMIN, VSWTC = range(8)
VSTART, VSTOP, VSUSP, VEOL, VREPRINT, VDISCARD, VWERASE, VLNEXT, VEOL2 = range(8, 17)
NCCS = 19
IGNBRK, BRKINT, IGNPAR, PARMRK, INPCK, ISTRIP, INLCR, IGNCR, ICRNL, IUCLC, IXON, IXANY = (
    0o1, 0o2, 0o4, 0o10, 0o20, 0o40, 0o100, 0o200, 0o400, 0o1000, 0o2000, 0o4000)
OPOST, OLCUC, ONLCR, OCRNL, ONOCR, ONLRET = 0o1, 0o2, 0o4, 0o10, 0o20, 0o40
TABDLY, XTABS = 0o14000, 0o14000
CSIZE, CS8, CREAD, PARENB, B38400 = 0o60, 0o60, 0o200, 0o400, 0o17
ISIG, ICANON, ECHO, ECHOE, ECHOK, ECHONL, NOFLSH, TOSTOP = (
    0o1, 0o2, 0o10, 0o20, 0o40, 0o100, 0o200, 0o400)
ECHOCTL, ECHOPRT, ECHOKE, IEXTEN = 0o1000, 0o2000, 0o4000, 0o100000
IUTF8 = 0o40000
PLAIN_TEXT = bytes(range(32, 127)) + b"\n"  # output that ONLCR alone changes

TERMIOS = struct.Struct("<IIIIB19s")  # struct termios (36 bytes)
TERMIOS2 = struct.Struct("<IIIIB19sII")  # struct termios2 (44 bytes)
WINSIZE = struct.Struct("<HHHH")
TCGETS2, TCSETS2, TCSETSW2, TCSETSF2 = 0x802C542A, 0x402C542B, 0x402C542C, 0x402C542D
TCSBRK, TCXONC, TCFLSH, TIOCSBRK, TIOCCBRK, TCSBRKP = 0x5409, 0x540A, 0x540B, 0x5427, 0x5428, 0x5425
TIOCGETD, TIOCSPTLCK, TIOCGDEV, TIOCGPTLCK, TIOCGPTPEER = 0x5424, 0x40045431, 0x80045432, 0x80045439, 0x5441
TIOCINQ = FIONREAD
TCIFLUSH, TCOFLUSH, TCIOFLUSH = 0, 1, 2
SI_KERNEL = 0x80
BAUD_38400 = 38400

# tty_std_termios and pty.c's driver init_termios (what a new pty reports natively).
DEFAULT_CC = bytes([3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0, 0, 0])


class Termios:
    __slots__ = ("iflag", "oflag", "cflag", "lflag", "line", "cc", "ispeed", "ospeed")

    def __init__(self):
        self.iflag = ICRNL | IXON
        self.oflag = OPOST | ONLCR
        self.cflag = B38400 | CS8 | CREAD
        self.lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN
        self.line = 0
        self.cc = bytearray(DEFAULT_CC)
        self.ispeed = self.ospeed = BAUD_38400

    def pack(self, v2: bool) -> bytes:
        args = (self.iflag, self.oflag, self.cflag, self.lflag, self.line, bytes(self.cc))
        return TERMIOS2.pack(*args, self.ispeed, self.ospeed) if v2 else TERMIOS.pack(*args)

    def load(self, raw: bytes, v2: bool) -> None:
        """set_termios: pty_set_termios then forces CS8|CREAD and clears PARENB."""
        if v2:
            fields = TERMIOS2.unpack(raw)
            self.ispeed, self.ospeed = fields[6], fields[7]
        else:
            fields = TERMIOS.unpack(raw)
        self.iflag, self.oflag, cflag, self.lflag, self.line, cc = fields[:6]
        self.cflag = (cflag & ~(CSIZE | PARENB)) | CS8 | CREAD
        self.cc = bytearray(cc)

    def special(self, index: int, c: int) -> bool:
        """c is the character in c_cc[index] (0 is _POSIX_VDISABLE: never special)."""
        return c != 0 and self.cc[index] == c


def iscntrl(c: int) -> bool:
    return c < 32 or c == 127


class Ldisc:
    """One side's input: processed characters (`buf`) and the raw flip queue.

    In canonical mode `lines` holds the positions in buf of line terminators of
    complete lines (an EOF terminator is stored as NUL and flagged in `eofs`, as n_tty
    stores __DISABLED_CHAR); `canon_head` is where the line being edited starts."""

    def __init__(self):
        self.buf = bytearray()
        self.flip = bytearray()
        self.lines: list[int] = []
        self.eofs: set[int] = set()
        self.canon_head = 0
        self.lnext = False
        self.waitq = WaitQueue()

    def reset(self, flip: bool = True) -> None:
        """reset_buffer_flags: input flushed (with the flip queue: tty_buffer_flush)."""
        self.buf.clear()
        if flip:
            self.flip.clear()
        self.lines.clear()
        self.eofs.clear()
        self.canon_head = 0
        self.lnext = False

    def consume(self, n: int) -> bytes:
        """Take n characters from the front (read_tail moves)."""
        data = bytes(self.buf[:n])
        del self.buf[:n]
        self.lines = [p - n for p in self.lines if p >= n]
        self.eofs = {p - n for p in self.eofs if p >= n}
        self.canon_head = max(0, self.canon_head - n)
        return data

    def canon_available(self) -> int:
        """inq_canon: characters of complete lines, EOF markers not counted."""
        return self.canon_head - len([p for p in self.eofs if p < self.canon_head])


class Pty:
    """A master/slave pair (the two tty_structs and their link)."""

    def __init__(self, kernel, devpts, index: int):
        self.kernel = kernel
        self.devpts = devpts
        self.index = index
        self.termios = Termios()
        self.winsize = bytes(WINSIZE.size)
        self.locked = True  # TTY_PTY_LOCK until unlockpt
        self.slave_in = Ldisc()  # what the slave reads (master writes + n_tty)
        self.master_in = Ldisc()  # what the master reads (slave output and echoes)
        self.masters = 0
        self.slaves = 0
        self.master_closed = False  # the slave is hung up
        self.slave_closed = False  # TTY_OTHER_CLOSED on the master
        self.column = 0
        self.canon_column = 0
        self.echoes = bytearray()
        self.session = None  # tty->ctrl.session: the sid whose ctty this is
        self.pgrp = 0  # tty->ctrl.pgrp (a vpgid; 0 none)
        self.node = None  # /dev/pts/N
        self.devpts_mount = None  # where TIOCGPTPEER finds the node

    @property
    def canonical(self) -> bool:
        return bool(self.termios.lflag & ICANON)

    # -- output (n_tty_write / process_output, echoes) -------------------------------
    def _out_char(self, c: int, out: bytearray) -> None:
        """do_output_char for one character under OPOST."""
        t = self.termios
        if not t.oflag & OPOST:
            out.append(c)
            return
        if c == 10:
            if t.oflag & ONLRET:
                self.column = 0
            if t.oflag & ONLCR:
                self.canon_column = self.column = 0
                out += b"\r\n"
                return
            self.canon_column = self.column
        elif c == 13:
            if t.oflag & ONOCR and self.column == 0:
                return
            if t.oflag & OCRNL:
                c = 10
                if t.oflag & ONLRET:
                    self.canon_column = self.column = 0
            else:
                self.canon_column = self.column = 0
        elif c == 9:
            spaces = 8 - (self.column & 7)
            self.column += spaces
            if t.oflag & TABDLY == XTABS:
                out += b" " * spaces
                return
        elif c == 8:
            if self.column > 0:
                self.column -= 1
        elif not iscntrl(c):
            if t.oflag & OLCUC and 97 <= c <= 122:
                c -= 32
            if not (t.iflag & IUTF8 and c & 0xC0 == 0x80):  # is_continuation
                self.column += 1
        out.append(c)

    def output(self, data: bytes) -> bytes:
        t = self.termios
        if not t.oflag & OPOST:
            return bytes(data)
        if (t.oflag & (OLCUC | OCRNL | ONOCR | ONLRET | TABDLY)) == 0 and t.oflag & ONLCR \
                and not t.iflag & IUTF8 and not data.translate(None, PLAIN_TEXT):
            # The common case, printable text and newlines under ONLCR, without a loop.
            last = data.rfind(b"\n")
            if last < 0:
                self.column += len(data)
            else:
                self.canon_column = 0
                self.column = len(data) - last - 1
            return data.replace(b"\n", b"\r\n")
        out = bytearray()
        for c in data:
            self._out_char(c, out)
        return bytes(out)

    def output_room(self) -> int:
        """pty_write_room of the slave: space in the master's flip queue."""
        side = self.master_in
        return max(0, N_TTY_BUF_SIZE - 1 + FLIP_LIMIT - len(side.buf) - len(side.flip))

    def to_master(self, data: bytes) -> None:
        """Bytes the slave's driver writes: the master's raw line discipline takes them."""
        if not data:
            return
        side = self.master_in
        side.buf += data
        side.waitq.notify(POLLIN | READABLE)

    def _emit(self, data: bytes) -> None:
        """Echo output waits in the echo buffer until the batch of input is processed
        (flush_echoes at the end of n_tty_receive_buf); ISIG drops what is pending."""
        self.echoes += data

    def echo(self, data: bytes) -> None:
        self._emit(self.output(data))

    def echo_char(self, c: int) -> None:
        """echo_char: a control character (not TAB) as ^X under ECHOCTL."""
        if self.termios.lflag & ECHOCTL and iscntrl(c) and c != 9:
            self.column += 2
            self._emit(bytes([94, c ^ 0o100]))
        else:
            self.echo(bytes([c]))

    # -- input (n_tty_receive_buf) ---------------------------------------------------
    def input_room(self) -> int:
        """pty_write_room of the master: space in the slave's flip queue."""
        return max(0, FLIP_LIMIT - len(self.slave_in.flip))

    def receive(self, data: bytes) -> None:
        """The master wrote data: queue it and let the line discipline take what fits."""
        self.slave_in.flip += data
        self.process_input()

    def process_input(self) -> None:
        side = self.slave_in
        flip = side.flip
        done = 0
        while done < len(flip):
            if len(side.buf) >= N_TTY_BUF_SIZE - 1:
                if not (self.canonical and not side.lines):
                    break
                side.buf.pop()  # a full line without end: the last character is overwritten
            done += 1
            self._receive_char(flip[done - 1])
        del flip[:done]
        moved = done > 0
        if self.echoes:
            self.to_master(bytes(self.echoes))
            self.echoes.clear()
        if moved:
            # Wake readers only for something to read: a parked reader woken for nothing
            # would restart instead of failing with EINTR when the ISIG signal arrives.
            if side.lines if self.canonical else side.buf:
                side.waitq.notify(POLLIN | READABLE)
            self.master_in.waitq.notify(POLLOUT | WRITABLE)

    def _receive_char(self, c: int) -> None:
        t = self.termios
        side = self.slave_in
        lflag = t.lflag
        if t.iflag & ISTRIP:
            c &= 0x7F
        if t.iflag & IUCLC and lflag & IEXTEN and 65 <= c <= 90:
            c += 32
        if side.lnext:
            side.lnext = False
            self._put(c, echo=True)
            return
        if t.iflag & IXON and (t.special(VSTART, c) or t.special(VSTOP, c)):
            return  # flow control characters are consumed (stopping output is not modelled)
        if lflag & ISIG:
            for index, sig in ((VINTR, SIGINT), (VQUIT, SIGQUIT), (VSUSP, SIGTSTP)):
                if t.special(index, c):
                    self._signal_char(c, sig)
                    return
        translated = False  # in n_tty's char_map: a newline from it is echoed raw
        if c == 13:
            if t.iflag & IGNCR:
                return
            if t.iflag & ICRNL:
                c = 10
                translated = True
        elif c == 10 and t.iflag & INLCR:
            c = 13
            translated = True
        if lflag & ICANON:
            if t.special(VERASE, c) or t.special(VKILL, c) or (
                    lflag & IEXTEN and t.special(VWERASE, c)):
                self._erase(c)
                return
            if lflag & IEXTEN and t.special(VLNEXT, c):
                side.lnext = True
                if lflag & ECHO and lflag & ECHOCTL:
                    self._emit(b"^\b")
                return
            if lflag & ECHO and lflag & IEXTEN and t.special(VREPRINT, c):
                self._reprint(c)
                return
            if c == 10:
                if lflag & (ECHO | ECHONL):
                    self.echo(b"\n")
                self._end_line(c)
                return
            if t.special(VEOF, c):
                self._end_line(0, eof=True)
                return
            if t.special(VEOL, c) or (lflag & IEXTEN and t.special(VEOL2, c)):
                if lflag & ECHO:
                    self._set_canon_col()
                    self.echo_char(c)
                self._end_line(c)
                return
        if translated and c == 10 and lflag & ECHO:
            self.echo(b"\n")
            self.slave_in.buf.append(c)
            return
        self._put(c, echo=bool(lflag & ECHO))

    def _set_canon_col(self) -> None:
        if self.slave_in.canon_head == len(self.slave_in.buf):
            self.canon_column = self.column

    def _put(self, c: int, echo: bool) -> None:
        if echo:
            self._set_canon_col()
            self.echo_char(c)
        self.slave_in.buf.append(c)

    def _end_line(self, c: int, eof: bool = False) -> None:
        side = self.slave_in
        pos = len(side.buf)
        side.buf.append(c)
        side.lines.append(pos)
        if eof:
            side.eofs.add(pos)
        side.canon_head = len(side.buf)

    def _signal_char(self, c: int, sig: int) -> None:
        """n_tty_receive_signal_char: the signal, the flush (unless NOFLSH), the echo."""
        self.kill_pgrp(sig)
        if not self.termios.lflag & NOFLSH:
            self.slave_in.reset(flip=False)  # the rest of this batch still comes in
            self.echoes.clear()
        if self.termios.lflag & ECHO:
            self.echo_char(c)

    def _erase(self, c: int) -> None:
        """eraser(): ERASE, WERASE and KILL with their echoes."""
        t = self.termios
        side = self.slave_in
        lflag = t.lflag
        if len(side.buf) == side.canon_head:
            return
        if t.special(VERASE, c):
            kind = "erase"
        elif t.special(VWERASE, c) and lflag & IEXTEN and not t.special(VKILL, c):
            kind = "werase"
        else:
            if not lflag & ECHO:
                del side.buf[side.canon_head:]
                return
            if not (lflag & ECHOK and lflag & ECHOKE and lflag & ECHOE):
                del side.buf[side.canon_head:]
                self.echo_char(c)
                if lflag & ECHOK:
                    self.echo(b"\n")
                return
            kind = "kill"
        seen_alnums = 0
        while len(side.buf) > side.canon_head:
            ch = side.buf[-1]
            if kind == "werase":
                if chr(ch).isalnum() and ch < 128 or ch == 95:
                    seen_alnums += 1
                elif seen_alnums:
                    break
            del side.buf[-1]
            if lflag & ECHO:
                if kind == "erase" and not lflag & ECHOE:
                    self.echo_char(t.cc[VERASE])
                elif ch == 9:
                    self._erase_tab()
                else:
                    if iscntrl(ch) and lflag & ECHOCTL:
                        self._emit(b"\b \b")
                        self.column = max(0, self.column - 1)
                    if not iscntrl(ch) or lflag & ECHOCTL:
                        self._emit(b"\b \b")
                        self.column = max(0, self.column - 1)
            if kind == "erase":
                break

    def _erase_tab(self) -> None:
        """ECHO_OP_ERASE_TAB: back up to where the tab started."""
        col = self.canon_column
        for ch in self.slave_in.buf[self.slave_in.canon_head:]:
            if ch == 9:
                col = (col | 7) + 1
            elif iscntrl(ch):
                col += 2 if self.termios.lflag & ECHOCTL else 0
            else:
                col += 1
        back = min(self.column - col, 8) if self.column > col else 0
        self._emit(b"\b" * back)
        self.column -= back

    def _reprint(self, c: int) -> None:
        self.echo_char(c)
        self.echo(b"\n")
        for ch in self.slave_in.buf[self.slave_in.canon_head:]:
            self.echo_char(ch)

    # -- termios changes (n_tty_set_termios) -----------------------------------------
    def set_termios(self, raw: bytes, v2: bool) -> None:
        was_canon = self.canonical
        self.termios.load(raw, v2)
        side = self.slave_in
        if was_canon != self.canonical:
            side.lines.clear()
            side.eofs.clear()
            if self.canonical and side.buf:
                side.lines.append(len(side.buf) - 1)  # what is there becomes one line
                side.canon_head = len(side.buf)
            else:
                side.canon_head = 0 if not self.canonical else len(side.buf)
            side.lnext = False
        self.process_input()
        if side.lines if self.canonical else side.buf:
            side.waitq.notify(POLLIN | READABLE)

    # -- job control ------------------------------------------------------------------
    def kill_pgrp(self, sig: int) -> None:
        """kill_pgrp(tty->ctrl.pgrp, sig, 1): every process of the foreground group."""
        if self.pgrp:
            kill_group(self.kernel, self.pgrp, sig)

    def set_winsize(self, raw: bytes) -> None:
        """pty_resize: SIGWINCH to the foreground group when the size changes."""
        if raw != self.winsize:
            self.winsize = raw
            self.kill_pgrp(SIGWINCH)

    # -- opens and closes ---------------------------------------------------------------
    def slave_released(self) -> None:
        self.slaves -= 1
        if self.slaves == 0:
            self.slave_closed = True
            self.master_in.waitq.notify(POLLIN | POLLHUP | POLLOUT)

    def master_released(self) -> None:
        """pty_close of the master: the slave is hung up, the node goes."""
        self.masters -= 1
        if self.masters:
            return
        self.master_closed = True
        self.devpts.pty_kill(self)
        hangup_session(self)
        self.slave_in.reset()
        self.slave_in.waitq.notify(POLLIN | POLLOUT | POLLHUP | POLLERR)


def group_members(kernel, pgrp: int) -> list:
    """The processes of a group, zombies included (they keep their ids until reaped)."""
    return [p for p in kernel.processes.values() if p.pgid == pgrp and not p.reaped]


def kill_group(kernel, pgrp: int, sig: int) -> None:
    from kevlar.process.signals import make_siginfo, post_signal
    for proc in group_members(kernel, pgrp):
        post_signal(kernel, proc, sig, make_siginfo(sig, SI_KERNEL))


def hangup_session(pty: Pty) -> None:
    """tty_signal_session_leader: the session loses its controlling tty and its leader
    hears SIGHUP then SIGCONT."""
    sid = pty.session
    if sid is None:
        return
    kernel = pty.kernel
    from kevlar.process.signals import make_siginfo, post_signal
    for proc in list(kernel.processes.values()):
        if proc.sid != sid or proc.zombie or proc.reaped:
            continue
        if proc.ctty is pty:
            proc.ctty = None
        if proc.pid == sid:
            for sig in (SIGHUP, SIGCONT):
                post_signal(kernel, proc, sig, make_siginfo(sig, SI_KERNEL))
    pty.session = None
    pty.pgrp = 0


def session_leader_exited(kernel, proc) -> None:
    """disassociate_ctty(1) for a pty: the foreground group hears SIGHUP and the
    session loses its controlling tty (a pty is not hung up)."""
    pty = proc.ctty
    if pty.pgrp:
        kill_group(kernel, pty.pgrp, SIGHUP)
    clear_session_tty(kernel, pty)
    pty.session = None
    pty.pgrp = 0
    proc.ctty = None


def set_ctty(proc, pty: Pty) -> None:
    """__proc_set_tty: the tty becomes the session's, its foreground group the caller's."""
    pty.session = proc.sid
    pty.pgrp = proc.pgid
    proc.ctty = pty


def clear_session_tty(kernel, pty: Pty) -> None:
    """session_clear_tty: no process of the session keeps the tty."""
    for proc in kernel.processes.values():
        if proc.ctty is pty and proc.sid == pty.session:
            proc.ctty = None


def pgrp_orphaned(kernel, pgrp: int) -> bool:
    """will_become_orphaned_pgrp: no member has a parent in another group of the same
    session (zombies do not count)."""
    for p in group_members(kernel, pgrp):
        parent = p.parent
        if p.zombie or parent is None:
            continue
        if parent.pgid != pgrp and parent.sid == p.sid:
            return False
    return True


def check_change(task, pty: Pty, sig: int) -> None:
    """__tty_check_change: a process of a background group of this tty's session that
    reads (SIGTTIN) or changes it (SIGTTOU) has its group signalled, and the call is
    restarted once the group continues, unless the signal is ignored or blocked (then
    SIGTTOU lets it through, SIGTTIN is EIO) or the group is orphaned (EIO)."""
    from kevlar.abi.constants import SIG_IGN
    from kevlar.process.signals import host_signal_sets
    proc = task.process
    if proc.ctty is not pty or not pty.pgrp or proc.pgid == pty.pgrp:
        return
    blocked = host_signal_sets(task)["SigBlk"]
    if blocked >> (sig - 1) & 1 or proc.sighand.handler(sig) == SIG_IGN:
        if sig == SIGTTIN:
            raise EIO()
        return
    if pgrp_orphaned(task.kernel, proc.pgid):
        raise EIO()
    kill_group(task.kernel, proc.pgid, sig)
    raise Block((), interrupt=ERESTARTSYS)  # the signal ends the park: restart or EINTR


# ---- the open files ----------------------------------------------------------------------


class PtyFile(File):
    """What both ends share: termios and job-control ioctls act on the slave."""

    seekable = False
    fasync = True

    def __init__(self, location, flags: int, pty: Pty):
        super().__init__(location, flags)
        self.pty = pty

    is_master = False

    def ioctl(self, task, cmd: int, arg: int):
        handler = (MASTER_IOCTLS if self.is_master else COMMON_IOCTLS).get(cmd)
        if handler is None:
            raise ENOTTY()
        return handler(self, task, self.pty, arg)

    def _wait_read(self, task, deadline: int | None = None):
        if self.nonblocking:
            raise EAGAIN()
        raise Block([(self.waitq, POLLIN)], deadline=deadline)


class PtyMaster(PtyFile):
    """/dev/ptmx opened: the master end (ptm_unix98_ops)."""

    is_master = True

    def __init__(self, location, flags: int, pty: Pty):
        super().__init__(location, flags, pty)
        self.waitq = pty.master_in.waitq
        pty.masters += 1

    def release(self) -> None:
        self.pty.master_released()

    def read(self, task, size: int) -> bytes:
        side = self.pty.master_in
        if size == 0:
            return b""
        if not side.buf:
            if self.pty.slave_closed:
                raise EIO()
            self._wait_read(task)
        data = side.consume(size)
        self.pty.slave_in.waitq.notify(POLLOUT | WRITABLE)  # the slave's writers may go on
        return data

    def write(self, task, data: bytes) -> int:
        pty = self.pty
        n = min(len(data), pty.input_room())
        if n == 0:
            raise EAGAIN()
        pty.receive(data[:n])
        return n

    def write_quota(self, want: int) -> int:
        return min(want, self.pty.input_room())

    def poll(self) -> int:
        pty = self.pty
        events = 0
        if pty.master_in.buf:
            events |= READABLE
        if pty.slave_closed:
            events |= POLLHUP
        if pty.input_room() > 0:
            events |= WRITABLE
        return events

    def read_size_hint(self) -> int:
        return len(self.pty.master_in.buf)


class PtySlave(PtyFile):
    """/dev/pts/N (or /dev/tty naming it) opened: the slave end (pty_unix98_ops)."""

    def __init__(self, location, flags: int, pty: Pty):
        super().__init__(location, flags, pty)
        self.waitq = pty.slave_in.waitq
        pty.slaves += 1
        if pty.slave_closed:
            pty.slave_closed = False  # pty_open: clear_bit(TTY_OTHER_CLOSED, master)
            pty.master_in.waitq.notify(POLLOUT)

    def release(self) -> None:
        self.pty.slave_released()

    @property
    def hung_up(self) -> bool:
        return self.pty.master_closed

    def read(self, task, size: int) -> bytes:
        pty = self.pty
        if self.hung_up:
            return b""  # hung_up_tty_read
        check_change(task, pty, SIGTTIN)  # job_control()
        if size == 0:
            return b""
        side = pty.slave_in
        if pty.canonical:
            if not side.lines:
                self._wait_read(task)
            end = side.lines[0]
            eof = end in side.eofs
            length = end + (0 if eof else 1)
            if length <= size:
                data = side.consume(end + 1)[:length]
            else:
                data = side.consume(size)
        else:
            data = self._read_raw(task, side, size)
        pty.process_input()
        pty.master_in.waitq.notify(POLLOUT | WRITABLE)
        return data

    def _read_raw(self, task, side: Ldisc, size: int) -> bytes:
        """Non-canonical reads: VMIN characters, VTIME tenths of a second."""
        cc = self.pty.termios.cc
        vmin, vtime = cc[VMIN], cc[VTIME]
        have = len(side.buf)
        want = min(vmin, size) if vmin else 1
        if have >= want or (have and self.nonblocking):
            return side.consume(size)  # n_tty_read: a non-blocking read takes what is there
        if vtime == 0 and vmin == 0:
            return b""
        deadline = None
        if vtime and (vmin == 0 or have):
            state = task.kernel.restart_state(task, ())
            started = state.state if state is not None and isinstance(state.state, int) else None
            now = time.monotonic_ns()
            deadline = (started or now) + vtime * 100_000_000
            if now >= deadline:
                return side.consume(size)
            if self.nonblocking:
                raise EAGAIN()
            raise Block([(self.waitq, POLLIN)], deadline=deadline, state=started or now)
        self._wait_read(task)
        return b""

    def write(self, task, data: bytes) -> int:
        pty = self.pty
        if self.hung_up:
            raise EIO()
        if pty.termios.lflag & TOSTOP:
            check_change(task, pty, SIGTTOU)
        room = pty.output_room()
        if not pty.termios.oflag & OPOST:
            n = min(len(data), room)
        else:
            n = min(len(data), room // 2)  # "\n" may become two bytes
        if n == 0:
            raise EAGAIN()
        pty.to_master(pty.output(data[:n]))
        return n

    def write_quota(self, want: int) -> int:
        if self.hung_up:
            return want or 1  # the write itself says EIO
        room = self.pty.output_room()
        return min(want, room if not self.pty.termios.oflag & OPOST else room // 2)

    def poll(self) -> int:
        pty = self.pty
        if self.hung_up:
            return READABLE | WRITABLE | POLLERR | POLLHUP  # hung_up_tty_poll
        side = pty.slave_in
        events = 0
        if pty.canonical:
            if side.lines:
                events |= READABLE
        else:
            cc = pty.termios.cc
            amt = cc[VMIN] if cc[VMIN] and not cc[VTIME] else 1
            if len(side.buf) >= amt:
                events |= READABLE
        if pty.output_room() > 0:
            events |= WRITABLE
        return events

    def ioctl(self, task, cmd: int, arg: int):
        if self.hung_up:
            raise ENOTTY() if cmd == TIOCSPGRP else EIO()  # hung_up_tty_ioctl
        return super().ioctl(task, cmd, arg)

    def read_size_hint(self) -> int:
        side = self.pty.slave_in
        return side.canon_available() if self.pty.canonical else len(side.buf)


# ---- ioctls -----------------------------------------------------------------------------


def _put(task, arg: int, data: bytes) -> int:
    task.write(arg, data)
    return 0


def _int(task, arg: int) -> int:
    from kevlar.syscalls.common import get_int
    return get_int(task, arg)


def _put_int(task, arg: int, value: int) -> int:
    from kevlar.syscalls.common import put_int
    put_int(task, arg, value)
    return 0


def _tcgets(file, task, pty, arg):
    return _put(task, arg, pty.termios.pack(False))


def _tcgets2(file, task, pty, arg):
    return _put(task, arg, pty.termios.pack(True))


def _tcsets(v2: bool, flush: bool):
    def handler(file, task, pty, arg):
        check_change(task, pty, SIGTTOU)  # set_termios, on the slave from either end
        raw = task.read(arg, (TERMIOS2 if v2 else TERMIOS).size)
        if flush:
            pty.slave_in.reset()
        pty.set_termios(raw, v2)
        return 0
    return handler


def _gwinsz(file, task, pty, arg):
    return _put(task, arg, pty.winsize)


def _swinsz(file, task, pty, arg):
    pty.set_winsize(task.read(arg, WINSIZE.size))
    return 0


def _inq(file, task, pty, arg):
    return _put_int(task, arg, file.read_size_hint())


def _outq(file, task, pty, arg):
    return _put_int(task, arg, 0)  # pty output never waits in a driver buffer


def _tcflsh(file, task, pty, arg):
    """tty_perform_flush: TCIFLUSH empties what this end reads."""
    if not file.is_master:
        check_change(task, pty, SIGTTOU)
    if arg not in (TCIFLUSH, TCOFLUSH, TCIOFLUSH):
        raise EINVAL()
    if arg != TCOFLUSH:
        side = pty.master_in if isinstance(file, PtyMaster) else pty.slave_in
        side.reset()
        other = pty.slave_in if side is pty.master_in else pty.master_in
        other.waitq.notify(POLLOUT | WRITABLE)
    return 0


def _tcxonc(file, task, pty, arg):
    if not file.is_master:
        check_change(task, pty, SIGTTOU)
    if arg not in (0, 1, 2, 3):  # TCOOFF TCOON TCIOFF TCION
        raise EINVAL()
    return 0


def _zero(file, task, pty, arg):
    return 0


def _getd(file, task, pty, arg):
    return _put_int(task, arg, 0)  # N_TTY


def _gdev(file, task, pty, arg):
    from kevlar.fs.devfs import mkdev
    return _put_int(task, arg, mkdev(136, pty.index))


def _is_ctty(file, task, pty) -> bool:
    return task.process.ctty is pty


def _gpgrp(file, task, pty, arg):
    """tiocgpgrp: the slave must be the caller's ctty; the master may always ask."""
    if not isinstance(file, PtyMaster) and not _is_ctty(file, task, pty):
        raise ENOTTY()
    return _put_int(task, arg, pty.pgrp)


def _gsid(file, task, pty, arg):
    if not isinstance(file, PtyMaster) and not _is_ctty(file, task, pty):
        raise ENOTTY()
    if pty.session is None:
        raise ENOTTY()
    return _put_int(task, arg, pty.session)


def _spgrp(file, task, pty, arg):
    """tiocspgrp: the caller's ctty, a group of its session (ESRCH, then EPERM)."""
    try:
        check_change(task, pty, SIGTTOU)
    except EIO:
        raise ENOTTY() from None
    pgrp = _int(task, arg)
    if pgrp < 0:
        raise EINVAL()
    proc = task.process
    if not _is_ctty(file, task, pty) or pty.session != proc.sid:
        raise ENOTTY()
    # find_vpid + session_of_pgrp: a group member, else the process with that pid.
    members = group_members(task.kernel, pgrp)
    if not members:
        owner = task.kernel.find_process(pgrp)
        members = [owner] if owner is not None and not owner.reaped else []
    if not members:
        raise ESRCH()
    if members[0].sid != proc.sid:
        raise EPERM()
    pty.pgrp = pgrp
    return 0


def _sctty(file, task, pty, arg):
    """tiocsctty: a session leader without a ctty takes this one."""
    proc = task.process
    leader = proc.sid == proc.pid
    if leader and pty.session == proc.sid:
        return 0
    if not leader or proc.ctty is not None:
        raise EPERM()
    if pty.session is not None:
        if arg != 1 or not task.creds.capable(CAP_SYS_ADMIN):
            raise EPERM()
        clear_session_tty(task.kernel, pty)
    if not file.readable:
        if not task.creds.capable(CAP_SYS_ADMIN):
            raise EPERM()
    set_ctty(proc, pty)
    return 0


def _notty(file, task, pty, arg):
    """TIOCNOTTY: give up the ctty; a session leader also hangs its group up."""
    proc = task.process
    if isinstance(file, PtyMaster) or not _is_ctty(file, task, pty):
        raise ENOTTY()
    if proc.sid == proc.pid:
        if pty.pgrp:
            kill_group(task.kernel, pty.pgrp, SIGHUP)
            kill_group(task.kernel, pty.pgrp, SIGCONT)
        clear_session_tty(task.kernel, pty)
        pty.session = None
        pty.pgrp = 0
    proc.ctty = None
    return 0


COMMON_IOCTLS = {
    TCGETS: _tcgets, TCGETS2: _tcgets2,
    TCSETS: _tcsets(False, False), TCSETSW: _tcsets(False, False), TCSETSF: _tcsets(False, True),
    TCSETS2: _tcsets(True, False), TCSETSW2: _tcsets(True, False), TCSETSF2: _tcsets(True, True),
    TIOCGWINSZ: _gwinsz, TIOCSWINSZ: _swinsz, TIOCINQ: _inq, TIOCOUTQ: _outq,
    TCFLSH: _tcflsh, TCXONC: _tcxonc, TCSBRK: _zero, TCSBRKP: _zero, TIOCSBRK: _zero,
    TIOCCBRK: _zero, TIOCGETD: _getd, TIOCGDEV: _gdev,
    TIOCGPGRP: _gpgrp, TIOCSPGRP: _spgrp, TIOCGSID: _gsid, TIOCSCTTY: _sctty,
    TIOCNOTTY: _notty,
}


def _gptn(file, task, pty, arg):
    return _put_int(task, arg, pty.index)


def _sptlck(file, task, pty, arg):
    pty.locked = bool(_int(task, arg))
    return 0


def _gptlck(file, task, pty, arg):
    return _put_int(task, arg, int(pty.locked))


def _gptpeer(file, task, pty, arg):
    """ptm_open_peer: open the slave through its devpts node with the caller's flags,
    as ptsname + open would (EIO on a slave: it has no peer to open)."""
    from kevlar.fs.vfs import Location
    from kevlar.syscalls.common import install_fd
    if not file.is_master:
        raise EIO()
    flags = arg & 0xFFFFFFFF
    loc = Location(pty.devpts_mount, pty.node, pty.devpts.root, b"%d" % pty.index)
    slave = open_slave(task, loc, flags & ~O_CLOEXEC)
    return install_fd(task, slave, bool(flags & O_CLOEXEC))


# pty_unix98_ioctl: only the master allocates, locks and opens its peer.
COMMON_IOCTLS[TIOCGPTPEER] = _gptpeer  # tty_ioctl itself answers it, for any tty
MASTER_IOCTLS = {**COMMON_IOCTLS, TIOCGPTN: _gptn, TIOCSPTLCK: _sptlck, TIOCGPTLCK: _gptlck}


# ---- opening ---------------------------------------------------------------------------


def open_ptmx(task, loc, flags: int) -> PtyMaster:
    """ptmx_open: find the devpts instance (/dev/pts next to /dev/ptmx, or the one
    holding this ptmx), allocate an index and its node, locked."""
    from kevlar.abi.errors import ENODEV
    from kevlar.fs.devpts import Devpts
    from kevlar.fs.vfs import Location
    kernel = task.kernel
    if isinstance(loc.inode.fs, Devpts):
        mount = loc.mount
    else:
        if loc.parent is None:
            raise ENODEV()
        pts = loc.parent.lookup(b"pts")
        mount = kernel.mounts.cross(Location(loc.mount, pts)).mount
        if not isinstance(mount.fs, Devpts):
            raise ENODEV()
    devpts = mount.fs
    pty = Pty(kernel, devpts, devpts.new_index())
    pty.devpts_mount = mount
    pty.node = devpts.pty_new(pty, task.creds)
    return PtyMaster(loc, flags, pty)


def open_slave(task, loc, flags: int) -> PtySlave:
    """pty_open of a slave node: EIO while locked or once the master is gone; a session
    leader without a ctty that did not say O_NOCTTY gets this one."""
    pty = getattr(loc.inode, "pty", None)
    if pty is None or pty.master_closed or pty.locked:
        raise EIO()
    slave = PtySlave(loc, flags, pty)
    proc = task.process
    if (not flags & O_NOCTTY and proc.sid == proc.pid and proc.ctty is None
            and pty.session is None and (flags & O_ACCMODE) != O_WRONLY):
        set_ctty(proc, pty)
    return slave


def open_ctty(task, loc, flags: int) -> PtySlave | None:
    """/dev/tty when the caller's controlling tty is one of Kevlar's ptys."""
    pty = task.process.ctty
    if pty is None:
        return None
    if pty.master_closed:
        raise EIO()
    return PtySlave(loc, flags, pty)


__all__ = ["open_ptmx", "open_slave", "open_ctty", "Pty", "PtyMaster", "PtySlave"]
