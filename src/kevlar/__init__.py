"""kevlar: a user-mode Linux ABI layer. Real programs run under a ptrace/seccomp tracer;
every syscall that touches the world is answered by Kevlar's own kernel."""

__version__ = "0.1.0"
