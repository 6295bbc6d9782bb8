"""Virtual pid allocation: increasing numbers from 1, wrapping at pid_max, as Linux's
alloc_pid does (a freed pid is not reused until the counter wraps)."""

PID_MAX = 4194304  # /proc/sys/kernel/pid_max on 64-bit


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
