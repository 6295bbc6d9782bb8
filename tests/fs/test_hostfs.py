"""Host binds (kevlar-trace --bind HOST:GUEST[:ro], fs/hostfs.py): what the guest sees and
changes, and that nothing outside the bind is ever reachable."""

import os
import subprocess
from pathlib import Path

import pytest
from conftest import kevlar, native, sh

from fs.contract_util import build, compare

C = Path(__file__).parent / "c"


def _tree(root: Path) -> None:
    (root / "f").write_text("from the host\n")
    (root / "d").mkdir()
    (root / "d" / "in").write_text("inner\n")
    (root / "l").symlink_to("f")


@pytest.mark.tracer
def test_done_means_ls_then_touch_is_erofs(tmp_path):
    """The issue's command: the listing works, the touch fails with EROFS."""
    _tree(tmp_path)
    r = kevlar(["/bin/busybox", "sh", "-c", "ls /data; touch /data/x; echo rc=$?"],
               options=("--bind", f"{tmp_path}:/data:ro"))
    assert r.stdout == b"d\nf\nl\nrc=1\n", r.stderr
    assert b"Read-only file system" in r.stderr
    assert not (tmp_path / "x").exists()


@pytest.mark.tracer
def test_every_write_path_is_erofs_like_a_native_ro_bind(tmp_path):
    """rofs.c natively on a read-only bind mount it makes, and under Kevlar on :ro."""
    _tree(tmp_path)
    (tmp_path / "target").mkdir()
    binary = build(Path(__file__).parent / "progs" / "rofs.c")
    theirs = native([binary, str(tmp_path), str(tmp_path / "target")])
    assert theirs.stdout.endswith(b"done\n"), theirs.stdout
    (tmp_path / "target").rmdir()
    mine = kevlar([binary, "/data"], options=("--bind", f"{tmp_path}:/data:ro"))
    compare(theirs, mine)
    assert sorted(os.listdir(tmp_path)) == ["d", "f", "l"]


@pytest.mark.tracer
def test_guest_symlinks_never_open_host_files(tmp_path):
    """Symlinks in the bind are walked by Kevlar from the guest's root: /etc/shadow is
    the guest's, a link out of the bind with .. lands in the guest's tree, and a host
    file next to the bind is never read."""
    secret = tmp_path / "secret"
    secret.write_text("HOST-SECRET\n")
    bind = tmp_path / "bind"
    bind.mkdir()
    (bind / "shadow").symlink_to("/etc/shadow")
    (bind / "up").symlink_to("../secret")
    (bind / "deep").symlink_to("../../../../../../../.." + str(secret))
    (bind / "abs").symlink_to(str(secret))
    (bind / "etc").symlink_to("/etc")
    (bind / "dot").mkdir()
    script = ("cat /data/shadow; cat /data/up; cat /data/deep; cat /data/abs; cat /data/etc/hostname;"
              " cat /data/../secret; cd /data/dot/../..; pwd; ls /data/..//data/../data | wc -l")
    r = kevlar(["/bin/busybox", "sh", "-c", script], options=("--bind", f"{bind}:/data"))
    assert b"HOST-SECRET" not in r.stdout + r.stderr
    guest_shadow = b"root:*:19000:0:99999:7:::\n"
    assert r.stdout.startswith(guest_shadow), r.stdout
    assert b"kevlar\n" in r.stdout  # the guest's /etc/hostname through the link
    assert b"No such file or directory" in r.stderr
    host_shadow = Path("/etc/shadow").read_bytes() if os.access("/etc/shadow", os.R_OK) else b""
    if host_shadow and host_shadow != guest_shadow:
        assert host_shadow not in r.stdout


@pytest.mark.tracer
def test_host_sees_guest_changes_on_a_writable_bind(tmp_path):
    _tree(tmp_path)
    script = ("echo new > /data/new && mkdir /data/nd && mv /data/f /data/nd/f2 && ln -s nd/f2 /data/sl"
              " && rm /data/d/in && rmdir /data/d && chmod 600 /data/new && ln /data/new /data/hard"
              " && cat /data/sl && stat -c '%h' /data/new")
    r = kevlar(["/bin/busybox", "sh", "-c", script], options=("--bind", f"{tmp_path}:/data"))
    assert r.returncode == 0, r.stderr
    assert r.stdout == b"from the host\n2\n"
    assert (tmp_path / "new").read_text() == "new\n"
    assert (tmp_path / "nd" / "f2").read_text() == "from the host\n"
    assert os.readlink(tmp_path / "sl") == "nd/f2"
    assert not (tmp_path / "d").exists()
    assert (tmp_path / "new").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "hard").stat().st_ino == (tmp_path / "new").stat().st_ino


