"""The sockets contract tests (tests/contract/sockets/*.c, seed 004's divergences among
them) natively and under Kevlar, compared line by line, until the contract runner
covers them."""

from pathlib import Path

import pytest

from .util import check

CONTRACT = Path(__file__).resolve().parent.parent / "contract" / "sockets"
SOURCES = sorted(CONTRACT.glob("*.c"))


@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_contract(source):
    check(source)


def test_there_are_contract_tests():
    assert len(SOURCES) >= 19
