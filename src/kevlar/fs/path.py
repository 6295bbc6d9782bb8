"""The one path walk every syscall uses, and the mount table it crosses.

Rules follow fs/namei.c: absolute paths start at the process root, relative ones at the
cwd or a dirfd; every intermediate component must be a searchable directory (ENOTDIR,
EACCES); symlinks are followed in the middle always and at the end unless told not to;
more than 40 of them in one walk is ELOOP; `..` never leaves the process root and climbs
out of a mount's root to its mountpoint; a trailing slash demands a directory; a
component longer than 255 bytes is ENAMETOOLONG.
"""

from kevlar.abi.constants import (
    AT_FDCWD,
    MAXSYMLINKS,
    NAME_MAX,
    RESOLVE_BENEATH,
    RESOLVE_IN_ROOT,
    RESOLVE_NO_MAGICLINKS,
    RESOLVE_NO_SYMLINKS,
    RESOLVE_NO_XDEV,
    X_OK,
)
from kevlar.abi.errors import EBUSY, EINVAL, ELOOP, ENAMETOOLONG, ENOENT, ENOTDIR, EXDEV
from kevlar.fs.vfs import Location, Mount, check_access


class MountTable:
    """All mounts of the (single) mount namespace."""

    def __init__(self, root: Mount):
        self.root = root
        self.mounts: list[Mount] = [root]
        self._on: dict[tuple[int, int], list[Mount]] = {}

    def mount(self, fs, at: Location, source: bytes = b"none", flags: int = 0,
              options: bytes = b"rw", root=None) -> Mount:
        """Attach fs (or a subtree `root` of it, for bind mounts) on top of `at`.
        flags are the per-mount MS_* flags; without them they come from options."""
        if not flags and options:
            from kevlar.syscalls.mount import flags_from_options
            flags = flags_from_options(options)
        mnt = Mount(fs, root if root is not None else fs.root, at.mount, at.inode, source,
                    flags, options)
        self._on.setdefault((at.mount.id, at.inode.ino), []).append(mnt)
        self.mounts.append(mnt)
        return mnt

    def _unhook(self, mnt: Mount) -> None:
        key = (mnt.parent.id, mnt.mountpoint.ino)
        stack = self._on.get(key, [])
        if mnt in stack:
            stack.remove(mnt)
        if not stack:
            self._on.pop(key, None)
        self.mounts.remove(mnt)

    def umount(self, mnt: Mount) -> None:
        """Take one unused mount out of the tree (the caller checked it is not busy)."""
        if mnt is self.root:
            raise EBUSY()
        if any(m.parent is mnt for m in self.mounts):
            raise EBUSY()
        self._unhook(mnt)
        if not any(m.fs is mnt.fs for m in self.mounts):
            mnt.fs.sync()
            from kevlar.fs import notify
            notify.unmounted(mnt.fs)  # the superblock goes: IN_UNMOUNT to its watches

    def detach(self, mnt: Mount) -> None:
        """MNT_DETACH: the mount and every mount below it leave the tree now; open files
        keep their Location (and so their mount) and go on working."""
        doomed = [mnt]
        changed = True
        while changed:
            changed = False
            for m in self.mounts:
                if m.parent in doomed and m not in doomed:
                    doomed.append(m)
                    changed = True
        for m in reversed(doomed):
            self._unhook(m)
        for m in doomed:
            if not any(other.fs is m.fs for other in self.mounts):
                m.fs.sync()
                from kevlar.fs import notify
                notify.unmounted(m.fs)

    def move(self, mnt: Mount, at: Location) -> None:
        """MS_MOVE: re-attach mnt (and with it everything below it) on top of `at`."""
        self._unhook(mnt)
        mnt.parent = at.mount
        mnt.mountpoint = at.inode
        self._on.setdefault((at.mount.id, at.inode.ino), []).append(mnt)
        self.mounts.append(mnt)

    def cross(self, loc: Location) -> Location:
        """Step onto whatever is mounted on loc (the topmost, repeatedly)."""
        while True:
            stack = self._on.get((loc.mount.id, loc.inode.ino))
            if not stack:
                return loc
            top = stack[-1]
            loc = Location(top, top.root)

    def mount_at(self, loc: Location) -> Mount | None:
        """The mount whose root is exactly loc (for umount of a mountpoint path)."""
        return loc.mount if loc.inode is loc.mount.root else None

    def parent(self, loc: Location, root: Location) -> Location:
        """`..` of loc, never above root."""
        while loc.inode is loc.mount.root and loc != root:
            if loc.mount.parent is None:
                return loc
            loc = Location(loc.mount.parent, loc.mount.mountpoint)
        if loc == root:
            return loc
        return Location(loc.mount, loc.inode.lookup(b".."))

    def path_of(self, loc: Location, root: Location) -> tuple[bytes, bool]:
        """(path, reachable) of loc as seen from root; unreachable paths are given from
        the real root, as d_path does for a file outside the chroot."""
        parts = []
        if not loc.inode.is_dir():
            # Files have no ".."; the walk that found them recorded where (d_path of a
            # renamed file shows its new name in Linux; here it shows the opening name).
            if loc.parent is None:
                return b"/", False
            parts.append(loc.name)
            loc = Location(loc.mount, loc.parent)
        while loc != root:
            if loc.inode is loc.mount.root:
                if loc.mount.parent is None:
                    return b"/" + b"/".join(reversed(parts)), False
                loc = Location(loc.mount.parent, loc.mount.mountpoint)
                continue
            parent = loc.inode.lookup(b"..")
            parts.append(_name_in(parent, loc.inode))
            loc = Location(loc.mount, parent)
        return b"/" + b"/".join(reversed(parts)), True


