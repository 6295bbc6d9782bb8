"""Contract tests (tests/contract/) whose native run needs help to be the oracle for this
area. The runner (tests/test_contract.py) runs every contract test natively and under
Kevlar; signals/kill_group is XFAIL there because its native side is not in a pid
namespace, so it runs here with one. mini_systemd is all-or-nothing there; the checks of
this area are asserted one by one here."""

import shutil
import subprocess

import pytest

from signals.util import assert_same, contract, run_both


def _pid_namespace_prefix() -> tuple[str, ...]:
    """`unshare` into a new pid namespace, if this host lets us."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    probe = subprocess.run([unshare, "--pid", "--fork", "--mount-proc", "true"],
                           capture_output=True)
    return (unshare, "--pid", "--fork", "--mount-proc") if probe.returncode == 0 else ()


def test_kill_group_matches_a_pid_namespace():
    """kill(-1, 0) by pid 1 with no other process is ESRCH in a pid namespace, which is
    what Kevlar's world is; a native run outside one finds the host's processes. So the
    oracle for signals/kill_group runs in a new pid namespace."""
    prefix = _pid_namespace_prefix()
    if not prefix:
        pytest.skip("no pid namespaces here (unshare --pid refused)")
    assert_same(*run_both(contract("signals/kill_group"), native_prefix=prefix))


MINI_SYSTEMD_MINE = ("prctl_name", "prctl_subreaper", "capabilities", "uid_gid", "fork_exec")


@pytest.fixture(scope="module")
def mini_systemd():
    return run_both(contract("integration/mini_systemd"))


@pytest.mark.parametrize("check", MINI_SYSTEMD_MINE)
def test_mini_systemd_check_passes(check, mini_systemd):
    """The seed's mini_systemd checks of this area (the others belong to the events and
    sockets work) pass under Kevlar as they do natively."""
    theirs, mine = mini_systemd
    line = f"TEST_PASS {check}"
    assert line in theirs.stdout.decode().splitlines()
    assert line in mine.stdout.decode().splitlines(), mine.stdout.decode() + mine.stderr.decode()
