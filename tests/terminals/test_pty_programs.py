"""Programs that make pseudo-terminals, natively and under kevlar-trace (the host's /usr
bound read-only): Python's pty.fork and pty.spawn running a child Python that checks
its terminal, and a tmux server running a busybox shell driven by send-keys. The
transcripts must match.

(util-linux script(1) works too, but waits for its child's SIGCHLD on a signalfd in
poll, where Kevlar can lose a SIGCHLD that races with the wake-up: not tested here.)"""

import os
import subprocess

import pytest
from conftest import kevlar

PYTHON = "/usr/bin/python3"
TMUX = "/usr/bin/tmux"
BUSYBOX = "/bin/busybox"

# The child: what a program on a terminal looks at.
CHILD = r'''
import os, sys, termios
print("isatty", [os.isatty(i) for i in range(3)])
print("ttyname", os.ttyname(0).startswith("/dev/pts/"), os.ttyname(0) == os.ttyname(1))
print("fg", os.tcgetpgrp(0) == os.getpgrp(), "leader", os.getsid(0) == os.getpid())
print("dev_tty", os.path.samestat(os.fstat(os.open("/dev/tty", os.O_RDONLY)), os.fstat(0))
      or os.ttyname(os.open("/dev/tty", os.O_RDONLY)) == "/dev/tty")
line = sys.stdin.readline()
print("got", repr(line))
attrs = termios.tcgetattr(0)
print("icanon", bool(attrs[3] & termios.ICANON), "echo", bool(attrs[3] & termios.ECHO))
print("size", tuple(os.get_terminal_size(0)))
'''

FORK = r'''
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, "-c", sys.argv[1]])
os.write(fd, b"hello\x7fO world\n")
out = b""
while True:
    try:
        data = os.read(fd, 1024)
    except OSError as e:  # EIO once the child's side is closed
        print("ended", e.errno)
        break
    if not data:
        print("ended eof")
        break
    out += data
_, status = os.waitpid(pid, 0)
print(out.decode().replace("\r\n", "|"))
print("status", status)
'''

SPAWN = r'''
import os, pty, sys
status = pty.spawn([sys.executable, "-c", sys.argv[1]])
print("status", status)
'''


def _compare(args: list[str], stdin: bytes) -> None:
    theirs = subprocess.run(args, input=stdin, capture_output=True, timeout=60)
    assert theirs.returncode == 0, theirs.stderr
    mine = kevlar(args, input=stdin, timeout=60, options=("--bind", "/usr:/usr:ro"))
    assert mine.stdout.decode().splitlines() == theirs.stdout.decode().splitlines(), theirs.stderr
    assert mine.returncode == theirs.returncode


@pytest.mark.tracer
@pytest.mark.skipif(not os.access(PYTHON, os.X_OK), reason="no /usr/bin/python3")
@pytest.mark.parametrize("script,stdin", [(FORK, b""), (SPAWN, b"typed\n")], ids=["fork", "spawn"])
def test_python_pty_matches_native(script, stdin):
    _compare([PYTHON, "-c", script, CHILD], stdin)


# tmux drives a shell on its pty; every wait is a bounded poll of the pane's contents.
TMUX_SCRIPT = r'''
S="$1/tmux-socket"
cd /
pane() { tmux -S "$S" capture-pane -p | grep -v '^$'; }
await() { i=0; while [ $i -lt 200 ] && ! pane | grep -q "$1"; do sleep 0.05; i=$((i+1)); done; }
tmux -S "$S" -f /dev/null new-session -d -x 80 -y 24 "/bin/busybox sh"
await '^/ #'
tmux -S "$S" send-keys 'echo hello $((6*7)); tty | cut -c1-9; stty size; echo end-$((1+1))' Enter
await '^end-2'
tmux -S "$S" send-keys 'stty -echo; echo quiet-$((2+1))' Enter
await '^quiet-3'
pane | grep -v -e BusyBox -e "Enter 'help'"
# tmux sets the pane's size (TIOCSWINSZ on its master) a moment after resize-window.
tmux -S "$S" resize-window -x 100 -y 30
i=0
while [ $i -lt 100 ] && ! pane | grep -q '30 100$'; do
    tmux -S "$S" send-keys 'stty size' Enter; sleep 0.05; i=$((i+1))
done
pane | grep -q '30 100$' && echo resized
tmux -S "$S" kill-server
echo killed=$?
'''


@pytest.mark.tracer
@pytest.mark.skipif(not (os.access(TMUX, os.X_OK) and os.access(BUSYBOX, os.X_OK)),
                    reason="no tmux or busybox")
def test_tmux_matches_native(tmp_path):
    # The guest's clean environment natively too: pytest's LINES/COLUMNS would reach the
    # shell in the pane and override what stty size reads from the pty.
    env = {"PATH": "/bin:/sbin:/usr/bin:/usr/sbin", "HOME": "/root"}
    theirs = subprocess.run([BUSYBOX, "sh", "-c", TMUX_SCRIPT, "sh", str(tmp_path)],
                            capture_output=True, timeout=60, env=env)
    assert theirs.returncode == 0, theirs.stderr
    mine = kevlar([BUSYBOX, "sh", "-c", TMUX_SCRIPT, "sh", "/tmp"], timeout=60,
                  options=("--bind", "/usr:/usr:ro"))
    assert mine.stdout.decode().splitlines() == theirs.stdout.decode().splitlines(), mine.stderr
    assert mine.returncode == theirs.returncode
