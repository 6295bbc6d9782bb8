"""Faults: unsupported features refused by name, a read-only disk, sectors that fail with
EIO, a host that runs out of space, and corrupted images (fuzzed superblock, inode,
directory and pointer fields). Every failure is a Linux errno; the tracer never sees any
other exception; nothing is written outside the file system; and where Kevlar wrote to a
healthy image, e2fsck still finds it clean."""

import os
import random
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kevlar.abi.constants import S_IFREG
from kevlar.abi.errors import EINVAL, EIO, EROFS, EUCLEAN, LinuxError
from kevlar.block.backend import FaultyBackend, MemoryBackend
from kevlar.block.device import BlockDevice
from kevlar.fs.ext2 import Ext2Error, Ext2Fs
from storage.helpers import assert_clean, lookup, mkfs, mount, read_all, unmount

REG = S_IFREG | 0o644


# -- features ------------------------------------------------------------------------------------
@pytest.mark.parametrize("args,feature", [
    (("-t", "ext3"), "has_journal"),
    (("-t", "ext4", "-O", "^has_journal"), "extent"),
    (("-O", "flex_bg"), "flex_bg"),
    (("-O", "huge_file"), "huge_file"),
    (("-O", "metadata_csum"), "metadata_csum"),
    (("-O", "inline_data"), "inline_data"),
    (("-O", "dir_nlink"), "dir_nlink"),
])
def test_unsupported_features_are_refused_by_name(tmp_path, args, feature):
    image = tmp_path / "f.img"
    with open(image, "wb") as f:
        f.truncate(8 << 20)
    import subprocess
    subprocess.run(["mke2fs", "-q", "-F", *(["-t", "ext2"] if "-t" not in args else []), *args, str(image)],
                   check=True, capture_output=True)
    before = image.read_bytes()
    for read_only in (False, True):
        with pytest.raises(EINVAL) as info:
            mount(image, read_only=read_only)
        assert isinstance(info.value, Ext2Error) and feature in str(info.value)
    assert image.read_bytes() == before


# -- the disk itself ----------------------------------------------------------------------------------
def populated(tmp_path, block_size=1024):
    src = tmp_path / f"src{block_size}"
    src.mkdir()
    (src / "a").write_bytes(os.urandom(60000))
    (src / "b").write_bytes(os.urandom(3000))
    (src / "d").mkdir()
    (src / "d" / "c").write_bytes(b"c" * 100)
    os.symlink("a", src / "l")
    return mkfs(tmp_path / f"p{block_size}.img", size="4M", block_size=block_size, src=src)


