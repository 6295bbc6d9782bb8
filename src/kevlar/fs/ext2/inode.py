"""ext2 inodes: the block tree, regular files, directories and symlinks (fs/ext2/inode.c,
dir.c, namei.c, symlink.c).

One Ext2Inode object per inode number while the file system is mounted (Ext2Fs.inodes),
so the VFS's identity comparisons hold. Its on-disk record is parsed once; changes stay
in the object (marked dirty) and are encoded back into the inode table at sync, keeping
every byte of the record Kevlar does not interpret.

Block tree: i_block[0..11] map logical blocks 0..11, i_block[12] an indirect block of
block_size/4 pointers, i_block[13] a double and i_block[14] a triple indirect block. A
zero pointer is a hole (reads as zeros). i_blocks counts every block the inode owns (data,
indirect, extended-attribute block) in 512-byte units.

Directories are linear (struct ext2_dir_entry_2 records that tile each block, rec_len
a multiple of 4, at least 8 + name_len rounded up, never crossing a block). Adding an
entry takes an empty record or splits one with enough slack, else appends a block;
removing one merges it into the previous record of its block (or zeroes its inode when
it is the first), as ext2_delete_entry does. getdents cookies are byte positions + 1,
stable while entries come and go. A directory that had an htree index (EXT2_INDEX_FL)
loses the flag when Kevlar changes it; the index blocks read as empty records.

Symlinks shorter than 60 bytes live in i_block ("fast"); longer ones in one data block.
Unlinked files that are still open stay allocated until their last close (or the
unmount), then their blocks and inode are freed.
"""

import os
import struct
import time

from kevlar.abi.constants import (
    RENAME_EXCHANGE,
    RENAME_NOREPLACE,
    S_IFBLK,
    S_IFCHR,
    S_IFDIR,
    S_IFIFO,
    S_IFLNK,
    S_IFMT,
    S_IFREG,
    S_IFSOCK,
)
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
    EUCLEAN,
    EXDEV,
    LinuxError,
)
from kevlar.fs.ext2 import layout as L  # noqa: N812 - the layouts, as the kernel says EXT2_*
from kevlar.fs.file import RegularFile
from kevlar.fs.vfs import Inode, rmdir_victim

NS = 1_000_000_000
RELATIME_SECONDS = 24 * 3600
FAST_SYMLINK_MAX = 4 * L.EXT2_N_BLOCKS - 1  # target bytes + NUL must fit i_block (60 bytes)
I_BLOCK_STRUCT = struct.Struct("<15I")

FT_OF_TYPE = {S_IFREG: L.EXT2_FT_REG_FILE, S_IFDIR: L.EXT2_FT_DIR, S_IFCHR: L.EXT2_FT_CHRDEV,
              S_IFBLK: L.EXT2_FT_BLKDEV, S_IFIFO: L.EXT2_FT_FIFO, S_IFSOCK: L.EXT2_FT_SOCK,
              S_IFLNK: L.EXT2_FT_SYMLINK}
TYPE_OF_FT = {ft: kind for kind, ft in FT_OF_TYPE.items()}
VALID_TYPES = frozenset(FT_OF_TYPE)


def rec_len_of(name_len: int) -> int:
    """EXT2_DIR_REC_LEN: header + name, rounded up to 4."""
    return (8 + name_len + 3) & ~3


def s32(value: int) -> int:
    return ((value + (1 << 31)) % (1 << 32)) - (1 << 31)


def encode_extra(sec: int, nsec: int) -> int:
    """ext4_encode_extra_time: 2 epoch bits (seconds beyond 32 bits), then nanoseconds."""
    return (((sec - s32(sec)) >> 32) & 3) | ((nsec & 0x3FFFFFFF) << 2)


def decode_time(sec: int, extra: int | None) -> int:
    if extra is None:
        return sec * NS
    sec += (extra & 3) << 32
    nsec = extra >> 2
    if nsec >= NS:
        nsec = 0
    return sec * NS + nsec


class DirentRef:
    """A directory's child that is not loaded: what getdents needs (ino and type)."""

    __slots__ = ("ino", "mode")

    def __init__(self, ino: int, mode: int):
        self.ino = ino
        self.mode = mode


class Ext2File(RegularFile):
    """An open regular file: counts openers so an unlinked file lives until its last close."""

    def __init__(self, location, flags: int):
        super().__init__(location, flags)
        self._ext2_inode = location.inode
        self._ext2_inode.open_count += 1

    def release(self) -> None:
        inode = self._ext2_inode
        inode.open_count -= 1
        fs = inode.fs
        if inode.open_count <= 0 and inode.links == 0 and not inode.deleted and fs.mounted \
                and not fs.read_only:
            try:
                fs.delete_inode(inode)
            except LinuxError as exc:
                fs.log(f"error: freeing unlinked inode {inode.ino}: {exc}")


