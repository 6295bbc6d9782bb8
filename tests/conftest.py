"""Shared fixtures: run programs natively and under kevlar-trace, build C test programs.

Every test that runs a guest uses `kevlar()` (the engine and profile come from the tox
env: KEVLAR_PURE, KEVLAR_PROFILE) and, to compare with Linux, `native()` on the same
program. C programs are built with musl-gcc -static -O1, cached by source hash.
"""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "tests" / "build"
TRACE = [sys.executable, "-m", "kevlar.cli"]


def build_c(source: Path | str, extra: tuple[str, ...] = ()) -> Path:
    """Compile a C file (musl-gcc -static -O1) into tests/build, cached by content."""
    source = Path(source)
    text = source.read_bytes()
    header = ROOT / "tests" / "contract" / "lib" / "contract.h"
    if header.exists():
        text += header.read_bytes()
    digest = hashlib.sha256(text + " ".join(extra).encode()).hexdigest()[:16]
    out = BUILD / f"{source.stem}-{digest}"
    if not out.exists():
        BUILD.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(".tmp")
        subprocess.run(["musl-gcc", "-static", "-O1", "-o", str(tmp), str(source), *extra],
                       check=True)
        tmp.rename(out)
    return out


def kevlar(args: list[str], *, input: bytes | None = None, timeout: float = 60,
           cwd: str | None = None, options: tuple[str, ...] = (), env: dict | None = None):
    """Run `kevlar-trace [options] -- args`; returns CompletedProcess (bytes)."""
    full_env = dict(os.environ)
    full_env.setdefault("KEVLAR_STRICT", "1")
    if env:
        full_env.update(env)
    return subprocess.run([*TRACE, *options, "--", *args], input=input, capture_output=True,
                          timeout=timeout, cwd=cwd, env=full_env)


def native(args: list[str], *, input: bytes | None = None, timeout: float = 60,
           cwd: str | None = None, env: dict | None = None):
    return subprocess.run(args, input=input, capture_output=True, timeout=timeout, cwd=cwd,
                          env=env)


def sh(script: str, **kw):
    """A busybox shell script under Kevlar."""
    return kevlar(["/bin/busybox", "sh", "-c", script], **kw)


@pytest.fixture
def scratch(tmp_path):
    return tmp_path


def pytest_report_header(config):
    engine = "pure" if os.environ.get("KEVLAR_PURE", "0") not in ("", "0") else "cython"
    return [f"kevlar engine={engine} profile={os.environ.get('KEVLAR_PROFILE', 'fast')}",
            f"musl-gcc: {shutil.which('musl-gcc')}, busybox: {shutil.which('busybox')}"]
