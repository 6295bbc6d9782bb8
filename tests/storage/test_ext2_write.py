"""Kevlar's ext2 writes: every operation, then e2fsck -fn must find the image clean and
debugfs (or a native read-only loop mount) must see what was written."""

import os
import subprocess

import pytest

from kevlar.abi.constants import RENAME_EXCHANGE, RENAME_NOREPLACE, S_IFCHR, S_IFIFO, S_IFREG
from kevlar.abi.errors import (
    EEXIST,
    EFBIG,
    EINVAL,
    EISDIR,
    EMLINK,
    ENAMETOOLONG,
    ENOENT,
    ENOSPC,
    ENOTDIR,
    ENOTEMPTY,
    ENXIO,
    EPERM,
)
from kevlar.fs.ext2 import layout as L  # noqa: N812
from storage.helpers import (
    assert_clean,
    debugfs,
    e2fsck,
    lookup,
    loop_mount_available,
    mkfs,
    mount,
    read_all,
    unmount,
)

REG = S_IFREG | 0o644


@pytest.fixture(params=[1024, 4096], ids=["1k", "4k"])
def disk(request, tmp_path):
    return mkfs(tmp_path / "disk.img", size="16M", block_size=request.param)


def remount(fs, device, image, **kw):
    unmount(fs, device)
    assert_clean(image)
    return mount(image, **kw)


def test_create_write_read_persist(disk):
    fs, dev = mount(disk)
    data = os.urandom(300_000)
    f = fs.root.create(b"file", REG, 0, 0)
    assert f.write(0, data) == len(data)
    assert f.read(0, len(data)) == data
    fs, dev = remount(fs, dev, disk)
    f = lookup(fs, b"/file")
    assert read_all(f) == data and f.size == len(data)
    unmount(fs, dev)
    assert debugfs(disk, "cat /file") == data


def test_writes_through_every_indirection_level(tmp_path):
    """1 KiB blocks: 12 direct, 256 indirect, 65536 double; the triple range starts at
    67,383,296 bytes."""
    image = mkfs(tmp_path / "d.img", size="8M", block_size=1024)
    fs, dev = mount(image)
    f = fs.root.create(b"sparse", REG, 0, 0)
    spots = [0, 11 * 1024 + 10, 12 * 1024, 200 * 1024 + 5, (12 + 256) * 1024, (12 + 256 + 70000) * 1024,
             (12 + 256 + 65536) * 1024 + 3, (12 + 256 + 65536 + 300 * 256) * 1024 + 1023]
    written = {}
    for n, offset in enumerate(spots):
        data = bytes([n + 1]) * 1000
        f.write(offset, data)
        written[offset] = data
    fs, dev = remount(fs, dev, image)
    f = lookup(fs, b"/sparse")
    for offset, data in written.items():
        assert f.read(offset, len(data)) == data
    assert f.read(5 * 1024 * 1024, 4096) == bytes(4096)  # a hole
    assert f.size == spots[-1] + 1000
    # Shrink back through every level; blocks and indirect blocks are freed.
    free_before = fs.statfs()["f_bfree"]
    f.truncate(12 * 1024 + 10)
    assert fs.statfs()["f_bfree"] > free_before
    assert f.read(0, 1000) == written[0]
    assert f.read(12 * 1024, 20) == written[12 * 1024][:10] + bytes(0)
    fs, dev = remount(fs, dev, image)
    f = lookup(fs, b"/sparse")
    f.truncate(0)
    assert f.blocks == 0
    unmount(fs, dev)
    assert_clean(image)


