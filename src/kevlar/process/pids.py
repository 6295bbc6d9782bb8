"""Virtual pid allocation: increasing numbers from 1, wrapping at pid_max, as Linux's
alloc_pid does (a freed pid is not reused until the counter wraps)."""

PID_MAX_LIMIT = 4194304  # include/linux/threads.h, 64-bit


def host_pid_max() -> int:
    """The machine's pid_max (what the host's sysctl says), else Linux's default
    (kernel/pid.c pid_idr_init: 32768, or 1024 per possible CPU if that is more)."""
    try:
        with open("/proc/sys/kernel/pid_max", "rb") as f:
            return max(301, min(PID_MAX_LIMIT, int(f.read())))
    except (OSError, ValueError):
        import os
        return min(PID_MAX_LIMIT, max(32768, 1024 * (os.cpu_count() or 1)))


PID_MAX = host_pid_max()  # /proc/sys/kernel/pid_max


class PidAllocator:
    def __init__(self, pid_max: int = PID_MAX):
        self.pid_max = pid_max
        self.used: set[int] = set()
        self.last = 0

    def allocate(self) -> int:
        for _ in range(self.pid_max):
            self.last = self.last + 1 if self.last + 1 < self.pid_max else 300  # RESERVED_PIDS
            if self.last not in self.used:
                self.used.add(self.last)
                return self.last
        from kevlar.abi.errors import EAGAIN
        raise EAGAIN()

    def free(self, pid: int) -> None:
        self.used.discard(pid)
