"""Disk images for kevlar-trace --disk / --root-image: built with `mke2fs -t ext2 -d`
through a content-addressed template cache, cloned per run (build.py, clone.py).

    python -m kevlar.disk build SRC OUT.img [--size 16M] [--block-size 4096] [--busybox]
"""

from kevlar.disk.build import BuildError, build, cache_root
from kevlar.disk.clone import clone_file, private_clone

__all__ = ["build", "BuildError", "cache_root", "clone_file", "private_clone"]
