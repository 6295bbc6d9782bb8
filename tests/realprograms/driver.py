"""Real host programs, natively and under kevlar-trace, compared.

Each case is a bash script. Natively it runs in a fresh scratch directory; under Kevlar
it runs with the host's /usr and /etc bound read-only (the default world's /bin, /lib and
/lib64 are merged-/usr links) in a directory of the same name that Kevlar creates in its
own tmpfs (--cwd), so paths need no rewriting. Both runs get the same clean environment
and host name. The driver compares exit status, stdout and stderr after the case's own
normalisations (pids, times: what must differ) and prints the differences.

    PYTHONPATH=tests .venv/bin/python -m realprograms.driver [-k SUBSTRING] [--slow]

tests/realprograms/test_realprograms.py runs the same cases under pytest.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from realprograms.cases import CASES, Case

TRACE = [sys.executable, "-m", "kevlar.cli"]
ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "LC_ALL": "C", "TZ": "UTC",
       "USER": "root", "LOGNAME": "root", "SHELL": "/bin/bash"}
BINDS = ("--bind", "/usr:/usr:ro", "--bind", "/etc:/etc:ro")
# tmpfs natively too, so sizes, block counts and st_dev facts have the same file system.
SCRATCH_PARENT = "/dev/shm"


@dataclasses.dataclass
class Outcome:
    status: int
    stdout: str
    stderr: str

    def text(self) -> list[str]:
        return [f"exit={self.status}", *(f"out: {x}" for x in self.stdout.splitlines()),
                *(f"err: {x}" for x in self.stderr.splitlines())]


def _environment(scratch: str) -> dict[str, str]:
    return {**ENV, "HOME": scratch, "PWD": scratch}


def missing(case: Case) -> list[str]:
    """The programs the case needs that the host lacks."""
    return [name for name in case.needs if not shutil.which(name, path=ENV["PATH"])]


def run_native(case: Case, scratch: str) -> subprocess.CompletedProcess:
    return subprocess.run(["/usr/bin/bash", "-c", case.script], cwd=scratch, capture_output=True,
                          env=_environment(scratch), timeout=case.timeout, stdin=subprocess.DEVNULL,
                          start_new_session=True)


def run_kevlar(case: Case, scratch: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.setdefault("KEVLAR_STRICT", "1")
    env.pop("TERM", None)  # kevlar-trace passes the host's TERM on; the native run has none
    options = [*BINDS, "--cwd", scratch, "--hostname", socket.gethostname()]
    for name, value in _environment(scratch).items():
        options += ["--env", f"{name}={value}"]
    return subprocess.run([*TRACE, *options, "--", "/usr/bin/bash", "-c", case.script],
                          capture_output=True, env=env, timeout=case.timeout * 3,
                          stdin=subprocess.DEVNULL, start_new_session=True)


def normalise(case: Case, result: subprocess.CompletedProcess, scratch: str) -> Outcome:
    def clean(data: bytes) -> str:
        text = data.decode(errors="replace").replace(scratch, "$SCRATCH")
        for pattern, replacement in case.normalise:
            text = re.sub(pattern, replacement, text, flags=re.M)
        return text
    return Outcome(result.returncode, clean(result.stdout), clean(result.stderr))


def compare(case: Case) -> tuple[Outcome, Outcome, list[str]]:
    """Run a case both ways; the diff is empty when Kevlar matched Linux."""
    outcomes = []
    for runner in (run_native, run_kevlar):
        scratch = tempfile.mkdtemp(prefix=f"kvrp-{case.name}-", dir=SCRATCH_PARENT)
        os.chmod(scratch, 0o755)  # as --cwd makes it under Kevlar
        try:
            result = runner(case, scratch)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        notes = []
        if runner is run_kevlar:
            # The tracer's own report (missing syscalls) is not the guest's stderr.
            lines = result.stderr.split(b"\n")
            notes = [x for x in lines if x.startswith(b"kevlar:")]
            result.stderr = b"\n".join(x for x in lines if not x.startswith(b"kevlar:"))
        outcomes.append((normalise(case, result, scratch), notes))
    (theirs, _), (mine, notes) = outcomes
    diff = list(difflib.unified_diff(theirs.text(), mine.text(), "native", "kevlar", lineterm=""))
    if diff and notes:
        diff += [x.decode(errors="replace") for x in notes]
    return theirs, mine, diff


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", default="", help="only cases whose name contains this")
    parser.add_argument("--slow", action="store_true", help="include the slow cases")
    options = parser.parse_args(argv)
    failed = 0
    for case in CASES:
        if options.k not in case.name or (case.slow and not options.slow):
            continue
        if missing(case):
            print(f"SKIP {case.name} (no {', '.join(missing(case))})")
            continue
        start = time.monotonic()
        theirs, mine, diff = compare(case)
        verdict = ("SAME" if not diff else "DIFF") + (" (xfail)" if case.xfail else "")
        print(f"{verdict} {case.name} ({time.monotonic() - start:.1f} s)", flush=True)
        if diff:
            failed += 1
            print("\n".join("    " + x for x in diff), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
