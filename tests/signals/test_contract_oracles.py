"""The contract tests of signals, processes and threads (tests/contract/) that cover
issue 4's signal, job-control and prctl items, each run natively and under Kevlar:
the outputs must match line by line."""

import shutil
import subprocess

import pytest

from signals.util import assert_same, contract, run_both

ORACLES = [
    "signals/alarm_delivery",
    "signals/alarm_remaining",
    "signals/execve_reset",
    "signals/nanosleep_eintr",
    "signals/rt_sigqueueinfo",
    "signals/sa_restart",
    "signals/sigaction_flags",
    "signals/sigaltstack",
    "signals/sigchld_ignore",
    "signals/sigchld_info",
    "signals/sigmask_bit",
    "signals/signal_defaults",
    "signals/signal_order",
    "signals/sigprocmask_pending",
    "signals/sigstop_cont",
    "signals/sigsuspend_wake",
    "signals/sigtimedwait",
    "process/pdeathsig",
    "process/prctl_name",
    "process/priority",
    "process/subreaper",
    "process/setpgid_setsid",
    "process/wait_status",
    "process/waitid",
    "process/zombie",
    "process/ids",
    "process/exit_group",
    "threading/sched_affinity",
    "threading/tgkill",
    "threading/thread_sigmask",
    "threading/thread_exit_group",
]


@pytest.mark.parametrize("test_id", ORACLES)
def test_matches_native(test_id):
    assert_same(*run_both(contract(test_id)))


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
