"""procfs and sysfs as Kevlar generates them, and the busybox tools that read them (ps,
top, free, uptime, df, mount, pidof, kill, sysctl).

Where the host can be the oracle it is: the same program or script runs natively and
under Kevlar (listings of /proc/self, a child's /proc entries through its life, ownership
and access rules). Where the host's answer is about the host (its process list, its
hostname), the test checks the structure Linux gives a pid namespace: `ps` lists exactly
the guest's processes with pid 1 the shell.
"""

import os
import re
import tempfile
from pathlib import Path

import pytest
from conftest import build_c, kevlar, native, sh

PROGRAMS = Path(__file__).resolve().parent / "programs"
BUSYBOX = "/bin/busybox"

pytestmark = pytest.mark.skipif(not os.path.exists(BUSYBOX), reason="needs /bin/busybox")


def out(result) -> str:
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    return result.stdout.decode()


def run_program_both(name: str):
    binary = str(build_c(PROGRAMS / name))
    with tempfile.TemporaryDirectory(prefix="kevlar-proc-") as scratch:
        theirs = native([binary], cwd=scratch)
    mine = kevlar([binary], options=("--cwd", scratch))
    return theirs, mine


@pytest.mark.parametrize("program", ["proc_reap.c", "proc_owner.c", "proc_reopen.c"])
def test_program_matches_linux(program):
    """A child's /proc entries while running, as a zombie and once reaped; ownership of
    /proc/PID (dumpable or not) and who may read its magic links, fd/ and environ;
    reopening pipes, files, sockets and eventfds through /proc/self/fd."""
    theirs, mine = run_program_both(program)
    assert mine.stdout.decode() == theirs.stdout.decode(), mine.stderr.decode()[-2000:]
    assert mine.returncode == theirs.returncode


# ls lists its own /proc/self (no pipeline: a shell holding pipe ends would change the
# fd count of whichever process the listing describes).
LS_PROC_SELF = ("ls -ln /proc/self/ /proc/self/fd/ /proc/self/fdinfo/ /proc/thread-self/ > l; "
                "sed -e 's/  */ /g' -e 's/ -> .*//' l | cut -d' ' -f1-5,9-")


def _listing(text: str) -> dict[str, str]:
    """name -> "mode nlink uid gid size" for each entry of an `ls -ln` listing."""
    entries = {}
    section = ""
    for line in text.splitlines():
        if line.endswith(":"):
            section = line[:-1].rstrip("/").rsplit("/", 1)[-1] + "/"
            section = "task/" if section == "thread-self/" else section
            continue
        fields = line.split()
        if len(fields) == 6 and fields[0][0] in "-dlrwxcbps":
            entries[section + fields[5]] = " ".join(fields[:5])
    return entries


def test_proc_self_listing_matches_linux(tmp_path):
    """Modes, link counts, owners and sizes of what /proc/self holds (the entries both
    kernels have; Linux has more), of its fd links and fdinfo files and task dirs."""
    theirs = _listing(out(native([BUSYBOX, "sh", "-c", LS_PROC_SELF], cwd=str(tmp_path))))
    mine = _listing(out(sh(LS_PROC_SELF)))
    common = sorted(set(theirs) & set(mine) - {"self/.", "task/."})
    for required in ("self/cmdline", "self/environ", "self/exe", "self/fd", "self/maps",
                     "self/mountinfo", "self/stat", "self/statm", "self/status", "self/task",
                     "fd/0", "fdinfo/1", "task/fd", "task/stat"):
        assert required in common, (required, sorted(mine))
    differing = {name: (theirs[name], mine[name]) for name in common if theirs[name] != mine[name]}
    assert not differing


# Wait (with the shell's builtins: no new process) until a background child has exec'd.
UNTIL_EXECED = "while read c < /proc/$!/comm; [ \"$c\" != sleep ]; do :; done; "


