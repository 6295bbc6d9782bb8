"""AF_UNIX sockets: every C program in tests/sockets/c runs natively and under Kevlar
and must print the same facts (the host kernel is the oracle)."""

from pathlib import Path

import pytest

from .util import check

C = Path(__file__).resolve().parent / "c"
SOURCES = sorted(C.glob("*.c"))


@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_program(source):
    check(source)
