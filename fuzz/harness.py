"""Differential runs of fuzzguest programs: natively in a fresh tmpfs directory, and under
kevlar-trace; the host kernel is the oracle.

A program is a list of ops, each a tuple `(name, arg, ...)` in fuzzguest's line format
(fuzz/guest/fuzzguest.c). `check(program)` runs both sides and raises Difference, whose
message is the unified diff, the tracer's stderr and the program as a C snippet that
reproduces the native side (`c_snippet`).
"""

from __future__ import annotations

import difflib
import functools
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.contract import runner  # noqa: E402

GUEST_SOURCE = HERE / "guest" / "fuzzguest.c"
# Native scratch dirs live on a tmpfs, like Kevlar's root: directory sizes, holes,
# O_TMPFILE and rename flags then answer as the same kind of file system.
NATIVE_BASE = "/dev/shm" if os.path.isdir("/dev/shm") else None
GUEST_CWD = "/tmp/fuzz"
TIMEOUT = 30.0


class Difference(AssertionError):
    """Kevlar answered a program differently from Linux (or crashed, or hung)."""


class Unusable(Exception):
    """The native run itself did not complete (timeout...): not a finding; skip it."""


@functools.cache
def guest() -> Path:
    return runner.build(GUEST_SOURCE)


@functools.cache
def paths() -> list[str]:
    out = subprocess.run([str(guest()), "--paths"], capture_output=True, text=True, check=True)
    return out.stdout.split("\n")[:-1]


@functools.cache
def implemented() -> frozenset[str]:
    """Syscall names Kevlar implements (any level but missing): ops on the others are
    not generated, so the fuzzers follow the other areas as they land."""
    from kevlar.syscalls.table import TABLE
    return frozenset(name for name, row in TABLE.items() if row[1] != "missing")


def env_name() -> str:
    return runner.current_env()


def program_text(program) -> str:
    return "".join(" ".join(str(x) for x in op) + "\n" for op in program)


def run_native(text: str) -> runner.Run:
    with tempfile.TemporaryDirectory(prefix="kvfz-", dir=NATIVE_BASE,
                                     ignore_cleanup_errors=True) as d:
        os.chmod(d, 0o755)
        return _run([str(guest())], cwd=d, env=dict(runner.NATIVE_ENV), text=text)


def run_kevlar(text: str) -> runner.Run:
    env = dict(os.environ)
    env.update(runner.env_vars(env_name()))
    profile = env_name().split("-")[1]
    cpu = os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:] or "0"
    ncpu = os.cpu_count() or 1
    cmd = [sys.executable, "-m", "kevlar.cli", "--profile", profile, "--cpu",
           str(int(cpu) % ncpu), "--cwd", GUEST_CWD, "--", str(guest())]
    return _run(cmd, cwd=str(ROOT), env=env, text=text)


def _run(cmd, *, cwd, env, text: str) -> runner.Run:
    import time
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env, input=text.encode(), capture_output=True,
                           timeout=TIMEOUT, start_new_session=True)
        return runner.Run(p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"),
                          p.returncode, time.monotonic() - t0)
    except subprocess.TimeoutExpired as e:
        return runner.Run((e.stdout or b"").decode(errors="replace"),
                          (e.stderr or b"").decode(errors="replace"), None, time.monotonic() - t0)


def _status(rc: int) -> int:
    """A native exit status as kevlar-trace reports its pid 1's: 128+N for signal N."""
    return 128 - rc if rc < 0 else rc


