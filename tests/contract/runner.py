"""The contract-test runner: every tests/contract/<category>/<name>.c natively and under Kevlar.

Each test is built once (musl-gcc -static -O1, cached by the hash of its source and
lib/contract.h), run natively in a fresh scratch directory and under kevlar-trace in a
fresh guest directory, and the two outputs are compared line by line. Classes (see
README.md): PASS, XFAIL (declared in manifest.toml), XPASS (declared, but it passes:
remove the entry), DIVERGE (both complete, facts differ), FAIL (Kevlar crashed, timed out,
exited non-zero where native did not, or the tracer reported an internal error), SKIP
(the native oracle cannot run here, e.g. no loop mount for mini_storage).

    python -m tests.contract.runner                 # the env's engine/profile (KEVLAR_PURE, KEVLAR_PROFILE)
    python -m tests.contract.runner -k epoll -v     # a subset, with diffs of every non-PASS
    python -m tests.contract.runner --all-envs      # cython/pure x fast/full, then docs/conformance.md
    python -m tests.contract.runner --report        # docs/conformance.md from the saved results

The pytest plugin (tests/test_contract.py) runs the same code, one pytest item per test,
two at a time, and saves its results where --report finds them.
"""

from __future__ import annotations

import argparse
import datetime
import difflib
import hashlib
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BUILD = ROOT / "tests" / "build"
RESULTS = BUILD / "contract-results"
DOC = ROOT / "docs" / "conformance.md"
MANIFEST = HERE / "manifest.toml"
HEADER = HERE / "lib" / "contract.h"

ENVS = ("cython-fast", "pure-fast", "cython-full", "pure-full")
CLASSES = ("PASS", "XFAIL", "XPASS", "DIVERGE", "FAIL", "SKIP")
NATIVE_TIMEOUT = 20.0
KEVLAR_TIMEOUT = 20.0
# Native runs get the same clean environment kevlar-trace gives its guest.
NATIVE_ENV = {"PATH": "/bin:/sbin:/usr/bin:/usr/sbin", "HOME": "/root", "USER": "root",
              "LOGNAME": "root"}


# ---- discovery, manifest, build ----------------------------------------------------------

def discover(root: Path = HERE) -> list[str]:
    """Every test id "<category>/<name>", sorted; helpers excluded."""
    helpers = set(load_manifest().get("helper", {}))
    ids = []
    for source in sorted(root.glob("*/*.c")):
        if source.parent.name == "lib":
            continue
        tid = f"{source.parent.name}/{source.stem}"
        if tid not in helpers:
            ids.append(tid)
    return ids


def load_manifest() -> dict:
    with MANIFEST.open("rb") as f:
        return tomllib.load(f)


def source_of(tid: str) -> Path:
    return HERE / f"{tid}.c"


_build_lock = threading.Lock()
_building: dict[Path, threading.Lock] = {}


def build(source: Path, extra: tuple[str, ...] = ()) -> Path:
    """musl-gcc -static -O1, cached in tests/build by the hash of source + contract.h (the
    same scheme as tests/conftest.py build_c, so the two share the cache)."""
    text = source.read_bytes() + (HEADER.read_bytes() if HEADER.exists() else b"")
    digest = hashlib.sha256(text + " ".join(extra).encode()).hexdigest()[:16]
    out = BUILD / f"{source.stem}-{digest}"
    with _build_lock:
        lock = _building.setdefault(out, threading.Lock())
    with lock:
        if not out.exists():
            BUILD.mkdir(parents=True, exist_ok=True)
            tmp = out.with_name(f"{out.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            r = subprocess.run(["musl-gcc", "-static", "-O1", "-o", str(tmp), str(source), *extra],
                               capture_output=True, text=True)
            if r.returncode:
                raise BuildError(f"musl-gcc failed for {source}:\n{r.stderr}")
            tmp.rename(out)
    return out


class BuildError(Exception):
    pass


# ---- environments -------------------------------------------------------------------------

def current_env() -> str:
    engine = "pure" if os.environ.get("KEVLAR_PURE", "0") not in ("", "0") else "cython"
    profile = os.environ.get("KEVLAR_PROFILE") or "fast"
    return f"{engine}-{profile}"


def env_vars(env: str) -> dict[str, str]:
    engine, profile = env.split("-")
    return {"KEVLAR_PURE": "1" if engine == "pure" else "0", "KEVLAR_PROFILE": profile,
            "KEVLAR_STRICT": "1"}


# ---- fixtures for tests that need arguments (mini_storage) ---------------------------------

