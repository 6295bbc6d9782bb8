"""--strace and --stats: what the tracer sees, in strace's format and as strace -c.

Argument names and types come from python-ptrace's prototype table; strings are read
from the guest for `char *` path arguments, errors print as `-1 ENOENT (No such file or
directory)`. Calls the host runs are printed at their exit (the tracer asks for the
syscall-exit stop while --strace is on); parked calls print `<unfinished ...>` and
`<... name resumed>` as strace does.
"""

import errno
import os
import sys
import time
from collections import defaultdict
from types import SimpleNamespace

from ptrace.syscall.linux_constants import SYSCALL_ARG_DICT
from ptrace.syscall.prototypes import SYSCALL_PROTOTYPES
from ptrace.syscall.syscall_argument import ARGUMENT_CALLBACK

from kevlar.abi.errors import error_name
from kevlar.platform.interface import (
    ACT_BASE,
    ACT_CONTINUE,
    ACT_STORE_CONTINUE,
    ACT_STORE_SYSCALL,
    ACT_SYSCALL,
)

STRING_TYPES = ("const char *", "char *", "const char __user *", "char __user *")


class Tracer:
    def __init__(self, kernel):
        self.kernel = kernel
        self.out = kernel.config.strace
        self.stats = kernel.config.stats
        self.counts = defaultdict(lambda: [0, 0, 0.0])  # name -> calls, errors, seconds
        self.pending: dict[int, tuple[str, str, float]] = {}

    def _prefix(self, task) -> str:
        return f"[pid {task.tid:5d}] " if len(self.kernel.processes) > 1 else ""

    def format_args(self, task, name: str, args: tuple) -> str:
        proto = SYSCALL_PROTOTYPES.get(name)
        if proto is None:
            return ", ".join(hex(a) if a > 0xFFFF else str(a) for a in args[:3])
        parts = []
        for (ctype, argname), value in zip(proto[1], args, strict=False):
            parts.append(self._format_arg(task, name, ctype, argname, value))
        return ", ".join(parts)

    def _format_arg(self, task, name: str, ctype: str, argname: str, value: int) -> str:
        """python-ptrace's decoders first (open flags, clone flags, prot, whence...)."""
        callback = ARGUMENT_CALLBACK.get(name, {}).get(argname)
        if callback is not None:
            try:
                return str(callback(SimpleNamespace(value=value)))
            except Exception:  # noqa: BLE001 - fall back to the raw value
                pass
        names = SYSCALL_ARG_DICT.get(name, {}).get(argname)
        if names is not None and value in names:
            return names[value]
        if ctype in STRING_TYPES and value:
            try:
                text = task.read_cstring(value, 4096)
            except Exception:  # noqa: BLE001 - a bad pointer prints as a pointer
                return hex(value)
            return repr(text.decode("utf-8", "backslashreplace"))[:80]
        if "*" in ctype:
            return "NULL" if value == 0 else hex(value)
        if ctype in ("int", "unsigned int", "pid_t", "uid_t", "gid_t"):
            value &= 0xFFFFFFFF
            if ctype in ("int", "pid_t") and value & 0x80000000:
                value -= 1 << 32
            if argname in ("dfd", "olddfd", "newdfd", "dirfd") and value == -100:
                return "AT_FDCWD"
            return str(value)
        if value > 0xFFFF:
            return hex(value)
        return str(value)

    @staticmethod
    def format_result(result: int) -> str:
        if -4096 < result < 0:
            err = -result
            return f"-1 {error_name(err)} ({os.strerror(err) if err in errno.errorcode else 'Unknown'})"
        return hex(result) if result > 0xFFFFFF else str(result)

    def syscall(self, task, nr: int, args: tuple, dispatch):
        entry = self.kernel.table[nr] if nr < len(self.kernel.table) else None
        name = entry.name if entry is not None else f"syscall_{nr}"
        text = f"{self._prefix(task)}{name}({self.format_args(task, name, args)})" if self.out else ""
        start = time.perf_counter()
        action = dispatch(task, nr, *args)
        elapsed = time.perf_counter() - start
        stat = self.counts[name]
        stat[0] += 1
        stat[2] += elapsed
        if action < ACT_BASE:
            if -4096 < action < 0:
                stat[1] += 1
            if self.out:
                print(f"{text} = {self.format_result(action)}", file=self.out, flush=True)
            return action
        if task.current is None:  # re-issued after an injection: it will be seen again
            return action
        if task.block is not None:
            if self.out:
                print(f"{text} <unfinished ...>", file=self.out, flush=True)
            return action
        self.pending[task.host_tid] = (name, text, start)
        if action == ACT_CONTINUE:
            return ACT_SYSCALL
        if action == ACT_STORE_CONTINUE:
            return ACT_STORE_SYSCALL
        return action

    def exit(self, task, result: int) -> None:
        pending = self.pending.pop(task.host_tid, None)
        if pending is None:
            return
        name, text, _ = pending
        if -4096 < result < 0:
            self.counts[name][1] += 1
        if self.out:
            print(f"{text} = {self.format_result(result)}", file=self.out, flush=True)

    def signal(self, task, sig: int) -> None:
        if self.out and sig:
            import signal as _signal
            try:
                signame = _signal.Signals(sig).name
            except ValueError:
                signame = f"SIG{sig}"
            print(f"{self._prefix(task)}--- {signame} ---", file=self.out, flush=True)

    def report(self) -> None:
        if not self.stats:
            return
        stream = sys.stderr
        total_calls = sum(c[0] for c in self.counts.values())
        total_time = sum(c[2] for c in self.counts.values()) or 1e-9
        print("% time     seconds  usecs/call     calls    errors syscall", file=stream)
        print("------ ----------- ----------- --------- --------- ----------------", file=stream)
        for name, (calls, errors, seconds) in sorted(self.counts.items(), key=lambda kv: -kv[1][2]):
            print(f"{100 * seconds / total_time:6.2f} {seconds:11.6f} {1e6 * seconds / calls:11.0f} "
                  f"{calls:9d} {errors or '':>9} {name}", file=stream)
        print("------ ----------- ----------- --------- --------- ----------------", file=stream)
        print(f"100.00 {total_time:11.6f} {'':11} {total_calls:9d} "
              f"{sum(c[1] for c in self.counts.values()) or '':>9} total", file=stream)
        extra = getattr(self.kernel, "extra_stats", None)
        if extra:
            for line in extra():
                print(line, file=stream)
