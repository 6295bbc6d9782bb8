"""POSIX access control lists (fs/posix_acl.c) for file systems that keep them (tmpfs).

An inode that supports ACLs says `posix_acl = True` and keeps `access_acl` and
`default_acl`: tuples of (tag, perm, id) entries, or None. Guests see them as the xattrs
system.posix_acl_access and system.posix_acl_default in the posix_acl_xattr format (a
version word, then 8-byte entries). What Linux does with them, and so Kevlar:
- setting checks the format (posix_acl_from_xattr), then the inode (immutable or
  append-only: EPERM), a default ACL on a non-directory (EACCES), the owner (EPERM)
  and the entries' order (posix_acl_valid: EINVAL); an access ACL that only restates the
  mode is not kept (posix_acl_update_mode), and the mode's group bits follow the mask;
- chmod rewrites the owner, mask (or group) and other entries (posix_acl_chmod);
- a new inode in a directory with a default ACL takes it, masked by the create mode
  and without the umask (posix_acl_create); a directory inherits the default too;
- permission checks of non-owners go through the ACL (posix_acl_permission).
"""

import struct

from kevlar.abi.constants import S_IFDIR, S_IFLNK, S_IFMT, S_ISGID
from kevlar.abi.errors import EACCES, EINVAL, ENODATA, EOPNOTSUPP, EPERM
from kevlar.fs.iflags import check_unchangeable

ACCESS = b"system.posix_acl_access"
DEFAULT = b"system.posix_acl_default"
NAMES = (ACCESS, DEFAULT)
VERSION = 2
USER_OBJ, USER, GROUP_OBJ, GROUP, MASK, OTHER = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20
UNDEFINED_ID = 0xFFFFFFFF
HEADER = struct.Struct("<I")
ENTRY = struct.Struct("<HHI")


def supports(inode) -> bool:
    """IS_POSIXACL with an i_op->get_acl: tmpfs keeps ACLs, but not on symlinks."""
    return getattr(inode, "posix_acl", False) and inode.mode & S_IFMT != S_IFLNK


def from_xattr(value: bytes) -> tuple | None:
    """posix_acl_from_xattr(): no entries is no ACL (removal)."""
    if not value:
        return None
    if len(value) < HEADER.size:
        raise EINVAL()
    if HEADER.unpack_from(value)[0] != VERSION:
        raise EOPNOTSUPP()
    count, rest = divmod(len(value) - HEADER.size, ENTRY.size)
    if rest:
        raise EINVAL()
    entries = []
    for tag, perm, ident in ENTRY.iter_unpack(value[HEADER.size:]):
        if tag in (USER, GROUP):
            if ident == UNDEFINED_ID:
                raise EINVAL()  # no valid kuid/kgid
        elif tag in (USER_OBJ, GROUP_OBJ, MASK, OTHER):
            ident = UNDEFINED_ID
        else:
            raise EINVAL()
        entries.append((tag, perm, ident))
    return tuple(entries) or None


def to_xattr(acl: tuple) -> bytes:
    return HEADER.pack(VERSION) + b"".join(ENTRY.pack(*entry) for entry in acl)


def check_valid(acl: tuple) -> None:
    """posix_acl_valid(): owner, named users, group, named groups, mask, other, in that
    order; a named entry needs the mask; perms are rwx bits."""
    state, needs_mask = USER_OBJ, False
    for tag, perm, _ in acl:
        if perm & ~7:
            raise EINVAL()
        if tag == USER_OBJ and state == USER_OBJ:
            state = USER
        elif tag == USER and state == USER:
            needs_mask = True
        elif tag == GROUP_OBJ and state == USER:
            state = GROUP
        elif tag == GROUP and state == GROUP:
            needs_mask = True
        elif tag == MASK and state == GROUP:
            state = OTHER
        elif tag == OTHER and (state == OTHER or (state == GROUP and not needs_mask)):
            state = 0
        else:
            raise EINVAL()
    if state != 0:
        raise EINVAL()


def equiv_mode(acl: tuple, mode: int) -> tuple[bool, int]:
    """posix_acl_equiv_mode(): (does the ACL say more than a mode, the mode it gives)."""
    bits, mask, not_equiv = 0, None, False
    for tag, perm, _ in acl:
        if tag == USER_OBJ:
            bits |= (perm & 7) << 6
        elif tag == GROUP_OBJ:
            bits |= (perm & 7) << 3
        elif tag == OTHER:
            bits |= perm & 7
        else:
            not_equiv = True
            if tag == MASK:
                mask = perm
    if mask is not None:
        bits = (bits & ~0o070) | ((mask & 7) << 3)
    return not_equiv, (mode & ~0o777) | bits


