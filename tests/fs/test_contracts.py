"""The file system's contract programs (tests/fs/c/*.c): each runs natively in a fresh
scratch directory and under kevlar-trace with --cwd, and the facts it prints must be
the same line by line. Most programs first mount a tmpfs and work in it (fs.h
enter_tmpfs), so both runs see the same kind of file system; natively that mount lives
in a private mount namespace."""

from pathlib import Path

import pytest

from fs.contract_util import compare, run_both

PROGRAMS = sorted((Path(__file__).parent / "c").glob("*.c"))


@pytest.mark.tracer
@pytest.mark.parametrize("source", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_contract(source):
    theirs, mine = run_both(source)
    assert theirs.returncode == 0 and theirs.stdout.endswith(b"done\n"), theirs.stdout[-500:]
    compare(theirs, mine)
