"""Nothing busy-waits: a guest blocked forever in epoll_wait, poll, ppoll, select or a
signalfd read leaves kevlar-trace asleep. The tracer's CPU time (utime + stime of
/proc/PID/stat, in clock ticks) is measured over one idle second."""

import os
import signal
import subprocess
import time

import pytest
from conftest import TRACE, build_c

from events.util import HERE

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_ticks(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)


@pytest.mark.parametrize("how", ["epoll", "poll", "ppoll", "select", "signalfd"])
def test_tracer_sleeps_while_the_guest_waits(how):
    binary = str(build_c(HERE / "c" / "idle_wait.c"))
    proc = subprocess.Popen([*TRACE, "--", binary, how], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "KEVLAR_STRICT": "1"}, start_new_session=True)
    try:
        assert proc.stdout.readline() == b"waiting\n"
        time.sleep(0.3)  # let the guest park
        before = cpu_ticks(proc.pid)
        time.sleep(1.0)
        used = cpu_ticks(proc.pid) - before
        assert proc.poll() is None, proc.stderr.read().decode()
        # ~0%: at most 2% of a CPU (a tick or two of scheduling noise)
        assert used <= max(2, TICKS // 50), f"tracer used {used} ticks in an idle second"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
