"""Kevlar's own C programs for this area (tests/events/c), each run natively and under
Kevlar with the outputs compared line for line: epoll beyond the contract suite,
signalfd woken by every kind of sender, inotify event orders, bad input, and the time
calls the host runs."""

import pytest

from events.util import HERE, compare

PROGRAMS = ["epoll_more", "signalfd_sources", "bad_input", "time_native", "inotify_orders",
            "inotify_overflow", "restart_rules", "threads_wait", "inotify_unmount",
            "signalfd_orphan"]


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_matches_native(name):
    compare(HERE / "c" / f"{name}.c")
