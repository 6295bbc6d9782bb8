# Edge cases: timestamps that move (ctime, directory mtime, relatime atime), odd names,
# long names and paths, symlink loops, big sparse files, devices, pipes as input, timeout.
umask 022
set -u

step() { echo "== $*"; }
moved() { if [ "$1" = "$2" ]; then echo "$3: same"; else echo "$3: moved"; fi; }

step times
mkdir tdir
for f in c_chmod c_link c_rename c_write c_trunc c_utime c_read m_write d_probe; do
    echo data > tdir/$f
done
touch -d '2020-01-01 00:00:00' tdir/*
for f in tdir/*; do eval "c_$(basename $f)=$(stat -c %Z $f)"; eval "m_$(basename $f)=$(stat -c %Y $f)"; done
dir_m=$(stat -c %Y tdir)
sleep 1
chmod 600 tdir/c_chmod
ln tdir/c_link tdir/c_link2
mv tdir/c_rename tdir/c_renamed
echo more >> tdir/c_write
truncate -s 2 tdir/c_trunc
touch -d '2021-01-01 00:00:00' tdir/c_utime
cat tdir/c_read > /dev/null
moved "$c_c_chmod" "$(stat -c %Z tdir/c_chmod)" "ctime after chmod"
moved "$c_c_link" "$(stat -c %Z tdir/c_link)" "ctime after link"
moved "$c_c_rename" "$(stat -c %Z tdir/c_renamed)" "ctime after rename"
moved "$c_c_write" "$(stat -c %Z tdir/c_write)" "ctime after write"
moved "$m_c_write" "$(stat -c %Y tdir/c_write)" "mtime after write"
moved "$c_c_trunc" "$(stat -c %Z tdir/c_trunc)" "ctime after truncate"
moved "$c_c_utime" "$(stat -c %Z tdir/c_utime)" "ctime after touch -d"
moved "$c_c_read" "$(stat -c %Z tdir/c_read)" "ctime after read"
moved "$m_c_read" "$(stat -c %Y tdir/c_read)" "mtime after read"
moved "$dir_m" "$(stat -c %Y tdir)" "dir mtime after entries changed"
a1=$(stat -c %X tdir/c_read); cat tdir/c_read > /dev/null; a2=$(stat -c %X tdir/c_read)
moved "$a1" "$a2" "relatime: second read"
stat -c '%n %y' tdir/c_utime tdir/m_write

step names
touch -- 'with space' 'tab	name' "$(printf 'new\nline')" 'üñíçødé' '-dash' '.hidden' '*star'
ls -1 | grep -c .
ls -1A | sort | od -c | tail -4 | head -2
ls -- -dash '*star' 'with space'
find . -name '*space*' -o -name '*star' | sort
rm -- -dash '*star'
n255=$(printf 'x%.0s' $(seq 1 255)); touch "$n255" && echo "255-byte name ok"
touch "${n255}y" 2>&1 | sed "s/$n255/<255 x>/"; echo "256-byte name: $?"
rm "$n255"
long=.; i=0; while [ $i -lt 25 ]; do long="$long/$n255"; i=$((i+1)); done
mkdir -p "$long" 2>&1 | sed "s/$n255/N/g" | cut -c1-60; echo "mkdir -p 6 KiB path: done"
rm -rf "$n255" 2>&1; echo "rm long tree: $?"

step symlinks
ln -s loop1 loop2; ln -s loop2 loop1
cat loop1 2>&1; echo "cat loop: $?"
readlink -f loop1; echo "readlink -f loop: $?"
mkdir -p real/sub; ln -s real/sub via
cd via && pwd && pwd -P && cd ..
ln -s ../real realself; mkdir -p walk; ln -s .. walk/up
ls walk/up/real
cp -a via viacopy && readlink viacopy
cp -r -L via viacopy2 2>&1; ls -d viacopy2
find -L real via realself -name sub 2>&1 | sort
rm loop1 loop2

step big-sparse
truncate -s 5G huge
stat -c '%n %s %b' huge
printf 'end' | dd of=huge bs=1 seek=5368709117 conv=notrunc status=none
stat -c '%n %s %b' huge
tail -c 3 huge; echo
dd if=huge bs=4096 skip=1310719 count=1 status=none | od -c | tail -2
ls -lh huge
du -h huge
rm huge

step devices
head -c 1000 /dev/urandom | wc -c
head -c 5 /dev/zero | od -An -c
echo x > /dev/full; echo "write /dev/full: $?"
cat /dev/null; echo "cat /dev/null: $?"
dd if=/dev/zero of=/dev/null bs=65536 count=64 status=noxfer 2>&1
stat -c '%n %F %t:%T' /dev/null /dev/zero /dev/full
[ -c /dev/null ] && echo "/dev/null is a char device"

step pipes
seq 1 100000 | tail -c 14
seq 1 1000 | dd bs=10 skip=5 count=2 status=none; echo
seq 1 10 | sort -rn | head -2
yes abc | head -n 3
seq 1 5000 | tee copy | wc -l; wc -l copy
printf 'a\nb\n' | xargs -n1 -P2 echo | sort

step timeout
timeout 1 sleep 5; echo "timeout: $?"
timeout 5 true; echo "no timeout: $?"
timeout -s KILL 1 sleep 5; echo "timeout KILL: $?"
