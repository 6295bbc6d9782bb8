"""Running a C program natively and under Kevlar and comparing what it prints."""

import os
import tempfile
from pathlib import Path

from conftest import build_c, kevlar, native

HERE = Path(__file__).resolve().parent
# Native runs get the clean environment kevlar-trace gives its guest.
NATIVE_ENV = {"PATH": "/bin:/sbin:/usr/bin:/usr/sbin", "HOME": "/root", "USER": "root",
              "LOGNAME": "root"}


def run_both(source: Path, args: tuple[str, ...] = (), timeout: float = 60,
             options: tuple[str, ...] = ()):
    """(native, kevlar) CompletedProcess of one program, each in a fresh scratch
    directory (the guest's is the same path under Kevlar's tmpfs, given with --cwd)."""
    binary = str(build_c(source))
    with tempfile.TemporaryDirectory(prefix="kevlar-sockets-") as host_dir:
        theirs = native([binary, *args], cwd=host_dir, timeout=timeout, env=NATIVE_ENV)
        mine = kevlar([binary, *args], options=("--cwd", host_dir, *options), timeout=timeout)
    return theirs, mine


def compare(theirs, mine) -> None:
    """Line by line; the first differing line fails with both sides and Kevlar's stderr."""
    err = mine.stderr.decode(errors="replace")[-3000:]
    want = theirs.stdout.decode(errors="replace").splitlines()
    got = mine.stdout.decode(errors="replace").splitlines()
    for i, (a, b) in enumerate(zip(want, got, strict=False)):
        assert a == b, f"line {i + 1}: native {a!r}, kevlar {b!r}\nkevlar stderr:\n{err}"
    assert len(want) == len(got), (f"native printed {len(want)} lines, kevlar {len(got)}\n"
                                   f"native tail: {want[-3:]}\nkevlar tail: {got[-3:]}\n"
                                   f"kevlar stderr:\n{err}")
    assert theirs.returncode == mine.returncode, err
    assert b"internal error" not in mine.stderr, err
    assert want and want[-1] == "done", "the program did not finish natively"


def check(source: Path, args: tuple[str, ...] = (), timeout: float = 30) -> None:
    theirs, mine = run_both(source, args, timeout)
    compare(theirs, mine)


__all__ = ["run_both", "compare", "check", "HERE", "os"]
