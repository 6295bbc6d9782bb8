"""System information: uname, sysinfo, host and domain names (kernel/sys.c)."""

import os
import re

from kevlar.abi.errors import EINVAL, EPERM
from kevlar.abi.structs import SYSINFO, UTSNAME
from kevlar.platform import libc
from kevlar.syscalls.args import Int, Ptr

HOST_UNAME = os.uname()

PER_MASK = 0xFF
PER_LINUX32 = 0x0008
UNAME26 = 0x0020000


def _personality(task) -> int:
    """personality(2) runs natively (it is the process's own state), so ask the host."""
    try:
        with open(f"/proc/{task.host_tid}/personality", "rb") as f:
            return int(f.read(), 16)
    except (OSError, ValueError):
        return 0


def _uname26_release(release: str) -> str:
    """kernel/sys.c override_release: "2.6.(60 + minor)" then what follows the numbers."""
    numbers = re.match(r"[0-9]+(?:\.[0-9]+){0,2}", release)
    minor = int(release.split(".")[1]) if release.count(".") else 0
    return f"2.6.{minor + 60}{release[numbers.end() if numbers else 0:]}"


def sys_uname(task, buf: Ptr) -> int:
    """uname(2): the host's kernel identity, Kevlar's host and domain names; the
    caller's personality changes the machine (PER_LINUX32) and release (UNAME26)."""
    uts = task.process.uts
    persona = _personality(task)
    machine = b"i686" if persona & PER_MASK == PER_LINUX32 else b"x86_64"
    release = _uname26_release(HOST_UNAME.release) if persona & UNAME26 else HOST_UNAME.release
    fields = (b"Linux", uts.hostname, release.encode(),
              HOST_UNAME.version.encode(), machine, uts.domainname)
    task.write(buf, UTSNAME.pack(*(f[:64] for f in fields)))
    return 0


def _set_name(task, name: Ptr, length: Int, attr: str) -> int:
    if not task.creds.is_root:
        raise EPERM()
    if length < 0 or length > 64:
        raise EINVAL()
    setattr(task.process.uts, attr, task.read(name, length).split(b"\0", 1)[0] if length else b"")
    return 0


def sys_sethostname(task, name: Ptr, length: Int) -> int:
    """sethostname(2): changes Kevlar's name, never the host's."""
    return _set_name(task, name, length, "hostname")


def sys_setdomainname(task, name: Ptr, length: Int) -> int:
    """setdomainname(2)."""
    return _set_name(task, name, length, "domainname")


def sys_sysinfo(task, info: Ptr) -> int:
    """sysinfo(2): the host's figures (uptime must agree with CLOCK_BOOTTIME, which the
    vDSO answers from the host), with procs counting the guest's threads."""
    host = SYSINFO.unpack(libc.sysinfo_raw())
    fields = host._replace(procs=len(task.kernel.tasks))
    task.write(info, SYSINFO.pack(*fields))
    return 0
