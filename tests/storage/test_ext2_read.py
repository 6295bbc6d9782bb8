"""Kevlar's ext2 reads what mke2fs wrote, byte for byte: 1, 2 and 4 KiB blocks,
revisions 0 and 1, 128- and 256-byte inodes, files through direct, indirect, double and
triple indirect blocks, holes, fast and slow symlinks, hard links, device nodes, FIFOs,
big directories (linear and htree-indexed). The source tree the image was made from is
the oracle."""

import os
import random
import stat
import subprocess

import pytest

from kevlar.abi.constants import S_IFMT
from storage.helpers import assert_clean, lookup, mkfs, mount, read_all, unmount, walk_fs


def fill_tree(root, block_size: int, rng: random.Random) -> dict:
    """A tree exercising every mapping level; returns {relative path: sparse extents}."""
    bs = block_size
    per = bs // 4
    sizes = [0, 1, bs - 1, bs, bs + 1, 12 * bs, 12 * bs + 1, (12 + per) * bs + 7, 3 * bs + 100]
    for n, size in enumerate(sizes):
        (root / f"f{n}").write_bytes(rng.randbytes(size))
    (root / "dir" / "sub").mkdir(parents=True)
    (root / "dir" / "sub" / "deep.txt").write_bytes(b"deep\n")
    (root / ("n" * 255)).write_bytes(b"long name")
    (root / "caf\xc3\xa9".encode().decode("utf-8", "surrogateescape")).write_bytes(b"utf8 name")
    os.symlink("f1", root / "fast")
    os.symlink("x/" * 40 + "target", root / "slow")
    os.link(root / "f3", root / "hard")
    os.mkfifo(root / "fifo")
    os.mknod(root / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    os.mknod(root / "bigdev", 0o600 | stat.S_IFBLK, os.makedev(300, 70000))
    os.chown(root / "f2", 1234, 56789)
    os.chmod(root / "f4", 0o4751)
    many = root / "many"
    many.mkdir()
    for i in range(300):
        (many / f"entry-{i:04d}-{'z' * (i % 40)}").write_bytes(b"%d" % i)
    # Sparse: data at the start, in the middle of the double-indirect range, and past the
    # start of the triple-indirect range.
    triple = (12 + per + per * per) * bs
    extents = {"sparse": [(0, rng.randbytes(100)), ((12 + per + 5) * bs + 3, rng.randbytes(2 * bs)),
                          (triple + 5 * bs + 11, rng.randbytes(3 * bs + 5))]}
    with open(root / "sparse", "wb") as f:
        for offset, data in extents["sparse"]:
            f.seek(offset)
            f.write(data)
    return extents


def compare(fs, root):
    """Every file of root against the file system."""
    seen = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        node = lookup(fs, os.fsencode(rel) if rel != "." else b"/")
        names = sorted(os.fsencode(n) for n in dirnames + filenames)
        listed = sorted(name for _c, name, _i in node.entries() if name not in (b".", b".."))
        if rel == ".":
            listed.remove(b"lost+found")
        assert listed == names, rel
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            inode = node.lookup(os.fsencode(name))
            assert inode.mode & S_IFMT == stat.S_IFMT(st.st_mode), path
            assert inode.mode & 0o7777 == stat.S_IMODE(st.st_mode), path
            assert (inode.uid, inode.gid) == (st.st_uid, st.st_gid), path
            assert inode.nlink == st.st_nlink, path
            assert inode.mtime // 10**9 == int(st.st_mtime), path
            if stat.S_ISREG(st.st_mode):
                assert inode.size == st.st_size, path
                if st.st_size <= 16 << 20:
                    with open(path, "rb") as f:
                        assert read_all(inode, 7777) == f.read(), path
                else:
                    compare_sparse(inode, path)
                if st.st_ino in seen:
                    assert seen[st.st_ino] is inode  # hard links: one object
                seen[st.st_ino] = inode
            elif stat.S_ISLNK(st.st_mode):
                assert inode.readlink() == os.fsencode(os.readlink(path)), path
                assert inode.size == len(os.readlink(path))
            elif stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
                assert (os.major(st.st_rdev), os.minor(st.st_rdev)) == \
                    ((inode.rdev & 0xFFF00) >> 8, (inode.rdev & 0xFF) | ((inode.rdev >> 12) & 0xFFF00))


def compare_sparse(inode, path):
    """A big sparse file: every data extent the host reports, and the holes between."""
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        pos = 0
        while pos < size:
            try:
                data = os.lseek(fd, pos, os.SEEK_DATA)
            except OSError:
                data = size
            if data > pos:
                for probe in (pos, (pos + data) // 2, data - 1):
                    assert inode.read(probe, 1) == b"\0", (path, probe)
            if data >= size:
                break
            hole = os.lseek(fd, data, os.SEEK_HOLE)
            assert inode.read(data, hole - data) == os.pread(fd, hole - data, data), (path, data)
            pos = hole
    finally:
        os.close(fd)


CONFIGS = [(1024, ()), (2048, ()), (4096, ()), (1024, ("-r", "0")), (4096, ("-I", "128")),
           (1024, ("-O", "^filetype,^resize_inode,^dir_index,^ext_attr"))]


@pytest.mark.parametrize("block_size,args", CONFIGS, ids=[f"{b}{''.join(a)}" for b, a in CONFIGS])
def test_images_made_by_mke2fs_read_exactly(tmp_path, block_size, args):
    rng = random.Random(block_size)
    root = tmp_path / "src"
    root.mkdir()
    extents = fill_tree(root, block_size, rng)
    image = mkfs(tmp_path / "disk.img", size="64M", block_size=block_size, src=root, args=args)
    fs, device = mount(image, read_only=True)
    try:
        compare(fs, root)
        sparse = lookup(fs, b"/sparse")
        for offset, data in extents["sparse"]:
            assert sparse.read(offset, len(data)) == data
            if offset >= 7:
                assert sparse.read(offset - 7, 7) == bytes(7)
        per = block_size // 4
        hole = (12 + per + 100) * block_size
        assert sparse.read(hole, block_size) == bytes(block_size)
        assert sparse.blocks < sparse.size // 512  # holes take no space
        fast, slow = lookup(fs, b"/fast"), lookup(fs, b"/slow")
        assert fast.is_fast_symlink() and not slow.is_fast_symlink()
        assert lookup(fs, b"/hard") is lookup(fs, b"/f3")
        assert all(inode.ino > 0 for _, inode in walk_fs(fs))
    finally:
        unmount(fs, device)
    assert_clean(image)


def test_read_only_mount_leaves_the_image_untouched(tmp_path):
    root = tmp_path / "src"
    root.mkdir()
    fill_tree(root, 1024, random.Random(3))
    image = mkfs(tmp_path / "disk.img", size="80M", src=root)
    before = image.read_bytes()
    fs, device = mount(image, read_only=True)
    compare(fs, root)
    unmount(fs, device)
    assert image.read_bytes() == before


def test_read_write_mount_that_only_reads_leaves_the_image_untouched(tmp_path):
    """The superblock is marked "mounted" only at the first change."""
    root = tmp_path / "src"
    root.mkdir()
    (root / "a").write_bytes(b"abc")
    image = mkfs(tmp_path / "disk.img", size="4M", src=root)
    before = image.read_bytes()
    fs, device = mount(image)
    assert read_all(lookup(fs, b"/a")) == b"abc"
    fs.sync()
    unmount(fs, device)
    assert image.read_bytes() == before


@pytest.mark.parametrize("block_size", [1024, 4096])
def test_htree_indexed_directory_reads_linearly(tmp_path, block_size):
    root = tmp_path / "src"
    (root / "big").mkdir(parents=True)
    names = {f"name-{i:05d}-{'q' * (i % 50)}" for i in range(1500)}
    for name in names:
        (root / "big" / name).write_bytes(name.encode())
    image = mkfs(tmp_path / "disk.img", size="32M", block_size=block_size, src=root)
    subprocess.run(["e2fsck", "-fyD", str(image)], capture_output=True)  # builds the index
    fs, device = mount(image, read_only=True)
    big = lookup(fs, b"/big")
    assert big.flags & 0x1000, "e2fsck -D should have indexed the directory"
    listed = {name.decode() for _c, name, _i in big.entries()} - {".", ".."}
    assert listed == names
    for name in list(names)[:50]:
        assert read_all(big.lookup(name.encode())) == name.encode()
    unmount(fs, device)


def test_getdents_cookies_are_stable_and_increasing(tmp_path):
    root = tmp_path / "src"
    (root / "d").mkdir(parents=True)
    for i in range(100):
        (root / "d" / f"f{i}").write_bytes(b"")
    image = mkfs(tmp_path / "disk.img", size="4M", src=root)
    fs, device = mount(image)
    d = lookup(fs, b"/d")
    first = d.entries()
    cookies = [c for c, _n, _i in first]
    assert cookies == sorted(cookies) and len(set(cookies)) == len(cookies) and cookies[0] > 0
    d.unlink(b"f10")
    d.unlink(b"f50")
    after = {n: c for c, n, _i in d.entries()}
    for cookie, name, _inode in first:
        if name not in (b"f10", b"f50"):
            assert after[name] == cookie
    unmount(fs, device)
    assert_clean(image)
