"""The storage benchmark: reading a 64 MiB file from an ext2 disk.

    python -m kevlar.bench.storage [--quick]        (also part of `make bench`)

One static guest (storage_read.c) reads the file sequentially twice (cold cache, then
warm) in 128 KiB read(2)s and does 2,000 random aligned 4 KiB pread(2)s, timing itself
with CLOCK_MONOTONIC. It runs natively on the host copy of the file (the baseline: what
`cat` of the file costs, page cache dropped for the cold pass), and under kevlar-trace
with the file on an ext2 image: the Cython engine with the Cython cache, the Cython
engine with the pure-Python cache (KEVLAR_BLOCKCACHE=pure), and the pure engine with the
pure cache. The host's page cache for the image is dropped before each run, so "cold"
means cold all the way down. Then the same reads without any tracer (Ext2Fs.read in
128 KiB chunks) isolate the storage stack from the syscall cost, with the cache's hit
rates. Each figure is the best of a few runs, in MB/s, with its ratio to native.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = Path(tempfile.gettempdir()) / "kevlar-bench" / "storage"
FILE_MB = 64


def drop_cache(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def prepare() -> tuple[Path, Path, Path]:
    """(guest program, host file, ext2 image holding it as /big), made once."""
    WORK.mkdir(parents=True, exist_ok=True)
    program = WORK / "storage_read"
    source = HERE / "storage_read.c"
    if not program.exists() or program.stat().st_mtime < source.stat().st_mtime:
        subprocess.run(["musl-gcc", "-static", "-O2", "-o", str(program), str(source)], check=True)
    tree = WORK / "tree"
    big = tree / "big"
    if not big.exists() or big.stat().st_size != FILE_MB << 20:
        tree.mkdir(exist_ok=True)
        with open(big, "wb") as f:
            for _ in range(FILE_MB):
                f.write(os.urandom(1 << 20))
    image = WORK / "disk.img"
    if not image.exists() or image.stat().st_mtime < big.stat().st_mtime:
        from kevlar.disk.build import build
        build(str(tree), str(image), size=f"{FILE_MB + 16}M", block_size=4096)
    return program, big, image


def parse(out: bytes) -> dict[str, float]:
    values = {}
    for line in out.decode().splitlines():
        name, _, value = line.partition(" ")
        try:
            values[name] = float(value)
        except ValueError:
            pass
    return values


def best(runs: list[dict[str, float]]) -> dict[str, float]:
    keys = set().union(*runs)
    return {k: max(r.get(k, 0.0) for r in runs) for k in keys}


def run_native(program: Path, big: Path, runs: int) -> dict[str, float]:
    results = []
    for _ in range(runs):
        drop_cache(big)
        seq = parse(subprocess.run([str(program), str(big), "2000"], capture_output=True, check=True).stdout)
        drop_cache(big)
        rnd = parse(subprocess.run([str(program), str(big), "2000", "random"], capture_output=True,
                                   check=True).stdout)
        results.append({**seq, "random_4k_cold": rnd["random_4k"], "random_4k_warm": seq["random_4k"]})
    return best(results)


def run_kevlar(program: Path, image: Path, env_extra: dict, runs: int, cache_mb: int = 128) -> dict:
    env = {**os.environ, **env_extra}
    trace = [sys.executable, "-m", "kevlar.cli", "--disk", f"{image}:ro", "--cache-mb", str(cache_mb), "--"]
    results = []
    for _ in range(runs):
        drop_cache(image)
        seq = subprocess.run([*trace, str(program), "/mnt/disk0/big", "2000"], capture_output=True, env=env)
        drop_cache(image)
        rnd = subprocess.run([*trace, str(program), "/mnt/disk0/big", "2000", "random"], capture_output=True,
                             env=env)
        if seq.returncode or rnd.returncode:
            raise SystemExit(f"kevlar-trace failed:\n{seq.stderr.decode()}{rnd.stderr.decode()}")
        a, b = parse(seq.stdout), parse(rnd.stdout)
        results.append({**a, "random_4k_cold": b["random_4k"], "random_4k_warm": a["random_4k"]})
    return best(results)


def run_in_process(image: Path, cache: str, runs: int, cache_mb: int = 128) -> dict:
    """No tracer: the storage stack alone (ext2 -> cache -> virtio-blk -> image)."""
    os.environ["KEVLAR_BLOCKCACHE"] = cache
    from kevlar.block.backend import ImageBackend
    from kevlar.block.device import BlockDevice
    from kevlar.fs.ext2 import Ext2Fs
    results = []
    stats = {}
    for _ in range(runs):
        drop_cache(image)
        device = BlockDevice(ImageBackend(str(image), read_only=True), read_only=True)
        device.cache_bytes = cache_mb << 20
        fs = Ext2Fs(device, read_only=True)
        big = fs.root.lookup(b"big")
        row = {}
        for label in ("sequential_cold", "sequential_warm"):
            start = time.perf_counter()
            pos = 0
            while True:
                data = big.read(pos, 128 * 1024)
                if not data:
                    break
                pos += len(data)
            row[label] = pos / (time.perf_counter() - start) / 1e6
            stats[label] = dict(device.cache.stats())
        import random
        rng = random.Random(1)
        blocks = big.size // 4096
        start = time.perf_counter()
        for _ in range(2000):
            big.read(rng.randrange(blocks) * 4096, 4096)
        row["random_4k_warm"] = 2000 * 4096 / (time.perf_counter() - start) / 1e6
        results.append(row)
        fs.shutdown()
        device.shutdown()
    os.environ.pop("KEVLAR_BLOCKCACHE", None)
    out = best(results)
    cold, warm = stats["sequential_cold"], stats["sequential_warm"]
    hits, misses = warm["hits"] - cold["hits"], warm["misses"] - cold["misses"]
    out["hit_rate_cold"] = 100 * cold["hits"] / max(1, cold["hits"] + cold["misses"])
    out["hit_rate_warm"] = 100 * hits / max(1, hits + misses)
    out["readahead_cold"] = cold["readahead"]
    return out


COLUMNS = [("sequential_cold", "seq cold"), ("sequential_warm", "seq warm"),
           ("random_4k_cold", "rand4k cold"), ("random_4k_warm", "rand4k warm")]


def table(rows: list[tuple[str, dict]], native: dict) -> list[str]:
    lines = [f"{'':40}" + "".join(f"{title:>20}" for _, title in COLUMNS)]
    for name, values in rows:
        cells = []
        for key, _ in COLUMNS:
            if key in values and values[key]:
                ratio = values[key] / native[key] if native.get(key) else 0
                cells.append(f"{values[key]:9.1f} ({ratio:6.3f}x)")
            else:
                cells.append(f"{'-':>19}")
        lines.append(f"{name:40}" + " ".join(cells))
    return lines


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    runs = 1 if "--quick" in argv else 3
    program, big, image = prepare()
    native = run_native(program, big, runs)
    rows = [("native (the file on the host)", native)]
    rows.append(("kevlar cython engine, cython cache",
                 run_kevlar(program, image, {"KEVLAR_PURE": "0", "KEVLAR_BLOCKCACHE": "cython"}, runs)))
    rows.append(("kevlar cython engine, pure cache",
                 run_kevlar(program, image, {"KEVLAR_PURE": "0", "KEVLAR_BLOCKCACHE": "pure"}, runs)))
    rows.append(("kevlar pure engine, pure cache",
                 run_kevlar(program, image, {"KEVLAR_PURE": "1", "KEVLAR_BLOCKCACHE": "pure"}, runs)))
    rows.append(("kevlar default cache (64 MiB)",
                 run_kevlar(program, image, {"KEVLAR_PURE": "0"}, runs, cache_mb=64)))
    inproc = [(f"no tracer: ext2 read(), {c} cache", run_in_process(image, c, runs))
              for c in ("cython", "pure")]
    print(f"storage: a {FILE_MB} MiB file on ext2 (4 KiB blocks), MB/s (ratio to native), best of {runs}")
    for line in table(rows + inproc, native):
        print(line)
    for name, values in inproc:
        print(f"{name}: cache hit rate {values['hit_rate_cold']:.1f}% on the cold pass "
              f"({values['readahead_cold']} blocks read ahead), "
              f"{values['hit_rate_warm']:.1f}% on the warm pass")
    speed = dict(rows)
    fast = speed["kevlar cython engine, cython cache"]
    slow = speed["kevlar cython engine, pure cache"]
    print("cython cache / pure cache under the tracer: "
          + ", ".join(f"{title} {fast[k] / slow[k]:.2f}x" for k, title in COLUMNS if slow.get(k)))
    a, b = inproc[0][1], inproc[1][1]
    print("cython cache / pure cache without the tracer: "
          + ", ".join(f"{title} {a[k] / b[k]:.2f}x" for k, title in COLUMNS if b.get(k)))


if __name__ == "__main__":
    main()
