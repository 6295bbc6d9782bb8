"""Storage: the VirtIO-blk device model, Kevlar's driver for it, and the block cache.

    ext2 (kevlar.fs.ext2) -> BlockCache -> BlockDevice (driver) -> VirtioBlk (device) -> backend
                              cache.py /      device.py            virtio_blk.py         backend.py
                              _fast/blockcache.pyx                 virtqueue.py (split ring)

attach.py puts disks into a kernel (--disk, --root-image, /dev/vdX, mounts); mount.py
is what mount(2) calls for a block device.
"""

import os


def cache_choice() -> str:
    """'pure' when KEVLAR_PURE=1, else 'cython' (the engine's switch, kevlar.platform.interface).
    KEVLAR_BLOCKCACHE=pure|cython overrides it for the cache alone (the benchmark compares
    the two caches under one engine)."""
    override = os.environ.get("KEVLAR_BLOCKCACHE", "")
    if override in ("pure", "cython"):
        return override
    return "pure" if os.environ.get("KEVLAR_PURE", "") not in ("", "0") else "cython"


def load_cache_class():
    """The BlockCache class to use, and a description.

    KEVLAR_PURE=1 selects the pure twin (kevlar.block.cache). Otherwise the Cython
    extension kevlar._fast.blockcache; if it is missing the pure twin runs and says so,
    unless KEVLAR_REQUIRE_CYTHON=1, which makes a missing build an error.
    """
    if cache_choice() == "pure":
        from kevlar.block.cache import BlockCache
        return BlockCache, "pure"
    try:
        from kevlar._fast.blockcache import BlockCache
    except ImportError as exc:
        if os.environ.get("KEVLAR_REQUIRE_CYTHON", "") not in ("", "0"):
            raise ImportError("KEVLAR_REQUIRE_CYTHON=1 but the block cache extension is missing: "
                              f"{exc}") from exc
        from kevlar.block.cache import BlockCache
        return BlockCache, f"pure (Cython extension not built: {exc})"
    return BlockCache, "cython"


__all__ = ["load_cache_class", "cache_choice"]
