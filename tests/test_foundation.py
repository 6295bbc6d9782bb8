"""Issue "Foundation": the done-means list, run under kevlar-trace and compared with
what the same busybox does natively."""

import os
import signal
import subprocess
import time

import pytest
from conftest import TRACE, kevlar, native, sh

BUSYBOX = "/bin/busybox"


def test_pid_ppid_and_exit_status():
    r = sh("echo pid=$$ ppid=$PPID; /bin/busybox true && echo ok; exit 7")
    assert r.stdout == b"pid=1 ppid=0\nok\n", r.stderr
    assert r.returncode == 7


def test_signal_exit_status_is_128_plus_signo():
    r = sh("kill -TERM $$")
    assert r.returncode == 128 + signal.SIGTERM


def test_files_stay_in_the_guest(tmp_path):
    marker = f"kevlar-test-{os.getpid()}-{time.time_ns()}"
    r = sh(f"echo hi > /tmp/{marker}; cat /tmp/{marker}")
    assert r.stdout == b"hi\n", r.stderr
    assert not os.path.exists(f"/tmp/{marker}")


SCRIPTS = [
    "echo c a b | tr ' ' '\\n' | sort | head -n 2",
    "(exit 3); echo $?",
    "sleep 0.2 & wait $!; echo $?",
    "i=0; while [ $i -lt 200 ]; do /bin/busybox true || exit 1; i=$((i+1)); done; echo $i",
    "x=$(echo inner | cat); echo \"[$x]\"",
    "false | true; echo $?",
    "echo a; (echo b; echo c) | wc -l",
    "mkdir d && cd d && basename $(pwd) && cd .. && rmdir d && ls -d d 2>/dev/null; echo $?",
    "echo abc > f; [ -s f ] && echo nonempty; rm f; [ -e f ] || echo gone",
    "for s in 3 1 2; do echo $s; done | sort -n | tr '\\n' ,",
    "trap 'echo trapped' USR1; kill -USR1 $$; echo after",
    "echo $((6*7)) $(( (1<<10) ))",
    "yes x | head -c 100000 | wc -c",
]


@pytest.mark.parametrize("script", SCRIPTS)
def test_scripts_behave_as_natively(script, tmp_path):
    mine = sh(script, cwd=str(tmp_path))
    theirs = native([BUSYBOX, "sh", "-c", script], cwd=str(tmp_path))
    assert mine.stdout == theirs.stdout, mine.stderr
    assert mine.returncode == theirs.returncode


def test_sigkill_to_tracer_leaves_nothing_behind():
    proc = subprocess.Popen([*TRACE, "--", BUSYBOX, "sh", "-c", "sleep 30 & sleep 30 & wait"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.5)
    children = _descendants(proc.pid)
    assert children, "the guest processes should be running"
    proc.kill()
    proc.wait(10)
    deadline = time.time() + 5
    while time.time() < deadline and any(_alive(pid) for pid in children):
        time.sleep(0.05)
    assert not [pid for pid in children if _alive(pid)]


def _descendants(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry))
                out.extend(_descendants(int(entry)))
    return out


def _alive(pid: int) -> bool:
    """Alive and not a zombie (a zombie of init's is not ours to reap)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_version_names_the_engine():
    r = subprocess.run([*TRACE, "--version"], capture_output=True, check=True)
    expected = "pure" if os.environ.get("KEVLAR_PURE", "0") not in ("", "0") else "cython"
    assert f"engine: {expected}".encode() in r.stdout


def test_missing_program_is_a_clear_error():
    r = kevlar(["/no/such/program"])
    assert r.returncode != 0
    assert b"kevlar:" in r.stderr and b"Traceback" not in r.stderr


def test_exec_with_no_stack_room_injects_scratch():
    from pathlib import Path

    from conftest import build_c
    binary = build_c(Path(__file__).parent / "programs" / "exec_small_stack.c")
    mine = kevlar([str(binary)])
    assert mine.stdout == native([str(binary)]).stdout == b"exec-from-small-stack-ok\n", mine.stderr
