"""Running a C program natively and under Kevlar and comparing what it prints."""

import os
import tempfile
from pathlib import Path

from conftest import ROOT, build_c, kevlar, native

CONTRACT = ROOT / "tests" / "contract"
PROGRAMS = Path(__file__).resolve().parent / "programs"


def contract(test_id: str) -> Path:
    """The source of a contract test, by id ("signals/sigsuspend_wake")."""
    return CONTRACT / f"{test_id}.c"


def run_both(source: Path, args: tuple[str, ...] = (), *, native_prefix: tuple[str, ...] = (),
             timeout: float = 60):
    """(native, kevlar) runs of the C program at source, each in a fresh scratch
    directory (natively a host temp dir, under Kevlar a directory of its own world)."""
    binary = str(build_c(source))
    with tempfile.TemporaryDirectory(prefix="kevlar-signals-") as host_dir:
        theirs = native([*native_prefix, binary, *args], cwd=host_dir, timeout=timeout)
    guest_dir = f"/tmp/signals-{os.getpid()}"
    mine = kevlar([binary, *args], options=("--cwd", guest_dir), timeout=timeout)
    return theirs, mine


def assert_same(theirs, mine) -> None:
    """Line by line, then the exit status; the first difference fails with both sides."""
    want = theirs.stdout.decode(errors="replace").splitlines()
    got = mine.stdout.decode(errors="replace").splitlines()
    err = mine.stderr.decode(errors="replace")[-3000:]
    for i, (a, b) in enumerate(zip(want, got, strict=False)):
        assert a == b, f"line {i + 1}: native {a!r}, kevlar {b!r}\nkevlar stderr:\n{err}"
    assert len(want) == len(got), (f"native printed {len(want)} lines, kevlar {len(got)}: "
                                   f"native tail {want[-3:]}, kevlar tail {got[-3:]}\n{err}")
    assert theirs.returncode == mine.returncode, err
    assert "internal error" not in err, err