@pytest.mark.tracer
def test_shared_mapping_of_a_bound_file_writes_the_host_file(tmp_path):
    (tmp_path / "m").write_bytes(b"\0" * 4096)
    prog = tmp_path / "writer.c"
    prog.write_text(
        '#include <sys/mman.h>\n#include <fcntl.h>\n#include <string.h>\n#include <unistd.h>\n'
        'int main(void){int fd=open("/data/m",O_RDWR);char*p=mmap(0,4096,PROT_READ|PROT_WRITE,'
        'MAP_SHARED,fd,0);if(p==MAP_FAILED)return 1;memcpy(p,"through-map",11);'
        'return msync(p,4096,MS_SYNC)?2:0;}\n')
    exe = tmp_path / "writer"
    subprocess.run(["musl-gcc", "-static", "-O1", "-o", str(exe), str(prog)], check=True)
    r = kevlar([str(exe)], options=("--bind", f"{tmp_path}:/data"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "m").read_bytes()[:11] == b"through-map"


@pytest.mark.tracer
def test_bind_errors_are_reported(tmp_path):
    r = kevlar(["/bin/busybox", "true"], options=("--bind", f"{tmp_path}/missing:/data"))
    assert r.returncode == 2 and b"kevlar: --bind" in r.stderr
    r = kevlar(["/bin/busybox", "true"], options=("--bind", "relative-guest"))
    assert r.returncode == 2 and b"HOST_DIR:GUEST_DIR" in r.stderr


@pytest.mark.tracer
@pytest.mark.parametrize("host_dir", ["tmp", "/dev/shm"])
def test_statfs_and_mounts_of_a_bind(tmp_path, host_dir):
    """statfs and the mounts files name the host's file system, as for a bind mount:
    findmnt on the host is the oracle."""
    host = str(tmp_path) if host_dir == "tmp" else host_dir
    r = sh("stat -f -c '%t' /data; grep ' /data ' /proc/mounts; grep ' /data ' /proc/self/mountinfo",
           options=("--bind", f"{host}:/data:ro"))
    host_magic = subprocess.run(["stat", "-f", "-c", "%t", host], capture_output=True).stdout
    fstype = subprocess.run(["findmnt", "-n", "-o", "FSTYPE", "-T", host], capture_output=True,
                            check=True).stdout.split()[-1]  # the topmost of stacked mounts
    magic, mounts, mountinfo = r.stdout.splitlines()
    assert magic == host_magic.strip(), r.stderr
    assert mounts.startswith(host.encode() + b" /data " + fstype + b" ro")
    assert mountinfo.split(b" - ")[1].startswith(fstype + b" ")


@pytest.mark.tracer
def test_unlinked_open_file_stays_readable(tmp_path):
    _tree(tmp_path)
    r = sh("exec 3</data/f; rm /data/f; cat <&3; ls /data", options=("--bind", f"{tmp_path}:/data"))
    assert r.stdout == b"from the host\nd\nl\n", r.stderr
    assert not (tmp_path / "f").exists()


@pytest.mark.tracer
def test_guest_identity_is_checked_against_host_modes(tmp_path):
    """--uid 1000: the host file's mode and owner decide, as Kevlar's permission checks
    read them (the tracer itself may be root)."""
    _tree(tmp_path)
    tmp_path.chmod(0o755)  # pytest makes it 0700: the guest user could not even search it
    (tmp_path / "f").chmod(0o600)
    (tmp_path / "open").write_text("readable\n")
    r = sh("cat /data/f; cat /data/open; echo x > /data/d/new", options=(
        "--uid", "1000", "--gid", "1000", "--bind", f"{tmp_path}:/data"))
    assert r.stdout == b"readable\n", r.stderr
    assert r.stderr.count(b"Permission denied") == 2
    assert not (tmp_path / "d" / "new").exists()
