"""The cost of one emulated syscall (getpid, N times in a tight loop) and of blocking
(a pipe ping-pong: every hop parks a reader and wakes it).

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


def _build(name: str, compiler: list[str]) -> Path:
    out = CACHE / name
    source = HERE / f"{name}.c"
    if not out.exists() or out.stat().st_mtime < source.stat().st_mtime:
        subprocess.run([*compiler, "-O2", "-o", str(out), str(source)], check=True)
    return out


def build() -> tuple[Path, Path, Path]:
    CACHE.mkdir(exist_ok=True)
    static = ["musl-gcc", "-static"]
    return (_build("getpid_loop", static), _build("ctracer", ["gcc"]),
            _build("pingpong", static))


def measure(command: list[str], env: dict | None = None, runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        out = subprocess.run(command, capture_output=True, check=True, env=env).stdout
        best = min(best, float(out.split()[-1]))
    return best


def rows(n: int) -> list[tuple[str, float]]:
    loop, tracer, _ = build()
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


def blocking_rows(n: int) -> list[tuple[str, float]]:
    *_, pingpong = build()
    trace = [sys.executable, "-m", "kevlar.cli", "--"]
    env = dict(os.environ)
    return [
        ("native", measure([str(pingpong), str(n * 5)])),
        ("strace -f (to /dev/null)", measure(["strace", "-f", "-qq", "-o", "/dev/null",
                                              str(pingpong), str(n)], runs=3)),
        ("kevlar cython", measure([*trace, str(pingpong), str(n)], {**env, "KEVLAR_PURE": "0"})),
        ("kevlar pure", measure([*trace, str(pingpong), str(n)], {**env, "KEVLAR_PURE": "1"})),
    ]


def main(n: int = 20000) -> None:
    results = rows(n)
    base = dict(results)["C tracer, one CPU"]
    print(f"getpid cost, {n} calls per run, best of several runs")
    print(f"{'':28} {'ns/call':>10} {'x C tracer':>11}")
    for name, ns in results:
        print(f"{name:28} {ns:10.0f} {ns / base:11.2f}")
    print()
    blocking = blocking_rows(max(1, n // 10))
    base = dict(blocking)["native"]
    print(f"pipe ping-pong, {max(1, n // 10)} round trips per run (two parks and wake-ups each)")
    print(f"{'':28} {'ns/trip':>10} {'x native':>11}")
    for name, ns in blocking:
        print(f"{name:28} {ns:10.0f} {ns / base:11.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
