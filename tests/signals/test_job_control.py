"""Job control in an interactive busybox sh on a pseudo-terminal, natively and under
kevlar-trace: Ctrl-C ends the foreground job and not the shell, Ctrl-Z stops it, jobs/fg/
bg/kill %n work, signals from the terminal reach a guest parked in Kevlar, and exit
leaves no process behind. The same session is driven both ways and what the shell
reports (exit statuses, job lines) must be the same."""

import os
import re
import sys
import time

import pytest
from conftest import TRACE

pexpect = pytest.importorskip("pexpect")

BUSYBOX = "/bin/busybox"
PROMPT = "KV> "
PROMPT_RE = re.escape(PROMPT)


class Session:
    """One interactive busybox sh on a pty; `run` returns what a command printed."""

    def __init__(self, argv: list[str]):
        env = dict(os.environ, PS1=PROMPT, ENV="", HOME="/", TERM="dumb")
        env.setdefault("KEVLAR_STRICT", "1")
        self.child = pexpect.spawn(argv[0], argv[1:], env=env, timeout=10, encoding="utf-8",
                                   codec_errors="replace", dimensions=(24, 200))
        self.expect_prompt()

    def expect_prompt(self, timeout: float = 10) -> str:
        self.child.expect(PROMPT_RE, timeout=timeout)
        return self.child.before

    def run(self, line: str) -> str:
        self.child.sendline(line)
        out = self.expect_prompt()
        lines = out.replace("\r", "").split("\n")
        return "\n".join(x for x in lines[1:] if x.strip())  # drop the echoed command

    def jobs_until(self, state: str, timeout: float = 5.0) -> str:
        """`jobs` until it shows state (the shell learns of a stop or a continue from
        SIGCHLD, some time after the signal: poll rather than sleep a fixed time, so a
        loaded machine gives the same facts); the last answer either way."""
        deadline = time.monotonic() + timeout
        out = self.run("jobs")
        while state not in out and time.monotonic() < deadline:
            time.sleep(0.1)
            out = self.run("jobs")
        return out

    def foreground(self, line: str, settle: float = 0.5) -> None:
        """Start a foreground job and give it time to be running."""
        self.child.sendline(line)
        self.child.expect(re.escape(line))
        time.sleep(settle)

    def control(self, char: str) -> tuple[str, float]:
        """Send a control character; return what came before the prompt, and how long
        the prompt took."""
        start = time.monotonic()
        self.child.sendcontrol(char)
        out = self.expect_prompt(timeout=5)
        return out.replace("\r", "").strip(), time.monotonic() - start

    def exit(self) -> int | None:
        self.child.sendline("exit")
        self.child.expect(pexpect.EOF, timeout=10)
        self.child.close()
        return self.child.exitstatus


def _session(kind: str) -> Session:
    if kind == "native":
        return Session([BUSYBOX, "sh"])
    return Session([*TRACE, "--env", f"PS1={PROMPT}", "--env", "TERM=dumb", "--",
                    BUSYBOX, "sh"])


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _lines(*outputs: str) -> str:
    """What several commands printed, as a set of lines: the shell reports a job's end
    at whichever prompt comes after it (the order depends on timing, natively too)."""
    return " | ".join(sorted(line for out in outputs for line in out.splitlines()))


