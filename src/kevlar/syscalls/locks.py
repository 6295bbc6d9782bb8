"""Advisory record locks (fcntl F_GETLK/F_SETLK/F_SETLKW, OFD locks) and flock(2).

The fcntl commands are dispatched here from syscalls/fd.py by command number.
"""

FCNTL_COMMANDS: dict = {}
