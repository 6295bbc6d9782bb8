"""The busybox applet suite (issue 3, done-means): shell scripts in tests/fs/applets/
exercise busybox applets on files in a scratch directory. Each script runs twice with the
host's /bin/busybox: natively in a fresh host directory, and under kevlar-trace with
`--cwd` at the same path in the guest. The outputs (stdout and stderr together) and exit
statuses must be equal after normalizing only what must differ.

The native scratch directory is made on a host tmpfs (/dev/shm) when there is one, so the
oracle is the file system Kevlar's tmpfs imitates: directory sizes, st_blocks and link
counts are compared as they are. What still differs, and why it is normalized:

- times that are "now" (the run's dates, as ls, stat, tar and diff print them): the two
  runs happen at different moments. Times the scripts set with `touch -d` are compared.
- inode numbers (printed as "ino=N" by the scripts): each file system numbers its own;
  they become I1, I2, ... in order of appearance, so "same inode" facts stay compared.
- the capacity and usage columns of df for the scratch mount: the host's /dev/shm and
  Kevlar's are different mounts of different sizes (other host files count as used).

If the host has no writable tmpfs, the scratch directory is a host temp directory and,
because that file system is not tmpfs, directory sizes and block counts are normalized
too (ext4 gives a directory 4096 bytes and 8 blocks where tmpfs counts entries).
"""

import datetime
import os
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import kevlar, native

APPLETS = Path(__file__).resolve().parent / "applets"
SCRIPTS = sorted(APPLETS.glob("*.sh"))
BUSYBOX = "/bin/busybox"
ENV = {"PATH": "/bin:/sbin:/usr/bin:/usr/sbin", "HOME": "/root", "TZ": "UTC", "LC_ALL": "C"}

pytestmark = pytest.mark.skipif(not os.path.exists(BUSYBOX), reason="needs /bin/busybox")


def host_tmpfs() -> str | None:
    """A writable tmpfs mount point of the host, if any."""
    try:
        with open("/proc/mounts") as f:
            mounts = [line.split()[:3] for line in f]
    except OSError:
        return None
    for _source, where, kind in mounts:
        if where == "/dev/shm" and kind == "tmpfs" and os.access(where, os.W_OK):
            return where
    return None


def run_both(script: Path):
    """(native, kevlar, on_tmpfs): the script's results natively and under Kevlar (the
    two runs go side by side; each has its own scratch directory, on its own kernel)."""
    text = "exec 2>&1\n" + script.read_text()
    parent = host_tmpfs()
    scratch = tempfile.mkdtemp(prefix="kevlar-applets-", dir=parent)
    os.chmod(scratch, 0o755)  # as --cwd makes it in the guest (mkdtemp gives 0700)
    options = ["--cwd", scratch, "--uid", str(os.getuid()), "--gid", str(os.getgid())]
    for name, value in ENV.items():
        options += ["--env", f"{name}={value}"]
    try:
        with ThreadPoolExecutor(1) as pool:  # leaving it waits for the native run
            native_run = pool.submit(native, [BUSYBOX, "sh", "-c", text], cwd=scratch,
                                     env=ENV, timeout=120)
            mine = kevlar([BUSYBOX, "sh", "-c", text], options=tuple(options), timeout=120)
            theirs = native_run.result()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return theirs, mine, parent is not None


def _today_patterns(start: datetime.datetime, end: datetime.datetime) -> list[re.Pattern]:
    days = {start.date(), end.date()}
    out = []
    for day in days:
        # ls -l: "Nov 23 13:46" (day padded to two columns)
        out.append(re.compile(re.escape(f"{day:%b} {day.day:>2} ") + r"\d\d:\d\d"))
        # stat, tar tv, diff -u, ls -e / --full-time: "2026-11-23 13:46:01[.nnn][ +0000]"
        out.append(re.compile(re.escape(f"{day:%Y-%m-%d}") + r"[ T]\d\d:\d\d(:\d\d(\.\d+)?)?"
                              r"( [+-]\d{4})?"))
        # ls -e: "Mon Nov 23 13:46:01 2026"
        out.append(re.compile(re.escape(f"{day:%a %b} {day.day:>2} ") + r"\d\d:\d\d:\d\d "
                              + re.escape(f"{day:%Y}")))
    return out


DF_LINE = re.compile(r"^(\S+)\s+\d+\s+\d+\s+\d+\s+\d+%\s+(/.*)$", re.M)
INO = re.compile(r"\bino=(\d+)")
LS_DIR = re.compile(r"^(d[-rwxsStT]{9}\s+\d+\s+\S+\s+\S+\s+)\d+", re.M)


def normalize(text: str, patterns: list[re.Pattern], tmpfs: bool) -> str:
    for pattern in patterns:
        text = pattern.sub("<now>", text)
    text = DF_LINE.sub(r"\1 <size> <used> <avail> <use%> \2", text)
    numbers: dict[str, str] = {}
    text = INO.sub(lambda m: "ino=I" + numbers.setdefault(m.group(1), str(len(numbers) + 1)),
                   text)
    if not tmpfs:
        text = LS_DIR.sub(r"\1<dirsize>", text)
        text = re.sub(r"\b(blocks|dirsize)=\d+", r"\1=<n>", text)
    return text


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_applet_script(script):
    start = datetime.datetime.now(datetime.UTC)
    theirs, mine, tmpfs = run_both(script)
    end = datetime.datetime.now(datetime.UTC)
    patterns = _today_patterns(start, end)
    want = normalize(theirs.stdout.decode(errors="replace"), patterns, tmpfs)
    got = normalize(mine.stdout.decode(errors="replace"), patterns, tmpfs)
    if want != got:
        want_lines, got_lines = want.splitlines(), got.splitlines()
        for i, (a, b) in enumerate(zip(want_lines, got_lines, strict=False)):
            if a != b:
                context = "\n".join(want_lines[max(0, i - 5):i])
                pytest.fail(f"{script.name} line {i + 1} differs\n--- context (native)\n{context}\n"
                            f"--- native: {a!r}\n--- kevlar: {b!r}\n--- kevlar stderr:\n"
                            f"{mine.stderr.decode(errors='replace')[-2000:]}")
        pytest.fail(f"{script.name}: native printed {len(want_lines)} lines, kevlar "
                    f"{len(got_lines)}\nnative tail: {want_lines[-3:]}\nkevlar tail: "
                    f"{got_lines[-3:]}\n{mine.stderr.decode(errors='replace')[-2000:]}")
    assert theirs.returncode == mine.returncode, mine.stderr.decode(errors="replace")[-2000:]


def test_suite_covers_forty_applets():
    """The done-means asks for at least 40 applets on files; count the ones the scripts
    call (a word at the start of a command that busybox knows as an applet)."""
    applets = set(native([BUSYBOX, "--list"]).stdout.decode().split())
    used = set()
    for script in SCRIPTS:
        for line in script.read_text().splitlines():
            line = line.split("#", 1)[0]
            for command in re.split(r"[|;&()`]|\$\(|&&|\|\||\bthen\b|\bdo\b|\belse\b", line):
                words = command.split()
                while words and "=" in words[0]:
                    words.pop(0)
                if words and words[0] in applets:
                    used.add(words[0])
    assert len(used - {"sh", "echo", "test", "[", "true", "false", "printf"}) >= 40, sorted(used)