def test_truncate_grow_and_shrink_read_zeros(disk):
    fs, dev = mount(disk)
    f = fs.root.create(b"t", REG, 0, 0)
    f.write(0, b"x" * 5000)
    f.truncate(100)
    f.truncate(9000)
    assert f.read(0, 9000) == b"x" * 100 + bytes(8900)
    f.write(20000, b"end")
    assert f.size == 20003 and f.read(9000, 11000) == bytes(11000)
    f.truncate(20001)
    f.write(f.size, b"!")  # append
    assert f.read(19990, 100) == bytes(10) + b"e!"
    with pytest.raises(EINVAL):
        f.truncate(-1)
    with pytest.raises(EFBIG):
        f.truncate(fs.max_size + 1)
    fs, dev = remount(fs, dev, disk)
    assert read_all(lookup(fs, b"/t")) == b"x" * 100 + bytes(19900) + b"e!"
    unmount(fs, dev)


def test_directories(disk):
    fs, dev = mount(disk)
    root = fs.root
    links = root.nlink
    a = root.mkdir(b"a", 0o755, 0, 0)
    assert root.nlink == links + 1 and a.nlink == 2
    b = a.mkdir(b"b", 0o700, 5, 6)
    assert a.nlink == 3 and b.lookup(b"..") is a
    with pytest.raises(EEXIST):
        root.mkdir(b"a", 0o755, 0, 0)
    with pytest.raises(ENOTEMPTY):
        root.rmdir(b"a")
    with pytest.raises(ENOTDIR):
        a.create(b"f", REG, 0, 0).lookup(b"x")
    with pytest.raises(ENOTDIR):
        a.rmdir(b"f")
    with pytest.raises(EISDIR):
        root.unlink(b"a")
    with pytest.raises(EINVAL):
        a.rmdir(b".")
    with pytest.raises(ENOTEMPTY):
        a.rmdir(b"..")
    with pytest.raises(ENAMETOOLONG):
        a.create(b"n" * 256, REG, 0, 0)
    a.create(b"n" * 255, REG, 0, 0)
    a.rmdir(b"b")
    assert a.nlink == 2 and b.unlinked()
    with pytest.raises(ENOENT):
        b.create(b"x", REG, 0, 0)  # in a removed directory
    fs, dev = remount(fs, dev, disk)
    assert sorted(n for _c, n, _i in lookup(fs, b"/a").entries()) == [b".", b"..", b"f", b"n" * 255]
    unmount(fs, dev)


def test_many_entries_grow_the_directory(disk):
    fs, dev = mount(disk)
    d = fs.root.mkdir(b"many", 0o755, 0, 0)
    names = [b"entry-%05d-%s" % (i, b"y" * (i % 60)) for i in range(700)]
    for name in names:
        d.create(name, REG, 0, 0).write(0, name)
    assert d.size > fs.block_size
    for name in names[::2]:
        d.unlink(name)
    for name in names[::4]:
        d.create(name + b"-again", REG, 0, 0)  # reuses the holes
    fs, dev = remount(fs, dev, disk)
    d = lookup(fs, b"/many")
    listed = {n for _c, n, _i in d.entries()} - {b".", b".."}
    assert listed == set(names[1::2]) | {n + b"-again" for n in names[::4]}
    for name in names[1::2][:40]:
        assert read_all(d.lookup(name)) == name
    unmount(fs, dev)
    out = debugfs(disk, "ls /many").decode()
    names_seen = set(out.split())
    assert "entry-00001-y" in names_seen and "entry-00000--again" in names_seen
    assert "entry-00000-" not in names_seen  # unlinked


