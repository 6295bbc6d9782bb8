"""Building ext2 disk images with `mke2fs -t ext2 -d`, through a template cache.

    python -m kevlar.disk build SRC OUT.img [--size 16M] [--block-size 1024] [--busybox]

SRC is a directory (its tree goes into the image as it is: modes, owners, symlinks,
hard links, device nodes) or a spec file (TOML, see disk/demo.toml):

    size = "16M"                 # optional; else from the content
    block_size = 1024            # optional; else mke2fs's choice
    busybox = true               # optional: /bin/busybox and its applet links
    [files."greeting.txt"]
    text = "hello from ext2\\n"
    [files."hello"]
    c = "hello.c"                # compiled with musl-gcc -static, relative to the spec
    mode = 0o755
    [files."link.txt"]
    symlink = "greeting.txt"
    [files."data/blob"]
    copy = "blob.bin"            # a host file, relative to the spec
    [files."empty"]
    dir = true

The lifecycle (as the seed's VM harness does it for its disks):

1. key: a SHA-256 over everything that decides the image's bytes: the spec, the content
   of every source file, the options, and the versions of mke2fs (and musl-gcc, busybox
   when used). Images are reproducible: a fixed UUID and hash seed derived from the key,
   and E2FSPROGS_FAKE_TIME.
2. template: $KEVLAR_DISK_CACHE (else $XDG_CACHE_HOME/kevlar/disks, else
   ~/.cache/kevlar/disks) holds <key>/disk.img. A miss builds in a private temporary
   directory inside the cache, checks the image with `e2fsck -fn`, and installs it with
   one rename(2) of the directory: a concurrent builder either wins or finds it there;
   nobody ever sees half an image.
3. clone: OUT.img is a FICLONE reflink of the template where the file system supports it,
   else a sparse copy; either way a private, writable image.

Errors say which layer failed (spec, tools, compile, mke2fs, verify, cache, clone) and
what to do about it.
"""

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import tomllib
import uuid

FORMAT = 2  # bump when the way images are built changes
FAKE_TIME = 1700000000


class BuildError(Exception):
    """A build step failed; `layer` names it."""

    def __init__(self, layer: str, message: str):
        super().__init__(f"{layer}: {message}")
        self.layer = layer


def cache_root() -> str:
    explicit = os.environ.get("KEVLAR_DISK_CACHE")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "kevlar", "disks")


def parse_size(text) -> int:
    """Bytes from 4096, "64K", "16M", "1G" (binary units)."""
    if isinstance(text, int):
        return text
    value = str(text).strip().upper().removesuffix("B").removesuffix("I")
    mult = 1
    if value and value[-1] in "KMGT":
        mult = 1024 ** ("KMGT".index(value[-1]) + 1)
        value = value[:-1]
    try:
        size = int(float(value) * mult)
    except ValueError:
        raise BuildError("spec", f"bad size {text!r} (use e.g. 16M, 512K, 1G)") from None
    if size <= 0:
        raise BuildError("spec", f"bad size {text!r}")
    return size


# -- tools -------------------------------------------------------------------------------------
def tool(name: str, package: str) -> str:
    path = shutil.which(name) or next((p for p in (f"/sbin/{name}", f"/usr/sbin/{name}")
                                       if os.access(p, os.X_OK)), None)
    if path is None:
        raise BuildError("tools", f"{name} not found; install it (apt-get install {package})")
    return path


