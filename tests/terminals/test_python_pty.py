"""Python's pty module on Kevlar's pseudo-terminals: pty.fork and pty.spawn running a
child Python that checks its terminal, natively and under kevlar-trace (the host's
/usr bound read-only): the transcripts must match."""

import os
import subprocess
from pathlib import Path

import pytest
from conftest import kevlar

PYTHON = "/usr/bin/python3"
HERE = Path(__file__).resolve().parent

pytestmark = pytest.mark.skipif(not os.access(PYTHON, os.X_OK), reason="no /usr/bin/python3")

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


def _run(script: str, under_kevlar: bool, stdin: bytes) -> subprocess.CompletedProcess:
    args = [PYTHON, "-c", script, CHILD]
    if under_kevlar:
        return kevlar(args, input=stdin, timeout=60, options=("--bind", "/usr:/usr:ro"))
    return subprocess.run(args, input=stdin, capture_output=True, timeout=60)


@pytest.mark.tracer
@pytest.mark.parametrize("script,stdin", [(FORK, b""), (SPAWN, b"typed\n")], ids=["fork", "spawn"])
def test_python_pty_matches_native(script, stdin):
    theirs = _run(script, False, stdin)
    assert theirs.returncode == 0, theirs.stderr
    mine = _run(script, True, stdin)
    assert mine.stdout.decode().splitlines() == theirs.stdout.decode().splitlines(), mine.stderr
    assert mine.returncode == theirs.returncode