def get_xattr(inode, name: bytes) -> bytes:
    if not supports(inode):
        raise EOPNOTSUPP()
    acl = inode.access_acl if name == ACCESS else inode.default_acl
    if acl is None:
        raise ENODATA()
    return to_xattr(acl)


def list_names(inode) -> list[bytes]:
    return [name for name, acl in ((ACCESS, inode.access_acl), (DEFAULT, inode.default_acl))
            if acl is not None]


def set_xattr(creds, inode, name: bytes, value: bytes | None) -> None:
    """vfs_set_acl/vfs_remove_acl (value None) and simple_set_acl, in Linux's order;
    XATTR_CREATE/REPLACE do not apply, removing an absent ACL succeeds."""
    acl = from_xattr(value) if value is not None else None
    if not supports(inode):
        raise EOPNOTSUPP()
    inode.fs.check_writable()
    check_unchangeable(inode)  # may_write_xattr
    if name == DEFAULT and inode.mode & S_IFMT != S_IFDIR:
        if acl is None:
            return
        raise EACCES()
    if creds.fsuid != 0 and creds.fsuid != inode.uid:
        raise EPERM()
    if acl is not None:
        check_valid(acl)
    if name == DEFAULT:
        inode.default_acl = acl
    else:
        mode = inode.mode
        if acl is not None:
            not_equiv, mode = equiv_mode(acl, mode)
            if not not_equiv:
                acl = None
        if creds.fsuid != 0 and not creds.in_group(inode.gid):
            mode &= ~S_ISGID  # posix_acl_update_mode: no CAP_FSETID, not in the group
        inode.mode = mode
        inode.access_acl = acl
    inode.touch(ctime=True)


def chmod(inode) -> None:
    """posix_acl_chmod(): the access ACL follows a new mode."""
    acl = inode.access_acl
    if acl is None:
        return
    mode = inode.mode
    has_mask = any(tag == MASK for tag, _, _ in acl)
    out = []
    for tag, perm, ident in acl:
        if tag == USER_OBJ:
            perm = (mode >> 6) & 7
        elif tag == MASK or (tag == GROUP_OBJ and not has_mask):
            perm = (mode >> 3) & 7
        elif tag == OTHER:
            perm = mode & 7
        out.append((tag, perm, ident))
    inode.access_acl = tuple(out)


def inherit(directory, inode) -> None:
    """posix_acl_create() for a new inode in directory (its mode was made without the
    umask when the directory has a default ACL: see uses_umask)."""
    default = directory.default_acl
    if default is None or inode.mode & S_IFMT == S_IFLNK:
        return
    mode = inode.mode
    entries = list(default)
    mask_at = group_at = None
    not_equiv = False
    for i, (tag, perm, ident) in enumerate(entries):
        if tag == USER_OBJ:
            perm &= (mode >> 6) | ~7
            mode &= (perm << 6) | ~0o700
        elif tag in (USER, GROUP):
            not_equiv = True
        elif tag == GROUP_OBJ:
            group_at = i
        elif tag == OTHER:
            perm &= mode | ~7
            mode &= perm | ~7
        elif tag == MASK:
            mask_at = i
            not_equiv = True
        entries[i] = (tag, perm, ident)
    at = mask_at if mask_at is not None else group_at
    if at is not None:
        tag, perm, ident = entries[at]
        perm &= (mode >> 3) | ~7
        mode &= (perm << 3) | ~0o070
        entries[at] = (tag, perm, ident)
    inode.mode = mode
    inode.access_acl = tuple(entries) if not_equiv else None
    if mode & S_IFMT == S_IFDIR:
        inode.default_acl = default


def uses_umask(directory) -> bool:
    """vfs_prepare_mode/posix_acl_create: the umask applies unless a default ACL does."""
    return getattr(directory, "default_acl", None) is None


def permits(creds, inode, want: int) -> bool:
    """posix_acl_permission() for a caller that is not the owner."""
    acl = inode.access_acl
    found = False
    for i, (tag, perm, ident) in enumerate(acl):
        if tag == USER and creds.fsuid == ident:
            return _masked(acl, i, perm, want)
        if tag in (GROUP_OBJ, GROUP) and creds.in_group(inode.gid if tag == GROUP_OBJ else ident):
            found = True
            if perm & want == want:
                return _masked(acl, i, perm, want)
        elif tag == OTHER:
            return not found and perm & want == want
    return False


def _masked(acl: tuple, at: int, perm: int, want: int) -> bool:
    for tag, mask, _ in acl[at + 1:]:
        if tag == MASK:
            return perm & mask & want == want
    return perm & want == want