def test_ps_lists_exactly_the_guest():
    r = sh("sleep 10 & " + UNTIL_EXECED + "sleep 10 & " + UNTIL_EXECED +
           "ps -o pid,ppid,pgid,user,stat,args; kill %1 %2")
    rows = [line.split(None, 5) for line in out(r).splitlines()[1:]]
    assert [int(row[0]) for row in rows] == [1, 2, 3, 4], rows
    shell, sleep1, sleep2, ps = rows
    assert shell[1] == "0" and shell[5].startswith("/bin/busybox sh -c sleep 10")
    for row in (sleep1, sleep2, ps):
        assert row[1] == "1" and row[2] == "1" and row[3] == "root", row
    assert sleep1[5] == "sleep 10" and sleep2[5] == "sleep 10"
    assert ps[5].startswith("{ps} ")
    assert shell[4] == "S" and ps[4] == "R"


def test_ps_threads_and_pid_namespace_view():
    """ps -T lists each task: the shell is pid 1 with no parent, then ps and sort."""
    r = sh("ps -T -o pid,ppid,comm | sort -n")
    lines = out(r).splitlines()
    assert lines[0].split() == ["PID", "PPID", "COMMAND"]
    assert [line.split()[:2] for line in lines[1:]] == [["1", "0"], ["2", "1"], ["3", "1"]]


def test_top_one_iteration():
    r = sh("sleep 10 & " + UNTIL_EXECED + "top -n 1 -b; kill $!")
    text = out(r)
    lines = text.splitlines()
    assert re.match(r"Mem: \d+K used, \d+K free, \d+K shrd, \d+K buff, \d+K cached$", lines[0])
    assert lines[1].startswith("CPU:") and "% idle" in lines[1]
    assert re.match(r"Load average: [\d.]+ [\d.]+ [\d.]+ \d+/\d+ \d+$", lines[2])
    header = lines[3].split()
    assert header[:4] == ["PID", "PPID", "USER", "STAT"]
    pids = sorted(int(line.split()[0]) for line in lines[4:] if line.strip())
    assert pids == [1, 2, 3], text


def test_free_shows_the_machines_memory():
    theirs = out(native([BUSYBOX, "free"])).splitlines()
    mine = out(kevlar([BUSYBOX, "free"])).splitlines()
    assert mine[0] == theirs[0]
    assert mine[1].split()[:2] == theirs[1].split()[:2]  # "Mem:" and the total
    assert mine[2].split()[:2] == theirs[2].split()[:2]  # "Swap:" and its total


def test_uptime_agrees_with_the_clocks():
    """The guest's CLOCK_BOOTTIME is the host's (the vDSO answers it), so uptime, sysinfo
    and the start times in /proc/PID/stat count from the host's boot, as natively."""
    text = out(sh("uptime; cat /proc/uptime; cut -d' ' -f22 /proc/self/stat"))
    line, proc_uptime, starttime = text.splitlines()
    with open("/proc/uptime") as f:
        host_up = float(f.read().split()[0])
    assert re.match(r" \d\d:\d\d:\d\d up .*,  0 users,  load average: "
                    r"[\d.]+, [\d.]+, [\d.]+$", line), line
    up, idle = (float(x) for x in proc_uptime.split())
    assert host_up - 60 < up <= host_up and idle >= 0
    assert up - 60 < int(starttime) / os.sysconf("SC_CLK_TCK") <= up + 0.01


def test_df_and_mount_read_the_mount_table():
    text = out(sh("df; echo --; mount; echo --; cat /proc/mounts"))
    df, mount, mounts = text.split("--\n")
    df_rows = {line.split()[-1]: line.split()[0] for line in df.splitlines()[1:]}
    assert df_rows == {"/": "tmpfs", "/dev": "devtmpfs", "/dev/shm": "tmpfs"}, df
    assert "proc on /proc type proc (rw,nosuid,nodev,noexec,relatime)" in mount
    assert "sysfs on /sys type sysfs (ro,nosuid,nodev,noexec,relatime)" in mount
    assert len(mount.splitlines()) == len(mounts.splitlines())
    for line in mounts.splitlines():
        assert len(line.split()) == 6 and line.endswith(" 0 0"), line