class Fixtures:
    """Placeholders of manifest [args] entries. {tmpfs} is a fresh directory on a tmpfs;
    {disk_mount} the mini_storage ext2 image loop-mounted natively (None when this host
    cannot loop-mount: the test is then SKIPped natively), and under Kevlar /mnt/disk0,
    where the storage work attaches the same image ({disk_image})."""

    def __init__(self):
        self._lock = threading.Lock()
        self._image: Path | None = None
        self._mounts: list[str] = []
        self._dirs: list[str] = []

    def image(self) -> Path | None:
        with self._lock:
            if self._image is None:
                self._image = self._make_image()
            return self._image or None

    def _make_image(self):
        if not shutil.which("mke2fs"):
            return False
        hello = build(HERE / "integration" / "hello.c")
        digest = hashlib.sha256(hello.read_bytes()).hexdigest()[:12]
        img = BUILD / f"mini_storage-{digest}.img"
        if img.exists():
            return img
        with tempfile.TemporaryDirectory(prefix="kevlar-disk-") as d:
            root = Path(d) / "root"
            (root / "subdir").mkdir(parents=True)
            shutil.copy(hello, root / "hello")
            (root / "hello").chmod(0o755)
            (root / "greeting.txt").write_text("hello from ext2\n")
            (root / "subdir" / "nested.txt").write_text("nested file\n")
            (root / "link.txt").symlink_to("greeting.txt")
            tmp = img.with_suffix(".tmp")
            with tmp.open("wb") as f:
                f.truncate(16 << 20)
            r = subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-d", str(root), str(tmp)],
                               capture_output=True)
            if r.returncode:
                tmp.unlink()
                return False
            tmp.rename(img)
        return img

    def native(self, placeholder: str) -> str | None:
        if placeholder == "{tmpfs}":
            base = "/dev/shm" if os.path.isdir("/dev/shm") else None
            if base is None:
                return None
            d = tempfile.mkdtemp(prefix="kevlar-contract-", dir=base)
            self._dirs.append(d)
            return d
        if placeholder == "{disk_mount}":
            img = self.image()
            if img is None:
                return None
            d = tempfile.mkdtemp(prefix="kevlar-disk-")
            # A private copy: the test writes to the disk.
            copy = Path(d + ".img")
            shutil.copy(img, copy)
            r = subprocess.run(["mount", "-o", "loop", str(copy), d], capture_output=True)
            self._dirs.append(d)
            self._dirs.append(str(copy))
            if r.returncode:
                return None
            self._mounts.append(d)
            return d
        if placeholder == "{disk_image}":
            img = self.image()
            return str(img) if img else None
        return placeholder

    def kevlar(self, placeholder: str) -> str | None:
        if placeholder == "{tmpfs}":
            return "/tmp"
        if placeholder == "{disk_mount}":
            return "/mnt/disk0"
        if placeholder == "{disk_image}":
            img = self.image()
            if img is None:
                return None
            fd, copy = tempfile.mkstemp(prefix="kevlar-disk-", suffix=".img")
            os.close(fd)
            shutil.copy(img, copy)   # the test writes to the disk
            with self._lock:
                self._dirs.append(copy)
            return copy
        return placeholder

    def cleanup(self):
        for d in reversed(self._mounts):
            subprocess.run(["umount", d], capture_output=True)
        for d in reversed(self._dirs):
            if os.path.isdir(d):
                shutil.rmtree(d, ignore_errors=True)
            elif os.path.exists(d):
                os.unlink(d)
        self._mounts.clear()
        self._dirs.clear()


def substitute(items, resolve) -> list[str] | None:
    out = []
    for item in items:
        for ph in ("{disk_mount}", "{tmpfs}", "{disk_image}"):
            if ph in item:
                value = resolve(ph)
                if value is None:
                    return None
                item = item.replace(ph, value)
        out.append(item)
    return out


# ---- running and classifying --------------------------------------------------------------

@dataclass
class Run:
    stdout: str
    stderr: str
    returncode: int | None  # None: timed out
    seconds: float

    @property
    def clean(self) -> bool:
        return self.returncode == 0 and self.stdout.splitlines()[-1:] == ["done"]


@dataclass
class Result:
    tid: str
    env: str
    cls: str
    detail: str = ""          # one line: why
    diff: str = ""            # unified diff native -> kevlar, or the tail of stderr
    seconds: float = 0.0
    xfail_reason: str = ""
    xfail_issue: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.cls in ("PASS", "XFAIL", "XPASS", "SKIP")