def tool_version(command: list[str]) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except OSError as exc:
        raise BuildError("tools", f"{command[0]}: {exc.strerror}") from exc
    text = (out.stdout + out.stderr).strip().splitlines()
    return text[0] if text else ""


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# -- sources ------------------------------------------------------------------------------------
class Source:
    """What goes into an image: a directory as it is, or a spec to materialize."""

    def __init__(self, path: str):
        self.path = os.path.abspath(path)
        self.settings: dict = {}
        self.files: dict = {}
        if not os.path.exists(path):
            raise BuildError("spec", f"{path}: no such file or directory")
        if os.path.isdir(path):
            self.kind = "dir"
        else:
            self.kind = "spec"
            try:
                with open(path, "rb") as f:
                    data = tomllib.load(f)
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise BuildError("spec", f"{path}: not a valid TOML spec: {exc}") from exc
            self.files = data.pop("files", {})
            self.settings = data
            unknown = set(data) - {"size", "block_size", "busybox", "label"}
            if unknown:
                raise BuildError("spec", f"{path}: unknown setting(s) {sorted(unknown)}")
            for name, entry in self.files.items():
                if not isinstance(entry, dict):
                    raise BuildError("spec", f"{path}: files.{name!r} must be a table")
                kinds = {"text", "copy", "c", "symlink", "dir", "hardlink"} & set(entry)
                if len(kinds) != 1:
                    raise BuildError("spec", f"{path}: files.{name!r} needs exactly one of "
                                     "text, copy, c, symlink, dir, hardlink")
                if name.startswith("/") or ".." in name.split("/"):
                    raise BuildError("spec", f"{path}: files.{name!r}: paths are relative, without ..")
                for key in ("copy", "c"):
                    if key in entry and not os.path.isfile(self._rel(entry[key])):
                        raise BuildError("spec", f"{path}: files.{name!r}: {entry[key]}: no such file")

    def _rel(self, name: str) -> str:
        return os.path.join(os.path.dirname(self.path), name)

    def description(self, tools: dict) -> dict:
        """What the key is made of (contents by hash)."""
        if self.kind == "dir":
            return {"tree": tree_digest(self.path)}
        entries = {}
        for name, entry in sorted(self.files.items()):
            item = dict(entry)
            for key in ("copy", "c"):
                if key in entry:
                    item[key] = sha256_file(self._rel(entry[key]))
            if "c" in entry:
                item["compiler"] = tools.get("musl-gcc", "")
            entries[name] = item
        return {"files": entries}

    def total_bytes(self) -> int:
        if self.kind == "dir":
            total = 0
            for root, dirs, files in os.walk(self.path):
                for name in files + dirs:
                    try:
                        total += os.lstat(os.path.join(root, name)).st_size
                    except OSError:
                        pass
            return total
        total = 0
        for entry in self.files.values():
            if "text" in entry:
                total += len(entry["text"].encode())
            elif "copy" in entry:
                total += os.path.getsize(self._rel(entry["copy"]))
            elif "c" in entry:
                total += 1 << 20
        return total

    def stage(self, into: str, musl_gcc: str | None) -> str:
        """A directory for mke2fs -d: the source itself, or the spec materialized."""
        if self.kind == "dir":
            return self.path
        for name, entry in sorted(self.files.items(), key=lambda kv: ("hardlink" in kv[1], kv[0])):
            dest = os.path.join(into, name)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            if "dir" in entry:
                os.makedirs(dest, exist_ok=True)
            elif "text" in entry:
                with open(dest, "wb") as f:
                    f.write(entry["text"].encode())
            elif "copy" in entry:
                shutil.copyfile(self._rel(entry["copy"]), dest)
            elif "c" in entry:
                compile_c(musl_gcc, self._rel(entry["c"]), dest)
            elif "symlink" in entry:
                os.symlink(entry["symlink"], dest)
            elif "hardlink" in entry:
                os.link(os.path.join(into, entry["hardlink"]), dest)
            if "mode" in entry and "symlink" not in entry:
                os.chmod(dest, entry["mode"])
            elif "c" in entry:
                os.chmod(dest, 0o755)
            if "uid" in entry or "gid" in entry:
                os.lchown(dest, entry.get("uid", 0), entry.get("gid", 0))
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH", FAKE_TIME))
        for root, dirs, files in os.walk(into):  # reproducible: every time is the epoch
            for name in dirs + files:
                os.utime(os.path.join(root, name), (epoch, epoch), follow_symlinks=False)
        return into


