"""The world real programs see: with a merged /usr bound at /usr, /bin and /sbin link
into it as on the host (the merged_usr case compares that with Linux); a /usr without
bin/sh (a split /usr, or any other directory) leaves the busybox /bin in place."""

import os

import pytest
from conftest import kevlar


@pytest.mark.tracer
def test_split_usr_keeps_busybox_bin(tmp_path):
    (tmp_path / "bin").mkdir()
    r = kevlar(["/bin/busybox", "sh", "-c", "test -d /bin -a ! -L /bin && echo dir; ls /usr/bin"],
               options=("--bind", f"{tmp_path}:/usr:ro"))
    assert r.returncode == 0, r.stderr
    assert r.stdout == b"dir\n"


@pytest.mark.tracer
@pytest.mark.skipif(not os.path.exists("/usr/bin/sh") or not os.path.exists("/usr/bin/busybox"),
                    reason="the host's /usr is not merged, or has no busybox")
def test_merged_usr_links_bin_and_sbin():
    r = kevlar(["/bin/sh", "-c", "readlink /bin /sbin; test -x /bin/busybox && echo busybox"],
               options=("--bind", "/usr:/usr:ro"))
    assert r.returncode == 0, r.stderr
    assert r.stdout == b"usr/bin\nusr/sbin\nbusybox\n"
