"""The ext2 on-disk declarations: sizeof, parse/build round trips, and the derived
struct layouts agreeing with construct field for field (as construct's own tests check
its compiled structs)."""

import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kevlar.fs.ext2 import layout as L  # noqa: N812
from storage.helpers import mkfs

LAYOUTS = [L.SUPER, L.GROUP_DESC, L.INODE, L.INODE_EXTRA, L.DIR_ENTRY_2, L.DIR_ENTRY, L.EA_HEADER]
SIZES = {L.SUPER: 1024, L.GROUP_DESC: 32, L.INODE: 128, L.INODE_EXTRA: 32, L.DIR_ENTRY_2: 8,
         L.DIR_ENTRY: 8, L.EA_HEADER: 32}


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda x: x.names[0])
def test_sizeof(layout):
    assert layout.declaration.sizeof() == layout.size == SIZES[layout]


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda x: x.names[0])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_struct_agrees_with_construct(layout, data):
    raw = data.draw(st.binary(min_size=layout.size, max_size=layout.size))
    parsed = layout.declaration.parse(raw)
    assert layout.declaration.build(parsed) == raw
    flat = layout.unpack_from(raw, 0)
    assert layout.pack(*flat) == raw
    as_dict = layout.to_dict(flat)
    for name in layout.names:
        value = parsed[name]
        assert as_dict[name] == (list(value) if isinstance(value, list) else value), name
    assert layout.from_dict(as_dict) == flat


def test_field_offsets_are_the_kernels():
    """Spot checks against fs/ext2/ext2.h and fs/ext4/ext4.h offsets."""
    sb = bytearray(1024)
    struct.pack_into("<H", sb, 0x38, 0xEF53)         # s_magic
    struct.pack_into("<I", sb, 0x4C, 1)              # s_rev_level
    struct.pack_into("<H", sb, 0x58, 256)            # s_inode_size
    struct.pack_into("<I", sb, 0x60, 0x2)            # s_feature_incompat
    struct.pack_into("<H", sb, 0x15E, 32)            # s_want_extra_isize
    struct.pack_into("<I", sb, 0x248, 548)           # s_overhead_clusters
    parsed = L.ext2_super_block.parse(bytes(sb))
    assert (parsed.s_magic, parsed.s_rev_level, parsed.s_inode_size) == (0xEF53, 1, 256)
    assert (parsed.s_feature_incompat, parsed.s_want_extra_isize, parsed.s_overhead_clusters) == (2, 32, 548)
    inode = bytearray(128)
    struct.pack_into("<I", inode, 0x28, 1234)        # i_block[0]
    struct.pack_into("<I", inode, 0x68, 0xABC)       # i_file_acl
    struct.pack_into("<H", inode, 0x78, 7)           # l_i_uid_high
    flat = L.INODE.unpack_from(bytes(inode), 0)
    assert flat[L.I_BLOCK] == 1234 and flat[L.I_FILE_ACL] == 0xABC and flat[L.I_UID_HIGH] == 7


def test_real_superblock_parses(tmp_path):
    img = mkfs(tmp_path / "x.img", size="4M", block_size=1024)
    raw = open(img, "rb").read()[1024:2048]
    sb = L.ext2_super_block.parse(raw)
    assert sb.s_magic == L.EXT2_SUPER_MAGIC and sb.s_log_block_size == 0
    assert L.ext2_super_block.build(sb) == raw
    assert sb.s_inodes_count == sb.s_inodes_per_group * ((sb.s_blocks_count - 1 + sb.s_blocks_per_group - 1)
                                                         // sb.s_blocks_per_group)


def test_profile_reports_every_hot_layout():
    rows = L.profile(n=50)
    assert len(rows) == 4 and all(slow > 0 and fast > 0 for _, slow, fast in rows)
