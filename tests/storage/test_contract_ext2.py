"""The contract programs (tests/contract/storage and /filesystem) run in a directory of an
ext2 image: natively on the image loop-mounted (Linux serves it with its ext4 driver),
and under Kevlar with the image attached as a disk. The outputs must match line by line,
but for facts about syscalls Kevlar does not have yet (listed below, not storage's)."""

import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, build_c, kevlar

from storage.helpers import assert_clean, loop_mount_available, mkfs

pytestmark = [pytest.mark.tracer,
              pytest.mark.skipif(not loop_mount_available(), reason="needs root and loop devices")]

# Facts whose syscalls are missing in Kevlar today (ENOSYS), nothing to do with ext2.
NOT_STORAGE = {"fchmodat2_nofollow_symlink", "fchmodat2_bad_flag", "readahead_file", "readahead_pipe"}

STORAGE = sorted((ROOT / "tests" / "contract" / "storage").glob("*.c"))
FILESYSTEM = sorted((ROOT / "tests" / "contract" / "filesystem").glob("*.c"))


def facts(text: bytes) -> list[str]:
    return [line for line in text.decode(errors="replace").splitlines()
            if line.partition("=")[0] not in NOT_STORAGE]


def run_both(source: Path, tmp_path: Path) -> tuple[bytes, bytes, Path]:
    program = build_c(source)
    native_img = mkfs(tmp_path / "native.img", size="64M", block_size=4096)
    kevlar_img = mkfs(tmp_path / "kevlar.img", size="64M", block_size=4096)
    target = tmp_path / "mnt"
    target.mkdir()
    mounted = subprocess.run(["mount", "-o", "loop", str(native_img), str(target)], capture_output=True)
    if mounted.returncode:
        pytest.skip("mount -o loop failed")
    try:
        (target / "scratch").mkdir()
        native = subprocess.run([str(program)], cwd=target / "scratch", capture_output=True,
                                timeout=60).stdout
    finally:
        subprocess.run(["umount", str(target)], capture_output=True)
    setup = kevlar(["/bin/busybox", "mkdir", "/mnt/disk0/scratch"], options=("--disk", str(kevlar_img)))
    assert setup.returncode == 0
    out = kevlar([str(program)], options=("--disk", str(kevlar_img), "--cwd", "/mnt/disk0/scratch"))
    return native, out.stdout, kevlar_img


def check(source: Path, tmp_path: Path) -> None:
    native, mine, image = run_both(source, tmp_path)
    assert facts(mine) == facts(native), \
        f"{source.name}:\n--- native\n{native.decode()}\n--- kevlar\n{mine.decode()}"
    assert_clean(image)


@pytest.mark.parametrize("source", STORAGE, ids=lambda p: p.stem)
def test_storage_contracts_on_ext2(source, tmp_path):
    check(source, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("source", FILESYSTEM, ids=lambda p: p.stem)
def test_filesystem_contracts_on_ext2(source, tmp_path):
    check(source, tmp_path)
