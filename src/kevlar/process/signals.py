"""Signals seen from the tracer: pid translation in siginfo at delivery.

The host kernel generates and delivers every signal; at the signal-delivery stop the
tracer rewrites si_pid from the sender's host pid to the pid the guest knows (0 for a
sender outside the guest world, as a pid namespace shows it).
"""

import struct

from kevlar.abi.constants import SI_TKILL, SI_USER, SIGCHLD

# asm-generic/siginfo.h: after signo, errno, code (and 4 bytes of padding on 64-bit)
# the union starts at 16: _kill {pid, uid}, _rt {pid, uid, value}, _sigchld {pid, uid, ...}
SI_PID = struct.Struct("<i")
SI_PID_OFFSET = 16
SI_CODE = struct.Struct("<i")


def translate_siginfo(kernel, task, sig: int) -> None:
    if sig == 0:
        return
    engine = kernel.engine
    try:
        info = engine.siginfo(task.host_tid)
    except OSError:
        return
    code = SI_CODE.unpack_from(info, 8)[0]
    # The kernel fills si_pid for kill (SI_USER), tkill/tgkill (SI_TKILL) and SIGCHLD;
    # for SI_QUEUE the sender wrote it itself (glibc's sigqueue puts its own getpid()).
    if not (code in (SI_USER, SI_TKILL) or (sig == SIGCHLD and code > 0)):
        return
    host_pid = SI_PID.unpack_from(info, SI_PID_OFFSET)[0]
    vpid = kernel.vpid_of_host(host_pid)
    if vpid == host_pid:
        return
    patched = info[:SI_PID_OFFSET] + SI_PID.pack(vpid) + info[SI_PID_OFFSET + 4:]
    engine.set_siginfo(task.host_tid, patched)
