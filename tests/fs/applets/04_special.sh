# Special files and sizes: fifos, sparse files and holes, truncate, fallocate, appends,
# link counts, ownership, test operators, mktemp, shred, sync, df and stat -f.
umask 022
set -u

step() { echo "== $*"; }

step fifo
mkfifo pipe1
mkfifo -m 600 pipe2
stat -c '%n %F %a %s' pipe1 pipe2
[ -p pipe1 ] && echo "pipe1 is a fifo"
(echo through the fifo > pipe1 &) ; cat pipe1
mkfifo pipe1 2>&1; echo "mkfifo existing: $?"
mknod pipe3 p && stat -c '%n %F' pipe3
find . -type p | sort

step sparse-truncate
truncate -s 1M big
stat -c '%n %s %b' big
du -k big
truncate -s 100 big; stat -c '%n %s %b' big
truncate -s 150 big; stat -c '%n %s' big
truncate -s 0 big; stat -c '%n %s %b' big
truncate -c -s 10 missing; ls missing 2>&1
printf 'data' > holes
dd if=/dev/zero of=holes bs=1 count=1 seek=65536 conv=notrunc status=none
stat -c '%n %s %b' holes
od -c holes | head -3
du -k holes
fallocate -l 8192 prealloc && stat -c '%n %s %b' prealloc
ls -s big holes prealloc

step append
echo one > log
echo two >> log
printf 'three' >> log
cat log; wc -c log
set -C
echo clobber > log 2>&1; echo "noclobber: $?"
set +C
: > log; wc -c log

step links
mkdir ld ld/s1 ld/s2
stat -c '%n %h' ld ld/s1
touch lf; ln lf lf2; ln lf ld/lf3
stat -c '%n %h' lf
rm lf2; stat -c '%n %h' lf
rmdir ld/s2; stat -c '%n %h' ld
[ lf -ef ld/lf3 ] && echo "lf and ld/lf3 are the same file"
echo "ino=$(stat -c %i lf) ino=$(stat -c %i ld/lf3) ino=$(stat -c %i ld)"

step ownership
touch owned
chown 0:0 owned && stat -c '%n %u %g' owned
chgrp 0 owned && stat -c '%n %g' owned
chmod 6755 owned; chown 0 owned; stat -c '%n %a' owned
chown -R 0:0 ld && stat -c '%n %u:%g' ld ld/s1

step tests
touch -d '2020-01-01 00:00:00' old
touch -d '2022-01-01 00:00:00' young
[ young -nt old ] && echo "young is newer"
[ old -ot young ] && echo "old is older"
[ -s log ] || echo "log is empty"
[ -s holes ] && echo "holes is not empty"
[ -d ld ] && [ -f lf ] && [ ! -e nothing ] && echo "types ok"
[ -L nothing ] || echo "no link"
ln -s old oldlink; [ -L oldlink ] && [ -h oldlink ] && echo "oldlink is a link"
[ -r old ] && [ -w old ] && [ ! -x old ] && echo "modes ok"
test -x /bin/busybox && echo "busybox is executable"

step mktemp
t=$(mktemp tmp.XXXXXX) && [ -f "$t" ] && stat -c '%a %s' "$t"
d=$(mktemp -d dtmp.XXXXXX) && [ -d "$d" ] && stat -c '%a' "$d"
rm -r "$t" "$d"; ls | grep -c tmp

step shred-sync
printf 'secret data' > secret
shred -n 1 -z secret && od -c secret | head -2
shred -u secret; ls secret 2>&1
sync; echo "sync: $?"
sync -f . 2>/dev/null; echo done

step df-statfs
stat -f -c '%T %l' .
df . | tail -n 1
df -k . | head -n 1
df nothere 2>&1; echo "df missing: $?"

step cleanup
rm -f pipe1 pipe2 pipe3
rm -rf ld
ls -1 | sort