class Ext2Inode(Inode):
    """An ext2 inode of any type; methods check the type they need."""

    # -- loading and creating ---------------------------------------------------------------
    @classmethod
    def load(cls, fs, ino: int, raw: bytes) -> "Ext2Inode":
        v = L.INODE.unpack_from(raw, 0)
        mode = v[L.I_MODE]
        links = v[L.I_LINKS]
        if links == 0 and (mode == 0 or v[L.I_DTIME]):
            raise fs.corrupt(f"deleted inode {ino} referenced", EUCLEAN)
        if mode & S_IFMT not in VALID_TYPES:
            raise fs.corrupt(f"bad i_mode {mode:#o} in inode {ino}", EUCLEAN)
        self = cls.__new__(cls)
        uid = v[L.I_UID] | (v[L.I_UID_HIGH] << 16)
        gid = v[L.I_GID] | (v[L.I_GID_HIGH] << 16)
        Inode.__init__(self, fs, mode, uid, gid, 0, ino=ino)
        self.raw = bytearray(raw)
        self.extra_isize = 0
        if fs.inode_size > L.EXT2_GOOD_OLD_INODE_SIZE:
            extra = int.from_bytes(raw[128:130], "little")
            if 128 + extra <= fs.inode_size and not extra & 3:
                self.extra_isize = extra
        size = v[L.I_SIZE]
        if fs.rev and mode & S_IFMT == S_IFREG:
            size |= v[L.I_SIZE_HIGH] << 32
        self._size = size
        self.links = links
        self.nlink = links
        self.i_blocks = v[L.I_BLOCKS]
        self.flags = v[L.I_FLAGS]
        self.block = list(v[L.I_BLOCK:L.I_BLOCK + L.EXT2_N_BLOCKS])
        self.generation = v[L.I_GENERATION]
        self.file_acl = v[L.I_FILE_ACL]
        self.dtime = v[L.I_DTIME]
        self.atime = decode_time(v[L.I_ATIME], self._extra(140))
        self.ctime = decode_time(v[L.I_CTIME], self._extra(132))
        self.mtime = decode_time(v[L.I_MTIME], self._extra(136))
        self.btime = 0
        if self._fits(144):
            crtime = struct.unpack_from("<i", raw, 144)[0]
            self.btime = decode_time(crtime, self._extra(148))
        if mode & S_IFMT in (S_IFCHR, S_IFBLK):
            self.rdev = self.block[0] or self.block[1]
        self._init_state()
        if self.is_dir() and size % fs.block_size:
            fs.log(f"warning: directory {ino} size {size} is not a multiple of the block size")
        return self

    @classmethod
    def fresh(cls, fs, ino: int, mode: int, uid: int, gid: int) -> "Ext2Inode":
        """A newly allocated inode (ext2_new_inode): links 0, times now, no blocks."""
        self = cls.__new__(cls)
        Inode.__init__(self, fs, mode, uid, gid, 0, ino=ino)
        self.raw = bytearray(fs.inode_size)
        self.extra_isize = fs.extra_isize
        if fs.inode_size > L.EXT2_GOOD_OLD_INODE_SIZE:
            self.raw[128:130] = fs.extra_isize.to_bytes(2, "little")
        self._size = 0
        self.links = 0
        self.nlink = 0
        self.i_blocks = 0
        self.flags = 0
        self.block = [0] * L.EXT2_N_BLOCKS
        self.generation = int.from_bytes(os.urandom(4), "little")
        self.file_acl = 0
        self.dtime = 0
        self.btime = self.ctime
        if self._fits(144):  # i_crtime, i_crtime_extra
            sec, nsec = divmod(self.ctime, NS)
            struct.pack_into("<i", self.raw, 144, s32(sec))
            if self._fits(148):
                struct.pack_into("<I", self.raw, 148, encode_extra(sec, nsec))
        self._init_state()
        return self

    def _init_state(self) -> None:
        self.deleted = False
        self.open_count = 0
        self.last_alloc = 0
        self._names = None  # directory: name -> (ino, file_type, logical block)
        self._slack = None  # directory: logical block -> the largest record it can take
        self._entries = None  # directory: cached getdents list

    def _fits(self, offset: int) -> bool:
        """EXT4_FITS_IN_INODE for the 4-byte field at offset."""
        return self.fs.inode_size > 128 and 128 + self.extra_isize >= offset + 4

    def _extra(self, offset: int) -> int | None:
        if not self._fits(offset):
            return None
        return int.from_bytes(self.raw[offset:offset + 4], "little")

    def encode(self) -> bytes:
        """The on-disk record (ext2_write_inode), unknown bytes preserved."""
        raw = self.raw
        v = list(L.INODE.unpack_from(raw, 0))
        v[L.I_MODE] = self.mode & 0xFFFF
        v[L.I_UID] = self.uid & 0xFFFF
        v[L.I_UID_HIGH] = (self.uid >> 16) & 0xFFFF
        v[L.I_GID] = self.gid & 0xFFFF
        v[L.I_GID_HIGH] = (self.gid >> 16) & 0xFFFF
        size = self._size
        v[L.I_SIZE] = size & 0xFFFFFFFF
        if self.mode & S_IFMT == S_IFREG and self.fs.rev:
            v[L.I_SIZE_HIGH] = size >> 32
        for index, ns, extra_at in ((L.I_ATIME, self.atime, 140), (L.I_CTIME, self.ctime, 132),
                                    (L.I_MTIME, self.mtime, 136)):
            sec, nsec = divmod(ns, NS)
            v[index] = s32(sec)
            if self._fits(extra_at):
                raw[extra_at:extra_at + 4] = encode_extra(sec, nsec).to_bytes(4, "little")
        v[L.I_DTIME] = self.dtime & 0xFFFFFFFF
        v[L.I_LINKS] = self.links
        v[L.I_BLOCKS] = self.i_blocks & 0xFFFFFFFF
        v[L.I_FLAGS] = self.flags
        blocks = self.block
        if self.mode & S_IFMT in (S_IFCHR, S_IFBLK):
            major = (self.rdev & 0xFFF00) >> 8
            minor = (self.rdev & 0xFF) | ((self.rdev >> 12) & 0xFFF00)
            blocks = [0] * L.EXT2_N_BLOCKS
            if major < 256 and minor < 256:
                blocks[0] = (major << 8) | minor  # old_encode_dev
            else:
                blocks[1] = self.rdev  # new_encode_dev
        v[L.I_BLOCK:L.I_BLOCK + L.EXT2_N_BLOCKS] = blocks
        v[L.I_GENERATION] = self.generation
        v[L.I_FILE_ACL] = self.file_acl
        L.INODE.pack_into(raw, 0, *v)
        return bytes(raw)

    # -- attributes ------------------------------------------------------------------------------
    @property
    def size(self) -> int:
        return self._size

    @property
    def blocks(self) -> int:
        return self.i_blocks

    @property
    def blksize(self) -> int:
        return self.fs.block_size

    def dirty(self) -> None:
        self.fs.dirty_inodes.add(self)

    def touch(self, atime: bool = False, mtime: bool = False, ctime: bool = False) -> None:
        fs = self.fs
        if fs.read_only or not fs.mounted or self.deleted:
            return
        if atime and not (mtime or ctime) and not self._atime_due():
            return
        fs.check_writable()
        super().touch(atime, mtime, ctime)
        fs.dirty_inodes.add(self)

    def accessed(self) -> None:
        """A read (file_accessed): atime under relatime, never on a read-only mount."""
        if self._atime_due():
            self.touch(atime=True)

    def _atime_due(self) -> bool:
        """relatime_need_update: atime older than mtime or ctime, or a day old."""
        return (self.atime <= self.mtime or self.atime <= self.ctime
                or time.time_ns() - self.atime >= RELATIME_SECONDS * NS)

    def setattr(self, mode=None, uid=None, gid=None, atime=None, mtime=None) -> None:
        super().setattr(mode=mode, uid=uid, gid=gid, atime=atime, mtime=mtime)
        self.fs.dirty_inodes.add(self)

    def sync(self) -> None:
        fs = self.fs
        if self in fs.dirty_inodes and not self.deleted and fs.mounted:
            fs.write_inode(self)
            fs.dirty_inodes.discard(self)

    def unlinked(self) -> bool:
        return self.links == 0 or self.deleted

    def is_fast_symlink(self) -> bool:
        """ext2_inode_is_fast_symlink: a symlink owning no block but its EA block."""
        if self.mode & S_IFMT != S_IFLNK:
            return False
        ea_blocks = self.fs.sectors_per_block if self.file_acl else 0
        return self.i_blocks - ea_blocks == 0

    def has_block_tree(self) -> bool:
        kind = self.mode & S_IFMT
        return kind in (S_IFREG, S_IFDIR) or (kind == S_IFLNK and not self.is_fast_symlink())

    def open(self, task, location, flags: int):
        if self.mode & S_IFMT == S_IFREG:
            return Ext2File(location, flags)
        return super().open(task, location, flags)

    # -- the block tree ----------------------------------------------------------------------------
    def _path(self, lblock: int) -> tuple:
        """(i_block index, indices into each indirect level) of a logical block."""
        fs = self.fs
        per, bits = fs.per_block, fs.ptr_bits
        mask = per - 1
        if lblock < L.EXT2_NDIR_BLOCKS:
            return (lblock,)
        lblock -= L.EXT2_NDIR_BLOCKS
        if lblock < per:
            return (L.EXT2_IND_BLOCK, lblock)
        lblock -= per
        if lblock < per * per:
            return (L.EXT2_DIND_BLOCK, lblock >> bits, lblock & mask)
        lblock -= per * per
        if lblock < per * per * per:
            return (L.EXT2_TIND_BLOCK, lblock >> (2 * bits), (lblock >> bits) & mask, lblock & mask)
        raise EFBIG()

    def _lookup(self, lblock: int) -> int:
        """The physical block of lblock, 0 for a hole; EIO for a pointer out of range."""
        fs = self.fs
        path = self._path(lblock)
        ptr = self.block[path[0]]
        for index in path[1:]:
            if not ptr:
                return 0
            ptr = fs.read_indirect(ptr)[index]
        if ptr and not fs.valid_block(ptr):
            raise fs.corrupt(f"inode {self.ino}: block {lblock} maps to {ptr}, outside the file system")
        return ptr

    def _map_range(self, first: int, count: int) -> list[int]:
        """Physical blocks of logical blocks [first, first+count), whole indirect
        blocks at a time."""
        fs = self.fs
        per = fs.per_block
        out: list[int] = []
        lb = first
        end = first + count
        while lb < end:
            if lb < L.EXT2_NDIR_BLOCKS:
                take = min(end, L.EXT2_NDIR_BLOCKS) - lb
                out.extend(self.block[lb:lb + take])
                lb += take
                continue
            path = self._path(lb)
            ptr = self.block[path[0]]
            for index in path[1:-1]:
                if not ptr:
                    break
                ptr = fs.read_indirect(ptr)[index]
            index = path[-1]
            take = min(end - lb, per - index)
            if ptr:
                out.extend(fs.read_indirect(ptr)[index:index + take])
            else:
                out.extend([0] * take)
            lb += take
        low, high = fs.first_data_block, fs.blocks_count
        for i, ptr in enumerate(out):
            if ptr and not low < ptr < high:
                raise fs.corrupt(f"inode {self.ino}: block {first + i} maps to {ptr}, "
                                 "outside the file system")
        return out

    def _goal(self) -> int:
        if self.last_alloc:
            return self.last_alloc + 1
        fs = self.fs
        return fs.group_first_block((self.ino - 1) // fs.inodes_per_group)

    def _alloc(self) -> int:
        fs = self.fs
        block = fs.alloc_block(self._goal())
        self.last_alloc = block
        self.i_blocks += fs.sectors_per_block
        self.fs.dirty_inodes.add(self)
        return block

    def _get_block(self, lblock: int) -> tuple[int, bool]:
        """(physical block, freshly allocated) for lblock, allocating the path to it.
        ENOSPC before anything is allocated when the whole path cannot be."""
        found = self._lookup(lblock)
        if found:
            return found, False
        fs = self.fs
        path = self._path(lblock)
        need = 1
        ptr = self.block[path[0]]
        for index in path[1:]:
            if not ptr:
                need += 1
                continue
            ptr = fs.read_indirect(ptr)[index]
        if fs.sb.s_free_blocks_count < need:
            raise ENOSPC()
        top = path[0]
        if len(path) == 1:
            block = self._alloc()
            self.block[top] = block
            return block, True
        ptr = self.block[top]
        if not ptr:
            ptr = self._alloc()
            fs.new_indirect(ptr)
            self.block[top] = ptr
        last = len(path) - 2
        for depth, index in enumerate(path[1:]):
            child = fs.read_indirect(ptr)[index]
            if not child:
                child = self._alloc()
                if depth != last:
                    fs.new_indirect(child)
                fs.set_indirect(ptr, index, child)
            elif not fs.valid_block(child):
                raise fs.corrupt(f"inode {self.ino}: pointer {child} outside the file system")
            ptr = child
        return ptr, True

    def _drop(self, block: int) -> None:
        fs = self.fs
        if fs.valid_block(block):
            fs.free_block(block)
            self.i_blocks = max(0, self.i_blocks - fs.sectors_per_block)
        else:
            fs.log(f"error: inode {self.ino} points at block {block}, outside the file system")

    def free_blocks_from(self, keep: int) -> None:
        """Free every block mapping logical blocks >= keep, and the indirect blocks left
        empty (ext2_truncate_blocks)."""
        fs = self.fs
        per = fs.per_block
        b = self.block
        for i in range(keep, L.EXT2_NDIR_BLOCKS):
            if b[i]:
                self._drop(b[i])
                b[i] = 0
        base = L.EXT2_NDIR_BLOCKS
        span = per
        for slot, level in ((L.EXT2_IND_BLOCK, 1), (L.EXT2_DIND_BLOCK, 2), (L.EXT2_TIND_BLOCK, 3)):
            if b[slot] and keep < base + span:
                if self._free_tree(b[slot], level, max(0, keep - base)):
                    b[slot] = 0
            base += span
            span *= per
        self.last_alloc = 0
        fs.dirty_inodes.add(self)

    def _free_tree(self, ptr: int, level: int, start: int) -> bool:
        """Free the part of the tree under ptr from its logical offset start on; True if
        ptr itself was freed (nothing under it is kept)."""
        fs = self.fs
        if not fs.valid_block(ptr):
            fs.log(f"error: inode {self.ino} indirect pointer {ptr} outside the file system")
            return True
        children = fs.read_indirect(ptr)
        sub = fs.per_block ** (level - 1)
        first = start // sub
        for i in range(first, fs.per_block):
            child = children[i]
            if not child:
                continue
            child_start = start - i * sub if i == first else 0
            if level == 1:
                self._drop(child)
                freed = True
            else:
                freed = self._free_tree(child, level - 1, child_start)
            if freed and start:
                fs.set_indirect(ptr, i, 0)
        if start == 0:
            self._drop(ptr)
            return True
        return False

    def release_xattr_block(self) -> None:
        """Drop this inode's reference to its extended attribute block (ext2_xattr_delete_inode)."""
        fs = self.fs
        acl = self.file_acl
        if not acl:
            return
        self.file_acl = 0
        if not fs.valid_block(acl):
            fs.log(f"error: inode {self.ino} has its xattr block {acl} outside the file system")
            return
        magic, refcount = struct.unpack_from("<II", fs.cache.read(acl))
        if magic != L.EXT2_EXT_ATTR_MAGIC:
            fs.log(f"error: inode {self.ino}: bad xattr block {acl}")
            return
        if refcount <= 1:
            fs.free_block(acl)
        else:
            fs.cache.write(acl, 4, (refcount - 1).to_bytes(4, "little"))
        self.i_blocks = max(0, self.i_blocks - fs.sectors_per_block)
        fs.dirty_inodes.add(self)

    # -- regular files ------------------------------------------------------------------------------
    def read(self, offset: int, size: int) -> bytes:
        if self.mode & S_IFMT != S_IFREG:
            return super().read(offset, size)
        if offset < 0:
            raise EINVAL()
        end = min(self._size, offset + size)
        if offset >= end or size <= 0:
            return b""
        fs = self.fs
        bits = fs.block_bits
        bs = fs.block_size
        first = offset >> bits
        count = ((end - 1) >> bits) - first + 1
        blocks = self._map_range(first, count)
        cache = fs.cache
        parts = []
        i = 0
        while i < count:
            ptr = blocks[i]
            n = 1
            if ptr:
                while i + n < count and blocks[i + n] == ptr + n:
                    n += 1
                parts.append(cache.read_range(ptr, n))
            else:
                while i + n < count and not blocks[i + n]:
                    n += 1
                parts.append(bytes(n * bs))
            i += n
        data = parts[0] if len(parts) == 1 else b"".join(parts)
        start = offset - (first << bits)
        if start == 0 and len(data) == end - offset:
            return data
        return data[start:start + end - offset]

    def _zero_tail(self, size: int) -> None:
        """Zero the bytes after size in its block (block_truncate_page), so the file
        reads zeros there when it grows again."""
        fs = self.fs
        within = size & (fs.block_size - 1)
        if not within:
            return
        block = self._lookup(size >> fs.block_bits)
        if block:
            fs.cache.write(block, within, bytes(fs.block_size - within))

    def write(self, offset: int, data) -> int:
        if self.mode & S_IFMT != S_IFREG:
            return super().write(offset, data)
        fs = self.fs
        fs.check_writable()
        if offset < 0:
            raise EINVAL()
        n = len(data)
        if n == 0:
            return 0
        if offset >= fs.max_size:
            raise EFBIG()
        if offset + n > fs.max_size:
            n = fs.max_size - offset
        if offset > self._size:
            self._zero_tail(self._size)
        view = memoryview(data)
        bits = fs.block_bits
        bs = fs.block_size
        cache = fs.cache
        pos = offset
        done = 0
        try:
            while done < n:
                within = pos & (bs - 1)
                take = min(bs - within, n - done)
                block, fresh = self._get_block(pos >> bits)
                chunk = view[done:done + take]
                if fresh:
                    cache.write_new(block, bytes(within) + bytes(chunk) if within else chunk)
                else:
                    cache.write(block, within, chunk)
                done += take
                pos += take
                if pos > self._size:
                    self._size = pos
        except ENOSPC:
            if not done:
                raise
        finally:
            if done:
                self.changed()
        return done

    def truncate(self, size: int) -> None:
        if self.mode & S_IFMT != S_IFREG:
            return super().truncate(size)
        fs = self.fs
        fs.check_writable()
        if size < 0:
            raise EINVAL()
        if size > fs.max_size:
            raise EFBIG()
        old = self._size
        if size < old:
            self.free_blocks_from((size + fs.block_size - 1) >> fs.block_bits)
            self._size = size
            self._zero_tail(size)
        elif size > old:
            self._zero_tail(old)
            self._size = size
        self.changed()

    def next_data(self, offset: int, hole: bool) -> int:
        """SEEK_DATA / SEEK_HOLE from the block map, at block granularity (what the
        ext4 driver's iomap answers for a block-mapped file)."""
        if self.mode & S_IFMT != S_IFREG:
            return super().next_data(offset, hole)
        size = self._size
        bits = self.fs.block_bits
        if offset >= size:
            raise ENXIO()
        lb = self._seek_block(offset >> bits, (size - 1) >> bits, want_data=not hole)
        if lb < 0:
            if hole:
                return size
            raise ENXIO()
        return max(offset, lb << bits)

    def _seek_block(self, lb: int, last: int, want_data: bool) -> int:
        """The first logical block in [lb, last] that is mapped (want_data) or a hole,
        else -1. Zero pointers above the leaves skip their whole subtree."""
        fs = self.fs
        per = fs.per_block
        while lb <= last:
            if lb < L.EXT2_NDIR_BLOCKS:
                if bool(self.block[lb]) == want_data:
                    return lb
                lb += 1
                continue
            path = self._path(lb)
            levels = len(path) - 1
            base = L.EXT2_NDIR_BLOCKS + sum(per ** k for k in range(1, levels))
            ptr = self.block[path[0]]
            depth = 0
            while ptr and depth < levels - 1:
                ptr = fs.read_indirect(ptr)[path[depth + 1]]
                depth += 1
            if not ptr:  # an empty subtree: all holes
                if not want_data:
                    return lb
                span = per ** (levels - depth)
                lb = base + ((lb - base) // span + 1) * span
                continue
            leaf = fs.read_indirect(ptr)
            index = path[-1]
            for i in range(index, min(per, index + last - lb + 1)):
                if bool(leaf[i]) == want_data:
                    return lb + i - index
            lb += per - index
        return -1

    # -- symlinks -------------------------------------------------------------------------------------
    def readlink(self) -> bytes:
        if self.mode & S_IFMT != S_IFLNK:
            raise EINVAL()
        fs = self.fs
        size = self._size
        if self.is_fast_symlink():
            if size > FAST_SYMLINK_MAX:
                raise fs.corrupt(f"fast symlink {self.ino} has size {size}")
            target = I_BLOCK_STRUCT.pack(*self.block)[:size]
        else:
            if size >= fs.block_size:
                raise fs.corrupt(f"symlink {self.ino} has size {size}")
            block = self._lookup(0)
            if not block:
                raise fs.corrupt(f"symlink {self.ino} has no data block")
            target = fs.cache.read(block)[:size]
        self.accessed()
        return target

    # -- directories: reading ----------------------------------------------------------------------------
    def _check_dir(self) -> None:
        if self.mode & S_IFMT != S_IFDIR:
            raise ENOTDIR()
        if self.deleted:
            raise ENOENT()

    def _dir_blocks(self) -> int:
        fs = self.fs
        if self._size % fs.block_size:
            raise fs.corrupt(f"directory {self.ino}: size {self._size} is not a multiple of the block size")
        return self._size >> fs.block_bits

    def _dir_block(self, lblock: int) -> tuple[int, bytes]:
        block = self._lookup(lblock)
        if not block:
            raise self.fs.corrupt(f"directory {self.ino} has a hole at block {lblock}")
        return block, self.fs.cache.read(block)

    def _entry_at(self, data: bytes, pos: int) -> tuple[int, int, int, int]:
        """(inode, rec_len, name_len, file_type) at pos, checked as ext2_check_folio does."""
        fs = self.fs
        if fs.has_filetype:
            ino, rec_len, name_len, ftype = L.DIR_ENTRY_2.unpack_from(data, pos)
        else:
            ino, rec_len, name_len = L.DIR_ENTRY.unpack_from(data, pos)
            ftype = 0
        bs = fs.block_size
        if bs == 65536 and rec_len in (0, 65535):
            rec_len = 65536  # ext2_rec_len_from_disk
        problem = None
        if rec_len < rec_len_of(1):
            problem = "rec_len is smaller than minimal"
        elif rec_len & 3:
            problem = "unaligned directory entry"
        elif rec_len < rec_len_of(name_len):
            problem = "rec_len is too small for name_len"
        elif pos + rec_len > bs:
            problem = "directory entry across blocks"
        elif ino > fs.inodes_count:
            problem = "inode out of bounds"
        if problem:
            raise fs.corrupt(f"bad entry in directory #{self.ino}: {problem} - offset={pos}, "
                             f"inode={ino}, rec_len={rec_len}, name_len={name_len}")
        return ino, rec_len, name_len, ftype

    def _scan(self):
        """Every record of the directory: (lblock, pblock, pos, ino, rec_len, name_len, ftype, name)."""
        bs = self.fs.block_size
        for lb in range(self._dir_blocks()):
            block, data = self._dir_block(lb)
            pos = 0
            while pos < bs:
                ino, rec_len, name_len, ftype = self._entry_at(data, pos)
                yield lb, block, pos, ino, rec_len, name_len, ftype, data[pos + 8:pos + 8 + name_len]
                pos += rec_len

    def _index(self) -> dict:
        """name -> (ino, file_type, logical block), built by one scan; with it, the room
        each block has for a new record (so adding and removing are one block's work,
        not the whole directory's)."""
        names = self._names
        if names is None:
            names = {}
            slack = {}
            for lb, _block, _pos, ino, rec_len, name_len, ftype, name in self._scan():
                if ino:
                    names[name] = (ino, ftype, lb)
                room = rec_len - (rec_len_of(name_len) if ino else 0)
                if room > slack.get(lb, 0):
                    slack[lb] = room
                else:
                    slack.setdefault(lb, 0)
            self._names = names
            self._slack = slack
        return names

    def _block_slack(self, data: bytes) -> int:
        bs = self.fs.block_size
        pos = 0
        best = 0
        while pos < bs:
            ino, rec_len, name_len, _ = self._entry_at(data, pos)
            room = rec_len - (rec_len_of(name_len) if ino else 0)
            if room > best:
                best = room
            pos += rec_len
        return best

    def lookup(self, name: bytes) -> Inode:
        self._check_dir()
        if name == b".":
            return self
        entry = self._index().get(name)
        if entry is None:
            raise ENOENT()
        ino = entry[0]
        if name == b".." and ino == self.ino and ino != L.EXT2_ROOT_INO:
            raise self.fs.corrupt(f"directory {self.ino}: '..' is the directory itself", EUCLEAN)
        return self.fs.iget(ino)

    def entries(self):
        if self.mode & S_IFMT != S_IFDIR:
            raise ENOTDIR()
        if self.deleted:
            return []
        cached = self._entries
        if cached is None:
            fs = self.fs
            bits = fs.block_bits
            cached = []
            for lb, _block, pos, ino, _rl, _nl, ftype, name in self._scan():
                if not ino:
                    continue
                if name == b".":
                    child = self
                elif name == b"..":
                    child = self.lookup(b"..")
                else:
                    child = DirentRef(ino, TYPE_OF_FT.get(ftype, 0) if fs.has_filetype else 0)
                cached.append(((lb << bits) + pos + 1, name, child))
            self._entries = cached
        inodes = self.fs.inodes
        return [(cookie, name, inodes.get(child.ino, child) if type(child) is DirentRef else child)
                for cookie, name, child in cached]

    def _is_empty(self) -> bool:
        for *_head, ino, _rl, _nl, _ft, name in self._scan():
            if ino and name not in (b".", b".."):
                return False
        return True

    # -- directories: changing ------------------------------------------------------------------------------
    def _changed_dir(self, times: bool = True) -> None:
        self._entries = None
        if self.flags & L.EXT2_INDEX_FL:
            self.flags &= ~L.EXT2_INDEX_FL
        self.version += 1
        if times:
            self.touch(mtime=True, ctime=True)
        self.fs.dirty_inodes.add(self)

    def _pack_entry(self, ino: int, rec_len: int, name: bytes, ftype: int) -> bytes:
        disk_len = rec_len if rec_len < 65536 else 65535
        if self.fs.has_filetype:
            head = L.DIR_ENTRY_2.pack(ino, disk_len, len(name), ftype)
        else:
            head = L.DIR_ENTRY.pack(ino, disk_len, len(name))
        return head + name + bytes(rec_len_of(len(name)) - 8 - len(name))

    def _add_entry(self, name: bytes, ino: int, ftype: int) -> None:
        """ext2_add_link: the first record with room (in the first block that has some),
        else a new block."""
        fs = self.fs
        if not fs.has_filetype:
            ftype = 0
        need = rec_len_of(len(name))
        bs = fs.block_size
        self._index()
        slack = self._slack
        for lb in sorted(b for b, room in slack.items() if room >= need):
            block, data = self._dir_block(lb)
            pos = 0
            while pos < bs:
                e_ino, rec_len, name_len, _ = self._entry_at(data, pos)
                used = rec_len_of(name_len) if e_ino else 0
                if rec_len - used >= need:
                    buf = bytearray(data)
                    if e_ino:
                        buf[pos:pos + used] = self._pack_entry(e_ino, used, data[pos + 8:pos + 8 + name_len],
                                                               data[pos + 7] if fs.has_filetype else 0)
                        pos += used
                        rec_len -= used
                    entry = self._pack_entry(ino, rec_len, name, ftype)
                    buf[pos:pos + len(entry)] = entry
                    fs.cache.write(block, 0, bytes(buf))
                    slack[lb] = self._block_slack(bytes(buf))
                    self._added(name, ino, ftype, lb)
                    return
                pos += rec_len
            slack[lb] = self._block_slack(data)  # the map was stale: correct it
        lb = self._dir_blocks()
        block, _fresh = self._get_block(lb)
        fs.cache.write_new(block, self._pack_entry(ino, bs, name, ftype))
        self._size += bs
        slack[lb] = bs - need
        self._added(name, ino, ftype, lb)

    def _added(self, name: bytes, ino: int, ftype: int, lblock: int) -> None:
        self._names[name] = (ino, ftype, lblock)
        self._changed_dir()

    def _find(self, name: bytes):
        """(logical block, block, pos, previous pos in the block or -1, data) of name's record."""
        fs = self.fs
        bs = fs.block_size
        entry = self._index().get(name)
        blocks = [entry[2]] if entry is not None else range(self._dir_blocks())
        for lb in blocks:
            block, data = self._dir_block(lb)
            pos = 0
            prev = -1
            while pos < bs:
                ino, rec_len, name_len, _ = self._entry_at(data, pos)
                if ino and name_len == len(name) and data[pos + 8:pos + 8 + name_len] == name:
                    return lb, block, pos, prev, data
                prev = pos
                pos += rec_len
        raise ENOENT()

    def _remove_entry(self, name: bytes) -> None:
        """ext2_delete_entry: merge into the previous record, or clear the inode of the
        first record of a block."""
        fs = self.fs
        lb, block, pos, prev, data = self._find(name)
        buf = bytearray(data)
        if prev >= 0:
            prev_len = self._entry_at(data, prev)[1]
            rec_len = self._entry_at(data, pos)[1]
            merged = prev_len + rec_len
            buf[prev + 4:prev + 6] = (merged if merged < 65536 else 65535).to_bytes(2, "little")
        buf[pos:pos + 4] = bytes(4)
        fs.cache.write(block, 0, bytes(buf))
        self._slack[lb] = self._block_slack(bytes(buf))
        self._names.pop(name, None)
        self._changed_dir()

    def _set_entry(self, name: bytes, ino: int, ftype: int, times: bool = True) -> None:
        fs = self.fs
        lb, block, pos, _prev, _data = self._find(name)
        fs.cache.write(block, pos, ino.to_bytes(4, "little"))
        if fs.has_filetype:
            fs.cache.write(block, pos + 7, bytes((ftype,)))
        self._names[name] = (ino, ftype if fs.has_filetype else 0, lb)
        self._changed_dir(times)

    def _check_new_name(self, name: bytes) -> None:
        self._check_dir()
        self.fs.check_writable()
        if len(name) > L.EXT2_NAME_LEN:
            raise ENAMETOOLONG()
        if name in (b".", b"..") or name in self._index():
            raise EEXIST()

    def _new_child(self, name: bytes, mode: int, uid: int, gid: int, setup=None) -> "Ext2Inode":
        """Allocate an inode, let setup() give it content, link it under name; on any
        failure free whatever was allocated (nothing half-made stays on disk)."""
        fs = self.fs
        child = fs.new_inode(self, mode, uid, gid)
        child.links = child.nlink = 2 if child.is_dir() else 1
        try:
            if setup is not None:
                setup(child)
            self._add_entry(name, child.ino, FT_OF_TYPE[mode & S_IFMT])
        except BaseException:
            child.links = child.nlink = 0
            fs.delete_inode(child)
            raise
        return child

    def create(self, name, mode, uid, gid):
        self._check_new_name(name)
        return self._new_child(name, S_IFREG | (mode & 0o7777), uid, gid)

    def mknod(self, name, mode, rdev, uid, gid):
        self._check_new_name(name)

        def setup(child):
            if mode & S_IFMT in (S_IFCHR, S_IFBLK):
                child.rdev = rdev
        return self._new_child(name, mode, uid, gid, setup)

    def mkdir(self, name, mode, uid, gid):
        self._check_new_name(name)
        if self.links >= L.EXT2_LINK_MAX:
            raise EMLINK()
        fs = self.fs
        bs = fs.block_size

        def setup(child):
            block, _fresh = child._get_block(0)
            dot = child._pack_entry(child.ino, 12, b".", L.EXT2_FT_DIR)
            dotdot = child._pack_entry(self.ino, bs - 12, b"..", L.EXT2_FT_DIR)
            fs.cache.write_new(block, dot + dotdot)
            child._size = bs
        child = self._new_child(name, S_IFDIR | (mode & 0o7777), uid, gid, setup)
        self.links += 1
        self.nlink = self.links
        return child

    def symlink(self, name, target, uid, gid):
        fs = self.fs
        if len(target) + 1 > fs.block_size:
            raise ENAMETOOLONG()
        self._check_new_name(name)

        def setup(child):
            if len(target) <= FAST_SYMLINK_MAX:
                child.block = list(I_BLOCK_STRUCT.unpack(target.ljust(60, b"\0")))
            else:
                block, _fresh = child._get_block(0)
                fs.cache.write_new(block, target)
            child._size = len(target)
        return self._new_child(name, S_IFLNK | 0o777, uid, gid, setup)

    def link(self, name, inode):
        self._check_dir()
        self.fs.check_writable()
        if not isinstance(inode, Ext2Inode) or inode.fs is not self.fs:
            raise EXDEV()
        if inode.is_dir():
            raise EPERM()
        if inode.links >= L.EXT2_LINK_MAX:
            raise EMLINK()
        self._check_new_name(name)
        self._add_entry(name, inode.ino, FT_OF_TYPE[inode.mode & S_IFMT])
        inode.links += 1
        inode.nlink = inode.links
        self.fs.orphans.discard(inode)
        inode.touch(ctime=True)
        inode.dirty()

    def make_unlinked(self, mode: int, uid: int, gid: int) -> "Ext2Inode":
        """O_TMPFILE (ext2_tmpfile): an inode with no name, freed at its last close
        unless linkat() gives it one."""
        self._check_dir()
        fs = self.fs
        fs.check_writable()
        child = fs.new_inode(self, mode, uid, gid)
        child.linkable_when_unlinked = True
        fs.orphans.add(child)
        return child

    def _drop_link(self, inode: "Ext2Inode") -> None:
        inode.links = max(0, inode.links - 1)
        inode.nlink = inode.links
        inode.touch(ctime=True)
        inode.dirty()
        if inode.links == 0:
            if inode.open_count > 0:
                self.fs.orphans.add(inode)
            else:
                self.fs.delete_inode(inode)

    def unlink(self, name):
        child = self.lookup(name)
        if child.is_dir():
            raise EISDIR()
        self.fs.check_writable()
        self._remove_entry(name)
        self._drop_link(child)

    def rmdir(self, name):
        child = rmdir_victim(self, name)
        if not child._is_empty():
            raise ENOTEMPTY()
        self.fs.check_writable()
        self._remove_entry(name)
        self.links = max(1, self.links - 1)
        self.nlink = self.links
        child.links = child.nlink = 0
        self.fs.delete_inode(child)

    def _exchange(self, old_name, new_dir, new_name) -> None:
        """Swap two names (both must exist): each entry takes the other's inode; a
        directory that changes parent gets its ".." updated, and the parents' link
        counts follow the directories."""
        self._check_dir()
        fs = self.fs
        fs.check_writable()
        if not isinstance(new_dir, Ext2Inode) or new_dir.fs is not fs:
            raise EXDEV()
        new_dir._check_dir()
        source = self.lookup(old_name)
        target = new_dir.lookup(new_name)
        if source is target:
            return
        delta = int(source.is_dir()) - int(target.is_dir())  # directories moving to new_dir
        if new_dir is not self:
            if delta > 0 and new_dir.links >= L.EXT2_LINK_MAX or delta < 0 and self.links >= L.EXT2_LINK_MAX:
                raise EMLINK()
        new_dir._set_entry(new_name, source.ino, FT_OF_TYPE[source.mode & S_IFMT])
        self._set_entry(old_name, target.ino, FT_OF_TYPE[target.mode & S_IFMT])
        if new_dir is not self:
            if source.is_dir():
                source._set_entry(b"..", new_dir.ino, L.EXT2_FT_DIR, times=False)
            if target.is_dir():
                target._set_entry(b"..", self.ino, L.EXT2_FT_DIR, times=False)
            self.links -= delta
            self.nlink = self.links
            new_dir.links += delta
            new_dir.nlink = new_dir.links
        for inode in (source, target):
            inode.touch(ctime=True)
            inode.dirty()

    def rename(self, old_name, new_dir, new_name, flags):
        """ext2_rename, and RENAME_EXCHANGE as ext4_cross_rename does it (Linux mounts ext2
        images with the ext4 driver today, and that one exchanges); RENAME_WHITEOUT is
        EINVAL. The new name is linked before the old one goes, so a failure (ENOSPC
        growing the target directory) changes nothing."""
        if flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE) or flags == RENAME_NOREPLACE | RENAME_EXCHANGE:
            raise EINVAL()
        if flags & RENAME_EXCHANGE:
            return self._exchange(old_name, new_dir, new_name)
        self._check_dir()
        fs = self.fs
        fs.check_writable()
        if not isinstance(new_dir, Ext2Inode) or new_dir.fs is not fs:
            raise EXDEV()
        new_dir._check_dir()
        if len(new_name) > L.EXT2_NAME_LEN:
            raise ENAMETOOLONG()
        source = self.lookup(old_name)
        entry = new_dir._index().get(new_name)
        target = fs.iget(entry[0]) if entry is not None else None
        if target is source:
            return
        if target is not None:
            if flags & RENAME_NOREPLACE:
                raise EEXIST()
            if source.is_dir():
                if not target.is_dir():
                    raise ENOTDIR()
                if not target._is_empty():
                    raise ENOTEMPTY()
            elif target.is_dir():
                raise EISDIR()
        elif source.is_dir() and new_dir is not self and new_dir.links >= L.EXT2_LINK_MAX:
            raise EMLINK()
        ftype = FT_OF_TYPE[source.mode & S_IFMT]
        if target is not None:
            new_dir._set_entry(new_name, source.ino, ftype)
        else:
            new_dir._add_entry(new_name, source.ino, ftype)
        self._remove_entry(old_name)
        if source.is_dir():
            if new_dir is not self:
                source._set_entry(b"..", new_dir.ino, L.EXT2_FT_DIR, times=False)
                self.links = max(1, self.links - 1)
                self.nlink = self.links
                new_dir.links += 1
                new_dir.nlink = new_dir.links
        source.touch(ctime=True)
        source.dirty()
        if target is not None:
            if target.is_dir():
                new_dir.links = max(1, new_dir.links - 1)
                new_dir.nlink = new_dir.links
                target.links = target.nlink = 0
                fs.delete_inode(target)
            else:
                self._drop_link(target)


__all__ = ["Ext2Inode", "Ext2File", "DirentRef"]