def test_rename(disk):
    fs, dev = mount(disk)
    root = fs.root
    a, b = root.mkdir(b"a", 0o755, 0, 0), root.mkdir(b"b", 0o755, 0, 0)
    f = a.create(b"f", REG, 0, 0)
    f.write(0, b"data")
    a.rename(b"f", a, b"g", 0)  # same directory
    assert a.lookup(b"g") is f
    a.rename(b"g", b, b"h", 0)  # across directories
    assert b.lookup(b"h") is f
    with pytest.raises(ENOENT):
        a.lookup(b"g")
    victim = b.create(b"victim", REG, 0, 0)
    b.rename(b"h", b, b"victim", 0)  # replacing a file
    assert b.lookup(b"victim") is f and victim.unlinked()
    with pytest.raises(EEXIST):
        b.create(b"other", REG, 0, 0)
        b.rename(b"other", b, b"victim", RENAME_NOREPLACE)
    b.rename(b"other", b, b"victim", RENAME_EXCHANGE)  # as the ext4 driver does for ext2
    assert b.lookup(b"other") is f
    with pytest.raises(EINVAL):
        b.rename(b"other", b, b"victim", RENAME_EXCHANGE | RENAME_NOREPLACE)
    b.rename(b"other", b, b"victim", RENAME_EXCHANGE)
    # Directories: moving one updates its "..", link counts follow.
    sub = a.mkdir(b"sub", 0o755, 0, 0)
    links_a, links_b = a.nlink, b.nlink
    a.rename(b"sub", b, b"sub2", 0)
    assert sub.lookup(b"..") is b and a.nlink == links_a - 1 and b.nlink == links_b + 1
    empty = a.mkdir(b"empty", 0o755, 0, 0)
    b.rename(b"sub2", a, b"empty", 0)  # replacing an empty directory
    assert a.lookup(b"empty") is sub and empty.unlinked()
    full = b.mkdir(b"full", 0o755, 0, 0)
    full.create(b"x", REG, 0, 0)
    with pytest.raises(ENOTEMPTY):
        a.rename(b"empty", b, b"full", 0)
    with pytest.raises(ENOTDIR):
        a.rename(b"empty", b, b"other", 0)
    with pytest.raises(EISDIR):
        b.rename(b"other", b, b"full", 0)
    fs, dev = remount(fs, dev, disk)
    assert read_all(lookup(fs, b"/b/victim")) == b"data"
    assert lookup(fs, b"/a/empty/..") is lookup(fs, b"/a")
    unmount(fs, dev)
    assert b"empty" in debugfs(disk, "ls /a/empty/..")


def test_rename_exchange_across_directories(disk):
    fs, dev = mount(disk)
    root = fs.root
    a, b = root.mkdir(b"a", 0o755, 0, 0), root.mkdir(b"b", 0o755, 0, 0)
    sub = a.mkdir(b"sub", 0o755, 0, 0)
    f = b.create(b"file", REG, 0, 0)
    links_a, links_b = a.nlink, b.nlink
    a.rename(b"sub", b, b"file", RENAME_EXCHANGE)
    assert a.lookup(b"sub") is f and b.lookup(b"file") is sub
    assert sub.lookup(b"..") is b and (a.nlink, b.nlink) == (links_a - 1, links_b + 1)
    d2 = a.mkdir(b"d2", 0o755, 0, 0)
    a.rename(b"d2", b, b"file", RENAME_EXCHANGE)  # two directories swap parents
    assert d2.lookup(b"..") is b and sub.lookup(b"..") is a
    with pytest.raises(ENOENT):
        a.rename(b"d2", b, b"missing", RENAME_EXCHANGE)
    fs, dev = remount(fs, dev, disk)
    assert lookup(fs, b"/a/d2/..") is lookup(fs, b"/a")
    unmount(fs, dev)


def test_seek_data_and_hole(disk):
    fs, dev = mount(disk)
    bs = fs.block_size
    f = fs.root.create(b"sparse", REG, 0, 0)
    f.write(0, b"x")
    f.write(40 * bs + 5, b"y")
    f.write(5000 * bs, b"z")  # past the single indirect range for 1 KiB blocks
    assert f.next_data(0, hole=False) == 0
    assert f.next_data(0, hole=True) == bs
    assert f.next_data(bs + 7, hole=False) == 40 * bs
    assert f.next_data(40 * bs, hole=True) == 41 * bs
    assert f.next_data(41 * bs, hole=False) == 5000 * bs
    assert f.next_data(5000 * bs, hole=True) == f.size
    with pytest.raises(ENXIO):
        f.next_data(f.size, hole=False)
    unmount(fs, dev)


