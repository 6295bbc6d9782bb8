"""A guest started with --uid/--gid: Kevlar's permission checks on its own world (the
guest's /etc, /root, /tmp). The native oracle for these rules is tests/fs/c/perms.c
(and tests/contract/filesystem/sticky_dir.c); here the guest's own files are the subject."""

import pytest
from conftest import sh


@pytest.mark.tracer
def test_non_root_guest_in_the_default_world():
    r = sh("id -u; touch /etc/x; cat /etc/shadow; cd /root; echo hi > /tmp/mine && rm /tmp/mine"
           " && echo tmp-ok", options=("--uid", "1000", "--gid", "1000"))
    assert r.stdout == b"1000\ntmp-ok\n", r.stderr
    assert r.stderr.count(b"Permission denied") == 3
