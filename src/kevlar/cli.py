"""kevlar-trace: run a program in Kevlar's world.

The exit status is the guest's (pid 1's): its exit code, or 128+N if signal N killed it.
Kevlar's own messages go to stderr and start with "kevlar:".
"""

import argparse
import os
import sys

from kevlar import __version__

EXAMPLES = """\
examples:
  kevlar-trace -- /bin/busybox sh
      an interactive shell in the default world (tmpfs root, busybox, /dev, /proc)
  kevlar-trace -- /bin/busybox sh -c 'echo pid=$$; ls /'
      the shell is pid 1; nothing it writes reaches the host's files
  kevlar-trace --strace -- /bin/busybox ls /proc
      every syscall Kevlar sees, in strace's format (--strace=FILE to write a file)
  kevlar-trace --stats -- /bin/busybox find / -name 'b*'
      a table of syscalls, errors and tracer time at exit, like strace -c
  kevlar-trace --cwd /tmp/work -- ./a.out
      a host program is imported read-only at its own path; the guest starts in /tmp/work
  kevlar-trace --bind "$PWD:/data:ro" -- /bin/busybox ls /data
      a host directory in the guest's tree, read-only; symlinks in it stay inside
  kevlar-trace --profile full --strace -- /bin/busybox true
      send every syscall to the tracer, the native ones included
  kevlar-trace --disk build/disk.img -- /bin/busybox ls -l /mnt/disk0
      attach an ext2 image as /dev/vda, mounted read-write at /mnt/disk0
  kevlar-trace --disk a.img:/data:ro --disk b.img:none -- /bin/busybox sh
      a read-only disk at /data; /dev/vdb attached but left for the guest to mount
  kevlar-trace --snapshot --root-image root.img -- /bin/sh
      boot on an ext2 root, on a private clone of the image (the image is not changed)

disk images are made with `python -m kevlar.disk build SRC OUT.img` (see docs/storage.md).

environment:
  KEVLAR_PURE=1     use the pure-Python engine and block cache instead of the Cython ones
  KEVLAR_STRICT=1   an internal error in a handler stops the tracer (for tests)
  KEVLAR_PROFILE    the default for --profile (the tox envs set it)
"""

DEFAULT_PATH = b"/bin:/sbin:/usr/bin:/usr/sbin"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="kevlar-trace", description="Run PROGRAM under Kevlar, a user-mode Linux ABI layer.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="store_true", help="print version and engine, then exit")
    parser.add_argument("--profile", choices=("fast", "full"),
                        default=os.environ.get("KEVLAR_PROFILE") or "fast",
                        help="fast: native syscalls skip the tracer (default); full: every "
                             "syscall stops in the tracer")
    parser.add_argument("--cpu", default="0", metavar="N|none",
                        help="pin the tracer and the guests to CPU N (default 0: a stop costs "
                             "a fraction of a cross-CPU wake-up); 'none' lets them float")
    parser.add_argument("--strace", nargs="?", const="-", default=None, metavar="FILE",
                        help="print every syscall the tracer sees (to stderr, or FILE)")
    parser.add_argument("--stats", action="store_true",
                        help="print a table of syscalls (count, errors, time) at exit")
    parser.add_argument("--cwd", default="/", metavar="DIR",
                        help="the guest's starting directory (created if missing)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="set a variable in the guest's environment (repeatable)")
    parser.add_argument("--inherit-env", action="store_true",
                        help="start from the host's environment instead of a clean one")
    parser.add_argument("--bind", action="append", default=[], metavar="HOST_DIR:GUEST_DIR[:ro]",
                        help="show a host directory at GUEST_DIR (repeatable); nothing outside "
                             "it is reachable, ':ro' makes every write EROFS")
    parser.add_argument("--uid", type=int, default=0, help="the guest's user id (default 0)")
    parser.add_argument("--gid", type=int, default=0, help="the guest's group id (default 0)")
    parser.add_argument("--hostname", default="kevlar", help="the guest's host name")
    parser.add_argument("--disk", action="append", default=[], metavar="IMAGE[:MOUNTPOINT][:ro]",
                        help="attach an ext2 image as /dev/vda, /dev/vdb, ... mounted at MOUNTPOINT "
                             "(default /mnt/disk0, /mnt/disk1, ...; 'none' to leave it unmounted); "
                             "':ro' attaches it read-only (repeatable)")
    parser.add_argument("--root-image", metavar="IMAGE[:ro]",
                        help="boot with this ext2 image as the root file system (it must hold the "
                             "programs to run, or they are imported into it); ':ro' mounts it read-only")
    parser.add_argument("--snapshot", action="store_true",
                        help="run on private clones of the images (reflink, else a copy): the "
                             "image files are left untouched")
    parser.add_argument("--cache-mb", type=int, default=64, metavar="N",
                        help="block cache per disk, in MiB (default 64)")
    parser.add_argument("program", nargs="?", help="the program to run")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="its arguments")
    return parser.parse_args(argv)


