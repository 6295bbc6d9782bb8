"""The command lines tests/realprograms/driver.py runs natively and under Kevlar.

A case is a bash script run in an empty scratch directory (tmpfs on both sides). Its
output must be the same on every native run: fixed timestamps (touch -d), no pids, no
host-specific sizes. `normalise` lists (regex, replacement) pairs for what must differ.
Cases marked slow are left out of the default run (KEVLAR_SLOW=1 or --slow runs them);
a case with `xfail` documents a known difference (the test fails if it goes away).
"""
# ruff: noqa: E501 - the scripts are shell command lines, kept whole for reading

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    script: str
    slow: bool = False
    timeout: float = 20
    normalise: tuple[tuple[str, str], ...] = ()
    needs: tuple[str, ...] = ()  # host programs without which the case is skipped
    xfail: str = ""  # why Kevlar differs, for a known difference left in place


CASES = [
    Case("merged_usr", r"""
readlink /bin /sbin /lib /lib64; /bin/sh -c 'echo sh=$0'; printf '#!/bin/bash\necho script=$BASH_VERSINFO\n' > s
chmod +x s; ./s; env bash -c 'echo env-bash'; /usr/bin/env python3 -c 'print("py")'; ls /bin/bash /sbin/ldconfig
""", needs=("python3",)),
    Case("coreutils_files", r"""
set -e
mkdir d; echo hello > d/a; head -c 5000 /dev/zero | tr '\0' x > d/big; ln -s a d/sym; ln d/a d/hard
mkfifo d/fifo; chmod 640 d/a
touch -h -d '2020-01-02 03:04:05' d/a d/big d/sym d/fifo d
ls -l --time-style=+%F_%T d
ls -la --time-style=full-iso d | grep -v ' \.\.$' | tail -n +2
stat -c '%n %s %b %h %F %a %A %U %G %y %N' d/a d/sym d/hard d/fifo d
cp -a d e; ls -l --time-style=+%F_%T e; stat -c '%n %h %y' e/a e/sym e
mv e/big e/big2; ln -sf big2 e/link; readlink e/link; ls -i e | wc -l
du -s --apparent-size d; du -a d | sort -k2; du -sh d
find . -printf '%p %y %m %s %l %n\n' | sort
find d -newer d/big -o -type l -print | sort
ln -s /nonexistent d/dangling; find -L d -type l | sort
realpath d/sym e/link; readlink -f d/../d/./sym
rm -r e; ls
"""),
    Case("coreutils_text", r"""
set -e
seq 1 2000 | shuf --random-source=<(yes) > nums
sort -n nums | head -3; sort -rn nums | head -2; sort -u -k1,1 nums | wc -l
split -l 700 nums part.; ls part.*; cat part.* | sort -n | md5sum
split -b 1000 -d nums b; ls b*; wc -c b00
printf 'b 2\na 1\nc 3\n' | sort -k2n | tr a-z A-Z | sed 's/ /=/' | awk -F= '{s+=$2; print $1, s}'
grep -rn needle . || true; mkdir -p g/h; echo needle > g/h/x; echo hay > g/y; grep -rl needle .
printf '%s\n' one two three | paste -sd, ; cut -c1-3 <<< "abcdef"; comm -12 <(printf 'a\nb\n') <(printf 'b\nc\n')
tac nums | head -1; nl -ba part.aa | tail -1; od -c <<< hi; base64 <<< kevlar; sha256sum nums | cut -c1-16
expr 6 \* 7; factor 360; numfmt --to=iec 123456789; tr -s ' ' <<< 'a   b'
"""),
    Case("coreutils_system", r"""
id; id -un; whoami; hostname; uname -s -m; nproc; nproc --all
env -i A=1 B=2 env; env -u HOME sh -c 'echo ${HOME-unset}'
printenv LC_ALL; pwd; (cd / && pwd -P)
date -u -d @1600000000 '+%F %T %Z'; date -d '2020-02-29 +1 year' +%F
test -t 0 && echo tty || echo notty; tty || true
timeout 0.2 sleep 5; echo timeout=$?; timeout -s KILL 0.2 sleep 5; echo kill=$?
timeout 5 true; echo ok=$?; timeout --preserve-status 0.2 sleep 3; echo preserve=$?
nohup sh -c 'echo in-nohup' > out 2>err; echo nohup=$?; cat out
nice -n 5 nice; ( ulimit -n 64; ulimit -n ); ulimit -s
sleep 0.1 & wait $!; echo waited=$?
logname 2>/dev/null || echo nologname; groups; getconf PAGESIZE; getconf OPEN_MAX
stat -f -c '%T %S' . ; df -h . | awk 'NR==2{print $1}'
mktemp -d -p . | grep -c tmp; mktemp -u XXXX | wc -c
""", normalise=((r"line (\d+): +\d+ Killed", r"line \1: PID Killed"),)),
    Case("tail_follow", r"""
echo one > log
timeout 1 tail -f log > seen &
sleep 0.3; echo two >> log; sleep 0.3; echo three >> log
wait; cat seen
( sleep 0.2; echo late > late.log ) & timeout 1 tail -F --retry late.log 2>/dev/null; echo rc=$?
"""),
    Case("bash_features", r"""
set +m
cat <<END
here $((6*7)) $(echo sub)
END
cat <<'END'
quoted $HOME
END
diff <(printf 'a\nb\n') <(printf 'a\nc\n'); echo diff=$?
while read -r x; do echo "got $x"; done < <(printf '1\n2\n')
coproc UPPER { tr a-z A-Z; }; echo hello >&"${UPPER[1]}"; exec {UPPER[1]}>&-; read -r line <&"${UPPER[0]}"; echo "$line"; wait $UPPER_PID; echo co=$?
sleep 0.3 & a=$!; (sleep 0.05; exit 7) & b=$!; wait -n; echo first=$?; wait $a; echo all=$?
trap 'echo child-trap' CHLD; (exit 3) & wait $!; echo rc=$?; trap - CHLD
read -t 0.1 x < <(sleep 1); echo read_t=$?
( trap 'echo got-int; exit 5' INT; kill -INT $BASHPID; sleep 1 ); echo int=$?
( trap 'echo at-exit' EXIT; echo body ); echo sub=$?
arr=(z y x); IFS=$'\n' sorted=($(printf '%s\n' "${arr[@]}" | sort)); echo "${sorted[*]}"
declare -A m=([k]=v); echo ${m[k]} ${#arr[@]} ${arr[@]:1}
f() { local x=$1; echo $((x*2)); }; f 21
printf -v out '%05d' 42; echo $out; false | true; echo ${PIPESTATUS[@]}
shopt -s nullglob; echo none*; set -o pipefail; false | true; echo pipefail=$?
exec 3>fd3; echo to3 >&3; exec 3>&-; cat fd3; [[ -e /dev/fd/0 ]] && echo devfd
echo $(( $(ls /proc/self/fd | wc -l) > 2 ))
ulimit -c 0; kill -l 15; type cd ls | head -2; hash -r; command -v sort
"""),
    Case("python_os", r"""
/usr/bin/python3 - <<'END'
import os, shutil, pathlib, tempfile, stat, resource, fcntl, errno
p = pathlib.Path("tree"); (p / "a" / "b").mkdir(parents=True)
(p / "a" / "f.txt").write_text("hello\n"); os.symlink("f.txt", p / "a" / "l")
print(sorted(str(x) for x in p.rglob("*")))
shutil.copytree(p, "copy", symlinks=True); print(sorted(os.listdir("copy/a")))
shutil.move("copy", "moved"); shutil.rmtree("moved"); print(os.path.exists("moved"))
with os.scandir("tree/a") as it:
    print(sorted((e.name, e.is_dir(), e.is_symlink(), e.is_file()) for e in it))
with tempfile.TemporaryDirectory(dir=".") as d:
    with tempfile.NamedTemporaryFile(dir=d, delete=False) as f: f.write(b"x")
    print(os.stat(f.name).st_size, stat.S_ISREG(os.stat(f.name).st_mode))
st = os.statvfs("."); print(st.f_bsize > 0, st.f_namemax)
print(len(os.sched_getaffinity(0)) == os.cpu_count())
print(resource.getrlimit(resource.RLIMIT_NOFILE)[0] > 0, resource.getrlimit(resource.RLIMIT_CORE))
r, w = os.pipe2(os.O_CLOEXEC | os.O_NONBLOCK); print(os.get_inheritable(r), os.get_blocking(r))
try: os.read(r, 1)
except BlockingIOError as e: print("EAGAIN", e.errno == errno.EAGAIN)
src = os.open("tree/a/f.txt", os.O_RDONLY); dst = os.open("sent", os.O_WRONLY | os.O_CREAT, 0o600)
print(os.sendfile(dst, src, 0, 100)); os.close(dst); print(open("sent").read().strip())
print(os.sendfile(w, src, 1, 3), os.read(r, 10))
fd = os.open("lock", os.O_RDWR | os.O_CREAT); fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
pid = os.fork()
if pid == 0:
    fd2 = os.open("lock", os.O_RDWR)
    try: fcntl.lockf(fd2, fcntl.LOCK_EX | fcntl.LOCK_NB); os._exit(0)
    except OSError as e: os._exit(e.errno)
print("child", errno.errorcode[os.waitpid(pid, 0)[1] >> 8])
print(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDWR)
fcntl.flock(fd, fcntl.LOCK_SH); fcntl.flock(fd, fcntl.LOCK_UN)
os.truncate("sent", 2); print(os.path.getsize("sent")); os.utime("sent", (1, 2)); print(os.stat("sent").st_mtime)
print(os.getcwd() == os.environ["PWD"], os.access("sent", os.W_OK), os.umask(0o22))
print(oct(os.stat("tree").st_mode & 0o777), os.path.realpath("tree/a/l").endswith("tree/a/f.txt"))
os.mkfifo("fifo"); print(stat.S_ISFIFO(os.stat("fifo").st_mode)); os.link("sent", "hard"); print(os.stat("sent").st_nlink)
os.rename("hard", "hard2"); os.replace("hard2", "sent"); print(os.stat("sent").st_nlink)
print(os.listxattr("."))
END
"""),
    Case("python_proc", r"""
/usr/bin/python3 - <<'END'
import subprocess, selectors, socket, signal, os, threading, time, concurrent.futures, queue
print(subprocess.run(["echo", "hi"], capture_output=True).stdout)
print(subprocess.run("exit 3", shell=True).returncode)
p = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE); print(p.communicate(b"data")[0])
try: subprocess.run(["sleep", "5"], timeout=0.2)
except subprocess.TimeoutExpired: print("timeout")
print(subprocess.check_output("echo $((1+2)) | cat", shell=True, text=True).strip())
a, b = socket.socketpair(); sel = selectors.DefaultSelector(); sel.register(a, selectors.EVENT_READ)
b.send(b"ping"); print([k.fileobj is a for k, _ in sel.select(1)], a.recv(10))
r, w = os.pipe(); os.set_blocking(w, False); signal.set_wakeup_fd(w)
got = []; signal.signal(signal.SIGUSR1, lambda *x: got.append(1)); os.kill(os.getpid(), signal.SIGUSR1)
print(got, os.read(r, 10) == bytes([signal.SIGUSR1]))
ev = threading.Event(); print(ev.wait(0.05)); lock = threading.Lock(); lock.acquire(); print(lock.acquire(timeout=0.05))
cond = threading.Condition()
with cond: print(cond.wait(0.05))
t = threading.Timer(0.05, ev.set); t.start(); print(ev.wait(2)); t.join()
with concurrent.futures.ThreadPoolExecutor(4) as ex: print(sum(ex.map(lambda x: x * x, range(100))))
with concurrent.futures.ProcessPoolExecutor(2) as ex: print(sorted(ex.map(abs, [-1, -2, 3])))
q = queue.Queue(); threading.Thread(target=lambda: q.put(os.getpid())).start(); print(q.get(timeout=2) == os.getpid())
signal.signal(signal.SIGALRM, lambda *x: print("alarm")); signal.setitimer(signal.ITIMER_REAL, 0.05)
time.sleep(0.2); print("slept through")
print(signal.sigtimedwait([signal.SIGUSR2], 0.05))
print(os.waitstatus_to_exitcode(os.system("exit 4")))
END
"""),
    Case("python_asyncio", r"""
/usr/bin/python3 - <<'END'
import asyncio
async def main():
    p = await asyncio.create_subprocess_exec("sh", "-c", "read x; echo got $x", stdin=-1, stdout=-1)
    out, _ = await p.communicate(b"v\n"); print(out, p.returncode)
    srv = await asyncio.start_unix_server(lambda r, w: (w.write(b"hi"), w.close()), "sock")
    r, w = await asyncio.open_unix_connection("sock"); print(await r.read()); w.close(); srv.close()
    try: await asyncio.wait_for(asyncio.sleep(1), 0.05)
    except asyncio.TimeoutError: print("wait_for timeout")
    print(await asyncio.gather(*(asyncio.sleep(0.01, i) for i in range(3))))
asyncio.run(main())
END
"""),
    Case("perl", needs=("perl",), script=r"""
perl -e 'print "sum=", eval { my $s; $s += $_ for 1..100; $s }, "\n"; printf "%.3f\n", atan2(1,1)*4'
perl -ne 'print if /b/' <<< $'a\nb\nbc'
perl -e 'pipe R, W; if (!fork) { print W "child\n"; exit 3 } close W; print scalar <R>; wait; print $? >> 8, "\n"'
perl -MPOSIX -e 'print POSIX::floor(2.7), " ", (POSIX::uname())[0], "\n"; $SIG{ALRM} = sub { die "alarm\n" }; alarm 1; eval { select undef,undef,undef,0.01 }; print "ok\n"'
perl -e 'open F, ">", "f" or die; print F "x" x 10; close F; print -s "f", "\n"; rename "f", "g"; print -e "g" ? "renamed\n" : "no\n"; use Fcntl ":flock"; open L, ">", "l"; print flock(L, LOCK_EX|LOCK_NB) ? "locked\n" : "nolock\n"; opendir D, "."; print join(",", sort grep !/^\./, readdir D), "\n"'
"""),
    Case("sqlite_wal", needs=("sqlite3",), script=r"""
sqlite3 db.sqlite <<'END'
PRAGMA journal_mode=WAL;
CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);
BEGIN; INSERT INTO t(b) VALUES ('x'),('y'),('z'); COMMIT;
SELECT count(*), group_concat(b) FROM t;
PRAGMA wal_checkpoint(TRUNCATE);
END
ls db.sqlite*
sqlite3 db.sqlite 'PRAGMA busy_timeout=2000; INSERT INTO t(b) VALUES ("w");' &
sqlite3 db.sqlite 'PRAGMA busy_timeout=2000; INSERT INTO t(b) VALUES ("v");'
wait; sqlite3 db.sqlite 'SELECT count(*) FROM t; PRAGMA integrity_check; PRAGMA journal_mode=DELETE;'
ls db.sqlite*
sqlite3 mem.db 'CREATE TABLE x(y); INSERT INTO x VALUES (randomblob(100000)); SELECT length(y) FROM x; VACUUM;'
"""),
    Case("git", needs=("git",), script=r"""
export GIT_AUTHOR_DATE='2020-01-01T00:00:00Z' GIT_COMMITTER_DATE='2020-01-01T00:00:00Z'
export GIT_AUTHOR_NAME=k GIT_AUTHOR_EMAIL=k@x GIT_COMMITTER_NAME=k GIT_COMMITTER_EMAIL=k@x
git init -q -b main repo && cd repo
echo a > a; mkdir d; echo b > d/b; git add . && git commit -qm one
echo c >> a; git commit -qam two; git tag v1
git log --oneline; git status --short; git diff HEAD~1 --stat
git branch topic; git checkout -q topic; echo t > t; git add t; git commit -qm three; git checkout -q main
git merge -q --no-edit topic; git log --format='%s %an' | head -3
git gc -q; git fsck 2>&1; git count-objects -v | grep -E '^(count|in-pack|packs)'
git clone -q . ../clone && git -C ../clone log --oneline | wc -l
git stash list; echo dirty >> a; git stash -q; git stash pop -q; git diff --stat
git rev-parse HEAD; git cat-file -p HEAD^{tree}
"""),
    Case("archives", needs=("xz", "bzip2", "zstd"), script=r"""
mkdir src; for i in 1 2 3; do seq $i 5000 > src/f$i; done; ln -s f1 src/link; touch -h -d '2001-01-01' src/* src
tar -cf a.tar src; tar -tvf a.tar | awk '{print $1, $3, $6}' | sort
for z in gzip xz bzip2 zstd; do $z -c -q a.tar > a.tar.z; $z -dc a.tar.z | md5sum; done
tar -czf b.tgz src; mkdir out; tar -xzf b.tgz -C out; diff -r src out/src && echo same
tar -cJf c.txz src; mkdir x; tar -xJf c.txz -C x; ls -l --time-style=+%s x/src | tail -n +2
gzip -k src/f1; gunzip -t src/f1.gz; zcat src/f1.gz | tail -1; xz -T2 -k src/f2; xz -l src/f2.xz | tail -1 | awk '{print $5}'
zstd -q -T2 src/f3 -o f3.zst; zstd -q -d f3.zst -o f3.out; cmp f3.out src/f3 && echo zstd-ok
"""),
    Case("make_gcc", needs=("make", "gcc"), script=r"""
cat > main.c <<'END'
#include <stdio.h>
#include <pthread.h>
#include <unistd.h>
int helper(int);
static void *run(void *p) { return (void *)(long)helper((int)(long)p); }
int main(void) { pthread_t t; void *r; pthread_create(&t, 0, run, (void *)20); pthread_join(t, &r);
  printf("result=%ld pagesize=%ld\n", (long)r, sysconf(_SC_PAGESIZE)); return 0; }
END
echo 'int helper(int x) { return x * 2 + 2; }' > helper.c
printf 'prog: main.o helper.o\n\t$(CC) -pthread -o $@ $^\n%%.o: %%.c\n\t$(CC) -O1 -c -o $@ $<\n' > Makefile
make -s -j2 CC=gcc && ./prog; make -s -q prog; echo uptodate=$?; touch -d '2030-01-01' helper.c; make -j2 CC=gcc | sort
gcc -x c -o hello - <<< 'int main(){return 3;}' && ./hello; echo hello=$?
""", timeout=60, normalise=((r"modification time \d+ s in the future", "modification time N s in the future"),)),
    Case("text_tools", r"""
mkdir -p a/b c; for i in $(seq 1 30); do echo "line $i" > a/b/f$i; done; echo "line 7" > c/x
grep -rl 'line 7$' . | sort; grep -rc line a | sort | head -3; grep -rh --include='f1*' line . | sort | head -2
sed -i 's/line/LINE/' a/b/f1; cat a/b/f1; sed -n '2{p;q}' <(seq 5); awk 'BEGIN{for(i=0;i<3;i++) printf "%d ", i*i; print ""}'
find a -name 'f*' -print0 | xargs -0 -P2 -n5 cat | sort | md5sum
find a -type f | xargs -P2 -I{} sh -c 'wc -l < {}' | sort | uniq -c
find . -type f -newer c/x | wc -l; find . -maxdepth 1 -type d | sort; find a -size -1k -name 'f2*' | sort | head -3
ls a/b | sort -V | tail -2; echo a/b/* | wc -w
"""),
    Case("flock_tool", needs=("flock",), script=r"""
touch lk
flock lk -c 'echo in1; flock -n lk -c "echo inner" || echo busy'
( flock -x 9; sleep 0.3 ) 9>lk & sleep 0.1
flock -n lk -c 'echo got' || echo conflict=$?
flock -w 2 lk -c 'echo waited'; wait
flock -s lk true; echo shared=$?
"""),
    Case("coreutils_more", slow=True, script=r"""
truncate -s 1M sparse; stat -c '%s %b' sparse; fallocate -l 64K falloc; stat -c '%s %b' falloc
cp --sparse=always sparse sp2; stat -c '%s %b' sp2; cp --reflink=auto sparse sp3; cmp sparse sp3 && echo same
dd if=/dev/zero of=ddout bs=4k count=3 seek=2 conv=notrunc status=none; stat -c %s ddout
dd if=ddout of=/dev/null bs=1k iflag=direct status=none; echo direct=$?
install -m 711 -D ddout sub/dir/inst; stat -c '%a %n' sub/dir/inst
shred -u -n1 ddout; ls ddout 2>&1 | sed 's/.*ddout.*/gone/'
touch -r sparse ref; [ ref -nt sp2 ] && echo newer || echo notnewer; chmod -R go-rwx sub; stat -c %a sub/dir
printf 'a\0b\0' | xargs -0 -n1 echo; yes | head -c 10 | wc -c; seq 100000 | sort -S 100K --parallel=2 -n | tail -1
getent passwd root | cut -d: -f1,6; getent group 0 | cut -d: -f1; which ls; file -b /etc/passwd sparse
find . -name '*.txt' -delete; mkdir -p big/{1..20}/{a,b}; find big -type d | wc -l; rm -rf big; ls
ln -sr sub/dir/inst rel; readlink rel; mv rel sub/; ls -l sub | cut -c1
sync; sync -f .; echo synced=$?
"""),
    Case("procps", slow=True, needs=("ps", "pgrep", "top", "lsof", "taskset", "chrt", "prlimit", "ionice", "findmnt", "setarch"), script=r"""
sleep 3 & p=$!
ps -o comm= -p $p; ps -o nice= -p $$ ; pgrep -x sleep | grep -c $p; kill $p; wait $p; echo killed=$?
ps -o ppid= -p $$ | tr -d ' ' | grep -qv '^$' && echo hasppid
free -b | head -1 | tr -s ' '; uptime -p >/dev/null && echo uptime-ok; top -b -n1 | head -1 | cut -c1-5
lsof -p $$ 2>/dev/null | awk 'NR>1 && $4 ~ /^[0-9]+[urw]$/ {print $4}' | sort -u | head -3
cat /proc/$$/status | grep -E '^(Name|Umask)'; cat /proc/self/stat | cut -d' ' -f2,3
cut -d' ' -f1 /proc/loadavg | grep -c '\.' ; grep -c MemTotal /proc/meminfo; head -1 /proc/stat | cut -c1-3
taskset -p $$ | sed 's/.*: //'; taskset -c 0 true; echo taskset=$?; chrt -p $$ | head -1 | sed 's/.*: //'
prlimit --nofile -p $$ | tail -1 | awk '{print $1}'; ionice -p $$
setsid -w sh -c 'ps -o sid= -p $$ | tr -d " " > sid; echo $$ > me'; cmp -s sid me && echo newsession
findmnt -n -o TARGET -T /proc; mount | grep -c ' on / '; setarch -R sh -c 'cat /proc/self/personality'
"""),
    Case("python_more", slow=True, script=r"""
cat > t.py <<'END'
import os, mmap, multiprocessing as mp, signal, select, socket, time, resource, fcntl, pwd, grp
from multiprocessing import shared_memory
def main():
    fd = os.memfd_create("x"); os.write(fd, b"abc"); print(os.fstat(fd).st_size, os.readlink(f"/proc/self/fd/{fd}"))
    with open("m", "wb") as f: f.write(b"\0" * 4096)
    f = open("m", "r+b"); mm = mmap.mmap(f.fileno(), 4096)
    pid = os.fork()
    if pid == 0: mm[0:5] = b"child"; mm.flush(); os._exit(0)
    os.waitpid(pid, 0); print(mm[0:5], open("m", "rb").read(5))
    s = shared_memory.SharedMemory(create=True, size=100); s.buf[0] = 7; t = shared_memory.SharedMemory(s.name); print(t.buf[0]); t.close(); s.close(); s.unlink()
    for method in ("fork", "spawn", "forkserver"):
        ctx = mp.get_context(method)
        with ctx.Pool(2) as p: print(method, p.map(abs, [-1, -2]))
    q = mp.Queue(); pr = mp.Process(target=q.put, args=("hi",)); pr.start(); print(q.get(timeout=5)); pr.join(); print(pr.exitcode)
    lock = mp.Lock(); print(lock.acquire(timeout=1)); lock.release()
    with mp.Manager() as man: d = man.dict(); d["a"] = 1; print(dict(d))
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    r, w = os.pipe(); socket.send_fds(a, [b"fds"], [r]); msg, fds, flags, addr = socket.recv_fds(b, 10, 2); print(msg, len(fds))
    os.write(w, b"via"); print(os.read(fds[0], 3))
    ep = select.epoll(); r2, w2 = os.pipe(); ep.register(r2, select.EPOLLIN | select.EPOLLET); os.write(w2, b"x")
    print(len(ep.poll(0.1)), ep.poll(0.05)); p = select.poll(); p.register(r2, select.POLLIN); print(len(p.poll(10)))
    efd = os.eventfd(0, os.EFD_NONBLOCK); os.eventfd_write(efd, 3); print(os.eventfd_read(efd))
    src = os.open("m", os.O_RDONLY); dst = os.open("copy", os.O_WRONLY | os.O_CREAT, 0o644)
    print(os.copy_file_range(src, dst, 100)); r3, w3 = os.pipe(); print(os.splice(src, w3, 10, offset_src=0))
    print(os.pread(src, 3, 0), os.preadv(src, [bytearray(2)], 0), os.lseek(src, 0, os.SEEK_DATA))
    os.posix_fallocate(dst, 0, 8192); print(os.fstat(dst).st_size); os.posix_fadvise(dst, 0, 0, os.POSIX_FADV_DONTNEED); os.fdatasync(dst)
    print(fcntl.fcntl(w3, fcntl.F_GETPIPE_SZ), fcntl.fcntl(w3, fcntl.F_SETPIPE_SZ, 8192))
    print(os.getpriority(os.PRIO_PROCESS, 0), os.getpgid(0) == os.getpgrp())
    print(os.times().elapsed > 0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > 0, time.clock_gettime(time.CLOCK_PROCESS_CPUTIME_ID) > 0)
    pid = os.fork()
    if pid == 0: time.sleep(5); os._exit(0)
    pfd = os.pidfd_open(pid); signal.pidfd_send_signal(pfd, signal.SIGTERM); print(select.select([pfd], [], [], 2)[0] == [pfd]); print(os.waitid(os.P_PIDFD, pfd, os.WEXITED).si_status)
    print(signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1]) == set()); os.kill(os.getpid(), signal.SIGUSR1); print(signal.sigwait([signal.SIGUSR1]))
    print(os.sysconf("SC_CLK_TCK"), os.sysconf("SC_NPROCESSORS_ONLN") == os.cpu_count(), os.getloadavg() is not None)
    print(pwd.getpwuid(0).pw_name, grp.getgrgid(0).gr_name, os.getgroups())
    os.chown("m", 1, 1); print(os.stat("m").st_uid); os.lchown("m", 0, 0)
    print(os.statvfs("/proc").f_bsize > 0, os.path.ismount("/proc"), os.path.ismount("."))
    wd = os.open(".", os.O_RDONLY | os.O_DIRECTORY); print(sorted(os.listdir(wd))[:2]); os.mkdir("dd", dir_fd=wd); os.rmdir("dd", dir_fd=wd)
    print(os.get_terminal_size() if os.isatty(1) else "notty")
if __name__ == "__main__":
    main()
END
timeout 15 /usr/bin/python3 t.py
"""),
    Case("bash_more", slow=True, script=r"""
exec {fd}<>rw; echo hi >&$fd; exec {fd}>&-; cat rw; printf '%(%Y)T\n' 0; read -r -N 3 x <<< abcdef; echo $x
mapfile -t lines < <(seq 3); echo ${#lines[@]}; kill -0 $$ && echo alive; echo $(( BASHPID == $$ ))
( echo $(( BASHPID != $$ )) ); getopts ab: opt -b val; echo $opt $OPTARG; times >/dev/null && echo times
sleep 0.2 & disown; jobs | wc -l; ulimit -a | head -3 | cut -c1-20; exec 5>xtrace; BASH_XTRACEFD=5; set -x; : traced; set +x; cat xtrace
trap 'echo dbg' DEBUG; true; trap - DEBUG; compgen -b | head -2; echo $((2**62)); echo ${RANDOM//[0-9]/d} | cut -c1
select x in a b; do echo $x; break; done <<< 2 2>/dev/null
cd /proc/self/fd && ls | sort -n | head -3; cd - >/dev/null; echo $SHLVL; bash -c 'echo $SHLVL'
TMOUT=1; read -t 0.05 -u 0 y < /dev/zero; echo t=$?; read -t 0 < /dev/null; echo zero=$?
sleep 10 & pid=$!; kill -STOP $pid; sleep 0.05; ps -o stat= -p $pid | cut -c1; kill -CONT $pid; kill $pid; wait $pid; echo $?
"""),
    Case("node", slow=True, needs=("node",), script=r"""
node -e '
const out = []; const log = (...a) => out.push(a.join(" ")); process.on("exit", () => console.log(out.sort().join("\n")));
const fs = require("fs"), cp = require("child_process"), os = require("os");
fs.mkdirSync("d/e", {recursive: true}); fs.writeFileSync("d/e/f", "hi"); log(fs.readdirSync("d"), fs.statSync("d/e/f").size);
log(cp.execSync("echo sub").toString().trim(), cp.spawnSync("sh", ["-c", "exit 3"]).status);
fs.watch("d", () => {}).close(); log(os.cpus().length > 0, os.hostname().length > 0, typeof os.totalmem());
const w = require("worker_threads"); const wk = new w.Worker("require(\"worker_threads\").parentPort.postMessage(42)", {eval: true});
wk.on("message", m => { log("worker", m); wk.terminate(); });
setTimeout(() => log("timer"), 20);
const net = require("net"); const srv = net.createServer(s => { s.end("pong"); }).listen("sock", () => {
  net.connect("sock").on("data", d => { log(d.toString()); srv.close(); }); });
fs.promises.readFile("d/e/f", "utf8").then(x => log("async", x));
'
""", timeout=30),
    Case("java", needs=("java",), slow=True, script=r"""
cat > H.java <<'END'
import java.nio.file.*; import java.util.concurrent.*;
public class H { public static void main(String[] a) throws Exception {
  Files.writeString(Path.of("x.txt"), "hello"); System.out.println(Files.readString(Path.of("x.txt")));
  ExecutorService ex = Executors.newFixedThreadPool(4); Future<Integer> f = ex.submit(() -> 6 * 7); System.out.println(f.get()); ex.shutdown();
  Process p = new ProcessBuilder("echo", "child").start(); System.out.println(new String(p.getInputStream().readAllBytes()).trim() + " " + p.waitFor());
  System.out.println(Runtime.getRuntime().availableProcessors() > 0);
}}
END
timeout 60 java H.java
""", timeout=90),
    Case("misc_tools", slow=True, needs=("jq", "bc", "zip", "unzip", "openssl", "tclsh", "vim", "less", "patch", "cmake", "ninja", "objdump"), script=r"""
printf 'a\nb\n' > f1; printf 'a\nc\n' > f2; diff -u f1 f2 | tail -2; diff -u f1 f2 > p.diff; patch -s f1 < p.diff; cmp f1 f2 && echo patched
echo '{"a": [1, 2, {"b": 3}]}' | jq -c '.a[2].b, (.a | length)'; echo '2^64' | bc
zip -q -r z.zip f1 f2; unzip -l z.zip | tail -1 | awk '{print $2}'; mkdir u; unzip -q z.zip -d u; ls u
openssl dgst -sha256 f1 | cut -d' ' -f2; openssl rand -hex 4 | wc -c
tclsh <<< 'puts [expr {6*7}]; puts [file exists f1]; puts [exec echo tcl]'
less -F f1 < /dev/null; vim -es -c 'normal Gox' -c 'wq' f1; cat f1
readelf -h /usr/bin/true | grep Class; objdump -d /usr/bin/true | head -5 | tail -1 | cut -c1-20; nm -D /usr/bin/true | head -1 | wc -l
cmake --version | head -1 | cut -d' ' -f1-2; ninja --version | cut -c1
""", timeout=60),
    Case("valgrind", needs=("valgrind", "gcc"), slow=True, script=r"""
printf 'int main(){return 0;}' > v.c; gcc -g -o v v.c
valgrind -q ./v; echo valgrind=$?
""", timeout=60),
    Case("sysinfo", slow=True, needs=("lscpu", "vmstat", "pidof", "pkill", "killall", "pstree", "watch", "sysctl", "stdbuf", "iconv"), script=r"""
lscpu | grep -E '^(Architecture|Byte Order)' | tr -s ' '; vmstat 1 1 | head -1
sleep 2 & p=$!; sleep 0.2; pidof sleep | tr ' ' '\n' | grep -c "^$p$"; pkill -x sleep; wait $p; echo pkill=$?
sleep 2 & p=$!; killall -q sleep; wait $p; echo killall=$?; pstree -p $$ | grep -c bash
watch -n 0.1 -g -t 'cat f 2>/dev/null' > /dev/null 2>&1 & w=$!; sleep 0.3; echo x > f; wait $w; echo watch=$?
who | wc -l; w -h | wc -l; sysctl -n kernel.ostype; sysctl kernel.pid_max | cut -d' ' -f1
stdbuf -oL echo buffered; iconv -f utf-8 -t latin1 <<< 'caf'$'\xc3\xa9' | od -An -tx1 | tr -d ' '; locale | head -1
getconf -a | grep -c . | awk '{print ($1 > 100)}'; getconf ARG_MAX
"""),
    Case("chroot_mount", slow=True, needs=("chroot", "busybox"), script=r"""
mkdir -p r/bin r/lib r/lib64 r/usr; cp /bin/busybox r/bin/ 2>/dev/null || echo nobusybox
chroot r /bin/busybox sh -c 'echo in-chroot; pwd; ls /' 2>&1
mkdir m; mount -t tmpfs -o size=1M tmpfs m; echo mount=$?; echo hi > m/f; df m | tail -1 | awk '{print $1}'; umount m; echo umount=$?; ls m
mkdir src dst; echo b > src/x; mount --bind src dst; cat dst/x; umount dst
""", normalise=((r"mount: [^\n]*", "mount: ..."),)),
    Case("make_recursive", slow=True, needs=("make",), script=r"""
mkdir sub; printf 'all:\n\t@$(MAKE) -s -C sub\n\t@echo top\n' > Makefile
printf 'all: a b c d\na b c d:\n\t@sleep 0.05; echo $@ > $@.out\n' > sub/Makefile
make -j4 2>&1; cat sub/*.out | sort | tr '\n' ' '; echo
printf 'x:\n\t@echo $(MAKEFLAGS) | grep -c jobserver\n' > M2; make -j3 -f M2
"""),
    Case("fifo_sync", slow=True, script=r"""
mkfifo p; (echo through > p) & cat p; wait
mkfifo q; exec 3<>q; echo rw >&3; read -r line <&3; echo $line; exec 3>&-
( sleep 0.1; echo late > p ) & timeout 2 cat p; echo rc=$?
python3 -c '
import os, errno
os.mkfifo("r")
try: os.open("r", os.O_WRONLY | os.O_NONBLOCK)
except OSError as e: print(errno.errorcode[e.errno])
fd = os.open("r", os.O_RDONLY | os.O_NONBLOCK); print(os.read(fd, 10)); w = os.open("r", os.O_WRONLY | os.O_NONBLOCK); os.write(w, b"z"); print(os.read(fd, 10))
'
"""),
    Case("mmap_sigbus", slow=True, script=r"""
python3 -c '
import mmap, os, signal
f = open("m", "w+b"); f.write(b"x" * 8192); f.flush()
mm = mmap.mmap(f.fileno(), 8192); os.truncate("m", 100)
pid = os.fork()
if pid == 0:
    mm[5000]
    os._exit(0)
print(os.waitpid(pid, 0)[1] & 0x7f == signal.SIGBUS, mm[10])
'
"""),
    Case("big_io", slow=True, script=r"""
dd if=/dev/zero of=big bs=1M count=64 status=none; stat -c %s big; md5sum < big | cut -c1-8
cat big big > big2; stat -c %s big2; cp big2 big3; cmp big2 big3 && echo same; rm big big2 big3
head -c 10000000 /dev/urandom | wc -c
""", timeout=60),
    Case("python_unix_sockets", slow=True, script=r"""
python3 -c '
import socket, os, struct, array
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.bind("srv"); s.listen()
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); c.connect("srv"); a, _ = s.accept()
pid, uid, gid = struct.unpack("3i", a.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)); print(pid == os.getpid(), uid, gid)
c.sendall(b"x" * 3000); c.shutdown(socket.SHUT_WR); print(len(a.recv(65536)), a.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE) == socket.SOCK_STREAM)
d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); d.bind("\0abstract-kv"); e = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
e.sendto(b"dgram", "\0abstract-kv"); print(d.recvfrom(10)[0])
print(socket.gethostname() == open("/etc/hostname").read().strip() or "hostname differs")
'
"""),
    Case("inet_sockets", r"""
python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM); s.bind(("127.0.0.1", 0)); s.listen()
c = socket.create_connection(s.getsockname(), timeout=2); a, _ = s.accept(); c.sendall(b"tcp"); print(a.recv(3))
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.bind(("::1", 0)); u.sendto(b"udp", u.getsockname()); print(u.recv(3))
'
""", xfail="AF_INET/AF_INET6 sockets are not implemented (EAFNOSUPPORT): Kevlar has AF_UNIX only"),
    Case("devices", slow=True, script=r"""
echo x > /dev/full; echo full=$?; head -c 3 /dev/zero | od -An -tx1; cat /dev/null; echo null=$?
echo to-stderr | tee /dev/stderr > /dev/null; echo via-stdout > /dev/stdout; cat /dev/stdin <<< stdin-data
ls -l /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty | awk '{print $1, $5, $6, $NF}'
exec 3</dev/tty; echo tty=$?; stat -c '%t,%T %F' /dev/null 2>&1; ls /dev/fd/ | head -3; readlink /dev/stdin /dev/fd
ls -ld /dev/shm /dev/pts /dev/mqueue /dev/hugepages 2>&1 | awk '{print $1, $NF}'
"""),
    Case("xattrs", slow=True, script=r"""
touch f; python3 -c '
import os
os.setxattr("f", "user.k", b"v"); print(os.getxattr("f", "user.k"), os.listxattr("f"))
try: os.setxattr("f", "trusted.t", b"1"); print(os.getxattr("f", "trusted.t"))
except OSError as e: print(e.errno)
'
cp --preserve=xattr f g; python3 -c 'import os; print(os.listxattr("g"))'
tar --xattrs -cf x.tar f; mkdir o; tar --xattrs -xf x.tar -C o; python3 -c 'import os; print(os.listxattr("o/f"))'
"""),
    Case("chattr_df_proc", needs=("chattr", "lsattr", "df"), script=r"""
touch f; mkdir d; chattr +a f; lsattr f; echo one >> f; echo append=$?; echo two > f 2>&1; echo trunc=$?
rm -f f 2>&1; echo rm=$?; chattr -a +i f; lsattr f; mv f g 2>&1; chmod 600 f 2>&1; ln f h 2>&1; chattr -i f; rm f
chattr +d +A d; touch d/n; lsattr d/n; chattr +s d/n 2>&1; echo sync=$?; lsattr -d d; chattr -d -A d
df -T /usr . | awk 'NR>1{print $2}'; findmnt -n -o FSTYPE -T /usr
cat /proc/self/coredump_filter /proc/self/timerslack_ns; ls /proc/self/attr; cat /proc/self/attr/current 2>&1
python3 -c '
import ctypes, os
buf = ctypes.create_string_buffer(b"in-my-memory")
with open("/proc/self/mem", "rb") as f: print(os.pread(f.fileno(), 12, ctypes.addressof(buf)))
print(open("/proc/self/io").read().split()[::2])
'
"""),
    Case("perms_users", slow=True, needs=("setpriv", "runuser", "su"), script=r"""
mkdir pub; chmod 777 pub; touch pub/mine; chmod 600 pub/mine
setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'id -u; cat pub/mine; echo cat=$?; touch pub/theirs; echo touch=$?; rm pub/mine; echo rm=$?' 2>&1
chmod +t pub; setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'rm -f pub/mine; echo sticky=$?' 2>&1
runuser -u nobody -- id -un 2>&1; su -s /bin/sh nobody -c 'id -un' 2>&1
chown 1:1 pub/theirs; stat -c '%u %g' pub/theirs; install -o 2 -g 2 -m 640 /dev/null pub/inst; stat -c '%u %g %a' pub/inst
umask 077; touch u; stat -c %a u; mkdir -m 1755 sd; stat -c %a sd
"""),
    Case("stress_procs", slow=True, script=r"""
seq 1 200 | xargs -P 8 -n 1 sh -c 'echo $0 > f.$0'; ls | wc -l
pids=(); for i in $(seq 1 50); do ( exit $((i % 7)) ) & pids+=($!); done; fails=0; for j in "${pids[@]}"; do wait $j || fails=$((fails+1)); done; echo $fails
yes | head -c 50000000 | wc -c
python3 -c '
import threading, queue
q = queue.Queue(); out = []
def w():
    while (x := q.get()) is not None: out.append(x * x)
ts = [threading.Thread(target=w) for _ in range(8)]; [t.start() for t in ts]
for i in range(20000): q.put(i)
for _ in ts: q.put(None)
[t.join() for t in ts]; print(len(out), sum(out))
'
""", timeout=120),
    Case("signals_heavy", slow=True, script=r"""
python3 -c '
import os, signal, time
n = 0
def h(*a):
    global n; n += 1
signal.signal(signal.SIGUSR1, h)
pid = os.fork()
if pid == 0:
    for _ in range(500): os.kill(os.getppid(), signal.SIGUSR1)
    os._exit(0)
os.waitpid(pid, 0); time.sleep(0.1); print(n > 0, n <= 500)
r, w = os.pipe()
signal.signal(signal.SIGALRM, lambda *a: None); signal.setitimer(signal.ITIMER_REAL, 0.01, 0.01)
t = time.time(); got = 0
while time.time() - t < 0.5:
    try: os.read(r, 1) if False else time.sleep(0.001)
    except InterruptedError: pass
signal.setitimer(signal.ITIMER_REAL, 0); print("itimer ok")
'
""", timeout=60),
    Case("cmake_ninja", needs=("cmake", "ninja", "g++"), slow=True, script=r"""
mkdir -p proj && cd proj
printf 'cmake_minimum_required(VERSION 3.10)\nproject(p CXX)\nadd_executable(app main.cpp)\n' > CMakeLists.txt
printf '#include <iostream>\n#include <thread>\nint main(){ std::thread t([]{ std::cout << "thread\\n"; }); t.join(); return 0; }\n' > main.cpp
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null 2>&1; echo cmake=$?
ninja -C build > /dev/null; echo ninja=$?; ./build/app
""", timeout=120),
    Case("python_venv", slow=True, script=r"""
python3 -m venv --without-pip v; echo venv=$?; v/bin/python -c 'import sys; print(sys.prefix.endswith("/v"), sys.executable.endswith("v/bin/python"))'
ls -l v/bin/python | awk '{print $1, $NF}'; cat v/pyvenv.cfg | grep -c home
python3 -m compileall -q -j 2 v > /dev/null; echo compileall=$?
mkdir pkg && printf 'def f():\n    return 42\n' > pkg/__init__.py; python3 -c 'import pkg; print(pkg.f())'; ls pkg/__pycache__ | wc -l
python3 -m zipfile -c z.zip pkg; python3 -m zipfile -l z.zip | tail -1 | awk '{print $1}'
python3 -m json.tool <<< '{"b": 1, "a": [1,2]}' | head -3
""", timeout=60),
    Case("git_more", slow=True, needs=("git",), script=r"""
export GIT_AUTHOR_DATE='2020-01-01T00:00:00Z' GIT_COMMITTER_DATE='2020-01-01T00:00:00Z'
export GIT_AUTHOR_NAME=k GIT_AUTHOR_EMAIL=k@x GIT_COMMITTER_NAME=k GIT_COMMITTER_EMAIL=k@x GIT_PAGER=cat
git init -q -b main r && cd r
for i in 1 2 3 4 5; do echo $i > f; git add f; git commit -qm "c$i"; done
git bisect start HEAD HEAD~4 >/dev/null; git bisect run sh -c '[ $(cat f) -lt 3 ]' | grep -c 'is the first bad commit'; git bisect reset -q 2>/dev/null
GIT_SEQUENCE_EDITOR="sed -i 's/^pick/reword/;2,\$s/^reword/pick/'" GIT_EDITOR="sed -i 's/c2/C2/'" git rebase -q -i HEAD~4 2>&1 | tail -1; git log --format=%s | tr '\n' ' '; echo
git worktree add -q ../wt HEAD~1 && git -C ../wt log -1 --format=%s; git worktree remove ../wt
git archive --format=tar HEAD | tar -t; git format-patch -q -1 -o pp && ls pp | wc -l
git repack -adq && git prune && git count-objects -v | grep ^count
git log -p -1 | head -3 | cut -c1-20
""", timeout=60),
    Case("pty_script", r"""
script -q -c 'tty >/dev/null && echo has-tty; stty size 2>/dev/null | wc -w' /dev/null | tr -d '\r'
echo rc=$?
""", normalise=((r"\x1b\[[0-9;?]*[a-zA-Z]", ""),), needs=("script",)),
    Case("strace_guest", r"""
strace -o /dev/null true 2>/dev/null; echo strace=$?
""", needs=("strace",), xfail="ptrace is ENOSYS under Kevlar (the tracer is the guests' only tracer)"),
]