def _run(cmd: list[str], *, cwd: str | None, env: dict, timeout: float) -> Run:
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=timeout, start_new_session=True)
        return Run(p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"),
                   p.returncode, time.monotonic() - t0)
    except subprocess.TimeoutExpired as e:
        def text(b):
            return (b or b"").decode(errors="replace")
        return Run(text(e.stdout), text(e.stderr), None, time.monotonic() - t0)


def run_native(binary: Path, args: list[str]) -> Run:
    with tempfile.TemporaryDirectory(prefix="kevlar-contract-", ignore_cleanup_errors=True) as d:
        os.chmod(d, 0o755)
        return _run([str(binary), *args], cwd=d, env=dict(NATIVE_ENV), timeout=NATIVE_TIMEOUT)


def run_kevlar(binary: Path, args: list[str], env: str, *, cpu: str = "0",
               options: list[str] = ()) -> Run:
    engine, profile = env.split("-")
    full_env = dict(os.environ)
    full_env.update(env_vars(env))
    cmd = [sys.executable, "-m", "kevlar.cli", "--profile", profile, "--cpu", cpu,
           "--cwd", "/tmp/contract", *options, "--", str(binary), *args]
    return _run(cmd, cwd=str(ROOT), env=full_env, timeout=KEVLAR_TIMEOUT)


def tracer_error(stderr: str) -> str | None:
    for line in stderr.splitlines():
        if line.startswith("kevlar: internal error") or line.startswith("Traceback"):
            return line.strip()
    return None


def unified(native: str, kevlar: str) -> str:
    return "".join(difflib.unified_diff(native.splitlines(keepends=True),
                                        kevlar.splitlines(keepends=True),
                                        fromfile="native", tofile="kevlar", n=2))


def tail(text: str, n: int = 25) -> str:
    lines = text.splitlines()
    return "\n".join(lines[-n:])


def xfail_entry(manifest: dict, tid: str, env: str) -> dict | None:
    entry = manifest.get("xfail", {}).get(tid)
    if entry is None:
        return None
    envs = entry.get("envs")
    if envs and env not in envs:
        return None
    return entry


def classify(tid: str, env: str, native: Run | None, mine: Run | None) -> tuple[str, str, str]:
    """(class before the manifest is applied, one-line detail, diff/stderr)."""
    if native is None:
        return "SKIP", "the native oracle cannot run on this host", ""
    if not native.clean:
        why = "timed out" if native.returncode is None else f"exit {native.returncode}"
        return "FAIL", f"native run not clean ({why}): a bug in the test", tail(
            native.stdout + native.stderr)
    assert mine is not None
    err = tracer_error(mine.stderr)
    if mine.returncode is None:
        return "FAIL", f"timed out after {mine.seconds:.0f}s", unified(native.stdout, mine.stdout) \
            + "\n--- kevlar stderr ---\n" + tail(mine.stderr)
    if err:
        return "FAIL", f"tracer error: {err}", tail(mine.stderr, 40)
    if mine.returncode != 0 or not mine.clean:
        why = (f"exit {mine.returncode}" if mine.returncode >= 0
               else f"killed by signal {-mine.returncode}")
        if mine.returncode > 128:
            why += f" (signal {mine.returncode - 128} in the guest)"
        return "FAIL", f"{why}, no 'done'" if not mine.clean else why, \
            unified(native.stdout, mine.stdout) + "\n--- kevlar stderr ---\n" + tail(mine.stderr)
    if native.stdout != mine.stdout:
        diff = unified(native.stdout, mine.stdout)
        first = next((ln[1:] for ln in diff.splitlines() if ln.startswith("-") and
                      not ln.startswith("---")), "")
        return "DIVERGE", f"facts differ (first: {first.strip()})", diff
    return "PASS", "", ""