def guest_environment(options) -> list[bytes]:
    if options.inherit_env:
        env = {os.fsencode(k): os.fsencode(v) for k, v in os.environ.items()}
    else:
        env = {b"PATH": DEFAULT_PATH, b"HOME": b"/root", b"USER": b"root", b"LOGNAME": b"root",
               b"SHELL": b"/bin/sh"}
        if "TERM" in os.environ:
            env[b"TERM"] = os.fsencode(os.environ["TERM"])
    env[b"PWD"] = os.fsencode(options.cwd)
    for item in options.env:
        name, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"kevlar: --env wants NAME=VALUE, got {item!r}")
        env[os.fsencode(name)] = os.fsencode(value)
    return [k + b"=" + v for k, v in env.items()]


def find_program(kernel, name: bytes, cwd: bytes) -> bytes:
    """The guest path to exec: a path as given (imported from the host if Kevlar's VFS
    lacks it), or a name searched in PATH of Kevlar's VFS."""
    from kevlar.world import import_host_file
    if b"/" not in name:
        for directory in DEFAULT_PATH.split(b":"):
            candidate = directory + b"/" + name
            if kernel_has(kernel, candidate):
                return candidate
        raise SystemExit(f"kevlar: {name.decode()}: not found in the guest's PATH "
                         f"({DEFAULT_PATH.decode()})")
    guest = name if name.startswith(b"/") else os.path.abspath(name)
    if kernel_has(kernel, guest):
        return guest
    if os.path.isfile(guest):
        from kevlar.abi.errors import LinuxError
        try:
            import_host_file(kernel, guest)
        except LinuxError as exc:  # a read-only or full root image
            raise SystemExit(f"kevlar: {name.decode()}: not in the root image, and it cannot be imported "
                             f"into it ({exc}); build the image with the program in it (python -m "
                             "kevlar.disk build --busybox ...)") from exc
        return guest
    raise SystemExit(f"kevlar: {name.decode()}: no such file in the guest's world or on the host")


def kernel_has(kernel, path: bytes) -> bool:
    try:
        kernel.lookup(path)
        return True
    except Exception:  # noqa: BLE001 - any walk error means "not there"
        return False


def main(argv: list[str] | None = None) -> int:
    options = parse_args(sys.argv[1:] if argv is None else argv)
    from kevlar.platform.interface import load_engine_class
    if options.version:
        _, engine = load_engine_class()
        print(f"kevlar-trace {__version__} (engine: {engine}, Python {sys.version.split()[0]})")
        return 0
    if not options.program:
        print("kevlar-trace: no program given; try: kevlar-trace -- /bin/busybox sh",
              file=sys.stderr)
        return 2
    from kevlar.kernel import Config, Kernel
    from kevlar.platform.spawn import HostUnsupported
    strace = None
    if options.strace == "-":
        strace = sys.stderr
    elif options.strace:
        strace = open(options.strace, "w")  # noqa: SIM115 - closed at exit below
    cpu = None if options.cpu == "none" else int(options.cpu)
    from kevlar.fs.hostfs import mount_bind, parse_bind
    try:
        binds = [parse_bind(spec) for spec in options.bind]
    except ValueError as exc:
        print(f"kevlar: {exc}", file=sys.stderr)
        return 2
    config = Config(profile=options.profile, cpu=cpu, strace=strace, stats=options.stats,
                    uid=options.uid, gid=options.gid, hostname=options.hostname.encode(), binds=binds,
                    disks=options.disk, snapshot=options.snapshot, cache_mb=max(1, options.cache_mb),
                    root_image=(options.root_image or "").removesuffix(":ro") or None,
                    root_read_only=bool(options.root_image and options.root_image.endswith(":ro")))
    from kevlar.block.attach import DiskError
    try:
        try:
            kernel = Kernel(config)
        except DiskError as exc:
            print(f"kevlar: {exc}", file=sys.stderr)
            return 2
        for host, guest, read_only in binds:
            try:
                mount_bind(kernel, host, guest, read_only)
            except OSError as exc:
                print(f"kevlar: --bind {host}:{guest}: {exc.strerror or exc}", file=sys.stderr)
                return 2
        program = find_program(kernel, os.fsencode(options.program), os.fsencode(options.cwd))
        argv_guest = [os.fsencode(options.program)] + [os.fsencode(a) for a in options.args]
        kernel.start(program, argv_guest, guest_environment(options), os.fsencode(options.cwd))
        status = kernel.run()
    except HostUnsupported as exc:
        print(f"kevlar: {exc}", file=sys.stderr)
        return 125
    kernel.report(sys.stderr)
    if strace not in (None, sys.stderr):
        strace.close()
    return status


if __name__ == "__main__":
    raise SystemExit(main())
