"""python -m kevlar.disk: images from a directory or a spec, through the template cache
(content-addressed, atomic install, reproducible), per-run clones, and errors that name
the layer that failed."""

import importlib
import os
import subprocess
import sys

import pytest

from kevlar.disk.build import BuildError, build, parse_size
from kevlar.disk.clone import clone_file, private_clone, reflink
from storage.helpers import assert_clean, debugfs, mount, read_all, unmount


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    path = tmp_path / "cache"
    monkeypatch.setenv("KEVLAR_DISK_CACHE", str(path))
    return path


def spec(tmp_path, text: str, extra: dict | None = None):
    path = tmp_path / "spec" / "disk.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    for name, content in (extra or {}).items():
        (path.parent / name).write_text(content)
    return path


DEMO = """
size = "8M"
block_size = 2048
[files."hello"]
c = "hello.c"
[files."greeting.txt"]
text = "hello from ext2\\n"
mode = 0o600
[files."subdir/nested.txt"]
text = "nested file\\n"
[files."link.txt"]
symlink = "greeting.txt"
[files."again"]
hardlink = "greeting.txt"
[files."empty"]
dir = true
"""
HELLO = '#include <stdio.h>\nint main(void) { puts("hello from disk!"); return 0; }\n'


def test_spec_builds_the_image_it_describes(tmp_path, cache):
    out = tmp_path / "out.img"
    result = build(str(spec(tmp_path, DEMO, {"hello.c": HELLO})), str(out))
    assert not result["cached"] and result["clone"] in ("reflink", "copy")
    assert out.stat().st_size == 8 << 20
    assert_clean(out)
    fs, dev = mount(out, read_only=True)
    try:
        assert fs.block_size == 2048
        root = fs.root
        greeting = root.lookup(b"greeting.txt")
        assert read_all(greeting) == b"hello from ext2\n" and greeting.mode & 0o7777 == 0o600
        assert root.lookup(b"again") is greeting and greeting.nlink == 2
        assert root.lookup(b"link.txt").readlink() == b"greeting.txt"
        assert read_all(root.lookup(b"subdir").lookup(b"nested.txt")) == b"nested file\n"
        assert root.lookup(b"empty").is_dir()
        hello = root.lookup(b"hello")
        assert hello.mode & 0o111 and read_all(hello)[:4] == b"\x7fELF"
    finally:
        unmount(fs, dev)
    exe = tmp_path / "hello"
    exe.write_bytes(debugfs(out, "cat /hello"))
    exe.chmod(0o755)
    assert subprocess.run([str(exe)], capture_output=True).stdout == b"hello from disk!\n"


def test_template_cache_hits_and_images_are_reproducible(tmp_path, cache):
    src = spec(tmp_path, DEMO, {"hello.c": HELLO})
    first = build(str(src), str(tmp_path / "a.img"))
    second = build(str(src), str(tmp_path / "b.img"))
    assert second["cached"] and second["key"] == first["key"]
    assert (tmp_path / "a.img").read_bytes() == (tmp_path / "b.img").read_bytes()
    rebuilt = build(str(src), str(tmp_path / "c.img"), use_cache=False)
    assert not rebuilt["cached"]
    assert (tmp_path / "c.img").read_bytes() == (tmp_path / "a.img").read_bytes()  # reproducible
    # Only the installed template is left in the cache: no temporary build directories.
    assert sorted(os.listdir(cache)) == [first["key"]]
    assert sorted(os.listdir(cache / first["key"])) == ["disk.img", "key.json"]
    # The key follows the content, and the options.
    (src.parent / "hello.c").write_text(HELLO.replace("disk!", "disk?"))
    assert build(str(src), str(tmp_path / "d.img"))["key"] != first["key"]
    assert build(str(src), str(tmp_path / "e.img"), size="9M")["key"] != first["key"]


def test_directory_source_and_busybox(tmp_path):
    src = tmp_path / "tree"
    (src / "etc").mkdir(parents=True)
    (src / "etc" / "motd").write_text("hi\n")
    os.mkfifo(src / "fifo")
    out = tmp_path / "root.img"
    build(str(src), str(out), busybox=True)
    fs, dev = mount(out, read_only=True)
    try:
        assert read_all(fs.root.lookup(b"etc").lookup(b"motd")) == b"hi\n"
        assert fs.root.lookup(b"bin").lookup(b"busybox").size > 100_000
        assert fs.root.lookup(b"bin").lookup(b"sh").readlink() == b"/bin/busybox"
        assert fs.root.lookup(b"fifo").mode & 0o170000 == 0o010000
    finally:
        unmount(fs, dev)
    assert (src / "bin").exists() is False  # the source tree itself is never changed