class Runner:
    """Runs tests for one env; thread-safe; CPUs handed out so parallel guests do not
    share the one kevlar-trace pins to by default."""

    def __init__(self, env: str | None = None, jobs: int | None = None):
        self.env = env or current_env()
        self.jobs = jobs or int(os.environ.get("KEVLAR_CONTRACT_JOBS") or os.cpu_count() or 1)
        self.manifest = load_manifest()
        self.fixtures = Fixtures()
        self._cpus: queue.Queue[str] = queue.Queue()
        ncpu = os.cpu_count() or 1
        for i in range(max(self.jobs, 1)):
            self._cpus.put(str(i % ncpu))

    def run_one(self, tid: str) -> Result:
        t0 = time.monotonic()
        try:
            binary = build(source_of(tid))
        except BuildError as e:
            return Result(tid, self.env, "FAIL", "does not build", str(e))
        spec = self.manifest.get("args", {}).get(tid, {})
        argv = spec.get("argv", [])
        native_args = substitute(argv, self.fixtures.native)
        kevlar_args = substitute(argv, self.fixtures.kevlar)
        options = substitute(spec.get("kevlar_options", []), self.fixtures.kevlar) or []
        native = run_native(binary, native_args) if native_args is not None else None
        mine = None
        if native is not None and native.clean and kevlar_args is not None:
            cpu = self._cpus.get()
            try:
                mine = run_kevlar(binary, kevlar_args, self.env, cpu=cpu, options=options)
            finally:
                self._cpus.put(cpu)
        cls, detail, diff = classify(tid, self.env, native, mine)
        entry = xfail_entry(self.manifest, tid, self.env)
        res = Result(tid, self.env, cls, detail, diff, time.monotonic() - t0)
        if entry is not None:
            res.xfail_reason = entry.get("reason", "")
            res.xfail_issue = entry.get("issue")
            if cls == "PASS":
                res.cls, res.detail = "XPASS", "declared XFAIL but passes: remove the manifest entry"
            elif cls in ("DIVERGE", "FAIL") and not detail.startswith("native run not clean"):
                res.extra["was"] = cls
                res.cls = "XFAIL"
        return res

    def run(self, tids: list[str], *, on_result=None) -> list[Result]:
        # Build first (in parallel: compiles are independent), then run.
        with ThreadPoolExecutor(max_workers=max(self.jobs, 1)) as pool:
            for tid in tids:
                pool.submit(_quiet_build, tid)
        results: dict[str, Result] = {}
        try:
            with ThreadPoolExecutor(max_workers=max(self.jobs, 1)) as pool:
                futures = {pool.submit(self.run_one, tid): tid for tid in tids}
                for fut in futures:
                    res = fut.result()
                    results[res.tid] = res
                    if on_result:
                        on_result(res)
        finally:
            self.fixtures.cleanup()
        return [results[t] for t in tids]


def _quiet_build(tid: str) -> None:
    try:
        build(source_of(tid))
    except BuildError:
        pass  # reported by run_one


# ---- results files and docs/conformance.md ------------------------------------------------

def save_results(env: str, results: list[Result], path: Path | None = None) -> Path:
    path = path or RESULTS / f"{env}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"env": env, "date": datetime.date.today().isoformat(),
            "results": {r.tid: {"cls": r.cls, "detail": r.detail,
                                "reason": r.xfail_reason, "issue": r.xfail_issue}
                        for r in results}}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
    tmp.rename(path)
    return path


def load_results(paths: list[Path] | None = None) -> dict[str, dict]:
    paths = paths if paths is not None else sorted(RESULTS.glob("*.json"))
    out = {}
    for p in paths:
        data = json.loads(p.read_text())
        out[data["env"]] = data
    return dict(sorted(out.items(), key=lambda kv: ENVS.index(kv[0]) if kv[0] in ENVS else 99))


def write_doc(per_env: dict[str, dict], path: Path = DOC) -> Path:
    envs = list(per_env)
    tids = sorted({t for d in per_env.values() for t in d["results"]})
    cats = sorted({t.split("/")[0] for t in tids})
    manifest = load_manifest()
    dates = sorted({d["date"] for d in per_env.values()})
    lines = ["# Conformance", "",
             "Generated by `python -m tests.contract.runner` (tests/contract/runner.py); do not edit.",
             "Each contract test (tests/contract/) runs natively and under Kevlar; the native",
             "output is the oracle. PASS: identical; XFAIL: differs, declared in",
             "tests/contract/manifest.toml with a reason and the issue it waits for; XPASS: declared",
             "but passes (promote it); DIVERGE: facts differ; FAIL: crash, timeout or tracer error;",
             "SKIP: the native oracle cannot run on that host.", "",
             f"Date: {', '.join(dates)}. Engines x profiles: {', '.join(envs)}.", "",
             "## Totals", "",
             "| category | tests | " + " | ".join(f"{e} pass" for e in envs) + " |",
             "|---|---|" + "---|" * len(envs)]

    def count(env, subset, classes=("PASS",)):
        res = per_env[env]["results"]
        return sum(1 for t in subset if res.get(t, {}).get("cls") in classes)

    for cat in [*cats, None]:
        subset = [t for t in tids if cat is None or t.startswith(cat + "/")]
        cells = []
        for e in envs:
            p = count(e, subset, ("PASS", "XPASS"))
            cells.append(f"{p}/{len(subset)} ({100 * p / max(len(subset), 1):.0f}%)")
        name = "**total**" if cat is None else cat
        lines.append(f"| {name} | {len(subset)} | " + " | ".join(cells) + " |")
    lines += ["", "| class | " + " | ".join(envs) + " |", "|---|" + "---|" * len(envs)]
    for cls in CLASSES:
        lines.append(f"| {cls} | " + " | ".join(str(count(e, tids, (cls,))) for e in envs) + " |")
    for cat in cats:
        lines += ["", f"## {cat}", "", "| test | " + " | ".join(envs) + " | note |",
                  "|---|" + "---|" * len(envs) + "---|"]
        for t in [t for t in tids if t.startswith(cat + "/")]:
            cells = [per_env[e]["results"].get(t, {}).get("cls", "-") for e in envs]
            entry = manifest.get("xfail", {}).get(t)
            note = ""
            if entry:
                note = entry.get("reason", "")
                if entry.get("issue"):
                    note += f" (issue {entry['issue']})"
            elif any(c in ("DIVERGE", "FAIL") for c in cells):
                note = next(per_env[e]["results"][t]["detail"] for e in envs
                            if per_env[e]["results"].get(t, {}).get("cls") in ("DIVERGE", "FAIL"))
            lines.append(f"| {t.split('/', 1)[1]} | " + " | ".join(cells) + f" | {_md(note)} |")
    path.write_text("\n".join(lines) + "\n")
    return path


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# ---- command line -------------------------------------------------------------------------