def tree_digest(path: str) -> str:
    """A digest of a directory tree: names, types, modes, owners, contents, link targets,
    device numbers and hard-link groups (not times)."""
    h = hashlib.sha256()
    seen: dict[tuple[int, int], str] = {}
    for root, dirs, files in os.walk(path):
        dirs.sort()
        for name in sorted(dirs + files):
            full = os.path.join(root, name)
            rel = os.path.relpath(full, path)
            st = os.lstat(full)
            record = [rel, stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid]
            if stat.S_ISREG(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if st.st_nlink > 1 and key in seen:
                    record.append("link:" + seen[key])
                else:
                    seen[key] = rel
                    record.append(sha256_file(full))
            elif stat.S_ISLNK(st.st_mode):
                record.append(os.readlink(full))
            elif stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
                record.append(st.st_rdev)
            h.update(json.dumps(record).encode() + b"\n")
    return h.hexdigest()


def compile_c(musl_gcc: str | None, source: str, dest: str) -> None:
    if musl_gcc is None:
        raise BuildError("tools", "musl-gcc not found; install it (apt-get install musl-tools)")
    out = subprocess.run([musl_gcc, "-static", "-O2", "-o", dest, source], capture_output=True, text=True)
    if out.returncode:
        raise BuildError("compile", f"musl-gcc -static {source} failed:\n{out.stderr.strip()}")


def add_busybox(stage: str) -> None:
    """/bin/busybox (the host's static busybox) and a symlink per applet."""
    from kevlar.world import HOST_BUSYBOX
    if not os.path.exists(HOST_BUSYBOX):
        raise BuildError("tools", f"{HOST_BUSYBOX} not found; install it (apt-get install busybox-static)")
    os.makedirs(os.path.join(stage, "bin"), exist_ok=True)
    target = os.path.join(stage, "bin", "busybox")
    shutil.copyfile(HOST_BUSYBOX, target)
    os.chmod(target, 0o755)
    listing = subprocess.run([HOST_BUSYBOX, "--list-full"], capture_output=True, text=True).stdout.split()
    for applet in listing:
        dest = os.path.join(stage, applet)
        if os.path.lexists(dest) or applet.endswith("/busybox"):
            continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        os.symlink("/bin/busybox", dest)


# -- the build ------------------------------------------------------------------------------------
class Plan:
    """Everything a build needs, and its key."""

    def __init__(self, src: str, size=None, block_size: int | None = None, busybox: bool | None = None,
                 mkfs_args: tuple[str, ...] = (), label: str | None = None):
        self.source = Source(src)
        settings = self.source.settings
        self.mke2fs = tool("mke2fs", "e2fsprogs")
        self.e2fsck = tool("e2fsck", "e2fsprogs")
        self.tools = {"mke2fs": tool_version([self.mke2fs, "-V"])}
        self.musl_gcc = shutil.which("musl-gcc")
        if any("c" in e for e in self.source.files.values()):
            if self.musl_gcc is None:
                raise BuildError("tools", "musl-gcc not found; install it (apt-get install musl-tools)")
            self.tools["musl-gcc"] = tool_version([self.musl_gcc, "--version"])
        self.busybox = bool(settings.get("busybox", False) if busybox is None else busybox)
        if self.busybox:
            from kevlar.world import HOST_BUSYBOX
            if not os.path.exists(HOST_BUSYBOX):
                raise BuildError("tools", f"{HOST_BUSYBOX} not found (apt-get install busybox-static)")
            self.tools["busybox"] = sha256_file(HOST_BUSYBOX)
        self.block_size = block_size or settings.get("block_size")
        if self.block_size is not None and self.block_size not in (1024, 2048, 4096, 8192, 16384, 32768,
                                                                   65536):
            raise BuildError("spec", f"bad block size {self.block_size} (1024, 2048 or 4096)")
        wanted = size if size is not None else settings.get("size")
        if wanted is None:
            content = self.source.total_bytes() + (3 << 20 if self.busybox else 0)
            wanted = max(4 << 20, ((int(content * 1.3) + (2 << 20)) + (1 << 20) - 1) & ~((1 << 20) - 1))
        self.size = parse_size(wanted)
        self.mkfs_args = tuple(mkfs_args)
        self.label = label or settings.get("label")
        description = {"format": FORMAT, "source": self.source.description(self.tools),
                       "size": self.size, "block_size": self.block_size, "busybox": self.busybox,
                       "mkfs_args": self.mkfs_args, "label": self.label, "tools": self.tools}
        self.key = hashlib.sha256(json.dumps(description, sort_keys=True).encode()).hexdigest()[:32]
        self.description = description

    def template_path(self) -> str:
        return os.path.join(cache_root(), self.key, "disk.img")

    def build_image(self, workdir: str) -> str:
        """Make the image in workdir; returns its path."""
        stage = os.path.join(workdir, "root")
        os.makedirs(stage)
        stage = self.source.stage(stage, self.musl_gcc)
        if self.busybox:
            if stage == self.source.path:
                copy = os.path.join(workdir, "tree")
                os.makedirs(copy)
                out = subprocess.run(["cp", "-a", stage + "/.", copy + "/"], capture_output=True, text=True)
                if out.returncode:
                    raise BuildError("spec", f"copying {stage}: {out.stderr.strip()}")
                stage = copy
            add_busybox(stage)
        image = os.path.join(workdir, "disk.img")
        with open(image, "wb") as f:
            f.truncate(self.size)
        fs_uuid = str(uuid.UUID(self.key))
        command = [self.mke2fs, "-q", "-F", "-t", "ext2", "-U", fs_uuid, "-E", f"hash_seed={fs_uuid}",
                   "-d", stage]
        if self.block_size:
            command += ["-b", str(self.block_size)]
        if self.label:
            command += ["-L", self.label]
        command += [*self.mkfs_args, image]
        env = dict(os.environ, E2FSPROGS_FAKE_TIME=os.environ.get("SOURCE_DATE_EPOCH", str(FAKE_TIME)))
        out = subprocess.run(command, capture_output=True, text=True, env=env)
        if out.returncode:
            hint = ""
            if "Could not allocate" in out.stderr or "No space" in out.stderr or "too small" in out.stderr:
                hint = " (the content does not fit: give a larger --size)"
            raise BuildError("mke2fs", f"{' '.join(command)} failed{hint}:\n{out.stderr.strip()}")
        normalize_ctimes(image, int(env["E2FSPROGS_FAKE_TIME"]))
        check = subprocess.run([self.e2fsck, "-fn", image], capture_output=True, text=True)
        if check.returncode:
            raise BuildError("verify", f"e2fsck -fn finds the new image damaged:\n{check.stdout.strip()}")
        return image


def normalize_ctimes(image: str, epoch: int) -> None:
    """mke2fs -d copies each source file's ctime (which nobody can set) and atime (which
    reading it moves): give every inode the build's epoch instead, so the same content
    always makes the same bytes."""
    from kevlar.block.backend import ImageBackend
    from kevlar.block.device import BlockDevice
    from kevlar.fs.ext2 import Ext2Fs
    device = BlockDevice(ImageBackend(image, read_only=True), read_only=True)
    device.cache_bytes = 1 << 20
    try:
        fs = Ext2Fs(device, read_only=True)
        offsets = []
        stack = [fs.root]
        seen = set()
        while stack:
            inode = stack.pop()
            if inode.ino in seen:
                continue
            seen.add(inode.ino)
            block, offset = fs.inode_location(inode.ino)
            offsets.append((block * fs.block_size + offset, inode._fits(132)))
            if inode.is_dir():
                stack += [inode.lookup(name) for _c, name, _i in inode.entries() if name not in (b".", b"..")]
        fs.shutdown()
    finally:
        device.shutdown()
    fd = os.open(image, os.O_WRONLY)
    try:
        for where, extra in offsets:
            os.pwrite(fd, epoch.to_bytes(4, "little"), where + 8)  # i_atime
            os.pwrite(fd, epoch.to_bytes(4, "little"), where + 12)  # i_ctime
            if extra:
                os.pwrite(fd, bytes(4), where + 132)  # i_ctime_extra
                os.pwrite(fd, bytes(4), where + 140)  # i_atime_extra
    finally:
        os.close(fd)


def ensure_template(plan: Plan, use_cache: bool = True) -> tuple[str, bool]:
    """The template image for plan: (path, True if it was already cached)."""
    final = plan.template_path()
    if use_cache and os.path.exists(final):
        return final, True
    root = cache_root()
    try:
        os.makedirs(root, exist_ok=True)
        workdir = tempfile.mkdtemp(prefix=".build-", dir=root)
    except OSError as exc:
        raise BuildError("cache", f"cannot use the cache directory {root}: {exc.strerror} "
                         "(set KEVLAR_DISK_CACHE to a writable directory)") from exc
    try:
        plan.build_image(workdir)
        with open(os.path.join(workdir, "key.json"), "w") as f:
            json.dump(plan.description, f, indent=1, sort_keys=True)
        shutil.rmtree(os.path.join(workdir, "root"), ignore_errors=True)
        shutil.rmtree(os.path.join(workdir, "tree"), ignore_errors=True)
        target = os.path.dirname(final)
        if not use_cache and os.path.exists(target):
            shutil.rmtree(target)
        try:
            os.rename(workdir, target)  # atomic install of the whole directory
        except OSError as exc:
            if not os.path.exists(final):
                raise BuildError("cache", f"installing into {target}: {exc.strerror}") from exc
            shutil.rmtree(workdir, ignore_errors=True)  # another builder won the race
        return final, False
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise


def build(src: str, out: str, size=None, block_size: int | None = None, busybox: bool | None = None,
          mkfs_args: tuple[str, ...] = (), label: str | None = None, use_cache: bool = True) -> dict:
    """Build (or fetch) the template for src and clone it to out."""
    from kevlar.disk.clone import clone_file
    plan = Plan(src, size=size, block_size=block_size, busybox=busybox, mkfs_args=mkfs_args, label=label)
    template, cached = ensure_template(plan, use_cache)
    out_dir = os.path.dirname(os.path.abspath(out))
    try:
        os.makedirs(out_dir, exist_ok=True)
        how = clone_file(template, out)
    except OSError as exc:
        raise BuildError("clone", f"{template} -> {out}: {exc.strerror}") from exc
    return {"image": out, "template": template, "key": plan.key, "cached": cached, "clone": how,
            "size": plan.size}


def main(argv: list[str] | None = None) -> int:
    import argparse
    parser = argparse.ArgumentParser(prog="python -m kevlar.disk",
                                     description="Build ext2 disk images for kevlar-trace --disk.")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build SRC (a directory or a .toml spec) into OUT.img")
    b.add_argument("src")
    b.add_argument("out")
    b.add_argument("--size", help="image size (16M, 1G, ...); default: from the content")
    b.add_argument("--block-size", type=int, help="1024, 2048 or 4096 (default: mke2fs's choice)")
    b.add_argument("--busybox", action="store_true", default=None,
                   help="add /bin/busybox and its applet links (for --root-image)")
    b.add_argument("--label", help="volume label")
    b.add_argument("--mkfs-arg", action="append", default=[], metavar="ARG",
                   help="an extra mke2fs argument (repeatable), e.g. --mkfs-arg=-r0 --mkfs-arg=-I128")
    b.add_argument("--no-cache", action="store_true", help="rebuild the template even if it is cached")
    c = sub.add_parser("clone", help="copy IMAGE to OUT (reflink where possible)")
    c.add_argument("image")
    c.add_argument("out")
    sub.add_parser("cache-dir", help="print the template cache directory")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            result = build(args.src, args.out, size=args.size, block_size=args.block_size,
                           busybox=args.busybox, mkfs_args=tuple(args.mkfs_arg), label=args.label,
                           use_cache=not args.no_cache)
            origin = "cached template" if result["cached"] else "new template"
            print(f"{result['image']}: {result['size'] >> 10} KiB ext2, {origin} {result['key']}, "
                  f"{result['clone']}")
        elif args.command == "clone":
            from kevlar.disk.clone import clone_file
            if not os.path.isfile(args.image):
                raise BuildError("clone", f"{args.image}: no such file")
            try:
                how = clone_file(args.image, args.out)
            except OSError as exc:
                raise BuildError("clone", f"{args.image} -> {args.out}: {exc.strerror}") from exc
            print(f"{args.out}: {how}")
        else:
            print(cache_root())
    except BuildError as exc:
        print(f"kevlar.disk: {exc}", file=sys.stderr)
        return 1
    return 0


__all__ = ["build", "Plan", "BuildError", "ensure_template", "cache_root", "parse_size", "main"]
