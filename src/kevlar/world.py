"""The default world a guest boots into: a tmpfs root with busybox, /etc, /tmp, /root,
/home, and devtmpfs, procfs and sysfs mounted where Linux mounts them.

busybox comes from the host's busybox-static (/bin/busybox), with one link per applet
where upstream's `make install` puts it (`busybox --list-full`).
"""

import os
import subprocess

from kevlar.abi.constants import S_IFDIR, S_IFREG
from kevlar.fs.devfs import make_devfs
from kevlar.fs.devpts import MOUNT_OPTIONS as DEVPTS_OPTIONS
from kevlar.fs.devpts import Devpts
from kevlar.fs.path import MountTable
from kevlar.fs.procfs import ProcFs
from kevlar.fs.tmpfs import Tmpfs
from kevlar.fs.vfs import Location, Mount

HOST_BUSYBOX = "/bin/busybox"

ETC_FILES = {
    b"passwd": b"root:x:0:0:root:/root:/bin/sh\n"
               b"daemon:x:1:1:daemon:/usr/sbin:/bin/false\n"
               b"nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n",
    b"group": b"root:x:0:\ndaemon:x:1:\ntty:x:5:\nusers:x:100:\nnogroup:x:65534:\n",
    b"shadow": b"root:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n",
    b"hosts": b"127.0.0.1\tlocalhost\n127.0.1.1\tkevlar\n::1\tlocalhost\n",
    b"shells": b"/bin/sh\n/bin/ash\n",
    b"profile": b"export PATH=/bin:/sbin:/usr/bin:/usr/sbin\nexport PS1='\\u@\\h:\\w\\$ '\n",
    b"os-release": b"NAME=\"Kevlar\"\nID=kevlar\nPRETTY_NAME=\"Kevlar user-mode Linux ABI\"\n",
}


def mkdir_p(root, path: bytes, mode: int = 0o755):
    """Create every directory along path (absolute, within one tmpfs) and return the last."""
    inode = root
    for part in [p for p in path.split(b"/") if p]:
        try:
            inode = inode.lookup(part)
        except Exception:  # noqa: BLE001 - ENOENT: make it
            inode = inode.mkdir(part, S_IFDIR | mode, 0, 0)
    return inode


def write_file(root, path: bytes, data: bytes, mode: int = 0o644):
    head, _, name = path.rpartition(b"/")
    parent = mkdir_p(root, head)
    inode = parent.create(name, S_IFREG | mode, 0, 0)
    inode.write(0, data)
    return inode


_busybox_cache: dict[str, tuple[bytes, list[bytes]]] = {}


def host_busybox() -> tuple[bytes, list[bytes]]:
    """(bytes of the host's busybox, its applet install paths), read once per run."""
    if HOST_BUSYBOX not in _busybox_cache:
        with open(HOST_BUSYBOX, "rb") as f:
            data = f.read()
        listing = subprocess.run([HOST_BUSYBOX, "--list-full"], capture_output=True,
                                 check=True).stdout.split()
        _busybox_cache[HOST_BUSYBOX] = (data, listing)
    return _busybox_cache[HOST_BUSYBOX]


def make_sysfs(kernel=None):
    """sysfs (kevlar.fs.sysfs): the CPU files programs read, /sys/kernel, and the block
    devices registered with kevlar.fs.sysfs.add_block_device. One instance per kernel,
    as Linux has one sysfs: every mount shows it."""
    existing = getattr(kernel, "sysfs", None) if kernel is not None else None
    if existing is not None:
        return existing
    from kevlar.fs.sysfs import SysFs
    fs = SysFs(kernel)
    if kernel is not None:
        kernel.sysfs = fs
    return fs


def build_world(kernel) -> MountTable:
    """The default world, or with config.root_image an ext2 root (kevlar.block.attach);
    then the pseudo file systems, then the disks of config.disks."""
    if getattr(kernel.config, "root_image", None):
        from kevlar.block.attach import disk_root
        table = disk_root(kernel)
    else:
        root_fs = tmpfs_root(kernel)
        table = MountTable(Mount(root_fs, root_fs.root, source=b"tmpfs", options=b"rw"))
    mount_pseudo(kernel, table)
    if getattr(kernel.config, "disks", None):
        from kevlar.block.attach import attach_disks
        attach_disks(kernel, table)
    return table


def usr_is_bound(config) -> bool:
    """A --bind at /usr of a merged /usr (one that holds bin/sh, as today's distributions'
    do): the guest gets a whole merged-/usr system. A split /usr keeps busybox's /bin."""
    return any(guest.rstrip("/") == "/usr" and os.path.exists(os.path.join(host, "bin", "sh"))
               for host, guest, _ in getattr(config, "binds", ()))


