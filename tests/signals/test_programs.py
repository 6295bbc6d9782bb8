"""This area's own C programs (tests/signals/programs/), each run natively and under
Kevlar: the outputs must match line by line."""

import shutil
import subprocess
from functools import cache

import pytest

from signals.util import PROGRAMS, assert_same, run_both

# Programs whose native run must happen as pid 1 of a pid namespace, as Kevlar's world
# is one (kill(-1) must not reach the host's processes natively either).
IN_PID_NAMESPACE = {"kill_all"}


@cache
def pid_namespace_prefix() -> tuple[str, ...]:
    """`unshare` into a new pid namespace, if this host lets us."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    args = (unshare, "--pid", "--fork", "--mount-proc")
    probe = subprocess.run([*args, "true"], capture_output=True)
    return args if probe.returncode == 0 else ()


@pytest.mark.parametrize("name", sorted(p.stem for p in PROGRAMS.glob("*.c")))
def test_program_matches_native(name):
    prefix: tuple[str, ...] = ()
    if name in IN_PID_NAMESPACE:
        prefix = pid_namespace_prefix()
        if not prefix:
            pytest.skip("no pid namespaces here (unshare --pid refused)")
    assert_same(*run_both(PROGRAMS / f"{name}.c", native_prefix=prefix))