def sectors_of(image, path: bytes) -> set[int]:
    fs, dev = mount(image, read_only=True)
    inode = lookup(fs, path)
    spb = fs.block_size // 512
    blocks = [b for b in inode._map_range(0, (inode.size + fs.block_size - 1) // fs.block_size) if b]
    unmount(fs, dev)
    return {b * spb + k for b in blocks for k in range(spb)}


def test_read_only_disk(tmp_path):
    image = populated(tmp_path)
    before = image.read_bytes()
    with pytest.raises(EROFS):
        mount(image, read_only=True, faults=None) and None or _mount_rw_on_ro_disk(image)
    fs, dev = mount(image, read_only=True)
    assert len(read_all(lookup(fs, b"/a"))) == 60000
    for call in (lambda: fs.root.create(b"new", REG, 0, 0), lambda: fs.root.mkdir(b"n", 0o755, 0, 0),
                 lambda: lookup(fs, b"/a").write(0, b"x"), lambda: lookup(fs, b"/a").truncate(0),
                 lambda: fs.root.unlink(b"b"), lambda: lookup(fs, b"/a").setattr(mode=0o600),
                 lambda: fs.root.rename(b"a", fs.root, b"z", 0), lambda: fs.root.symlink(b"s", b"t", 0, 0)):
        with pytest.raises(EROFS):
            call()
    fs.sync()
    unmount(fs, dev)
    assert image.read_bytes() == before


def _mount_rw_on_ro_disk(image):
    from storage.helpers import open_device
    device = open_device(image, read_only=True)
    Ext2Fs(device, read_only=False)


def test_eio_sectors_fail_only_what_touches_them(tmp_path):
    image = populated(tmp_path)
    bad = sorted(sectors_of(image, b"/a"))[5:6]
    fs, dev = mount(image, faults={"bad_read": bad})
    with pytest.raises(EIO):
        read_all(lookup(fs, b"/a"))
    assert lookup(fs, b"/a").read(0, 512) != b""  # the sectors before are fine
    assert len(read_all(lookup(fs, b"/b"))) == 3000
    fs.root.create(b"new", REG, 0, 0).write(0, b"still works")
    unmount(fs, dev)
    assert_clean(image)


def test_eio_on_metadata_read(tmp_path):
    image = populated(tmp_path)
    fs, dev = mount(image, read_only=True)
    table_block, _ = fs.inode_location(12)
    unmount(fs, dev)
    bad = [table_block * 2, table_block * 2 + 1]
    fs, dev = mount(image, faults={"bad_read": bad}, cache_kb=16)
    with pytest.raises(EIO):
        for _c, name, _i in fs.root.entries():
            if name not in (b".", b".."):
                fs.root.lookup(name).read(0, 10)
    unmount(fs, dev)
    assert_clean(image)


def test_eio_on_write_back_is_reported_then_recovers(tmp_path):
    image = populated(tmp_path)
    victim = sorted(sectors_of(image, b"/b"))[0]
    fs, dev = mount(image, faults={"bad_write": [victim]})
    lookup(fs, b"/b").write(0, b"new data")
    with pytest.raises(EIO):
        fs.sync()
    dev.backend.bad_write.clear()
    fs.sync()  # the data stayed dirty and goes out now
    unmount(fs, dev)
    assert_clean(image)
    fs, dev = mount(image)
    assert lookup(fs, b"/b").read(0, 8) == b"new data"
    unmount(fs, dev)


def test_host_out_of_space_is_eio(tmp_path):
    image = populated(tmp_path)
    fs, dev = mount(image, faults={"write_budget": 0})
    with pytest.raises(EIO):
        fs.root.create(b"x", REG, 0, 0)  # the first change writes the superblock through
    dev.backend.write_budget = None
    unmount(fs, dev)
    assert_clean(image)


# -- corruption: specific cases -------------------------------------------------------------------------
def corrupt(image, offset: int, data: bytes):
    with open(image, "r+b") as f:
        f.seek(offset)
        f.write(data)


@pytest.mark.parametrize("offset,value,error", [
    (1024 + 0x38, struct.pack("<H", 0x1234), EINVAL),            # s_magic
    (1024 + 0x18, struct.pack("<I", 11), EINVAL),                # s_log_block_size
    (1024 + 0x04, struct.pack("<I", 10**8), EINVAL),             # s_blocks_count > disk
    (1024 + 0x20, struct.pack("<I", 0), EINVAL),                 # s_blocks_per_group
    (1024 + 0x28, struct.pack("<I", 10**6), EINVAL),             # s_inodes_per_group
    (1024 + 0x4C, struct.pack("<I", 7), EINVAL),                 # s_rev_level
    (1024 + 0x58, struct.pack("<H", 100), EINVAL),               # s_inode_size
    (2048 + 8, struct.pack("<I", 10**7), EINVAL),                # bg_inode_table of group 0
])
def test_corrupt_superblock_refused(tmp_path, offset, value, error):
    image = populated(tmp_path)
    corrupt(image, offset, value)
    with pytest.raises(error):
        mount(image)


def inode_offset(image, ino: int) -> int:
    fs, dev = mount(image, read_only=True)
    block, offset = fs.inode_location(ino)
    bs = fs.block_size
    unmount(fs, dev)
    return block * bs + offset


def test_corrupt_inodes_fail_the_operation(tmp_path):
    image = populated(tmp_path)
    fs, dev = mount(image, read_only=True)
    ino_a, ino_d = lookup(fs, b"/a").ino, lookup(fs, b"/d").ino
    unmount(fs, dev)
    base_a = inode_offset(image, ino_a)
    corrupt(image, base_a + 0x28, struct.pack("<I", 10**7))      # i_block[0] past the end
    corrupt(image, inode_offset(image, ino_d), struct.pack("<H", 0o170755))  # bogus type
    fs, dev = mount(image)
    with pytest.raises(EIO):
        lookup(fs, b"/a").read(0, 100)
    with pytest.raises(EUCLEAN):
        fs.root.lookup(b"d")
    assert len(read_all(lookup(fs, b"/b"))) == 3000
    unmount(fs, dev)
    root_offset = inode_offset(image, 2)
    corrupt(image, root_offset, struct.pack("<H", 0))  # the root inode's mode
    with pytest.raises(LinuxError):
        mount(image)


def test_corrupt_directory_entries(tmp_path):
    image = populated(tmp_path)
    fs, dev = mount(image, read_only=True)
    d = lookup(fs, b"/d")
    block = d._lookup(0) * fs.block_size
    unmount(fs, dev)
    corrupt(image, block + 12 + 4, struct.pack("<H", 3))  # rec_len of ".." below the minimum
    fs, dev = mount(image)
    d = fs.root.lookup(b"d")
    with pytest.raises(EIO):
        d.lookup(b"c")
    with pytest.raises(EIO):
        d.entries()
    with pytest.raises(EIO):
        d.create(b"new", REG, 0, 0)
    unmount(fs, dev)
    corrupt(image, block + 12 + 4, struct.pack("<H", 1012))
    corrupt(image, block + 12, struct.pack("<I", lookup_ino(image, b"/d")))  # ".." is itself
    fs, dev = mount(image)
    with pytest.raises(EUCLEAN):
        fs.root.lookup(b"d").lookup(b"..")
    unmount(fs, dev)


def lookup_ino(image, path):
    fs, dev = mount(image, read_only=True)
    ino = lookup(fs, path).ino
    unmount(fs, dev)
    return ino


def test_indirect_block_pointing_at_itself(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "big").write_bytes(os.urandom(40 * 1024))  # needs the indirect block
    image = mkfs(tmp_path / "i.img", size="4M", block_size=1024, src=src)
    fs, dev = mount(image, read_only=True)
    big = lookup(fs, b"/big")
    indirect = big.block[12]
    unmount(fs, dev)
    corrupt(image, indirect * 1024, struct.pack("<I", indirect) * 256)
    fs, dev = mount(image)
    data = read_all(lookup(fs, b"/big"))
    assert len(data) == 40 * 1024  # the loop is just data; no hang, no crash
    lookup(fs, b"/big").truncate(0)  # frees each "pointer" once, complains about the rest
    assert any("already cleared" in m or "freeing" in m for m in fs.messages)
    unmount(fs, dev)


# -- corruption: fuzzed ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fuzz")
    images = {}
    for bs in (1024, 4096):
        image = populated(tmp, bs)
        fs, dev = mount(image, read_only=True)
        targets = {"super": (1024, 1024), "gdt": ((fs.first_data_block + 1) * bs, 32)}
        for path in (b"/", b"/a", b"/d", b"/l", b"/d/c"):
            inode = lookup(fs, path)
            block, offset = fs.inode_location(inode.ino)
            targets[f"inode {path.decode()}"] = (block * bs + offset, 128)
            if inode.is_dir():
                targets[f"dir {path.decode()}"] = (inode._lookup(0) * bs, bs)
        ind = lookup(fs, b"/a").block[12]
        if ind:
            targets["indirect /a"] = (ind * bs, bs)
        unmount(fs, dev)
        images[bs] = (image.read_bytes(), targets)
    return images


def exercise(data: bytearray) -> list[str]:
    """Mount a (corrupt) image held in memory and do everything; only Linux errors may
    come out. Returns the errors met."""
    backend = FaultyBackend(MemoryBackend(data))
    device = BlockDevice(backend)
    device.cache_bytes = 64 << 10
    met = []
    try:
        fs = Ext2Fs(device)
    except LinuxError as exc:
        return [type(exc).__name__]
    fs.kernel = None
    seen = set()
    stack = [fs.root]
    budget = 200
    while stack and budget:
        budget -= 1
        node = stack.pop()
        try:
            if node.ino in seen:
                continue
            seen.add(node.ino)
            if node.is_dir():
                for _c, name, _i in node.entries():
                    if name not in (b".", b".."):
                        stack.append(node.lookup(name))
            elif node.is_reg():
                node.read(0, 1 << 20)
                node.write(node.size, b"appended")
                node.truncate(node.size // 2)
            elif node.is_symlink():
                node.readlink()
        except LinuxError as exc:
            met.append(type(exc).__name__)
    for call in (lambda: fs.root.create(b"fuzz-new", REG, 0, 0).write(0, b"x" * 5000),
                 lambda: fs.root.mkdir(b"fuzz-dir", 0o755, 0, 0),
                 lambda: fs.root.rename(b"b", fs.root, b"b2", 0),
                 lambda: fs.root.unlink(b"a"),
                 lambda: fs.root.rmdir(b"d"),
                 fs.sync, fs.shutdown):
        try:
            call()
        except LinuxError as exc:
            met.append(type(exc).__name__)
    return met


@pytest.mark.parametrize("bs", [1024, 4096])
@settings(max_examples=int(os.environ.get("KEVLAR_FUZZ_EXAMPLES", "40")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_fuzzed_images_give_errnos_only(pristine, bs, data):
    raw, targets = pristine[bs]
    name = data.draw(st.sampled_from(sorted(targets)))
    start, length = targets[name]
    image = bytearray(raw)
    for _ in range(data.draw(st.integers(1, 4))):
        pos = start + data.draw(st.integers(0, length - 1))
        width = data.draw(st.sampled_from([1, 2, 4]))
        value = data.draw(st.sampled_from([0, 1, 0xFF, 0xFFFF, 0xFFFFFFFF, 0x7FFFFFFF, 12, 1024, 65536,
                                           random.Random(pos).getrandbits(32)]))
        chunk = (value & ((1 << (8 * width)) - 1)).to_bytes(width, "little")
        image[pos:pos + width] = chunk[:len(image) - pos]
    size = len(image)
    exercise(image)
    assert len(image) == size  # nothing was written outside the disk


@pytest.mark.slow
def test_fuzz_campaign(pristine):
    rng = random.Random(1234)
    for _ in range(3000):
        bs = rng.choice([1024, 4096])
        raw, targets = pristine[bs]
        start, length = targets[rng.choice(sorted(targets))]
        image = bytearray(raw)
        for _ in range(rng.randint(1, 6)):
            pos = start + rng.randrange(length)
            image[pos] = rng.randrange(256)
        exercise(image)
        assert len(image) == len(raw)


def test_healthy_image_survives_exercise_and_stays_clean(tmp_path):
    image = populated(tmp_path)
    data = bytearray(image.read_bytes())
    assert exercise(data) == ["ENOTEMPTY"]  # rmdir of a directory with a file in it
    out = tmp_path / "after.img"
    out.write_bytes(data)
    assert_clean(out)
