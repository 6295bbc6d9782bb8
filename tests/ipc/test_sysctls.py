"""The IPC sysctls are Kevlar's own namespace's limits (never the host's): root changes
them for the guest world only; a negative value is EINVAL."""

import pytest
from conftest import sh


@pytest.mark.tracer
def test_root_sets_ipc_limits_for_the_guest_only():
    with open("/proc/sys/kernel/msgmni") as f:
        host_msgmni = f.read()
    r = sh("echo 7 > /proc/sys/kernel/msgmni && cat /proc/sys/kernel/msgmni; "
           "echo '250 1000 32 128' > /proc/sys/kernel/sem && cat /proc/sys/kernel/sem; "
           "echo 3 > /proc/sys/fs/mqueue/msg_default && cat /proc/sys/fs/mqueue/msg_default; "
           "echo -1 > /proc/sys/kernel/shmmni; echo rc=$?")
    assert r.stdout == b"7\n250\t1000\t32\t128\n3\nrc=1\n", r.stderr
    with open("/proc/sys/kernel/msgmni") as f:
        assert f.read() == host_msgmni