def test_hard_links_and_limits(disk):
    fs, dev = mount(disk)
    root = fs.root
    f = root.create(b"f", REG, 0, 0)
    for i in range(10):
        root.link(b"l%d" % i, f)
    assert f.nlink == 11
    with pytest.raises(EPERM):
        root.link(b"dirlink", root.mkdir(b"d", 0o755, 0, 0))
    with pytest.raises(EEXIST):
        root.link(b"l0", f)
    for i in range(10):
        root.unlink(b"l%d" % i)
    assert f.nlink == 1 and not f.deleted
    f.links = f.nlink = L.EXT2_LINK_MAX
    with pytest.raises(EMLINK):
        root.link(b"one-too-many", f)
    f.links = f.nlink = 1
    fs, dev = remount(fs, dev, disk)
    unmount(fs, dev)


def test_symlinks_fast_and_slow(disk):
    fs, dev = mount(disk)
    root = fs.root
    fast = root.symlink(b"fast", b"t" * 59, 0, 0)
    slow = root.symlink(b"slow", b"s" * 60, 0, 0)
    longest = root.symlink(b"longest", b"l" * (fs.block_size - 1), 0, 0)
    with pytest.raises(ENAMETOOLONG):
        root.symlink(b"toolong", b"l" * fs.block_size, 0, 0)
    assert fast.is_fast_symlink() and not slow.is_fast_symlink() and fast.blocks == 0
    fs, dev = remount(fs, dev, disk)
    assert lookup(fs, b"/fast").readlink() == b"t" * 59
    assert lookup(fs, b"/slow").readlink() == b"s" * 60
    assert lookup(fs, b"/longest").readlink() == b"l" * (fs.block_size - 1)
    fs.root.unlink(b"slow")
    unmount(fs, dev)
    assert b"Fast link dest" in debugfs(disk, "stat /fast")
    del longest


def test_special_files(disk):
    fs, dev = mount(disk)
    fs.root.mknod(b"null", S_IFCHR | 0o666, (1 << 8) | 3, 0, 0)
    fs.root.mknod(b"big", S_IFCHR | 0o600, 0x12345678 & 0xFFFFF, 0, 0)
    fs.root.mknod(b"fifo", S_IFIFO | 0o644, 0, 0, 0)
    fs, dev = remount(fs, dev, disk)
    assert lookup(fs, b"/null").rdev == (1 << 8) | 3
    assert lookup(fs, b"/big").rdev == 0x12345678 & 0xFFFFF
    assert lookup(fs, b"/fifo").mode == S_IFIFO | 0o644
    unmount(fs, dev)


def test_attributes_and_timestamps(tmp_path):
    for inode_size, keeps_ns in ((256, True), (128, False)):
        image = mkfs(tmp_path / f"i{inode_size}.img", size="4M", args=("-I", str(inode_size)))
        fs, dev = mount(image)
        f = fs.root.create(b"f", REG, 0, 0)
        f.setattr(mode=0o4711, uid=70000, gid=80000, atime=1_000_000_000_123_456_789,
                  mtime=1_100_000_000_987_654_321)
        fs, dev = remount(fs, dev, image)
        f = lookup(fs, b"/f")
        assert f.mode == S_IFREG | 0o4711 and (f.uid, f.gid) == (70000, 80000)
        if keeps_ns:
            assert (f.atime, f.mtime) == (1_000_000_000_123_456_789, 1_100_000_000_987_654_321)
        else:
            assert (f.atime, f.mtime) == (1_000_000_000 * 10**9, 1_100_000_000 * 10**9)
        f.setattr(mtime=(1 << 33) * 10**9 + 5)  # past 2038 and 2106: the epoch bits
        fs, dev = remount(fs, dev, image)
        assert lookup(fs, b"/f").mtime == ((1 << 33) * 10**9 + 5 if keeps_ns else lookup(fs, b"/f").mtime)
        unmount(fs, dev)
        assert_clean(image)