def _name_in(parent, child) -> bytes:
    for _, name, inode in parent.entries():
        if inode is child and name not in (b".", b".."):
            return name
    return b"?"


def start_location(task, dirfd: int, path: bytes) -> Location:
    """Where a walk begins: the root for absolute paths, else the cwd or the dirfd."""
    fs = task.process.fs
    if path.startswith(b"/"):
        return fs.root
    return dir_location(task, dirfd)


def dir_location(task, dirfd: int) -> Location:
    """The directory a dirfd (or AT_FDCWD) names: EBADF, or ENOTDIR for a non-directory."""
    if dirfd == AT_FDCWD:
        return task.process.fs.cwd
    file = task.process.fds.get_raw(dirfd)
    if file.location is None or not file.inode.is_dir():
        raise ENOTDIR()
    return file.location


class Scope:
    """openat2's RESOLVE_* restrictions on one walk (fs/namei.c LOOKUP_BENEATH,
    LOOKUP_IN_ROOT, LOOKUP_NO_XDEV, LOOKUP_NO_SYMLINKS, LOOKUP_NO_MAGICLINKS).

    `root` is the dirfd's location for BENEATH and IN_ROOT. The checks are Linux's:
    an absolute path or absolute symlink under BENEATH, `..` from the scope root under
    BENEATH, a magic link under either scope, and any mount crossing under NO_XDEV are
    EXDEV; a symlink under NO_SYMLINKS and a magic link under NO_MAGICLINKS are ELOOP.
    """

    __slots__ = ("flags", "root")

    def __init__(self, flags: int, root: Location | None = None):
        self.flags = flags
        self.root = root

    @property
    def scoped(self) -> bool:
        return bool(self.flags & (RESOLVE_BENEATH | RESOLVE_IN_ROOT))


