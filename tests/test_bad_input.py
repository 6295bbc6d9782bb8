"""Guest input never crashes the tracer: bad pointers are EFAULT exactly where Linux
says so, unknown syscalls are ENOSYS and reported, and the i386/x32 entries never reach
the host kernel."""

from pathlib import Path

from conftest import build_c, kevlar, native

PROGRAMS = Path(__file__).parent / "programs"


def test_bad_pointers_match_linux():
    binary = build_c(PROGRAMS / "bad_pointers.c")
    mine = kevlar([str(binary)])
    theirs = native([str(binary)])
    assert mine.stdout == theirs.stdout, mine.stderr
    assert mine.returncode == 0


def test_unknown_syscalls_are_reported():
    binary = build_c(PROGRAMS / "bad_pointers.c")
    r = kevlar([str(binary)])
    assert b"unimplemented syscall syscall_500 called 1 time(s)" in r.stderr
    assert b"unimplemented syscall syscall_1000 called 1 time(s)" in r.stderr


def test_int80_and_x32_never_reach_the_host():
    binary = build_c(PROGRAMS / "foreign_abi.c", extra=("-no-pie",))
    r = kevlar([str(binary)])
    assert b"LEAK" not in r.stdout
    assert r.stdout == b"int80_write=-38\nx32_write=-38\n", r.stderr
    natively = native([str(binary)])
    assert b"LEAK-int80" in natively.stdout  # the same program does reach the host natively
