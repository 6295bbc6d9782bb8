"""Socket checks that are not a line-by-line comparison with the host: Kevlar's
deliberate divergences (no networking, no out-of-band data), the stress test (timed),
and mini_systemd's unix_socket item."""

import os
import tempfile
import time
from pathlib import Path

from conftest import ROOT, build_c, kevlar, native

from .util import NATIVE_ENV

HERE = Path(__file__).resolve().parent


def facts(stdout: bytes) -> dict[str, str]:
    out = {}
    for line in stdout.decode().splitlines():
        key, _, value = line.partition("=")
        out[key] = value
    return out


def test_divergences_and_limits():
    """socket(2) of any family but AF_UNIX is EAFNOSUPPORT (net/socket.c __sock_create
    with no such family registered), the type range is checked first (EINVAL);
    socketpair of an inet family is EOPNOTSUPP (sock_no_socketpair); MSG_OOB is
    EOPNOTSUPP on send (Linux would queue one out-of-band byte) and EINVAL on receive (no
    out-of-band byte is ever queued here, as Linux says when there is none)."""
    binary = str(build_c(HERE / "kevlar_only" / "divergences.c"))
    r = kevlar([binary])
    assert r.returncode == 0, r.stderr
    got = facts(r.stdout)
    assert got == {
        "inet_stream": "EAFNOSUPPORT", "inet_dgram": "EAFNOSUPPORT", "inet6_stream": "EAFNOSUPPORT",
        "netlink_raw": "EAFNOSUPPORT", "packet_raw": "EAFNOSUPPORT", "inet_bad_type": "EINVAL",
        "socketpair_inet6_dgram": "EOPNOTSUPP", "socketpair_netlink": "EAFNOSUPPORT",
        "send_oob": "EOPNOTSUPP", "recv_oob": "EINVAL", "done": "",
    }, r.stdout.decode()


def test_mini_systemd_unix_socket():
    binary = str(build_c(ROOT / "tests" / "contract" / "integration" / "mini_systemd.c"))
    r = kevlar([binary])
    assert b"TEST_PASS unix_socket\n" in r.stdout, r.stdout.decode() + r.stderr.decode()


def test_stress_50_processes_10000_messages():
    """50 processes, 10,000 messages through pipes, socketpairs and an epoll-driven
    AF_UNIX server, every one checked; the same facts as natively, in under a minute."""
    binary = str(build_c(HERE / "stress" / "stress.c"))
    with tempfile.TemporaryDirectory(prefix="kevlar-stress-") as d:
        t0 = time.monotonic()
        theirs = native([binary], cwd=d, timeout=60, env=NATIVE_ENV)
        t_native = time.monotonic() - t0
        t0 = time.monotonic()
        mine = kevlar([binary], options=("--cwd", d), timeout=120)
        t_kevlar = time.monotonic() - t0
    engine = "pure" if os.environ.get("KEVLAR_PURE", "0") not in ("", "0") else "cython"
    print(f"\nstress: native {t_native:.2f}s, kevlar ({engine}, "
          f"{os.environ.get('KEVLAR_PROFILE', 'fast')}) {t_kevlar:.2f}s")
    assert theirs.returncode == 0, theirs.stderr
    assert b"messages=10000\n" in theirs.stdout
    assert mine.stdout == theirs.stdout, mine.stderr.decode()[-3000:]
    assert mine.returncode == 0
    assert b"internal error" not in mine.stderr
    assert t_kevlar < 60


def test_inherited_host_socket():
    """fd 0 is a host socket (as under inetd or socket activation): getsockopt, recv,
    send, write, getpeername and shutdown reach it, natively and under Kevlar alike."""
    import socket
    import subprocess

    from conftest import TRACE
    binary = str(build_c(HERE / "programs" / "host_socket.c"))
    outputs = []
    for cmd in ([binary], [*TRACE, "--", binary]):
        a, b = socket.socketpair()
        with a:
            a.sendall(b"ping")
            env = dict(os.environ, KEVLAR_STRICT="1")
            proc = subprocess.Popen(cmd, stdin=b.fileno(), stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, env=env)
            b.close()
            out, err = proc.communicate(timeout=60)
            a.settimeout(10)
            outputs.append((out, proc.returncode, a.recv(100)))
    assert outputs[0][0].endswith(b"done\n")
    assert outputs[1] == outputs[0], err.decode()


def test_busybox_syslogd_and_logger():
    """Real programs over a datagram socket: busybox syslogd binds /dev/log (in Kevlar's
    devtmpfs; natively this would take over the host's /dev/log, so only Kevlar runs it)
    and logger's message reaches its log file."""
    from conftest import sh
    r = sh("busybox syslogd -n -S -O /tmp/messages & sleep 0.5; "
           "[ -S /dev/log ] && echo is-socket; busybox logger -t kv hello-from-logger; "
           "sleep 0.5; kill %1; wait; grep -o 'kv: hello-from-logger' /tmp/messages")
    assert r.stdout == b"is-socket\nkv: hello-from-logger\n", r.stderr
    assert b"internal error" not in r.stderr