def _script(s: Session) -> list[str]:
    """The session both shells go through; returns the facts to compare."""
    facts = []
    # Ctrl-C ends the foreground job, the shell survives and reports 130.
    s.foreground("sleep 30")
    _, took = s.control("c")
    facts.append(f"ctrl_c_prompt_within_1s={took < 1.0}")
    facts.append("status_after_ctrl_c=" + s.run("echo $?"))
    # A background job and kill %1.
    s.run("sleep 30 &")
    facts.append("jobs_running=" + s.run("jobs"))
    facts.append("after_kill=" + _lines(s.run("kill %1"), s.run("wait; echo waited $?")))
    facts.append("jobs_after_kill=" + s.run("jobs"))
    # Ctrl-Z stops the foreground job; jobs shows it; fg resumes it; Ctrl-C ends it.
    s.foreground("sleep 30")
    out, took = s.control("z")
    facts.append(f"ctrl_z_prompt_within_1s={took < 1.0}")
    facts.append("ctrl_z_says=" + out.splitlines()[-1].strip() if out else "ctrl_z_says=")
    facts.append("status_after_ctrl_z=" + s.run("echo $?"))
    facts.append("jobs_stopped=" + s.run("jobs"))
    s.child.sendline("fg")
    s.child.expect("sleep 30")
    time.sleep(0.5)
    _, took = s.control("c")
    facts.append(f"fg_then_ctrl_c_within_1s={took < 1.0}")
    facts.append("status_after_fg_ctrl_c=" + s.run("echo $?"))
    facts.append("jobs_empty=" + s.run("jobs"))
    # bg: a stopped job runs on in the background.
    s.foreground("sleep 30")
    s.control("z")
    facts.append("bg=" + s.run("bg"))
    facts.append("jobs_bg=" + s.run("jobs"))
    s.run("kill %1")
    s.run("wait")
    # A background job that reads the terminal is stopped by SIGTTIN; kill -STOP/-CONT
    # on a background job; fg of a background job.
    s.run("cat &")
    facts.append("ttin_jobs=" + s.jobs_until("Stopped"))
    facts.append("ttin_killed=" + _lines(s.run("kill -9 %1"), s.run("wait; echo $?")))
    s.run("sleep 30 &")
    s.run("kill -STOP %1")
    facts.append("kill_stop_jobs=" + s.jobs_until("Stopped"))
    s.run("kill -CONT %1")
    facts.append("kill_cont_jobs=" + s.jobs_until("Running"))
    s.child.sendline("fg %1")
    s.child.expect("sleep 30")
    time.sleep(0.3)
    s.control("c")
    facts.append("fg_background_then_ctrl_c=" + s.run("echo $?"))
    # Ctrl-\ quits the foreground job (SIGQUIT: 128 + 3).
    s.foreground("sleep 30")
    s.control("\\")
    facts.append("status_after_ctrl_backslash=" + s.run("echo $?"))
    # A pipeline whose reader waits in a pipe (parked in Kevlar) dies on Ctrl-C.
    s.foreground("sleep 30 | cat")
    _, took = s.control("c")
    facts.append(f"pipeline_ctrl_c_within_1s={took < 1.0}")
    facts.append("status_after_pipeline_ctrl_c=" + s.run("echo $?"))
    # The shell itself ignores SIGINT while interactive, and a trap runs.
    facts.append("trap=" + s.run("trap 'echo got INT' INT; kill -INT $$; trap - INT; echo alive"))
    return facts


@pytest.fixture(scope="module")
def native_facts():
    s = _session("native")
    facts = _script(s)
    s.exit()
    return facts


def test_interactive_job_control_matches_native(native_facts):
    s = _session("kevlar")
    tracer = s.child.pid
    facts = _script(s)
    guests = _descendants(tracer)
    status = s.exit()
    for want, got in zip(native_facts, facts, strict=True):
        assert want == got, f"native {want!r}, kevlar {got!r}\nall: {facts}"
    assert status == 0
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(pid) for pid in guests | {tracer}):
        time.sleep(0.05)
    assert not [pid for pid in guests | {tracer} if _alive(pid)], "processes left behind"


def test_native_facts_are_what_the_issue_asks(native_facts):
    """The oracle itself: the statuses the issue names."""
    assert "status_after_ctrl_c=130" in native_facts
    assert "status_after_fg_ctrl_c=130" in native_facts
    assert "ctrl_c_prompt_within_1s=True" in native_facts


if __name__ == "__main__":  # a quick look at both transcripts
    for kind in ("native", "kevlar"):
        sess = _session(kind)
        print(kind, _script(sess), file=sys.stderr)
        sess.exit()