def walk(task, start: Location, path: bytes, follow: bool = True, scope: Scope | None = None) -> Location:
    """Resolve path from start. `follow` applies to the final component only."""
    kernel = task.process.kernel
    mounts = kernel.mounts
    creds = task.process.creds
    root = task.process.fs.root
    flags = 0
    if scope is not None:
        flags = scope.flags
        if flags & RESOLVE_IN_ROOT:
            root = scope.root
        if path.startswith(b"/"):
            if flags & RESOLVE_BENEATH:
                raise EXDEV()
            start = root
    trailing = path.endswith(b"/")
    pending = [c for c in path.split(b"/") if c]
    pending.reverse()
    if not pending and path.startswith(b"/"):
        return root
    follow_last = follow or trailing
    cur = start
    links = 0
    while pending:
        name = pending.pop()
        last = not pending
        inode = cur.inode
        if not inode.is_dir():
            raise ENOTDIR()
        check_access(creds, inode, X_OK)
        if name == b".":
            continue
        if name == b"..":
            if flags:
                if flags & RESOLVE_BENEATH and cur == scope.root:
                    raise EXDEV()
                up = mounts.parent(cur, root)
                if flags & RESOLVE_NO_XDEV and up.mount is not cur.mount:
                    raise EXDEV()
                cur = up
            else:
                cur = mounts.parent(cur, root)
            continue
        if len(name) > NAME_MAX:
            raise ENAMETOOLONG()
        found = Location(cur.mount, inode.lookup(name), inode, name)
        child = mounts.cross(found)
        if flags & RESOLVE_NO_XDEV and child.mount is not found.mount:
            raise EXDEV()
        if child.inode.is_symlink() and (not last or follow_last):
            links += 1
            if links > MAXSYMLINKS:
                raise ELOOP()
            if flags & RESOLVE_NO_SYMLINKS:
                raise ELOOP()
            jump = child.inode.follow(task)
            if jump is not None:
                if flags & (RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS):
                    raise ELOOP()
                if flags & (RESOLVE_BENEATH | RESOLVE_IN_ROOT):
                    raise EXDEV()
                if flags & RESOLVE_NO_XDEV and jump.mount is not cur.mount:
                    raise EXDEV()
                cur = jump
                continue
            target = child.inode.readlink()
            if not target:
                raise ENOENT()
            if target.startswith(b"/"):
                if flags & RESOLVE_BENEATH:
                    raise EXDEV()
                if flags & RESOLVE_NO_XDEV and root.mount is not cur.mount:
                    raise EXDEV()
                cur = root
            more = [c for c in target.split(b"/") if c]
            pending.extend(reversed(more))
            if target.endswith(b"/") and last:
                trailing = True
            continue
        cur = child
    if trailing and not cur.inode.is_dir():
        raise ENOTDIR()
    return cur


def resolve(task, dirfd: int, path: bytes, follow: bool = True, empty_ok: bool = False,
            scope: Scope | None = None) -> Location:
    """The Location a path names (the *at() rules for dirfd and AT_EMPTY_PATH)."""
    if not path:
        if not empty_ok:
            raise ENOENT()
        if dirfd == AT_FDCWD:
            return task.process.fs.cwd
        file = task.process.fds.get_raw(dirfd)
        if file.location is None:
            return None  # pipes, sockets: callers stat the file itself
        return file.location
    if scope is not None and scope.flags & (RESOLVE_BENEATH | RESOLVE_IN_ROOT):
        scope.root = dir_location(task, dirfd)
        return walk(task, scope.root, path, follow, scope)
    return walk(task, start_location(task, dirfd, path), path, follow, scope)


def resolve_parent(task, dirfd: int, path: bytes) -> tuple[Location, bytes, bool]:
    """(directory, last name, trailing slash) for calls that create or remove a name.
    The last component is returned as given, "." and ".." included (callers know the
    errno those earn). The order of checks is link_path_walk's: the directories on the
    way (ENOENT, ENOTDIR, EACCES for search permission), then the name's length."""
    if not path:
        raise ENOENT()
    trailing = path.endswith(b"/")
    stripped = path.rstrip(b"/")
    if not stripped:
        return task.process.fs.root, b".", trailing  # "/" itself
    head, _, name = stripped.rpartition(b"/")
    start = start_location(task, dirfd, path)
    if head or stripped.startswith(b"/"):
        parent = walk(task, start, head or b"/", follow=True)
    else:
        parent = start
    if not parent.inode.is_dir():
        raise ENOTDIR()
    check_access(task.process.creds, parent.inode, X_OK)
    if len(name) > NAME_MAX:
        raise ENAMETOOLONG()
    return parent, name, trailing


def is_ancestor(mounts: MountTable, ancestor: Location, loc: Location) -> bool:
    """True if ancestor is loc or contains it (rename's "into its own subtree" rule)."""
    seen = 0
    while True:
        if loc == ancestor:
            return True
        up = mounts.parent(loc, Location(mounts.root, mounts.root.root))
        if up == loc:
            return False
        loc = up
        seen += 1
        if seen > 10000:
            raise EINVAL()