def test_unlinked_open_file_lives_until_closed(disk):
    from kevlar.fs.vfs import Location
    fs, dev = mount(disk)
    free = fs.statfs()["f_bfree"]
    f = fs.root.create(b"tmp", REG, 0, 0)
    f.write(0, b"k" * 50000)
    handle = f.open(None, Location(None, f), 2)
    handle.get()
    fs.root.unlink(b"tmp")
    assert f.read(0, 5) == b"kkkkk" and not f.deleted and f.unlinked()
    fs.sync()
    assert fs.statfs()["f_bfree"] < free
    handle.put()  # the last close frees it
    assert f.deleted and fs.statfs()["f_bfree"] == free
    # Still open at unmount: freed then.
    g = fs.root.create(b"tmp2", REG, 0, 0)
    g.write(0, b"z" * 9000)
    g.open(None, Location(None, g), 2).get()
    fs.root.unlink(b"tmp2")
    unmount(fs, dev)
    assert_clean(disk)


def test_o_tmpfile(disk):
    from kevlar.fs.vfs import Location
    fs, dev = mount(disk)
    t = fs.root.make_unlinked(S_IFREG | 0o600, 0, 0)
    h = t.open(None, Location(None, t), 2)
    h.get()
    t.write(0, b"anonymous")
    fs.root.link(b"named", t)
    h.put()
    fs, dev = remount(fs, dev, disk)
    assert read_all(lookup(fs, b"/named")) == b"anonymous"
    unmount(fs, dev)


def test_enospc_leaves_nothing_half_written(tmp_path):
    image = mkfs(tmp_path / "small.img", size="1M", block_size=1024)
    fs, dev = mount(image)
    f = fs.root.create(b"fill", REG, 0, 0)
    written = f.write(0, os.urandom(2 << 20))
    assert 0 < written < 1 << 20 and f.size == written
    with pytest.raises(ENOSPC):
        f.write(written, b"more")
    assert fs.statfs()["f_bfree"] == 0
    with pytest.raises(ENOSPC):
        fs.root.mkdir(b"nope", 0o755, 0, 0)  # needs a block
    count = 0
    while True:  # the directory block still has room: empty files fit until it fills
        try:
            fs.root.create(b"e%05d" % count, REG, 0, 0)
        except ENOSPC:
            break
        count += 1
    fs, dev = remount(fs, dev, image)
    f = lookup(fs, b"/fill")
    assert f.size == written and len(read_all(f)) == written
    fs.root.unlink(b"fill")
    assert fs.statfs()["f_bfree"] > 100
    fs.root.mkdir(b"now", 0o755, 0, 0)
    unmount(fs, dev)
    assert_clean(image)


def test_inode_exhaustion(tmp_path):
    image = mkfs(tmp_path / "few.img", size="2M", args=("-N", "16"))
    fs, dev = mount(image)
    made = 0
    with pytest.raises(ENOSPC):
        for i in range(100):
            fs.root.create(b"f%d" % i, REG, 0, 0)
            made += 1
    assert fs.statfs()["f_ffree"] == 0 and 0 < made < 16
    unmount(fs, dev)
    assert_clean(image)


def test_large_file_past_4gib(tmp_path):
    image = mkfs(tmp_path / "lf.img", size="8M", block_size=4096)
    fs, dev = mount(image)
    f = fs.root.create(b"big", REG, 0, 0)
    f.write((5 << 30) + 17, b"far away")
    fs, dev = remount(fs, dev, image)
    f = lookup(fs, b"/big")
    assert f.size == (5 << 30) + 25 and f.read((5 << 30) + 17, 100) == b"far away"
    unmount(fs, dev)
    assert b"Size: 5368709145" in debugfs(image, "stat /big")