def check(program, normalize=None) -> None:
    """Run both sides; raise Difference when they disagree, Unusable when the native
    side did not finish. `normalize(line) -> line` may blank out a documented,
    already-reported difference so the campaign can look further."""
    text = program_text(program)
    theirs = run_native(text)
    if theirs.returncode is None:
        raise Unusable("native run timed out")
    mine = run_kevlar(text)
    problems = []
    err = runner.tracer_error(mine.stderr)
    if err:
        problems.append(f"tracer error: {err}")
    if mine.returncode is None:
        problems.append(f"kevlar-trace hung (killed after {TIMEOUT:.0f}s)")
    elif mine.returncode != _status(theirs.returncode):
        problems.append(f"exit status: native {theirs.returncode}, kevlar {mine.returncode}")
    want, got = theirs.stdout, mine.stdout
    if normalize is not None:
        want = "".join(normalize(ln) + "\n" for ln in want.splitlines())
        got = "".join(normalize(ln) + "\n" for ln in got.splitlines())
    if want != got:
        problems.append("outputs differ")
    if problems:
        diff = "".join(difflib.unified_diff(theirs.stdout.splitlines(keepends=True),
                                            mine.stdout.splitlines(keepends=True),
                                            fromfile="native", tofile="kevlar", n=3))
        raise Difference(f"{'; '.join(problems)} [{env_name()}]\n{diff}\n"
                         f"--- kevlar stderr (tail) ---\n{runner.tail(mine.stderr, 30)}\n"
                         f"--- program ---\n{text}"
                         f"--- reproduce natively (C) ---\n{c_snippet(program)}")


# ---- the program as C -----------------------------------------------------------------

def _p(i) -> str:
    names = paths()
    i = int(i)
    return '"' + (names[i] if 0 <= i < len(names) else "a") + '"'


_C_PTR = {"@buf": "buf", "@end": "(buf + 65536)", "@ro": "ro", "@none": "none",
          "@path": '"a"', "@long": "longpath", "@kern": "0xffff800000000000",
          "@self": "getpid()"}


def _tok(t) -> str:
    if isinstance(t, str) and t.startswith("@"):
        cut = next((i for i, c in enumerate(t) if c in "+-"), len(t))
        return f"({_C_PTR.get(t[:cut], '0')}{t[cut:]})" if t[cut:] else _C_PTR.get(t, "0")
    return f"{int(t)}L" if abs(int(t)) > 0x7fffffff else str(int(t))


_DISPOSITIONS = ["SIG_DFL", "SIG_IGN", "counter+SA_RESTART", "counter"]


