"""The cost of one emulated syscall: getpid, N times in a tight loop.

Run side by side in one process: natively, under a minimal C ptrace+seccomp tracer
(ctracer.c, built here), under strace, and under kevlar-trace with each engine and CPU
placement. Each row is the best of several runs (the least disturbed), in nanoseconds
per call as the guest itself measures it, with its ratio to the C tracer on one CPU.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = Path(tempfile.gettempdir()) / "kevlar-bench"


def build() -> tuple[Path, Path]:
    CACHE.mkdir(exist_ok=True)
    loop = CACHE / "getpid_loop"
    tracer = CACHE / "ctracer"
    if not loop.exists() or loop.stat().st_mtime < (HERE / "getpid_loop.c").stat().st_mtime:
        subprocess.run(["musl-gcc", "-static", "-O2", "-o", str(loop), str(HERE / "getpid_loop.c")],
                       check=True)
    if not tracer.exists() or tracer.stat().st_mtime < (HERE / "ctracer.c").stat().st_mtime:
        subprocess.run(["gcc", "-O2", "-o", str(tracer), str(HERE / "ctracer.c")], check=True)
    return loop, tracer


def measure(command: list[str], env: dict | None = None, runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        out = subprocess.run(command, capture_output=True, check=True, env=env).stdout
        best = min(best, float(out.split()[-1]))
    return best


def rows(n: int) -> list[tuple[str, float]]:
    loop, tracer = build()
    trace = [sys.executable, "-m", "kevlar.cli"]
    env = dict(os.environ)
    pure = {**env, "KEVLAR_PURE": "1"}
    cython = {**env, "KEVLAR_PURE": "0"}
    out = [
        ("native", measure([str(loop), str(n * 10)])),
        ("C tracer, one CPU", measure([str(tracer), "same", str(loop), str(n)])),
        ("C tracer, two CPUs", measure([str(tracer), "cross", str(loop), str(n)])),
        ("strace -f (to /dev/null)", measure(["strace", "-f", "-qq", "-o", "/dev/null", str(loop),
                                              str(n)], runs=3)),
        ("kevlar cython, one CPU", measure([*trace, "--cpu", "0", "--", str(loop), str(n)], cython)),
        ("kevlar cython, floating", measure([*trace, "--cpu", "none", "--", str(loop), str(n)],
                                            cython)),
        ("kevlar pure, one CPU", measure([*trace, "--cpu", "0", "--", str(loop), str(n)], pure)),
    ]
    return out


def main(n: int = 20000) -> None:
    results = rows(n)
    base = dict(results)["C tracer, one CPU"]
    print(f"getpid cost, {n} calls per run, best of several runs")
    print(f"{'':28} {'ns/call':>10} {'x C tracer':>11}")
    for name, ns in results:
        print(f"{name:28} {ns:10.0f} {ns / base:11.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
