"""Real host programs natively and under Kevlar (tests/realprograms/driver.py): every
case's exit status, stdout and stderr must match Linux's after its normalisations."""

import os

import pytest

from realprograms.cases import CASES
from realprograms.driver import compare, missing


def _param(case):
    marks = [pytest.mark.tracer]
    if case.slow:
        marks.append(pytest.mark.slow)
    if case.xfail:
        marks.append(pytest.mark.xfail(reason=case.xfail, strict=True))
    return pytest.param(case, id=case.name, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_program_matches_linux(case):
    if case.slow and os.environ.get("KEVLAR_SLOW", "") in ("", "0"):
        pytest.skip("slow real-program case (KEVLAR_SLOW=1 to run)")
    if missing(case):
        pytest.skip(f"the host lacks {', '.join(missing(case))}")
    theirs, mine, diff = compare(case)
    assert not diff, "\n".join(diff)
