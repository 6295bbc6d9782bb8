"""Running one C contract program natively and under Kevlar and comparing its facts."""

import hashlib
import os
import tempfile
from pathlib import Path

from conftest import build_c, kevlar, native

HEADER = Path(__file__).parent / "c" / "fs.h"


def build(source: Path) -> str:
    """build_c with fs.h's content in the cache key (build_c hashes contract.h only)."""
    digest = hashlib.sha256(HEADER.read_bytes()).hexdigest()[:12]
    return str(build_c(source, extra=(f"-DKEVLAR_FS_HEADER_DIGEST={digest}",)))


def run_both(source: Path, args: tuple[str, ...] = (), options: tuple[str, ...] = (),
             timeout: float = 60):
    """(native, kevlar) CompletedProcess of the program at source, each in a fresh
    scratch directory (natively a host temp dir, under Kevlar the same path via --cwd)."""
    binary = build(source)
    with tempfile.TemporaryDirectory(prefix="kevlar-contract-") as host_dir:
        theirs = native([binary, *args], cwd=host_dir, timeout=timeout)
    guest_dir = f"/tmp/contract-{os.getpid()}"
    mine = kevlar([binary, *args], options=("--cwd", guest_dir, *options), timeout=timeout)
    return theirs, mine


def compare(theirs, mine) -> None:
    """Line by line: the first differing fact fails with both sides shown."""
    want = theirs.stdout.decode(errors="replace").splitlines()
    got = mine.stdout.decode(errors="replace").splitlines()
    for i, (a, b) in enumerate(zip(want, got, strict=False)):
        assert a == b, (f"line {i + 1}: native {a!r}, kevlar {b!r}\nkevlar stderr:\n"
                        f"{mine.stderr.decode(errors='replace')[-3000:]}")
    assert len(want) == len(got), (f"native printed {len(want)} lines, kevlar {len(got)}\n"
                                   f"native tail: {want[-3:]}\nkevlar tail: {got[-3:]}\n"
                                   f"kevlar stderr:\n{mine.stderr.decode(errors='replace')[-3000:]}")
    assert theirs.returncode == mine.returncode, mine.stderr.decode(errors="replace")[-3000:]
