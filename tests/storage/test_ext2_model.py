"""Property test: random sequences of create, write, truncate, rename, link, unlink,
mkdir, rmdir, symlink and remount against Kevlar's ext2 and against a model (dicts).
After every step both agree on the outcome (success or the same errno); at the end the
whole tree agrees, and e2fsck -fn finds the image clean (after every remount, too).

Default: a modest number of examples; KEVLAR_SLOW=1 runs the big campaign."""

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from kevlar.abi.constants import S_IFREG
from kevlar.abi.errors import EEXIST, EISDIR, ENOTDIR, ENOTEMPTY, LinuxError
from storage.helpers import assert_clean, mkfs, mount, read_all, unmount

NAMES = [b"a", b"b", b"c", b"dd", b"x" * 40]
REG = S_IFREG | 0o644


class File:
    def __init__(self):
        self.data = bytearray()


class Dir:
    def __init__(self):
        self.children: dict = {}


class Link:
    def __init__(self, target: bytes):
        self.target = target


def errno_of(call):
    """(result, None) or (None, errno) for a call."""
    try:
        return call(), None
    except LinuxError as exc:
        return None, exc.errno


class Ext2Machine(RuleBasedStateMachine):
    block_size = 1024

    @initialize()
    def setup(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.image = mkfs(Path(self.tmp.name) / "m.img", size="8M", block_size=self.block_size)
        self.fs, self.dev = mount(self.image)
        self.model = Dir()

    def teardown(self):
        if not hasattr(self, "fs"):
            return
        try:
            self.check_tree()
            unmount(self.fs, self.dev)
            assert_clean(self.image)
            self.fs, self.dev = mount(self.image)
            self.check_tree()
            unmount(self.fs, self.dev)
            assert_clean(self.image)
        finally:
            self.tmp.cleanup()

    # -- model helpers -------------------------------------------------------------------------
    def paths(self, kind=None, node=None, prefix=()):
        node = node or self.model
        out = [prefix] if kind in (None, Dir) and node is self.model else []
        for name, child in sorted(node.children.items()):
            path = prefix + (name,)
            if kind is None or isinstance(child, kind):
                out.append(path)
            if isinstance(child, Dir):
                out += [p for p in self.paths(kind, child, path) if p != path]
        return out

    def node(self, path):
        node = self.model
        for name in path:
            node = node.children[name]
        return node

    def inode(self, path):
        inode = self.fs.root
        for name in path:
            inode = inode.lookup(name)
        return inode

    def check_tree(self, path=()):
        model, inode = self.node(path), self.inode(path)
        if isinstance(model, Dir):
            assert inode.is_dir()
            names = {n for _c, n, _i in inode.entries()} - {b".", b"..", b"lost+found"}
            assert names == set(model.children), path
            for name in model.children:
                self.check_tree(path + (name,))
        elif isinstance(model, File):
            assert inode.is_reg() and read_all(inode) == bytes(model.data), path
            assert inode.nlink == sum(1 for p in self.paths(File) if self.node(p) is model)
        else:
            assert inode.is_symlink() and inode.readlink() == model.target

    def same(self, fs_call, model_call):
        got, err = errno_of(fs_call)
        want, want_err = errno_of(model_call)
        assert err == want_err, (err, want_err)
        return err is None

    # -- rules -----------------------------------------------------------------------------------
    @rule(data=st.data(), name=st.sampled_from(NAMES))
    def create(self, data, name):
        where = data.draw(st.sampled_from(self.paths(Dir)))
        parent = self.node(where)

        def model_call():
            if name in parent.children:
                raise EEXIST()
            parent.children[name] = File()
        self.same(lambda: self.inode(where).create(name, REG, 0, 0), model_call)

    @rule(data=st.data(), name=st.sampled_from(NAMES))
    def mkdir(self, data, name):
        where = data.draw(st.sampled_from(self.paths(Dir)))
        parent = self.node(where)

        def model_call():
            if name in parent.children:
                raise EEXIST()
            parent.children[name] = Dir()
        self.same(lambda: self.inode(where).mkdir(name, 0o755, 0, 0), model_call)

    @rule(data=st.data(), name=st.sampled_from(NAMES), text=st.binary(min_size=1, max_size=120))
    def symlink(self, data, name, text):
        target = text.replace(b"\0", b"_").replace(b"/", b"_") or b"t"
        where = data.draw(st.sampled_from(self.paths(Dir)))
        parent = self.node(where)

        def model_call():
            if name in parent.children:
                raise EEXIST()
            parent.children[name] = Link(target)
        self.same(lambda: self.inode(where).symlink(name, target, 0, 0), model_call)

    @precondition(lambda self: self.paths(File))
    @rule(data=st.data(), offset=st.integers(0, 300_000), size=st.integers(0, 5000), byte=st.integers(1, 255))
    def write(self, data, offset, size, byte):
        path = data.draw(st.sampled_from(self.paths(File)))
        model = self.node(path)
        payload = bytes([byte]) * size

        def model_call():
            if size:
                if len(model.data) < offset:
                    model.data.extend(bytes(offset - len(model.data)))
                model.data[offset:offset + size] = payload
            return size
        self.same(lambda: self.inode(path).write(offset, payload), model_call)

    @precondition(lambda self: self.paths(File))
    @rule(data=st.data(), size=st.integers(0, 400_000))
    def truncate(self, data, size):
        path = data.draw(st.sampled_from(self.paths(File)))
        model = self.node(path)

        def model_call():
            if size < len(model.data):
                del model.data[size:]
            else:
                model.data.extend(bytes(size - len(model.data)))
        self.same(lambda: self.inode(path).truncate(size), model_call)

    @precondition(lambda self: self.paths(File))
    @rule(data=st.data(), name=st.sampled_from(NAMES))
    def link(self, data, name):
        path = data.draw(st.sampled_from(self.paths(File)))
        where = data.draw(st.sampled_from(self.paths(Dir)))
        parent = self.node(where)

        def model_call():
            if name in parent.children:
                raise EEXIST()
            parent.children[name] = self.node(path)
        self.same(lambda: self.inode(where).link(name, self.inode(path)), model_call)

    @precondition(lambda self: len(self.paths()) > 1)
    @rule(data=st.data())
    def unlink(self, data):
        path = data.draw(st.sampled_from(self.paths()[1:]))
        parent = self.node(path[:-1])

        def model_call():
            if isinstance(parent.children[path[-1]], Dir):
                raise EISDIR()
            del parent.children[path[-1]]
        self.same(lambda: self.inode(path[:-1]).unlink(path[-1]), model_call)

    @precondition(lambda self: len(self.paths(Dir)) > 1)
    @rule(data=st.data())
    def rmdir(self, data):
        path = data.draw(st.sampled_from(self.paths(Dir)[1:]))
        parent = self.node(path[:-1])

        def model_call():
            if parent.children[path[-1]].children:
                raise ENOTEMPTY()
            del parent.children[path[-1]]
        self.same(lambda: self.inode(path[:-1]).rmdir(path[-1]), model_call)

    @precondition(lambda self: len(self.paths()) > 1)
    @rule(data=st.data(), name=st.sampled_from(NAMES))
    def rename(self, data, name):
        src = data.draw(st.sampled_from(self.paths()[1:]))
        dst_dir = data.draw(st.sampled_from(self.paths(Dir)))
        if dst_dir[:len(src)] == src:
            return  # into its own subtree: the VFS refuses that before ext2 sees it
        old_parent, new_parent = self.node(src[:-1]), self.node(dst_dir)
        source = old_parent.children[src[-1]]
        target = new_parent.children.get(name)

        def model_call():
            if target is source:
                return
            if target is not None:
                if isinstance(source, Dir):
                    if not isinstance(target, Dir):
                        raise ENOTDIR()
                    if target.children:
                        raise ENOTEMPTY()
                elif isinstance(target, Dir):
                    raise EISDIR()
            del old_parent.children[src[-1]]
            new_parent.children[name] = source
        self.same(lambda: self.inode(src[:-1]).rename(src[-1], self.inode(dst_dir), name, 0), model_call)

    @precondition(lambda self: len(self.paths()) > 2)
    @rule(data=st.data())
    def exchange(self, data):
        """renameat2(RENAME_EXCHANGE) of two existing names."""
        one = data.draw(st.sampled_from(self.paths()[1:]))
        two = data.draw(st.sampled_from(self.paths()[1:]))
        if one[:len(two)] == two or two[:len(one)] == one:
            return  # one inside the other: the VFS refuses that before ext2 sees it
        parent_one, parent_two = self.node(one[:-1]), self.node(two[:-1])

        def model_call():
            a, b = parent_one.children[one[-1]], parent_two.children[two[-1]]
            parent_one.children[one[-1]], parent_two.children[two[-1]] = b, a
        self.same(lambda: self.inode(one[:-1]).rename(one[-1], self.inode(two[:-1]), two[-1], 2),
                  model_call)

    @rule()
    def remount(self):
        unmount(self.fs, self.dev)
        assert_clean(self.image)
        self.fs, self.dev = mount(self.image)


TestExt2Model = Ext2Machine.TestCase
TestExt2Model.settings = settings(max_examples=12, stateful_step_count=25, deadline=None,
                                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


class Ext2Machine4K(Ext2Machine):
    block_size = 4096


@pytest.mark.slow
@pytest.mark.parametrize("machine", [Ext2Machine, Ext2Machine4K], ids=["1k", "4k"])
def test_ext2_model_campaign(machine):
    from hypothesis.stateful import run_state_machine_as_test
    run_state_machine_as_test(machine, settings=settings(
        max_examples=int(os.environ.get("KEVLAR_EXT2_EXAMPLES", "150")), stateful_step_count=60,
        deadline=None, suppress_health_check=list(HealthCheck)))
