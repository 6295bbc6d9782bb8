"""util-linux's ipcmk, ipcs and ipcrm (the host's, through --bind /usr) under Kevlar and
natively in a fresh IPC namespace (unshare -i): the same listings, limits and removals.
ipcmk picks random keys: they are normalised."""

import re
import shutil
import subprocess

import pytest
from conftest import kevlar

SCRIPT = ("ipcmk -Q -p 0640 >/dev/null; ipcmk -S 3 >/dev/null; ipcmk -M 8192 -p 0600 >/dev/null; "
          "ipcs; ipcs -l; ipcrm -a; ipcs -q -s; echo rc=$?")
KEY = re.compile(rb"0x[0-9a-f]{8}")


def _normal(out: bytes) -> bytes:
    return KEY.sub(b"0xKEY", out)


@pytest.mark.tracer
def test_ipcmk_ipcs_ipcrm_match_a_fresh_namespace():
    if not all(shutil.which(tool) for tool in ("ipcs", "ipcmk", "ipcrm", "unshare")):
        pytest.skip("util-linux ipc tools not installed")
    native = subprocess.run(["unshare", "-i", "sh", "-c", SCRIPT], capture_output=True, timeout=30)
    if native.returncode != 0 and not native.stdout:
        pytest.skip(f"no IPC namespace natively: {native.stderr.decode(errors='replace')}")
    mine = kevlar(["/bin/busybox", "sh", "-c", "export PATH=/usr/bin:/bin; " + SCRIPT],
                  options=("--bind", "/usr:/usr:ro"))
    assert mine.returncode == 0, mine.stderr
    assert _normal(mine.stdout) == _normal(native.stdout)
    assert b"0xKEY 0" in _normal(mine.stdout)