def tmpfs_root(kernel) -> Tmpfs:
    root_fs = Tmpfs(mode=0o755)
    root = root_fs.root
    # With /usr bound, /bin and /sbin are links into it as on the host (programs and
    # scripts name /bin/bash, /bin/sh), and busybox is the host's /usr/bin/busybox.
    merged = usr_is_bound(kernel.config)
    for path, mode in ((b"/bin", 0o755), (b"/sbin", 0o755), (b"/usr/bin", 0o755),
                       (b"/usr/sbin", 0o755), (b"/etc", 0o755), (b"/root", 0o700),
                       (b"/home", 0o755), (b"/mnt", 0o755), (b"/var/log", 0o755),
                       (b"/run", 0o755), (b"/dev", 0o755), (b"/proc", 0o555),
                       (b"/sys", 0o555), (b"/usr/lib", 0o755), (b"/usr/lib64", 0o755)):
        if not (merged and path in (b"/bin", b"/sbin")):
            mkdir_p(root, path, mode)
    # The merged-/usr layout of today's distributions: with `--bind /usr:/usr:ro` the
    # host's dynamic programs find their loader (/lib64/ld-linux-x86-64.so.2) and libs.
    links = (b"lib", b"lib64", b"bin", b"sbin") if merged else (b"lib", b"lib64")
    for name in links:
        root.symlink(name, b"usr/" + name, 0, 0)
    mkdir_p(root, b"/tmp", 0o1777).mode = S_IFDIR | 0o1777
    mkdir_p(root, b"/var/tmp", 0o1777).mode = S_IFDIR | 0o1777
    for name, data in ETC_FILES.items():
        write_file(root, b"/etc/" + name, data, 0o640 if name == b"shadow" else 0o644)
    write_file(root, b"/etc/hostname", kernel.hostname + b"\n")
    if os.path.exists(HOST_BUSYBOX) and not merged:
        data, applets = host_busybox()
        write_file(root, b"/bin/busybox", data, 0o755)
        for applet in applets:
            head, _, name = (b"/" + applet).rpartition(b"/")
            parent = mkdir_p(root, head)
            if name == b"busybox":
                continue
            try:
                parent.symlink(name, b"/bin/busybox", 0, 0)
            except Exception:  # noqa: BLE001 - EEXIST: an applet listed twice
                pass
    return root_fs


def _dir(root, name: bytes):
    """A directory of the root to mount on, or None (a root image may lack it)."""
    try:
        inode = root.lookup(name)
    except Exception:  # noqa: BLE001 - ENOENT
        return None
    return inode if inode.is_dir() else None


def mount_pseudo(kernel, table: MountTable) -> None:
    """devtmpfs, proc, sysfs and /dev/shm where Linux mounts them (and, on a disk root,
    a tmpfs on /tmp)."""
    root = table.root.root
    dev = _dir(root, b"dev")
    if dev is not None:
        table.mount(make_devfs(), Location(table.root, dev), source=b"devtmpfs",
                    options=b"rw,nosuid,relatime,mode=755")
    kernel.procfs = ProcFs(kernel)
    proc = _dir(root, b"proc")
    if proc is not None:
        table.mount(kernel.procfs, Location(table.root, proc), source=b"proc",
                    options=b"rw,nosuid,nodev,noexec,relatime")
    sys_dir = _dir(root, b"sys")
    if sys_dir is not None:
        table.mount(make_sysfs(kernel), Location(table.root, sys_dir), source=b"sysfs",
                    flags=1, options=b"ro,nosuid,nodev,noexec,relatime")  # MS_RDONLY
    if dev is not None:
        shm = table.cross(Location(table.root, dev))
        table.mount(Tmpfs(mode=0o1777), Location(shm.mount, shm.inode.lookup(b"shm")),
                    source=b"tmpfs", options=b"rw,nosuid,nodev")
        table.mount(Devpts(), Location(shm.mount, shm.inode.lookup(b"pts")),
                    source=b"devpts", options=DEVPTS_OPTIONS)
    if not isinstance(table.root.fs, Tmpfs):
        tmp = _dir(root, b"tmp")
        if tmp is not None:
            table.mount(Tmpfs(mode=0o1777), Location(table.root, tmp), source=b"tmpfs",
                        options=b"rw,nosuid,nodev")


def import_host_file(kernel, host_path: bytes) -> None:
    """Make a host program named on the command line visible at the same guest path
    (a copy: the guest can never change the host's file)."""
    with open(host_path, "rb") as f:
        data = f.read()
    mode = os.stat(host_path).st_mode & 0o7777
    root = kernel.mounts.root.root
    head, _, name = os.path.abspath(host_path).rpartition(b"/")
    parent = mkdir_p(root, head)
    try:
        existing = parent.lookup(name)
        existing.truncate(0)
        existing.write(0, data)
    except Exception:  # noqa: BLE001 - not there yet
        inode = parent.create(name, S_IFREG | mode, 0, 0)
        inode.write(0, data)