def test_mountinfo_is_consistent():
    text = out(sh("cat /proc/self/mountinfo; echo --; cat /proc/self/mounts"))
    info, mounts = text.split("--\n")
    ids = {}
    for line in info.splitlines():
        left, sep, right = line.partition(" - ")
        assert sep, line
        mnt_id, parent, devno, root, where, opts = left.split()[:6]
        assert re.match(r"\d+:\d+$", devno) and root == "/"
        ids[mnt_id] = (parent, where, right.split()[0], opts)
    assert all(parent in ids for parent, *_ in ids.values())
    points = [where for _, where, _, _ in ids.values()]
    assert points == [line.split()[1] for line in mounts.splitlines()]
    assert ids[min(ids, key=int)][1] == "/"


def test_pidof_and_kill():
    text = out(sh("sleep 10 & p=$!; echo $p; pidof sleep; pidof nosuchprogram; echo $?; "
                  "kill -0 $p && echo alive; kill $p; wait $p; echo status=$?; "
                  "kill -0 $p 2>&1; pidof sleep; echo $?"))
    assert text.splitlines() == ["2", "2", "1", "alive", "status=143",
                                 "sh: can't kill pid 2: No such process", "1"]


KILL_SCRIPT = ("kill -l 9; kill -l TERM; kill -l | head -3; kill 4000000 2>&1; echo $?; "
               "kill -s NOSUCH $$ 2>&1; echo $?; sleep 5 & kill -s KILL $!; wait $!; echo $?")


def test_kill_matches_linux():
    theirs = native([BUSYBOX, "sh", "-c", KILL_SCRIPT])
    mine = sh(KILL_SCRIPT)
    assert out(mine) == out(theirs)


def test_hostname_through_proc_sys():
    text = out(sh("echo newname > /proc/sys/kernel/hostname; hostname; uname -n; "
                  "cat /proc/sys/kernel/hostname; sysctl kernel.hostname; "
                  "sysctl -w kernel.domainname=example.org; cat /proc/sys/kernel/domainname"))
    assert text.splitlines() == ["newname", "newname", "newname", "kernel.hostname = newname",
                                 "kernel.domainname = example.org", "example.org"]
    r = kevlar([BUSYBOX, "sh", "-c", "echo x > /proc/sys/kernel/hostname; hostname"],
               options=("--uid", "1000", "--gid", "1000"))
    assert r.stdout.decode().splitlines() == ["kevlar"]
    assert b"/proc/sys/kernel/hostname: Permission denied" in r.stdout + r.stderr


def test_sysctl_read_only_knobs_match_linux():
    script = "sysctl kernel.ostype kernel.osrelease fs.nr_open kernel.pid_max"
    assert out(sh(script)) == out(native([BUSYBOX, "sh", "-c", script]))


def test_maps_exe_and_cmdline_show_guest_paths():
    """The materialized executable under ~/.cache/kevlar/exec never shows: maps names
    the guest path with Kevlar's device and inode, exe and comm are the guest's."""
    text = out(sh("ls -i /bin/busybox; cat /proc/self/maps; readlink /proc/self/exe; "
                  "cat /proc/self/comm; tr '\\0' ' ' < /proc/$$/cmdline; echo; "
                  "ls -l /proc/1/exe"))
    assert "kevlar/exec" not in text and ".cache" not in text
    ino = text.split()[0]
    exe_lines = [line for line in text.splitlines() if line.endswith(" /bin/busybox")
                 and re.match(r"[0-9a-f]+-[0-9a-f]+ ", line)]
    assert exe_lines and all(line.split()[4] == ino for line in exe_lines), text
    assert any(line.endswith("[stack]") for line in text.splitlines())
    assert "\n/bin/busybox\ncat\n/bin/busybox sh -c " in text
    assert text.rstrip().endswith("/proc/1/exe -> /bin/busybox")


def test_proc_pid_dirs_follow_the_process_table():
    text = out(sh("sleep 10 & p=$!; " + UNTIL_EXECED +
                  "ls -d /proc/$p; cat /proc/$p/comm /proc/$p/task/$p/comm; "
                  "kill $p; wait $p; ls /proc/$p 2>&1; ls /proc | grep -c '^[0-9]'"))
    lines = text.splitlines()
    assert lines[0] == "/proc/2"
    assert lines[1:3] == ["sleep", "sleep"]
    assert lines[3] == "ls: /proc/2: No such file or directory"
    assert lines[4] == "3"  # the shell, this ls and grep


