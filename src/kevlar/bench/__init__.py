"""Benchmarks (`make bench`): ratios against baselines run side by side, never absolute
times in assertions. See __main__.py."""
