"""Terminal job control calls (tcgetpgrp/tcsetpgrp, SIGTTIN/SIGTTOU) of a program on a
pseudo-terminal, natively and under kevlar-trace: the facts must match."""

import os
import sys
from pathlib import Path

import pytest
from conftest import TRACE, build_c

pexpect = pytest.importorskip("pexpect")

TTY = Path(__file__).resolve().parent / "tty"


def _on_pty(argv: list[str]) -> tuple[list[str], int]:
    env = dict(os.environ)
    env.setdefault("KEVLAR_STRICT", "1")
    child = pexpect.spawn(argv[0], argv[1:], env=env, timeout=30, encoding="utf-8",
                          codec_errors="replace")
    child.expect(pexpect.EOF)
    child.close()
    lines = [x for x in child.before.replace("\r", "").split("\n") if "=" in x or x == "done"]
    return lines, child.exitstatus


@pytest.mark.parametrize("name", sorted(p.stem for p in TTY.glob("*.c")))
def test_tty_program_matches_native(name):
    binary = str(build_c(TTY / f"{name}.c"))
    theirs, status = _on_pty([binary])
    mine, my_status = _on_pty([*TRACE, "--", binary])
    assert theirs and theirs[-1] == "done", theirs
    assert mine == theirs
    assert my_status == status


if __name__ == "__main__":
    binary = str(build_c(TTY / f"{sys.argv[1]}.c"))
    print(_on_pty([binary]))
    print(_on_pty([*TRACE, "--", binary]))
