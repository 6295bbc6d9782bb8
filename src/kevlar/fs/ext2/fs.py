"""The ext2 file system: superblock, group descriptors, bitmaps, inode table (fs/ext2/
super.c, balloc.c, ialloc.c).

Everything goes through the disk's block cache, in units of the file system's block
size: metadata and data alike, as ext2 uses the buffer cache. In-memory state that is
written back at sync (sync(2), fsync, syncfs, umount, exit): dirty inodes, the group
descriptors and the superblock; bitmaps and directory and indirect blocks are written
into the cache as they change. A sync writes all of it, then flushes the cache (every
dirty block, then VIRTIO_BLK_T_FLUSH), so at every sync point the image is consistent
and `e2fsck -fn` finds it clean.

As Linux's ext2, a read-write mount clears EXT2_VALID_FS in s_state on disk and bumps
s_mnt_count; the final unmount (umount2 or Kevlar's exit) sets it back.

Errors: a structure that cannot be right (a block pointer outside the file system, a
directory entry with an impossible rec_len, an inode number past s_inodes_count, a
directory whose ".." is itself) fails the operation that met it with EIO or EUCLEAN and
is logged ("kevlar: ext2 (vda): ..."), printed when the file system is unmounted. No
write ever goes outside [s_first_data_block, s_blocks_count), which mount checked to be
inside the disk.

Preconditions: callers hold no reference into a cache block across a call that may
evict (every read returns a copy).
"""

import array
import sys
import time

from construct import ConstructError

from kevlar.abi.errors import EINVAL, EIO, ENOSPC, EROFS, EUCLEAN
from kevlar.fs.ext2 import layout as L  # noqa: N812 - the layouts, as the kernel says EXT2_*
from kevlar.fs.vfs import FileSystem

MAX_LFS_FILESIZE = (1 << 63) - 1
IND_CACHE_MAX = 4096


class Ext2Error(EINVAL):
    """A mount refused (bad or unsupported file system); the message says why."""


def feature_names(mask: int, table: dict) -> list[str]:
    return [table.get(1 << b, f"unknown_{1 << b:#x}") for b in range(32) if mask & (1 << b)]


def ext2_max_size(bits: int, large_file: bool) -> int:
    """fs/ext2/super.c ext2_max_size(): what the block tree and i_blocks can address."""
    res = 12
    upper_limit = ((1 << 32) - 1) >> (bits - 9)  # i_blocks is in 512-byte units
    meta_blocks = 1
    meta_blocks += 1 + (1 << (bits - 2))
    meta_blocks += 1 + (1 << (bits - 2)) + (1 << (2 * (bits - 2)))
    upper_limit -= meta_blocks
    upper_limit <<= bits
    res += 1 << (bits - 2)
    res += 1 << (2 * (bits - 2))
    res += 1 << (3 * (bits - 2))
    res <<= bits
    res = min(res, upper_limit, MAX_LFS_FILESIZE)
    if not large_file:
        res = min(res, (1 << 31) - 1)
    return res


