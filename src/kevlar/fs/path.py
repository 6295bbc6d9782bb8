"""The one path walk every syscall uses, and the mount table it crosses.

Rules follow fs/namei.c: absolute paths start at the process root, relative ones at the
cwd or a dirfd; every intermediate component must be a searchable directory (ENOTDIR,
EACCES); symlinks are followed in the middle always and at the end unless told not to;
more than 40 of them in one walk is ELOOP; `..` never leaves the process root and climbs
out of a mount's root to its mountpoint; a trailing slash demands a directory; a
component longer than 255 bytes is ENAMETOOLONG.
"""

from kevlar.abi.constants import AT_FDCWD, MAXSYMLINKS, NAME_MAX, X_OK
from kevlar.abi.errors import EBUSY, EINVAL, ELOOP, ENAMETOOLONG, ENOENT, ENOTDIR
from kevlar.fs.vfs import Location, Mount, check_access


class MountTable:
    """All mounts of the (single) mount namespace."""

    def __init__(self, root: Mount):
        self.root = root
        self.mounts: list[Mount] = [root]
        self._on: dict[tuple[int, int], list[Mount]] = {}

    def mount(self, fs, at: Location, source: bytes = b"none", flags: int = 0,
              options: bytes = b"rw", root=None) -> Mount:
        """Attach fs (or a subtree `root` of it, for bind mounts) on top of `at`."""
        mnt = Mount(fs, root if root is not None else fs.root, at.mount, at.inode, source,
                    flags, options)
        self._on.setdefault((at.mount.id, at.inode.ino), []).append(mnt)
        self.mounts.append(mnt)
        return mnt

    def umount(self, mnt: Mount) -> None:
        if mnt is self.root:
            raise EBUSY()
        if any(m.parent is mnt for m in self.mounts):
            raise EBUSY()
        stack = self._on[(mnt.parent.id, mnt.mountpoint.ino)]
        stack.remove(mnt)
        if not stack:
            del self._on[(mnt.parent.id, mnt.mountpoint.ino)]
        self.mounts.remove(mnt)
        mnt.fs.sync()

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
    if dirfd == AT_FDCWD:
        return fs.cwd
    file = task.process.fds.get(dirfd)
    if file.location is None or not file.inode.is_dir():
        raise ENOTDIR()
    return file.location


def walk(task, start: Location, path: bytes, follow: bool = True) -> Location:
    """Resolve path from start. `follow` applies to the final component only."""
    kernel = task.process.kernel
    mounts = kernel.mounts
    creds = task.process.creds
    root = task.process.fs.root
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
            cur = mounts.parent(cur, root)
            continue
        if len(name) > NAME_MAX:
            raise ENAMETOOLONG()
        child = mounts.cross(Location(cur.mount, inode.lookup(name), inode, name))
        if child.inode.is_symlink() and (not last or follow_last):
            links += 1
            if links > MAXSYMLINKS:
                raise ELOOP()
            jump = child.inode.follow(task)
            if jump is not None:
                cur = jump
                continue
            target = child.inode.readlink()
            if not target:
                raise ENOENT()
            if target.startswith(b"/"):
                cur = root
            more = [c for c in target.split(b"/") if c]
            pending.extend(reversed(more))
            continue
        cur = child
    if trailing and not cur.inode.is_dir():
        raise ENOTDIR()
    return cur


def resolve(task, dirfd: int, path: bytes, follow: bool = True, empty_ok: bool = False) -> Location:
    """The Location a path names (the *at() rules for dirfd and AT_EMPTY_PATH)."""
    if not path:
        if not empty_ok:
            raise ENOENT()
        if dirfd == AT_FDCWD:
            return task.process.fs.cwd
        file = task.process.fds.get(dirfd)
        if file.location is None:
            return None  # pipes, sockets: callers stat the file itself
        return file.location
    return walk(task, start_location(task, dirfd, path), path, follow)


def resolve_parent(task, dirfd: int, path: bytes) -> tuple[Location, bytes, bool]:
    """(directory, last name, trailing slash) for calls that create or remove a name.
    The last component is returned as given, "." and ".." included (callers know the
    errno those earn)."""
    if not path:
        raise ENOENT()
    trailing = path.endswith(b"/")
    stripped = path.rstrip(b"/")
    if not stripped:
        return task.process.fs.root, b".", trailing  # "/" itself
    head, _, name = stripped.rpartition(b"/")
    if len(name) > NAME_MAX:
        raise ENAMETOOLONG()
    start = start_location(task, dirfd, path)
    if head or stripped.startswith(b"/"):
        parent = walk(task, start, head or b"/", follow=True)
    else:
        parent = start
    if not parent.inode.is_dir():
        raise ENOTDIR()
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
