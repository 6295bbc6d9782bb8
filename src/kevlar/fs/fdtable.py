"""A process's file descriptor table (struct files_struct).

Close-on-exec is a property of the descriptor, not of the open file (POSIX; the seed's
dup3 bug came from keeping it in two places), so it lives here and only here. Threads
share one table; fork copies it; CLONE_FILES shares it.
"""

from kevlar.abi.constants import O_PATH
from kevlar.abi.errors import EBADF, EMFILE


class FdTable:
    def __init__(self):
        self.files: dict[int, object] = {}
        self.cloexec: set[int] = set()
        self.max_fds = 1024  # mirrors RLIMIT_NOFILE's soft limit; set by the caller
        self.users = 1  # processes sharing this table (CLONE_FILES)

    def copy(self) -> "FdTable":
        new = FdTable()
        new.files = {fd: f.get() for fd, f in self.files.items()}
        new.cloexec = set(self.cloexec)
        new.max_fds = self.max_fds
        return new

    def get(self, fd: int):
        """fdget(): the file at fd; EBADF if none or if it is an O_PATH file (only the
        calls that use fdget_raw in Linux accept those: use get_raw)."""
        try:
            file = self.files[fd]
        except KeyError:
            raise EBADF() from None
        if file.flags & O_PATH:
            raise EBADF()
        return file

    def get_raw(self, fd: int):
        """fdget_raw(): O_PATH files too (fstat, fchdir, dirfds, dup, fcntl, close)."""
        try:
            return self.files[fd]
        except KeyError:
            raise EBADF() from None

    def __contains__(self, fd: int) -> bool:
        return fd in self.files

    def lowest_free(self, minimum: int = 0) -> int:
        fd = minimum
        files = self.files
        while fd in files:
            fd += 1
        if fd >= self.max_fds:
            raise EMFILE()
        return fd

    def install(self, file, cloexec: bool = False, minimum: int = 0) -> int:
        """Put file at the lowest free fd >= minimum (takes a new reference)."""
        fd = self.lowest_free(minimum)
        self.files[fd] = file.get()
        if cloexec:
            self.cloexec.add(fd)
        return fd

    def install_at(self, fd: int, file, cloexec: bool = False) -> None:
        """dup2 semantics: replace whatever is at fd (its reference is dropped after the
        new one is in place, as do_dup2 does)."""
        old = self.files.get(fd)
        self.files[fd] = file.get()
        if cloexec:
            self.cloexec.add(fd)
        else:
            self.cloexec.discard(fd)
        if old is not None:
            self._closing(old)
            old.put()

    def close(self, fd: int):
        """Remove fd and drop its reference; returns the file (EBADF if none)."""
        try:
            file = self.files.pop(fd)
        except KeyError:
            raise EBADF() from None
        self.cloexec.discard(fd)
        self._closing(file)
        file.put()
        return file

    def _closing(self, file) -> None:
        """filp_close(file, files): this table's POSIX record locks on the file's inode
        go with any of its fds (fs/locks.c locks_remove_posix)."""
        inode = file.inode
        if inode is not None and getattr(inode, "file_locks", None) is not None:
            from kevlar.syscalls.locks import release_posix
            release_posix(self, file)

    def close_on_exec(self) -> None:
        for fd in sorted(self.cloexec):
            self.close(fd)

    def close_all(self) -> None:
        for fd in list(self.files):
            self.close(fd)

    def set_cloexec(self, fd: int, on: bool) -> None:
        self.get(fd)
        if on:
            self.cloexec.add(fd)
        else:
            self.cloexec.discard(fd)