class Ext2Fs(FileSystem):
    """One mounted ext2 file system on a BlockDevice."""

    name = "ext2"
    magic = L.EXT2_SUPER_MAGIC
    kernel = None  # set by the mount code: where messages go, and the mount table

    def __init__(self, device, read_only: bool = False):
        super().__init__(read_only)
        self.device = device
        self.label = device.name
        self.dev_major = device.major
        self.dev = device.minor
        self.messages: list[str] = []
        self.inodes: dict[int, object] = {}
        self.dirty_inodes: set = set()
        self.orphans: set = set()
        self.ind_cache: dict[int, array.array] = {}
        self.mounted = True
        self._read_super()
        if not read_only and device.read_only:
            raise EROFS(f"{device.name} is a read-only disk")
        self.cache = device.get_cache(self.block_size)
        self.statx_btime = self.inode_size > L.EXT2_GOOD_OLD_INODE_SIZE and self.extra_isize >= 24
        self._read_groups()
        from kevlar.fs.ext2.inode import Ext2Inode
        self.Inode = Ext2Inode
        root = self.iget(L.EXT2_ROOT_INO)
        if not root.is_dir():
            raise Ext2Error(f"{self.label}: the root inode is not a directory")
        self.root = root
        self.marked = False  # s_state on disk says "mounted" (set at the first change)

    # -- mount-time checks (ext2_fill_super) --------------------------------------------------
    def _read_super(self) -> None:
        device = self.device
        if device.size < L.SUPERBLOCK_OFFSET + L.SUPERBLOCK_SIZE:
            raise Ext2Error(f"{self.label}: too small to hold an ext2 file system")
        raw = device.read_bytes(L.SUPERBLOCK_OFFSET, L.SUPERBLOCK_SIZE)
        try:
            sb = L.ext2_super_block.parse(raw)
        except ConstructError as exc:  # pragma: no cover - fixed-size parse of 1024 bytes
            raise Ext2Error(f"{self.label}: unreadable superblock: {exc}") from exc
        if sb.s_magic != L.EXT2_SUPER_MAGIC:
            raise Ext2Error(f"{self.label}: can't find an ext2 filesystem (magic {sb.s_magic:#06x})")
        if sb.s_rev_level > L.EXT2_DYNAMIC_REV:
            raise Ext2Error(f"{self.label}: revision level {sb.s_rev_level} is too new")
        if sb.s_log_block_size > 6:
            raise Ext2Error(f"{self.label}: bad block size 1024 << {sb.s_log_block_size}")
        self.sb = sb
        self.rev = sb.s_rev_level
        bs = 1024 << sb.s_log_block_size
        self.block_size = bs
        self.block_bits = 10 + sb.s_log_block_size
        self.sectors_per_block = bs >> 9
        if self.rev == L.EXT2_GOOD_OLD_REV:
            compat = incompat = ro_compat = 0
            self.inode_size = L.EXT2_GOOD_OLD_INODE_SIZE
            self.first_ino = L.EXT2_GOOD_OLD_FIRST_INO
        else:
            compat, incompat, ro_compat = sb.s_feature_compat, sb.s_feature_incompat, sb.s_feature_ro_compat
            self.inode_size = sb.s_inode_size
            self.first_ino = sb.s_first_ino
        for mask, supported, table, kind in ((incompat, L.SUPPORTED_INCOMPAT, L.INCOMPAT, "incompat"),
                                             (ro_compat, L.SUPPORTED_RO_COMPAT, L.RO_COMPAT, "ro_compat"),
                                             (compat, L.SUPPORTED_COMPAT, L.COMPAT, "compat")):
            unsupported = mask & ~supported
            if unsupported:
                names = ", ".join(feature_names(unsupported, table))
                raise Ext2Error(f"{self.label}: unsupported {kind} feature(s): {names} "
                                f"(Kevlar's ext2 reads and writes ext2 without them)")
        self.has_filetype = bool(incompat & L.FEATURE_INCOMPAT_FILETYPE)
        self.has_sparse_super = bool(ro_compat & L.FEATURE_RO_COMPAT_SPARSE_SUPER)
        self.large_file = bool(ro_compat & L.FEATURE_RO_COMPAT_LARGE_FILE)
        isz = self.inode_size
        if isz < 128 or isz > bs or isz & (isz - 1):
            raise Ext2Error(f"{self.label}: unsupported inode size {isz}")
        if self.first_ino < L.EXT2_GOOD_OLD_FIRST_INO and self.rev:
            raise Ext2Error(f"{self.label}: bad first inode {self.first_ino}")
        bpg, ipg = sb.s_blocks_per_group, sb.s_inodes_per_group
        if not 0 < bpg <= 8 * bs:
            raise Ext2Error(f"{self.label}: #blocks per group too big: {bpg}")
        if not 0 < ipg <= 8 * bs:
            raise Ext2Error(f"{self.label}: #inodes per group too big: {ipg}")
        expected_first = 1 if bs == 1024 else 0
        if sb.s_first_data_block != expected_first:
            raise Ext2Error(f"{self.label}: bad first data block {sb.s_first_data_block}")
        if sb.s_blocks_count <= sb.s_first_data_block + 1:
            raise Ext2Error(f"{self.label}: bad block count {sb.s_blocks_count}")
        disk_blocks = self.device.size // bs
        if sb.s_blocks_count > disk_blocks:
            raise Ext2Error(f"{self.label}: bad geometry: block count {sb.s_blocks_count} "
                            f"exceeds size of device ({disk_blocks} blocks)")
        self.blocks_per_group = bpg
        self.inodes_per_group = ipg
        self.first_data_block = sb.s_first_data_block
        self.blocks_count = sb.s_blocks_count
        self.groups = (sb.s_blocks_count - sb.s_first_data_block + bpg - 1) // bpg
        if sb.s_inodes_count != ipg * self.groups:
            raise Ext2Error(f"{self.label}: inode count {sb.s_inodes_count} != "
                            f"{ipg} per group x {self.groups} groups")
        self.inodes_count = sb.s_inodes_count
        self.inodes_per_block = bs // isz
        self.itb_per_group = (ipg * isz + bs - 1) // bs
        self.per_block = bs // 4
        self.ptr_bits = self.block_bits - 2
        self.gdt_blocks = (self.groups * L.GROUP_DESC.size + bs - 1) // bs
        self.max_size = ext2_max_size(self.block_bits, self.large_file or self.rev > 0)
        want = sb.s_want_extra_isize if self.rev else 0
        self.extra_isize = 0
        if isz > L.EXT2_GOOD_OLD_INODE_SIZE:
            self.extra_isize = min(want or 32, isz - L.EXT2_GOOD_OLD_INODE_SIZE) & ~3
        if sb.s_state & L.EXT2_ERROR_FS:
            self.log("warning: mounting a file system with errors, running e2fsck is recommended")
        elif not sb.s_state & L.EXT2_VALID_FS:
            self.log("warning: mounting an unchecked file system, running e2fsck is recommended")

    def _read_groups(self) -> None:
        """The group descriptor table, checked as ext2_check_descriptors does."""
        start = self.first_data_block + 1
        raw = self.cache.read_range(start, self.gdt_blocks)
        size = L.GROUP_DESC.size
        self.gd = []
        for g in range(self.groups):
            values = list(L.GROUP_DESC.unpack_from(raw, g * size))
            first, last = self.group_first_block(g), self.group_last_block(g)
            bb, ib, it = values[0], values[1], values[2]
            if not first <= bb <= last:
                raise Ext2Error(f"{self.label}: block bitmap for group {g} not in group (block {bb})")
            if not first <= ib <= last:
                raise Ext2Error(f"{self.label}: inode bitmap for group {g} not in group (block {ib})")
            if not (first <= it and it + self.itb_per_group - 1 <= last):
                raise Ext2Error(f"{self.label}: inode table for group {g} not in group (block {it})")
            self.gd.append(values)
        self.dirty_groups: set[int] = set()
        self.sb_dirty = False

    # -- geometry ------------------------------------------------------------------------------
    def group_first_block(self, g: int) -> int:
        return self.first_data_block + g * self.blocks_per_group

    def group_last_block(self, g: int) -> int:
        return min(self.group_first_block(g) + self.blocks_per_group, self.blocks_count) - 1

    def group_has_super(self, g: int) -> bool:
        """ext2_bg_has_super: every group without sparse_super, else 0, 1 and powers of 3, 5, 7."""
        if not self.has_sparse_super or g <= 1:
            return True
        for base in (3, 5, 7):
            n = base
            while n < g:
                n *= base
            if n == g:
                return True
        return False

    def valid_block(self, block: int) -> bool:
        """ext2_data_block_valid: after the superblock's block and inside the file system."""
        return self.first_data_block < block < self.blocks_count

    # -- messages ------------------------------------------------------------------------------
    def log(self, message: str) -> None:
        self.messages.append(f"ext2 ({self.label}): {message}")

    def corrupt(self, message: str, error=EIO):
        """Log a corruption found by an operation and return the error to raise."""
        self.log(f"error: {message}")
        return error(message)

    def print_messages(self, stream=None) -> None:
        stream = stream or sys.stderr
        for message in self.messages:
            print(f"kevlar: {message}", file=stream)
        self.messages.clear()

    # -- writability -----------------------------------------------------------------------------
    def check_writable(self) -> None:
        """EROFS on a read-only mount; before the first change of a read-write mount,
        the superblock goes to disk saying "mounted, not clean" (as ext2_setup_super
        does at mount: here at the first change, so a run that changes nothing leaves the
        image as it was)."""
        if self.read_only or not self.mounted:
            raise EROFS()
        if not self.marked:
            self._mark_mounted()

    # -- bitmaps and allocation (balloc.c, ialloc.c) ---------------------------------------------
    def _bitmap(self, block: int) -> int:
        return int.from_bytes(self.cache.read(block), "little")

    def _set_bit(self, block: int, bit: int, on: bool) -> None:
        byte = self.cache.read(block)[bit >> 3]
        byte = byte | (1 << (bit & 7)) if on else byte & ~(1 << (bit & 7))
        self.cache.write(block, bit >> 3, bytes((byte,)))

    @staticmethod
    def _first_zero(bits: int, start: int, limit: int) -> int:
        """The first clear bit at or after start and below limit, or -1."""
        if start >= limit:
            return -1
        shifted = bits >> start
        lowest = ~shifted & (shifted + 1)
        pos = lowest.bit_length() - 1 + start
        return pos if pos < limit else -1

    def _group_dirty(self, g: int) -> None:
        self.dirty_groups.add(g)
        self.sb_dirty = True

    def alloc_block(self, goal: int = 0) -> int:
        """ext2_new_blocks for one block, near goal. ENOSPC when none is free."""
        self.check_writable()
        sb = self.sb
        if sb.s_free_blocks_count == 0:
            raise ENOSPC()
        if not self.valid_block(goal):
            goal = self.first_data_block + 1
        g0 = (goal - self.first_data_block) // self.blocks_per_group
        for i in range(self.groups + 1):
            g = (g0 + i) % self.groups
            desc = self.gd[g]
            if desc[3] == 0:
                continue
            first = self.group_first_block(g)
            limit = self.group_last_block(g) - first + 1
            bits = self._bitmap(desc[0])
            start = goal - first if i == 0 else 0
            bit = self._first_zero(bits, max(start, 0), limit)
            if bit < 0 and start > 0:
                bit = self._first_zero(bits, 0, limit)
            if bit < 0:
                if i:  # the descriptor says free blocks, the bitmap says none
                    self.log(f"warning: group {g} free block count {desc[3]} but its bitmap is full")
                continue
            block = first + bit
            if not self.valid_block(block):
                raise self.corrupt(f"allocating block {block} outside the data zone (group {g})")
            self._set_bit(desc[0], bit, True)
            desc[3] -= 1
            sb.s_free_blocks_count -= 1
            self._group_dirty(g)
            return block
        raise ENOSPC()

    def free_block(self, block: int) -> None:
        """ext2_free_blocks for one block (and drop it from the cache)."""
        if not self.valid_block(block):
            self.log(f"error: freeing block {block} not in datazone")
            return
        g, bit = divmod(block - self.first_data_block, self.blocks_per_group)
        desc = self.gd[g]
        byte = self.cache.read(desc[0])[bit >> 3]
        if not byte & (1 << (bit & 7)):
            self.log(f"error: bit already cleared for block {block}")
            return
        self._set_bit(desc[0], bit, False)
        desc[3] = (desc[3] + 1) & 0xFFFF  # le16_add_cpu: a corrupt count wraps, as in Linux
        self.sb.s_free_blocks_count = (self.sb.s_free_blocks_count + 1) & 0xFFFFFFFF
        self._group_dirty(g)
        self.ind_cache.pop(block, None)
        self.cache.forget(block)

    def alloc_inode(self, parent_ino: int, is_dir: bool) -> int:
        """ext2_new_inode's search: directories spread to roomy groups with few
        directories (find_group_orlov, simplified), files stay by their directory."""
        self.check_writable()
        sb = self.sb
        if sb.s_free_inodes_count == 0:
            raise ENOSPC()
        parent_group = (parent_ino - 1) // self.inodes_per_group
        groups = list(range(self.groups))
        if is_dir and self.groups > 1:
            avg_inodes = sb.s_free_inodes_count // self.groups
            avg_blocks = sb.s_free_blocks_count // self.groups
            good = [g for g in groups if self.gd[g][4] >= max(avg_inodes, 1) and self.gd[g][3] >= avg_blocks]
            good.sort(key=lambda g: (self.gd[g][5], -self.gd[g][4]))
            order = good + [g for g in groups if g not in good]
        else:
            order = groups[parent_group:] + groups[:parent_group]
        for g in order:
            desc = self.gd[g]
            if desc[4] == 0:
                continue
            bits = self._bitmap(desc[1])
            start = self.first_ino - 1 if g == 0 else 0
            bit = self._first_zero(bits, start, self.inodes_per_group)
            if bit < 0:
                self.log(f"warning: group {g} free inode count {desc[4]} but its bitmap is full")
                continue
            self._set_bit(desc[1], bit, True)
            desc[4] -= 1
            if is_dir:
                desc[5] = (desc[5] + 1) & 0xFFFF
            sb.s_free_inodes_count -= 1
            self._group_dirty(g)
            return g * self.inodes_per_group + bit + 1
        raise ENOSPC()

    def free_inode_bit(self, ino: int, was_dir: bool) -> None:
        g, bit = divmod(ino - 1, self.inodes_per_group)
        desc = self.gd[g]
        byte = self.cache.read(desc[1])[bit >> 3]
        if not byte & (1 << (bit & 7)):
            self.log(f"error: bit already cleared for inode {ino}")
            return
        self._set_bit(desc[1], bit, False)
        desc[4] = (desc[4] + 1) & 0xFFFF
        if was_dir and desc[5]:
            desc[5] -= 1
        self.sb.s_free_inodes_count = (self.sb.s_free_inodes_count + 1) & 0xFFFFFFFF
        self._group_dirty(g)

    def free_blocks_now(self) -> int:
        return self.sb.s_free_blocks_count

    # -- indirect blocks ---------------------------------------------------------------------------
    def read_indirect(self, block: int) -> array.array:
        """The pointers of an indirect block (cached decoded; the array is shared, callers
        change it only through set_indirect)."""
        arr = self.ind_cache.get(block)
        if arr is None:
            if not self.valid_block(block):
                raise self.corrupt(f"indirect block pointer {block} out of range")
            arr = array.array("I")
            arr.frombytes(self.cache.read(block))
            if sys.byteorder != "little":  # pragma: no cover
                arr.byteswap()
            if len(self.ind_cache) >= IND_CACHE_MAX:
                self.ind_cache.clear()
            self.ind_cache[block] = arr
        return arr

    def set_indirect(self, block: int, index: int, value: int) -> None:
        arr = self.read_indirect(block)
        arr[index] = value
        self.cache.write(block, index * 4, value.to_bytes(4, "little"))

    def new_indirect(self, block: int) -> None:
        self.cache.write_new(block)
        self.ind_cache[block] = array.array("I", bytes(self.block_size))

    # -- inodes (inode.c ext2_iget / ext2_write_inode) -----------------------------------------------
    def inode_location(self, ino: int) -> tuple[int, int]:
        g, index = divmod(ino - 1, self.inodes_per_group)
        table = self.gd[g][2]
        block, offset = divmod(index * self.inode_size, self.block_size)
        return table + block, offset

    def read_inode_raw(self, ino: int) -> bytes:
        block, offset = self.inode_location(ino)
        return self.cache.read(block)[offset:offset + self.inode_size]

    def iget(self, ino: int):
        inode = self.inodes.get(ino)
        if inode is not None:
            return inode
        if not (ino == L.EXT2_ROOT_INO or self.first_ino <= ino <= self.inodes_count):
            raise self.corrupt(f"bad inode number: {ino}", EUCLEAN)
        inode = self.Inode.load(self, ino, self.read_inode_raw(ino))
        self.inodes[ino] = inode
        return inode

    def write_inode(self, inode) -> None:
        block, offset = self.inode_location(inode.ino)
        self.cache.write(block, offset, inode.encode())

    def mark_dirty(self, inode) -> None:
        self.dirty_inodes.add(inode)

    def new_inode(self, parent, mode: int, uid: int, gid: int):
        """Allocate and initialise an inode (links 0; the caller links it)."""
        ino = self.alloc_inode(parent.ino, (mode & 0o170000) == 0o040000)
        inode = self.Inode.fresh(self, ino, mode, uid, gid)
        self.inodes[ino] = inode
        self.dirty_inodes.add(inode)
        return inode

    def delete_inode(self, inode) -> None:
        """ext2_evict_inode + ext2_free_inode: the last link and the last opener are gone."""
        if inode.deleted:
            return
        was_dir = inode.is_dir()
        if inode.has_block_tree():
            inode.free_blocks_from(0)
        inode.release_xattr_block()
        inode.links = 0
        inode.nlink = 0
        inode.dtime = int(time.time()) & 0xFFFFFFFF
        inode._size = 0
        self.write_inode(inode)
        self.dirty_inodes.discard(inode)
        self.orphans.discard(inode)
        self.free_inode_bit(inode.ino, was_dir)
        inode.deleted = True
        if self.inodes.get(inode.ino) is inode:
            del self.inodes[inode.ino]

    # -- write-back ----------------------------------------------------------------------------------
    def _write_super(self) -> None:
        sb = self.sb
        sb.s_wtime = int(time.time()) & 0xFFFFFFFF
        try:
            raw = L.ext2_super_block.build(sb)
        except ConstructError as exc:  # a field we changed went out of range: corruption
            raise self.corrupt(f"cannot write the superblock: {exc}", EUCLEAN) from exc
        block, offset = divmod(L.SUPERBLOCK_OFFSET, self.block_size)
        self.cache.write(block, offset, raw)
        self.sb_dirty = False

    def _write_groups(self) -> None:
        start = self.first_data_block + 1
        size = L.GROUP_DESC.size
        for g in sorted(self.dirty_groups):
            block, offset = divmod(g * size, self.block_size)
            self.cache.write(start + block, offset, L.GROUP_DESC.pack(*self.gd[g]))
        self.dirty_groups.clear()

    def write_metadata(self) -> None:
        """Everything held in memory into the cache (no disk I/O beyond cache misses)."""
        for inode in list(self.dirty_inodes):
            if not inode.deleted:
                self.write_inode(inode)
        self.dirty_inodes.clear()
        if self.dirty_groups:
            self._write_groups()
        if self.sb_dirty:
            self._write_super()

    def sync(self) -> None:
        """sync(2) / syncfs / fsync: metadata into the cache, the cache onto the disk.
        After the last mount of this file system is gone (umount2 syncs it then), this
        is the final unmount."""
        if not self.mounted:
            return
        if not self.read_only:
            self.write_metadata()
            self.cache.flush()
        mounts = getattr(self.kernel, "mounts", None)
        if mounts is not None and not any(m.fs is self for m in mounts.mounts):
            self.shutdown()

    def _mark_clean(self) -> None:
        if not self.marked:
            return
        self.sb.s_state = self.clean_state | L.EXT2_VALID_FS
        self._write_super()
        self.cache.flush()
        self.marked = False

    def _mark_mounted(self) -> None:
        sb = self.sb
        self.marked = True
        self.clean_state = sb.s_state
        sb.s_state &= ~L.EXT2_VALID_FS
        sb.s_mnt_count = (sb.s_mnt_count + 1) & 0xFFFF
        sb.s_mtime = int(time.time()) & 0xFFFFFFFF
        self._write_super()
        self.cache.flush()

    def reconfigure(self, flags: int, options: list[bytes]) -> None:
        """mount -o remount,ro|rw (ext2_reconfigure)."""
        from kevlar.block.mount import check_options
        check_options(options)
        read_only = bool(flags & 1) or b"ro" in options
        if read_only == self.read_only:
            return
        if read_only:
            self.write_metadata()
            self.cache.flush()
            self._mark_clean()
            self.read_only = True
            return
        if self.device.read_only:
            raise EROFS()
        self.read_only = False

    def shutdown(self) -> None:
        """The last unmount: free unlinked files still open, mark the file system clean,
        write everything, and hand over the messages gathered while mounted."""
        if not self.mounted:
            return
        try:
            if not self.read_only:
                for inode in list(self.orphans):
                    self.delete_inode(inode)
                self.write_metadata()
                self.cache.flush()
                self._mark_clean()
        finally:
            self.mounted = False
            if self.kernel is not None:
                from kevlar.block.mount import log
                for message in self.messages:
                    log(self.kernel, message)
                self.messages.clear()
            else:
                self.print_messages()

    # -- statfs (ext2_statfs, with ext4's overhead for what Linux reports today) -----------------------
    def overhead(self) -> int:
        sb = self.sb
        if self.rev and sb.s_overhead_clusters:
            return sb.s_overhead_clusters
        total = self.first_data_block
        reserved_gdt = sb.s_padding1 if self.rev else 0
        for g in range(self.groups):
            if self.group_has_super(g):
                total += 1 + self.gdt_blocks + reserved_gdt
        total += self.groups * (2 + self.itb_per_group)
        return total

    def statfs(self) -> dict:
        sb = self.sb
        bfree = sb.s_free_blocks_count
        flags = 0x20 | 0x1000  # ST_VALID | ST_RELATIME
        if self.read_only:
            flags |= 1  # ST_RDONLY
        return dict(f_type=self.magic, f_bsize=self.block_size, f_blocks=sb.s_blocks_count - self.overhead(),
                    f_bfree=bfree, f_bavail=max(0, bfree - sb.s_r_blocks_count),
                    f_files=sb.s_inodes_count, f_ffree=sb.s_free_inodes_count,
                    f_namelen=L.EXT2_NAME_LEN, f_frsize=self.block_size, f_flags=flags)

    def fsid(self) -> tuple[int, int]:
        """f_fsid as ext2 derives it from the UUID."""
        u = self.sb.s_uuid
        words = [int.from_bytes(u[i:i + 4], "little") for i in range(0, 16, 4)]
        return words[0] ^ words[2], words[1] ^ words[3]


__all__ = ["Ext2Fs", "Ext2Error", "ext2_max_size"]