def test_revision_0_image(tmp_path):
    image = mkfs(tmp_path / "r0.img", size="4M", args=("-r", "0"))
    fs, dev = mount(image)
    assert fs.rev == 0 and not fs.has_filetype
    d = fs.root.mkdir(b"d", 0o755, 0, 0)
    d.create(b"x", REG, 0, 0).write(0, b"old format")
    d.symlink(b"s", b"x", 0, 0)
    with pytest.raises(EFBIG):
        d.lookup(b"x").write(1 << 31, b"too far for rev 0")
    fs, dev = remount(fs, dev, image)
    assert read_all(lookup(fs, b"/d/x")) == b"old format"
    unmount(fs, dev)


def test_htree_directory_loses_its_index_when_changed(tmp_path):
    root = tmp_path / "src"
    (root / "big").mkdir(parents=True)
    for i in range(800):
        (root / "big" / f"n{i:04d}").write_bytes(b"")
    image = mkfs(tmp_path / "h.img", size="16M", src=root)
    subprocess.run(["e2fsck", "-fyD", str(image)], capture_output=True)
    fs, dev = mount(image)
    big = lookup(fs, b"/big")
    assert big.flags & L.EXT2_INDEX_FL
    big.create(b"added", REG, 0, 0)
    big.unlink(b"n0005")
    assert not big.flags & L.EXT2_INDEX_FL
    unmount(fs, dev)
    assert_clean(image)


def test_statfs_counts(tmp_path):
    image = mkfs(tmp_path / "s.img", size="8M", block_size=1024)
    fs, dev = mount(image)
    before = fs.statfs()
    f = fs.root.create(b"f", REG, 0, 0)
    f.write(0, bytes(100 * 1024))
    after = fs.statfs()
    assert before["f_type"] == L.EXT2_SUPER_MAGIC == 0xEF53
    assert before["f_bfree"] - after["f_bfree"] == 100 + 1  # data + one indirect block
    assert before["f_ffree"] - after["f_ffree"] == 1
    assert after["f_bavail"] == after["f_bfree"] - fs.sb.s_r_blocks_count
    unmount(fs, dev)
    text = subprocess.run(["dumpe2fs", "-h", str(image)], capture_output=True, text=True).stdout
    assert f"Free blocks:              {after['f_bfree']}" in text
    assert f"Free inodes:              {after['f_ffree']}" in text


@pytest.mark.skipif(not loop_mount_available(), reason="needs root and loop devices")
def test_native_loop_mount_sees_what_kevlar_wrote(tmp_path):
    image = mkfs(tmp_path / "n.img", size="8M")
    fs, dev = mount(image)
    d = fs.root.mkdir(b"dir", 0o750, 0, 0)
    d.create(b"file", REG, 0, 0).write(0, b"seen natively\n")
    d.symlink(b"link", b"file", 0, 0)
    mine = fs.statfs()
    unmount(fs, dev)
    target = tmp_path / "mnt"
    target.mkdir()
    mounted = subprocess.run(["mount", "-o", "loop,ro", str(image), str(target)], capture_output=True)
    if mounted.returncode:
        pytest.skip(f"mount -o loop,ro failed: {mounted.stderr.decode().strip()}")
    try:
        assert (target / "dir" / "file").read_bytes() == b"seen natively\n"
        assert os.readlink(target / "dir" / "link") == "file"
        assert oct((target / "dir").stat().st_mode & 0o7777) == oct(0o750)
        native = os.statvfs(target)
        assert (native.f_blocks, native.f_bfree, native.f_bavail, native.f_files, native.f_ffree) == \
            (mine["f_blocks"], mine["f_bfree"], mine["f_bavail"], mine["f_files"], mine["f_ffree"])
    finally:
        subprocess.run(["umount", str(target)], capture_output=True)


def test_e2fsck_reports_are_meaningful(tmp_path):
    """The oracle itself: a deliberately broken image is not clean."""
    image = mkfs(tmp_path / "b.img", size="4M")
    subprocess.run(["debugfs", "-w", "-R", "ssv free_blocks_count 1", str(image)], capture_output=True)
    subprocess.run(["debugfs", "-w", "-R", "set_inode_field / links_count 9", str(image)],
                   capture_output=True)
    code, _ = e2fsck(image)
    assert code != 0
