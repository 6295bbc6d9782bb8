"""Running a C program natively and under Kevlar, and comparing what it prints."""

import os
import tempfile
from pathlib import Path

from conftest import build_c, kevlar, native

HERE = Path(__file__).resolve().parent
CONTRACT = HERE.parent / "contract"


def run_both(source: Path, args: tuple[str, ...] = (), timeout: float = 60,
             env: dict | None = None):
    """(native, kevlar) results of the program at source, each in a fresh scratch
    directory (natively a host temp dir, under Kevlar a new guest directory)."""
    binary = str(build_c(source))
    with tempfile.TemporaryDirectory(prefix="kevlar-events-") as host_dir:
        theirs = native([binary, *args], cwd=host_dir, timeout=timeout, env=env)
    guest_dir = f"/tmp/events-{os.getpid()}-{Path(source).stem}"
    mine = kevlar([binary, *args], options=("--cwd", guest_dir), timeout=timeout, env=env)
    return theirs, mine


def assert_same(theirs, mine) -> None:
    """Line by line, then the exit status; the first difference fails with context."""
    want = theirs.stdout.decode(errors="replace").splitlines()
    got = mine.stdout.decode(errors="replace").splitlines()
    err = mine.stderr.decode(errors="replace")[-3000:]
    for i, (a, b) in enumerate(zip(want, got, strict=False)):
        assert a == b, f"line {i + 1}: native {a!r}, kevlar {b!r}\nkevlar stderr:\n{err}"
    assert len(want) == len(got), (f"native printed {len(want)} lines, kevlar {len(got)}\n"
                                   f"native tail: {want[-3:]}\nkevlar tail: {got[-3:]}\n"
                                   f"kevlar stderr:\n{err}")
    assert theirs.returncode == mine.returncode, err
    assert "internal error" not in err, err


def compare(source: Path, args: tuple[str, ...] = (), timeout: float = 60) -> str:
    """Run both ways, insist they agree and that the native run finished; return the
    native output (for extra checks)."""
    theirs, mine = run_both(source, args, timeout)
    out = theirs.stdout.decode(errors="replace")
    assert theirs.returncode == 0 and out.rstrip().endswith("done"), \
        f"the native run is not clean:\n{out[-2000:]}\n{theirs.stderr.decode(errors='replace')}"
    assert_same(theirs, mine)
    return out
