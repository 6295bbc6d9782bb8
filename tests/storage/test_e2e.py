"""End to end: busybox and C programs under kevlar-trace with --disk / --root-image, the
image checked afterwards with e2fsck -fn and debugfs (and a native read-only loop mount
where this machine allows one)."""

import os
import signal
import subprocess
import sys

import pytest
from conftest import ROOT, TRACE, build_c, kevlar

from storage.helpers import assert_clean, debugfs, loop_mount_available, mkfs

pytestmark = pytest.mark.tracer


@pytest.fixture(scope="session")
def disk_cache(tmp_path_factory):
    path = tmp_path_factory.mktemp("disk-cache")
    os.environ["KEVLAR_DISK_CACHE"] = str(path)
    return path


@pytest.fixture
def demo_disk(disk_cache, tmp_path):
    from kevlar.disk import build
    out = tmp_path / "demo.img"
    build(str(ROOT / "disk" / "demo.toml"), str(out))
    return out


def sh_on(disks: list[str], script: str, *options: str, **kw):
    opts = [o for d in disks for o in ("--disk", d)] + list(options)
    return kevlar(["/bin/busybox", "sh", "-c", script], options=tuple(opts), **kw)


def test_mini_storage_passes_on_the_demo_disk(demo_disk):
    source = ROOT / "tests" / "contract" / "integration" / "mini_storage.c"
    program = build_c(source)
    out = kevlar([str(program), "/mnt/disk0"], options=("--disk", str(demo_disk)))
    text = out.stdout.decode()
    assert out.returncode == 0, text + out.stderr.decode()
    for name in ("statfs_ext2", "statfs_tmpfs", "statx_size", "utimensat", "inotify_epoll", "sendfile_ext2",
                 "exec_disk", "proc_maps", "proc_cpuinfo", "mini_storage_all"):
        assert f"TEST_PASS {name}\n" in text, text
    assert_clean(demo_disk)


def test_busybox_writes_reach_the_image(demo_disk):
    script = """
        set -e
        cd /mnt/disk0
        echo "written by kevlar" > new.txt
        mkdir -p a/b/c
        dd if=/dev/zero of=a/b/c/zeros bs=1024 count=300 2>/dev/null
        cp greeting.txt a/copy.txt
        mv a/copy.txt a/b/moved.txt
        ln a/b/moved.txt hard.txt
        ln -s a/b/c target-link
        rm subdir/nested.txt
        rmdir subdir
        chmod 600 new.txt
        touch -d "2001-09-09 01:46:40" new.txt
        ./hello
        ls -l hard.txt | cut -c1-15
        sync
    """
    out = sh_on([str(demo_disk)], script)
    assert out.returncode == 0, out.stderr.decode()
    assert out.stdout.decode().splitlines()[-2:] == ["hello from disk!", "-rw-r--r--    2"]
    assert_clean(demo_disk)
    assert debugfs(demo_disk, "cat /new.txt") == b"written by kevlar\n"
    assert debugfs(demo_disk, "cat /a/b/moved.txt") == b"hello from ext2\n"
    assert debugfs(demo_disk, "cat /a/b/c/zeros") == bytes(300 * 1024)
    stat_new = debugfs(demo_disk, "stat /new.txt").decode()
    assert "Mode:  0600" in stat_new and "mtime: 0x3b9aca00" in stat_new
    assert b"Links: 2" in debugfs(demo_disk, "stat /hard.txt")
    assert b"subdir" not in debugfs(demo_disk, "ls /")
    assert b"Fast link dest: \"a/b/c\"" in debugfs(demo_disk, "stat /target-link")