def test_proc_fd_links_reopen_their_objects():
    """/dev/stdin through /proc/self/fd: a pipe reopens the same pipe, a file the file."""
    text = out(sh("echo via-pipe | cat /dev/stdin; echo data > f; cat /dev/stdin < f; "
                  "(echo one; echo two) | (read a; cat /proc/self/fd/0)"))
    assert text.splitlines() == ["via-pipe", "data", "two"]


def test_proc_writes_comm():
    text = out(sh("echo renamed > /proc/self/comm; cat /proc/$$/comm /proc/$$/task/$$/comm; "
                  "ps -o comm | head -2"))
    assert text.splitlines() == ["renamed", "renamed", "COMMAND", "renamed"]


PROC_WRITES = ("exec 2>&1; echo x > /proc/self/stat; echo $?; "
               "echo 5 > /proc/self/oom_score_adj; cat /proc/self/oom_score_adj; "
               "echo abc > /proc/self/oom_score_adj; echo $?; "
               "echo 2000 > /proc/self/oom_score_adj; echo $?")


def test_proc_writes_match_linux():
    """A file without a write op is EINVAL to write; oom_score_adj takes -1000..1000."""
    assert out(sh(PROC_WRITES)) == out(native([BUSYBOX, "sh", "-c", PROC_WRITES]))


def test_sysfs_cpu_files_match_linux():
    script = ("cd /sys/devices/system/cpu && cat online possible present && "
              "ls -ln online possible present | sed 's/  */ /g' | cut -d' ' -f1-5,9 && "
              "ls -d cpu[0-9]* && stat -f -c %T /sys")
    assert out(sh(script)) == out(native([BUSYBOX, "sh", "-c", script]))


def test_sysfs_block_device_hook():
    """kevlar.fs.sysfs.add_block_device makes a disk appear in /sys and /proc, with no
    guest running (the block layer calls it when it attaches a device)."""
    from kevlar.fs.sysfs import add_block_device, remove_block_device
    from kevlar.kernel import Config, Kernel
    kernel = Kernel(Config())

    def read(path: bytes) -> bytes:
        inode = kernel.lookup(path).inode
        return inode.read(0, 1 << 16)

    add_block_device(kernel, b"vda", 254, 0, 8192)
    add_block_device(kernel, b"vdb", 254, 16, 2048, read_only=True)
    assert read(b"/sys/block/vda/size") == b"8192\n"
    assert read(b"/sys/block/vdb/ro") == b"1\n"
    assert read(b"/sys/dev/block/254:16/dev") == b"254:16\n"
    assert read(b"/sys/class/block/vda/queue/logical_block_size") == b"512\n"
    assert read(b"/proc/partitions") == (b"major minor  #blocks  name\n\n"
                                         b" 254        0       4096 vda\n"
                                         b" 254       16       1024 vdb\n")
    assert read(b"/proc/diskstats").split(b"\n")[0].split()[:3] == [b"254", b"0", b"vda"]
    remove_block_device(kernel, b"vdb")
    assert [name for _, name, _ in kernel.lookup(b"/sys/block").inode.entries()] == [
        b".", b"..", b"vda"]


LOADER = "/lib64/ld-linux-x86-64.so.2"
LIB_BINDS = ("--bind", "/lib:/lib:ro", "--bind", "/lib64:/lib64:ro", "--bind",
             "/usr/lib:/usr/lib:ro")


@pytest.mark.skipif(not (os.path.exists(LOADER) and os.path.exists("/usr/bin/cat")),
                    reason="needs the host's dynamic loader and /usr/bin/cat")
