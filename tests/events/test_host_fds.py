"""poll and epoll on the inherited host fds: the host answers readiness, the event loop
wakes a parked guest when the host fd becomes ready (natively and under Kevlar alike)."""

import os
import subprocess
import time

import pytest
from conftest import TRACE, build_c

from events.util import HERE

SOURCE = HERE / "c" / "host_fds.c"
ENV = {**os.environ, "KEVLAR_STRICT": "1"}


def _run(argv, kind, tmp_path):
    """Run argv with stdin set up as `kind`; stdout is a pipe."""
    if kind == "pipe":
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, cwd=tmp_path, env=ENV)
        out = b""
        while b"epoll_empty_pipe=" not in out:  # the guest is about to wait
            line = proc.stdout.readline()
            if not line:
                break
            out += line
        time.sleep(0.2)
        proc.stdin.write(b"hello\n")
        proc.stdin.flush()
        time.sleep(0.2)
        proc.stdin.close()
        proc.stdin = None
        rest, err = proc.communicate(timeout=30)
        return out + rest, err, proc.returncode
    path = "/dev/null" if kind == "null" else str(tmp_path / "input")
    if kind == "file":
        (tmp_path / "input").write_bytes(b"data\n")
    with open(path, "rb") as stdin:
        done = subprocess.run(argv, stdin=stdin, capture_output=True, timeout=30, cwd=tmp_path,
                              env=ENV)
    return done.stdout, done.stderr, done.returncode


@pytest.mark.parametrize("kind", ["pipe", "null", "file"])
def test_host_fd_readiness_matches_native(kind, tmp_path):
    binary = str(build_c(SOURCE))
    theirs = _run([binary, kind], kind, tmp_path)
    mine = _run([*TRACE, "--", binary, kind], kind, tmp_path)
    assert theirs[0].endswith(b"done\n"), theirs
    assert mine[0] == theirs[0], (mine[0].decode(), theirs[0].decode(), mine[1].decode()[-2000:])
    assert mine[2] == theirs[2]
    assert b"internal error" not in mine[1], mine[1].decode()