def test_data_is_on_the_image_once_the_guest_syncs(demo_disk):
    """Invariant 4 without a clean exit: the guest syncs, then Kevlar is SIGKILLed."""
    script = "echo durable > /mnt/disk0/durable.txt; sync; echo synced; sleep 30"
    proc = subprocess.Popen([*TRACE, "--disk", str(demo_disk), "--", "/bin/busybox", "sh", "-c", script],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        assert proc.stdout.readline() == b"synced\n"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert debugfs(demo_disk, "cat /durable.txt") == b"durable\n"
    assert_clean(demo_disk)


def test_read_only_disk(demo_disk):
    before = demo_disk.read_bytes()
    out = sh_on([f"{demo_disk}:ro"], "cat /mnt/disk0/greeting.txt; "
                "echo x > /mnt/disk0/new 2>&1 || echo refused;"
                " grep disk0 /proc/mounts")
    text = out.stdout.decode()
    assert "hello from ext2" in text and "refused" in text and "/mnt/disk0 ext2 ro" in text
    assert demo_disk.read_bytes() == before


def test_snapshot_leaves_the_image_untouched(demo_disk):
    before = demo_disk.read_bytes()
    out = sh_on([str(demo_disk)], "echo changed > /mnt/disk0/greeting.txt; cat /mnt/disk0/greeting.txt",
                "--snapshot")
    assert out.stdout == b"changed\n"
    assert demo_disk.read_bytes() == before


def test_guest_mounts_and_unmounts_a_disk(demo_disk, tmp_path):
    second = mkfs(tmp_path / "second.img", size="4M")
    script = """
        mkdir -p /mnt/x /mnt/y
        mount -t ext2 /dev/vdb /mnt/x && echo mounted
        echo hi > /mnt/x/file
        mount -t ext2 -o ro /dev/vdb /mnt/y && cat /mnt/y/file
        grep vdb /proc/mounts | sort
        umount /mnt/y
        mount -o remount,ro /mnt/x && (touch /mnt/x/other 2>/dev/null || echo read-only-now)
        mount -o remount,rw /mnt/x && touch /mnt/x/other && echo writable-again
        umount /mnt/x && echo unmounted
        mount -t ext2 /dev/vdz /mnt/x 2>/dev/null || echo no-such-disk
        mount -t ext2 /dev/null /mnt/x 2>/dev/null || echo not-a-block-device
        ls /dev/vda /dev/vdb
    """
    out = sh_on([str(demo_disk), f"{second}:none"], script)
    text = out.stdout.decode().splitlines()
    assert text[:2] == ["mounted", "hi"], out.stdout.decode() + out.stderr.decode()
    assert text[2:4] == ["/dev/vdb /mnt/x ext2 rw,relatime 0 0", "/dev/vdb /mnt/y ext2 ro,relatime 0 0"]
    assert text[4:] == ["read-only-now", "writable-again", "unmounted", "no-such-disk", "not-a-block-device",
                        "/dev/vda", "/dev/vdb"]
    assert_clean(second)
    assert debugfs(second, "cat /file") == b"hi\n"
    header = subprocess.run(["dumpe2fs", "-h", str(second)], capture_output=True, text=True).stdout
    states = [line.split()[-1] for line in header.splitlines() if line.startswith("Filesystem state:")]
    assert states == ["clean"]


def test_disks_in_proc_and_sys(demo_disk, tmp_path):
    other = mkfs(tmp_path / "other.img", size="4M")
    out = sh_on([str(demo_disk), f"{other}:none:ro"],
                "grep vd /proc/partitions; cat /sys/block/vda/size /sys/block/vdb/ro")
    assert out.stdout.decode().split() == ["254", "0", "16384", "vda", "254", "16", "4096", "vdb",
                                           "32768", "1"], out.stderr.decode()


def test_raw_disk_device(demo_disk):
    script = ("dd if=/dev/vda bs=1024 skip=1 count=1 2>/dev/null | od -A n -t x2 | sed -n 4p; "
              "blockdev --getsize64 /dev/vda; blockdev --getss /dev/vdb; "
              "echo x | dd of=/dev/vdb 2>/dev/null || echo read-only-disk")
    out = sh_on([str(demo_disk), f"{demo_disk}:none:ro"], script)
    lines = out.stdout.decode().splitlines()
    assert lines[0].split()[4] == "ef53", out.stdout.decode() + out.stderr.decode()  # s_magic
    assert lines[1:] == ["16777216", "512", "read-only-disk"]
    assert_clean(demo_disk)


def test_root_image_with_busybox(disk_cache, tmp_path):
    from kevlar.disk import build
    src = tmp_path / "rootsrc"
    (src / "etc").mkdir(parents=True)
    (src / "etc" / "motd").write_text("welcome to the ext2 root\n")
    image = tmp_path / "root.img"
    build(str(src), str(image), busybox=True)
    out = kevlar(["/bin/busybox", "sh", "-c", "cat /etc/motd; echo made > /made.txt; stat -f -c %T /; "
                  "stat -f -c %T /tmp; ls /proc/self/exe >/dev/null && echo proc"],
                 options=("--root-image", str(image)))
    assert out.stdout.decode().splitlines() == ["welcome to the ext2 root", "ext2/ext3", "tmpfs", "proc"], \
        out.stderr.decode()
    assert debugfs(image, "cat /made.txt") == b"made\n"
    assert_clean(image)


def test_read_only_root_image_without_the_program(tmp_path):
    from kevlar.disk import build
    src = tmp_path / "bare"
    src.mkdir()
    (src / "note").write_text("no programs here\n")
    image = tmp_path / "bare.img"
    build(str(src), str(image), size="4M")
    before = image.read_bytes()
    out = kevlar(["/bin/busybox", "true"], options=("--root-image", f"{image}:ro"))
    assert out.returncode != 0 and b"cannot be imported" in out.stderr and b"--busybox" in out.stderr
    assert image.read_bytes() == before


def test_stats_show_the_cache(demo_disk):
    out = sh_on([str(demo_disk)], "cat /mnt/disk0/hello >/dev/null; cat /mnt/disk0/hello >/dev/null",
                "--stats")
    err = out.stderr.decode()
    assert "block vda" in err and "cache vda: hits" in err and "hit rate" in err, err


def test_unsupported_image_is_refused_with_its_feature(tmp_path):
    image = mkfs(tmp_path / "ext4.img", size="8M", fstype="ext4")
    out = sh_on([str(image)], "true")
    assert out.returncode == 2
    assert b"extent" in out.stderr and b"ext2:" in out.stderr


def test_missing_image_names_the_layer(tmp_path):
    out = sh_on([str(tmp_path / "nope.img")], "true")
    assert out.returncode == 2 and b"image: no such file" in out.stderr


@pytest.mark.skipif(not loop_mount_available(), reason="needs root and loop devices")
def test_statfs_matches_a_native_mount(demo_disk, tmp_path):
    fmt = "%b %f %a %c %d %S"
    out = sh_on([f"{demo_disk}:ro"], f"stat -f -c '{fmt}' /mnt/disk0")
    target = tmp_path / "mnt"
    target.mkdir()
    mounted = subprocess.run(["mount", "-o", "loop,ro", str(demo_disk), str(target)], capture_output=True)
    if mounted.returncode:
        pytest.skip("mount -o loop,ro failed")
    try:
        native = subprocess.run(["busybox", "stat", "-f", "-c", fmt, str(target)], capture_output=True)
    finally:
        subprocess.run(["umount", str(target)], capture_output=True)
    assert out.stdout == native.stdout


def test_cli_help_mentions_disks():
    out = subprocess.run([sys.executable, "-m", "kevlar.cli", "--help"], capture_output=True, text=True)
    assert "--disk IMAGE[:MOUNTPOINT][:ro]" in out.stdout and "--root-image" in out.stdout
    assert "--snapshot" in out.stdout and "--cache-mb" in out.stdout
