"""execve's image loading rules, and the content-addressed cache of materialized files.

Kevlar resolves the program in its own VFS, follows `#!` interpreters (at most 4 deep,
as BINPRM_MAX_RECURSION), checks the ELF with pyelftools (ENOEXEC for anything that is
not a 64-bit x86_64 executable or shared object), and writes the bytes once into
$XDG_CACHE_HOME/kevlar/exec/<sha256>/<name> (atomically: temp file + rename). The host
kernel then loads that file. Entries are keyed by content, so the cache is shared by
runs and never stale; an inode remembers its entry until its data changes.
"""

import hashlib
import io
import os
import tempfile

from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile

from kevlar.abi.errors import EACCES, ELOOP, ENOEXEC, EPERM

BINPRM_BUF_SIZE = 256
BINPRM_MAX_RECURSION = 4


def cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "kevlar", "exec")


class InodeStream(io.RawIOBase):
    """A read-only file object over an inode, for pyelftools."""

    def __init__(self, inode):
        self.inode = inode
        self.pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self.pos, 2: self.inode.size}[whence]
        self.pos = base + offset
        return self.pos

    def tell(self) -> int:
        return self.pos

    def readinto(self, buffer) -> int:
        data = self.inode.read(self.pos, len(buffer))
        buffer[:len(data)] = data
        self.pos += len(data)
        return len(data)


def parse_shebang(header: bytes) -> tuple[bytes, bytes | None] | None:
    """(interpreter, optional single argument) of a `#!` line, None if not a script.
    fs/binfmt_script.c: the line ends at a newline or the end of the 256-byte buffer;
    everything after the interpreter is one argument, with outer blanks stripped."""
    if not header.startswith(b"#!"):
        return None
    line = header[2:BINPRM_BUF_SIZE].split(b"\n", 1)[0]
    line = line.strip(b" \t")
    if not line:
        raise ENOEXEC()
    interp, _, rest = line.replace(b"\t", b" ").partition(b" ")
    rest = rest.strip(b" \t")
    return interp, (rest or None)


def check_elf(inode) -> bytes | None:
    """Validate an ELF image; return its PT_INTERP path (None for static programs).
    The verdict is remembered on the inode until its data changes (pyelftools takes
    ~1.6 ms per parse, most of an exec's cost otherwise)."""
    cached = getattr(inode, "elf_verdict", None)
    if cached is not None and cached[0] == inode.version:
        if isinstance(cached[1], Exception):
            raise ENOEXEC(str(cached[1]))
        return cached[1]
    try:
        interp = _parse_elf(inode)
    except ENOEXEC as exc:
        inode.elf_verdict = (inode.version, exc)
        raise
    inode.elf_verdict = (inode.version, interp)
    return interp


def _parse_elf(inode) -> bytes | None:
    try:
        elf = ELFFile(io.BufferedReader(InodeStream(inode)))
        if elf.elfclass != 64 or elf["e_machine"] != "EM_X86_64":
            raise ENOEXEC("not an x86_64 ELF64 image")
        if elf["e_type"] not in ("ET_EXEC", "ET_DYN"):
            raise ENOEXEC("not an executable or shared object")
        for segment in elf.iter_segments():
            if segment["p_type"] == "PT_INTERP":
                return segment.get_interp_name().encode()
    except ELFError as exc:
        raise ENOEXEC(str(exc)) from exc
    except (ValueError, KeyError, IndexError) as exc:  # damaged headers pyelftools trips on
        raise ENOEXEC(str(exc)) from exc
    return None


def check_executable(task, loc) -> None:
    """The checks of do_open_execat / may_open for MAY_EXEC."""
    from kevlar.fs.vfs import may_access
    inode = loc.inode
    if not inode.is_reg():
        raise EACCES()
    if getattr(loc.mount, "noexec", False):
        raise EACCES()
    if not may_access(task.creds, inode, 1):
        raise EACCES()


def materialize(inode, name: bytes) -> bytes:
    """The host path of a file holding inode's bytes, made once per content."""
    cached = getattr(inode, "exec_cache", None)
    if cached is not None and cached[0] == inode.version and os.path.exists(cached[1]):
        return cached[1]
    data = inode.read(0, inode.size)
    digest = hashlib.sha256(data).hexdigest()[:40]
    safe = os.path.basename(name.decode("utf-8", "surrogateescape")) or "program"
    directory = os.path.join(cache_dir(), digest)
    path = os.path.join(directory, safe)
    if not os.path.exists(path):
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.chmod(tmp, 0o755)
            os.rename(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    host = os.fsencode(path)
    inode.exec_cache = (inode.version, host)
    return host


__all__ = ["parse_shebang", "check_elf", "check_executable", "materialize", "EPERM", "ELOOP",
           "BINPRM_MAX_RECURSION"]