def summary_lines(results: list[Result]) -> list[str]:
    counts = {c: sum(1 for r in results if r.cls == c) for c in CLASSES}
    passed = counts["PASS"] + counts["XPASS"]
    failed = counts["DIVERGE"] + counts["FAIL"]
    out = []
    xpass = [r.tid for r in results if r.cls == "XPASS"]
    if xpass:
        out.append("XPASS (declared XFAIL but passing; remove from manifest.toml): " + ", ".join(xpass))
    out.append(", ".join(f"{counts[c]} {c}" for c in CLASSES))
    out.append(f"{passed} passed, {failed} failed")
    return out


def report_line(r: Result, verbose: bool) -> str:
    line = f"{r.cls:7} {r.tid}  ({r.seconds:.1f}s)"
    if r.detail:
        line += f"  {r.detail}"
    if r.cls == "XFAIL" and r.xfail_reason:
        line += f"  [{r.xfail_reason}; issue {r.xfail_issue}]"
    if r.diff and (r.cls in ("DIVERGE", "FAIL") or verbose):
        line += "\n" + "\n".join("    " + ln for ln in r.diff.splitlines())
    return line


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.contract.runner", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("tests", nargs="*", help="test ids or categories (default: all)")
    ap.add_argument("-k", dest="keyword", help="only tests whose id contains this")
    ap.add_argument("-j", "--jobs", type=int, help="parallel tests (default: CPUs)")
    ap.add_argument("--env", choices=ENVS, action="append",
                    help="engine-profile (repeatable; default: from KEVLAR_PURE/KEVLAR_PROFILE)")
    ap.add_argument("--all-envs", action="store_true", help="run all four envs")
    ap.add_argument("--report", action="store_true",
                    help="only write docs/conformance.md from the saved results")
    ap.add_argument("--no-doc", action="store_true", help="do not write docs/conformance.md")
    ap.add_argument("-v", "--verbose", action="store_true", help="diffs of XFAIL too")
    ap.add_argument("-q", "--quiet", action="store_true", help="only non-PASS lines")
    opts = ap.parse_args(argv)

    if opts.report:
        print(write_doc(load_results()))
        return 0
    tids = discover()
    if opts.tests:
        tids = [t for t in tids if any(t == s or t.startswith(s.rstrip("/") + "/") for s in opts.tests)]
    if opts.keyword:
        tids = [t for t in tids if opts.keyword in t]
    envs = list(ENVS) if opts.all_envs else (opts.env or [current_env()])
    status = 0
    everything: list[Result] = []
    for env in envs:
        print(f"== {env}: {len(tids)} contract tests", flush=True)
        runner = Runner(env, opts.jobs)

        def show(r):
            if not (opts.quiet and r.cls == "PASS"):
                print(report_line(r, opts.verbose), flush=True)
        results = runner.run(tids, on_result=show)
        if len(tids) == len(discover()):
            save_results(env, results)
        lines = summary_lines(results)
        if len(envs) > 1:
            print(f"{env}: {lines[-2]}")
        if any(not r.ok for r in results):
            status = 1
        everything += results
    if not opts.no_doc and len(tids) == len(discover()):
        print(f"wrote {write_doc(load_results())}")
    for line in summary_lines(everything):
        print(line)
    return status


if __name__ == "__main__":
    sys.exit(main())
