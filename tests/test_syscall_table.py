"""The syscall table covers the kernel's whole list, its handlers bind, and the
generated compatibility page is current."""

import importlib.util
from pathlib import Path

import pytest

from kevlar.abi.sysnums import SYSCALLS
from kevlar.platform.seccomp import NATIVE
from kevlar.syscalls.table import TABLE, build_table, entries

ROOT = Path(__file__).resolve().parent.parent
HEADER = Path("/usr/include/x86_64-linux-gnu/asm/unistd_64.h")


def test_every_syscall_has_a_row():
    names = {e.name for e in entries()}
    assert names == set(SYSCALLS)


def test_table_names_are_real_syscalls():
    assert not set(TABLE) - set(SYSCALLS)
    assert not set(NATIVE) - set(SYSCALLS)


@pytest.mark.skipif(not HEADER.exists(), reason="linux-libc-dev headers not installed")
def test_numbers_match_the_kernel_header():
    spec = importlib.util.spec_from_file_location("gen_sysnums", ROOT / "tools" / "gen_sysnums.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert gen.numbers(HEADER.read_text()) == SYSCALLS


@pytest.mark.parametrize("profile", ["fast", "full"])
def test_every_handler_binds(profile):
    from kevlar.syscalls.args import bind_arguments
    table = build_table(profile)
    assert all(entry.call is not None for entry in table)
    for entry in table:
        if entry.handler is not None:
            bind_arguments(entry.name, entry.handler)  # raises on an undecodable argument


def test_generated_docs_are_current():
    spec = importlib.util.spec_from_file_location("gen", ROOT / "tools" / "gen_syscall_docs.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert (ROOT / "docs" / "syscalls.md").read_text() == gen.render(), \
        "docs/syscalls.md is stale: run python tools/gen_syscall_docs.py"
