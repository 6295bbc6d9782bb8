"""System information: uname, sysinfo, host and domain names (kernel/sys.c)."""

import os

from kevlar.abi.errors import EINVAL, EPERM
from kevlar.abi.structs import SYSINFO, UTSNAME
from kevlar.platform import libc
from kevlar.syscalls.args import Int, Ptr

HOST_UNAME = os.uname()


def sys_uname(task, buf: Ptr) -> int:
    """uname(2): the host's kernel identity, Kevlar's host and domain names."""
    uts = task.process.uts
    fields = (b"Linux", uts.hostname, HOST_UNAME.release.encode(),
              HOST_UNAME.version.encode(), b"x86_64", uts.domainname)
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