def test_rev0_and_options(tmp_path):
    src = tmp_path / "tree"
    src.mkdir()
    (src / "f").write_text("x")
    out = tmp_path / "r0.img"
    build(str(src), str(out), size="2M", mkfs_args=("-r", "0"), label="old")
    fs, dev = mount(out, read_only=True)
    assert fs.rev == 0
    unmount(fs, dev)


@pytest.mark.parametrize("text,layer,words", [
    ('size = "banana"', "spec", "bad size"),
    ('[files."x"]\ntext = "a"\ncopy = "b"', "spec", "exactly one"),
    ('[files."../escape"]\ntext = "a"', "spec", "relative"),
    ('[files."x"]\ncopy = "missing.bin"', "spec", "no such file"),
    ("nonsense = 1", "spec", "unknown setting"),
    ("this is not toml", "spec", "TOML"),
    ('size = "64K"\n[files."big"]\ntext = "' + "y" * 200_000 + '"', "mke2fs", "larger --size"),
    ('[files."bad"]\nc = "bad.c"', "compile", "musl-gcc"),
])
def test_errors_name_the_layer(tmp_path, text, layer, words):
    path = spec(tmp_path, text, {"bad.c": "int main(void) { return oops; }\n"})
    with pytest.raises(BuildError) as info:
        build(str(path), str(tmp_path / "x.img"))
    assert info.value.layer == layer and words in str(info.value)
    assert not (tmp_path / "x.img").exists()


def test_missing_tool_is_a_tools_error(tmp_path, monkeypatch):
    build_mod = importlib.import_module("kevlar.disk.build")  # the module, not the function
    monkeypatch.setattr(build_mod.shutil, "which", lambda name: None)
    monkeypatch.setattr(build_mod.os, "access", lambda path, mode: False)
    with pytest.raises(BuildError) as info:
        build(str(spec(tmp_path, 'size = "1M"')), str(tmp_path / "x.img"))
    assert info.value.layer == "tools" and "apt-get install e2fsprogs" in str(info.value)


def test_missing_source_and_cli_exit_status(tmp_path):
    out = subprocess.run([sys.executable, "-m", "kevlar.disk", "build", str(tmp_path / "nope"), "x.img"],
                         capture_output=True, text=True)
    assert out.returncode == 1 and out.stderr.startswith("kevlar.disk: spec: ")
    ok = subprocess.run([sys.executable, "-m", "kevlar.disk", "build", str(spec(tmp_path, 'size = "1M"')),
                         str(tmp_path / "ok.img")], capture_output=True, text=True)
    assert ok.returncode == 0 and "new template" in ok.stdout


def test_clones(tmp_path):
    src = tmp_path / "src.img"
    with open(src, "wb") as f:
        f.seek(5 << 20)
        f.write(b"tail")
        f.seek(1000)
        f.write(b"head")
    dst = tmp_path / "dst.img"
    how = clone_file(str(src), str(dst))
    assert how in ("reflink", "copy") and dst.read_bytes() == src.read_bytes()
    assert os.stat(dst).st_blocks * 512 < 1 << 20  # holes stayed holes
    fd, how = private_clone(str(src))
    try:
        assert os.pread(fd, 4, 1000) == b"head"
        os.pwrite(fd, b"XXXX", 1000)
        assert src.read_bytes()[1000:1004] == b"head"  # the original is untouched
        assert not any(name.startswith(".kevlar-snapshot") for name in os.listdir(tmp_path))
    finally:
        os.close(fd)
    with open(src, "rb") as a, open(dst, "r+b") as b:
        assert reflink(a.fileno(), b.fileno()) in (True, False)


def test_sizes():
    assert parse_size("16M") == 16 << 20 and parse_size("512K") == 512 << 10 and parse_size(4096) == 4096
    assert parse_size("1G") == 1 << 30 and parse_size("2MiB") == 2 << 20
    with pytest.raises(BuildError):
        parse_size("0")