def c_line(op) -> str:
    name, *a = op
    s = [str(x) for x in a]
    P = _p
    table = {
        "open": lambda: f"open({P(a[0])}, {s[1]}, 0{int(a[2]):o})",
        "openat": lambda: f"openat({s[0]}, {P(a[1])}, {s[2]}, 0{int(a[3]):o})",
        "creat": lambda: f"creat({P(a[0])}, 0{int(a[1]):o})",
        "close": lambda: f"close({s[0]})",
        "read": lambda: f"read({s[0]}, buf, {s[1]})",
        "pread": lambda: f"pread({s[0]}, buf, {s[1]}, {s[2]})",
        "write": lambda: f"write({s[0]}, \"...\" /* {s[1]} pattern bytes */, {s[1]})",
        "pwrite": lambda: f"pwrite({s[0]}, \"...\" /* {s[1]} pattern bytes */, {s[1]}, {s[2]})",
        "lseek": lambda: f"lseek({s[0]}, {s[1]}, {s[2]})",
        "ftruncate": lambda: f"ftruncate({s[0]}, {s[1]})",
        "truncate": lambda: f"truncate({P(a[0])}, {s[1]})",
        "dup": lambda: f"dup({s[0]})",
        "dup2": lambda: f"dup2({s[0]}, {s[1]})",
        "dup3": lambda: f"syscall(SYS_dup3, {s[0]}, {s[1]}, {s[2]})",
        "pipe2": lambda: f"pipe2(p, {s[0]})",
        "mkdir": lambda: f"mkdir({P(a[0])}, 0{int(a[1]):o})",
        "rmdir": lambda: f"rmdir({P(a[0])})",
        "unlink": lambda: f"unlink({P(a[0])})",
        "unlinkat": lambda: f"unlinkat({s[0]}, {P(a[1])}, {s[2]})",
        "rename": lambda: f"rename({P(a[0])}, {P(a[1])})",
        "renameat2": lambda: f"syscall(SYS_renameat2, AT_FDCWD, {P(a[0])}, AT_FDCWD, {P(a[1])}, {s[2]})",
        "link": lambda: f"link({P(a[0])}, {P(a[1])})",
        "linkat": lambda: f"linkat(AT_FDCWD, {P(a[0])}, AT_FDCWD, {P(a[1])}, {s[2]})",
        "symlink": lambda: f"symlink({P(a[0])}, {P(a[1])})",
        "readlink": lambda: f"syscall(SYS_readlink, {P(a[0])}, buf, {s[0 + 1]})",
        "getdents": lambda: f"syscall(SYS_getdents64, {s[0]}, buf, {s[1] if int(a[1]) else 4096})",
        "stat": lambda: f"stat({P(a[0])}, &st)",
        "lstat": lambda: f"lstat({P(a[0])}, &st)",
        "fstat": lambda: f"fstat({s[0]}, &st)",
        "statx": lambda: f"syscall(SYS_statx, {s[0]}, {P(a[1])}, {s[2]}, {s[3]}, &stx)",
        "fcntl": lambda: f"fcntl({s[0]}, {s[1]}, {s[2]})",
        "chdir": lambda: f"chdir({P(a[0])})",
        "fchdir": lambda: f"fchdir({s[0]})",
        "getcwd": lambda: "getcwd(cwd, sizeof cwd)",
        "access": lambda: f"access({P(a[0])}, {s[1]})",
        "chmod": lambda: f"chmod({P(a[0])}, 0{int(a[1]):o})",
        "fchmod": lambda: f"fchmod({s[0]}, 0{int(a[1]):o})",
        "fsync": lambda: f"fsync({s[0]})",
        "fork": lambda: f"fork() /* child: behaviour {s[0]} ({s[1]}), see fuzzguest.c child_body */",
        "kill": lambda: f"kill({'getpid()' if int(a[0]) == -1 else f'kid[{s[0]}]'}, {s[1]})",
        "wait": lambda: (f"waitpid({'-1' if int(a[0]) == -1 else f'kid[{s[0]}]'}, &status, {s[1]})"
                         " /* bounded by a 250 ms ITIMER_REAL */"),
        "signal": lambda: f"sigaction({s[0]}, {_DISPOSITIONS[int(a[1]) % 4]})",
        "sigmask": lambda: f"sigprocmask({'SIG_UNBLOCK' if int(a[0]) else 'SIG_BLOCK'}, {{{s[1]}}})",
        "sigcount": lambda: "/* print handler counts */",
        "sigpending": lambda: "sigpending(&set)",
        "epoll_create": lambda: f"epoll_create1({s[0]})",
        "epoll_ctl": lambda: (f"epoll_ctl({s[0]}, {s[1]}, {s[2]}, "
                              + ("NULL)" if int(a[4])
                                 else f"&(struct epoll_event){{{s[3]}, .data.fd={s[2]}}})")),
        "epoll_wait": lambda: f"epoll_wait({s[0]}, evs, {s[1]}, 0)",
        "eventfd": lambda: f"eventfd({s[0]}, {s[1]})",
        "efd_write": lambda: f"write({s[0]}, &(uint64_t){{{s[1]}}}, 8)",
        "inotify_init": lambda: f"inotify_init1({s[0]})",
        "inotify_add": lambda: f"inotify_add_watch({s[0]}, {P(a[1])}, {s[2]})",
        "timerfd_create": lambda: f"timerfd_create({s[0]}, {s[1]})",
        "timerfd_settime": lambda: (f"timerfd_settime({s[0]}, {s[1]}, "
                                    f"/* value {s[2]} ms, interval {s[3]} ms */ &its, NULL)"),
        "timerfd_gettime": lambda: f"timerfd_gettime({s[0]}, &its)",
        "poll": lambda: "poll((struct pollfd[]){" + ", ".join(
            f"{{{a[i]}, {a[i + 1]}}}" for i in range(0, len(a) - 1, 2)) + f"}}, {len(a) // 2}, 0)",
        "sys": lambda: "syscall(" + ", ".join([s[0], *(_tok(t) for t in a[1:])]) + ")",
    }
    fn = table.get(name)
    return (fn() if fn else f"/* {' '.join(map(str, op))} */") + ";"


def c_snippet(program) -> str:
    body = "\n".join(f"    r = {c_line(op)}  /* {i + 1} */" if op[0] not in ("sigcount",)
                     else f"    {c_line(op)}" for i, op in enumerate(program))
    return ("/* in an empty directory on a tmpfs; print r after each line\n"
            "   (buf: 64 KiB rw, then a read-only page `ro`, then a PROT_NONE page `none`) */\n"
            "umask(022);\n" + body.replace("    r = ", "r = ") + "\n")