def test_dynamic_program_maps_and_cmdline():
    """A dynamic program (its libraries in binds): maps names the loader, libc and the
    program by guest path and Kevlar's device; cmdline is the program's, without the
    loader Kevlar runs it through."""
    maps = out(kevlar(["/usr/bin/cat", "/proc/self/maps"], options=LIB_BINDS))
    named = [line.split() for line in maps.splitlines() if len(line.split()) == 6]
    libc = [f for f in named if f[5].endswith("/libc.so.6")]
    loader = [f for f in named if "ld-linux" in f[5]]
    program = [f for f in named if f[5] == "/usr/bin/cat"]
    assert libc and loader and program, maps
    for fields in libc + loader + program:
        assert fields[3].startswith("00:") and fields[4] != "0", fields
    # /lib is a link to usr/lib in Kevlar's world, as on the merged-/usr host: d_path
    # names the directory the link leads to.
    assert all(f[5].startswith("/usr/lib/") for f in libc + loader), maps
    cmdline = kevlar(["/usr/bin/cat", "/proc/self/cmdline"], options=LIB_BINDS).stdout
    assert cmdline == b"/usr/bin/cat\0/proc/self/cmdline\0"


# Only calls that fail natively (or touch the caller's own /proc entries) belong here:
# the native run is on the host's real /proc.
PROC_NAMES = ("exec 2>&1; mkdir /proc/foo; touch /proc/foo; ln -s x /proc/foo; "
              "mkfifo /proc/foo; rm /proc/uptime; rmdir /proc/sys; mv /proc/uptime /proc/up2; "
              "ln /proc/uptime /proc/up3; mkdir /proc/self/foo; touch /proc/self/foo; "
              "rm /proc/self/stat; mkdir /proc/sys/kernel/foo; touch /proc/sys/kernel/foo; "
              "chmod 777 /proc/self/stat; chmod 700 /proc/sys/kernel/hostname; "
              "chown 0 /proc/self/stat; echo chown: $?; touch /proc/self/stat; echo touch: $?")


def test_proc_names_cannot_change():
    """Nothing is created, removed or renamed in /proc (ENOENT for new names, EPERM for
    removals), a process's entries refuse chmod, /proc/sys refuses chmod too."""
    assert out(sh(PROC_NAMES)) == out(native([BUSYBOX, "sh", "-c", PROC_NAMES]))


def test_sysfs_names_cannot_change():
    """kernfs has no create/mkdir/unlink: EACCES for a new file, EPERM for the rest
    (on a read-write mount; the default /sys is read-only: EROFS first)."""
    text = out(sh("exec 2>&1; mkdir /mnt/s && mount -t sysfs sysfs /mnt/s; "
                  "mkdir /mnt/s/kernel/foo; touch /mnt/s/kernel/foo; rm /mnt/s/devices/system/cpu/online; "
                  "echo 1 > /mnt/s/devices/system/cpu/online; touch /sys/foo; umount /mnt/s"))
    assert text.splitlines() == [
        "mkdir: can't create directory '/mnt/s/kernel/foo': Operation not permitted",
        "touch: /mnt/s/kernel/foo: Permission denied",
        "rm: can't remove '/mnt/s/devices/system/cpu/online': Operation not permitted",
        "sh: can't create /mnt/s/devices/system/cpu/online: Permission denied",
        "touch: /sys/foo: Read-only file system"]


def test_proc_inode_numbers_are_stable():
    """The same entry keeps its inode number while what it describes lives (two ls
    processes, one after the other, see the same numbers)."""
    script = ("ls -id /proc/1 /proc/1/stat /proc/1/fd /proc/sys/kernel/hostname /proc/uptime "
              "/sys/devices/system/cpu/online")
    text = out(sh(f"{script}; {script}")).splitlines()
    first, second = text[:6], text[6:]
    assert first == second, text
    assert len({line.split()[0] for line in first[:5]}) == 5, text  # the procfs ones differ


STOP_CONT = ("sleep 10 & p=$!; " + UNTIL_EXECED.replace("$!", "$p") +
             "kill -STOP $p; sleep 0.2; grep State /proc/$p/status; cut -d' ' -f3 /proc/$p/stat; "
             "kill -CONT $p; sleep 0.1; grep State /proc/$p/status; kill $p; wait $p; echo $?")


def test_stopped_and_continued_states_match_linux():
    assert out(sh(STOP_CONT)) == out(native([BUSYBOX, "sh", "-c", STOP_CONT]))
