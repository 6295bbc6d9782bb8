"""Extended attributes: the checks of fs/xattr.c and an in-memory store.

A file system says which namespaces it keeps (`Inode.xattr_namespaces`, e.g. tmpfs:
user., trusted., security.); a name in another namespace is EOPNOTSUPP, as when no
xattr handler matches (xattr_resolve_name). tmpfs keeps attributes in memory with the
inode, host binds ask the host (fs/hostfs.py overrides the four operations).
"""

from kevlar.abi.constants import R_OK, S_IFDIR, S_IFMT, S_IFREG, S_ISVTX, W_OK
from kevlar.abi.errors import E2BIG, EEXIST, EINVAL, ENODATA, EOPNOTSUPP, EPERM, ERANGE
from kevlar.fs.iflags import check_unchangeable
from kevlar.fs.vfs import check_access

XATTR_NAME_MAX = 255
XATTR_SIZE_MAX = 65536
XATTR_LIST_MAX = 65536
XATTR_CREATE = 1
XATTR_REPLACE = 2
USER = b"user."
TRUSTED = b"trusted."
SECURITY = b"security."
SYSTEM = b"system."
ACL_PREFIX = b"system.posix_acl_"


def check_name(name: bytes) -> None:
    """setxattr_copy/getxattr: an empty name or one that fills the 256-byte buffer is
    ERANGE (the caller read at most XATTR_NAME_MAX + 1 bytes)."""
    if not name or len(name) > XATTR_NAME_MAX:
        raise ERANGE()


def check_permission(creds, inode, name: bytes, write: bool) -> None:
    """xattr_permission(): trusted.* is for CAP_SYS_ADMIN, user.* only on regular files
    and directories (and a sticky directory's owner), the rest by file permission.
    Immutable and append-only inodes take no changes (EPERM; ACLs check it in
    fs/acl.py, after their format)."""
    if write and not name.startswith(ACL_PREFIX):
        check_unchangeable(inode)
    if name.startswith((SECURITY, SYSTEM)):
        return
    if name.startswith(TRUSTED):
        if not creds.is_root:
            raise EPERM() if write else ENODATA()
        return
    if name.startswith(USER):
        kind = inode.mode & S_IFMT
        if kind not in (S_IFREG, S_IFDIR):
            raise EPERM() if write else ENODATA()
        if (kind == S_IFDIR and inode.mode & S_ISVTX and write and creds.fsuid != 0
                and creds.fsuid != inode.uid):
            raise EPERM()
    check_access(creds, inode, W_OK if write else R_OK)


class MemoryXattrs:
    """In-memory attributes for a file system's inodes (simple_xattr)."""

    def _store(self) -> dict:
        store = getattr(self, "_xattrs", None)
        if store is None:
            store = self._xattrs = {}
        return store

    def _supported(self, name: bytes) -> None:
        if not name.startswith(self.xattr_namespaces):
            raise EOPNOTSUPP()

    def getxattr(self, name: bytes) -> bytes:
        self._supported(name)
        try:
            return self._store()[name]
        except KeyError:
            raise ENODATA() from None

    def setxattr(self, name: bytes, value: bytes, flags: int) -> None:
        self._supported(name)
        self.fs.check_writable()
        store = self._store()
        if flags & XATTR_CREATE and name in store:
            raise EEXIST()
        if flags & XATTR_REPLACE and name not in store:
            raise ENODATA()
        store[name] = value
        self.touch(ctime=True)

    def listxattr(self, privileged: bool) -> list[bytes]:
        return [n for n in self._store() if privileged or not n.startswith(TRUSTED)]

    def removexattr(self, name: bytes) -> None:
        self._supported(name)
        self.fs.check_writable()
        try:
            del self._store()[name]
        except KeyError:
            raise ENODATA() from None
        self.touch(ctime=True)


def check_flags(flags: int) -> None:
    if flags & ~(XATTR_CREATE | XATTR_REPLACE):
        raise EINVAL()


def check_size(size: int) -> None:
    if size > XATTR_SIZE_MAX:
        raise E2BIG()
