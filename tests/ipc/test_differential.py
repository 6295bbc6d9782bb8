"""Seeded random System V IPC calls (tests/ipc/programs/ipc_calls.c) natively in a fresh
IPC namespace (unshare -i) and under Kevlar: every result and errno the same."""

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import build_c, kevlar

PROGRAM = Path(__file__).parent / "programs" / "ipc_calls.c"


@pytest.mark.tracer
@pytest.mark.parametrize("seed", [1, 2, 3, 8])
def test_random_ipc_calls_match_linux(seed):
    if not shutil.which("unshare"):
        pytest.skip("unshare not installed")
    binary = str(build_c(PROGRAM))
    native = subprocess.run(["unshare", "-i", binary, str(seed)], capture_output=True, timeout=30)
    if native.returncode != 0:
        pytest.skip(f"no IPC namespace natively: {native.stderr.decode(errors='replace')}")
    mine = kevlar([binary, str(seed)])
    assert mine.returncode == 0, mine.stderr
    assert mine.stdout == native.stdout
