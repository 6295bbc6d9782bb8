"""Fixtures for the storage tests (helpers.py has the functions behind them).

Tests marked `slow` are skipped unless KEVLAR_SLOW=1 or `-m slow` asks for them, so
`make test` stays quick; `KEVLAR_SLOW=1 pytest tests/storage` runs everything.
"""

import os
from pathlib import Path

import pytest

from storage.helpers import mkfs

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    wanted = os.environ.get("KEVLAR_SLOW", "") not in ("", "0") or "slow" in (config.getoption("-m") or "")
    if wanted:
        return
    skip = pytest.mark.skip(reason="slow storage test (KEVLAR_SLOW=1 to run)")
    for item in items:
        if "slow" in item.keywords and HERE in Path(str(item.fspath)).parents:
            item.add_marker(skip)


@pytest.fixture
def image(tmp_path):
    """A factory: image(size=..., block_size=..., src=..., args=...) -> Path."""
    counter = iter(range(1000))

    def make(**kw) -> Path:
        return mkfs(tmp_path / f"disk{next(counter)}.img", **kw)
    return make


@pytest.fixture
def tree(tmp_path):
    """A directory to fill as the source of mke2fs -d."""
    root = tmp_path / "src"
    root.mkdir()
    return root


@pytest.fixture(params=["pure", "cython"])
def cache_class(request):
    """Both block cache twins, explicitly (the Cython one must exist: no silent fallback)."""
    if request.param == "pure":
        from kevlar.block.cache import BlockCache
    else:
        from kevlar._fast.blockcache import BlockCache
    return BlockCache
