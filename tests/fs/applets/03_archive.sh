# Archives and compression: tar c/x/t (plain, gzip, bzip2), gzip/gunzip/zcat, bzip2,
# lzop, cpio, dd; contents are compared by checksums after round trips.
umask 022
set -u

step() { echo "== $*"; }

step make-tree
mkdir -p tree/sub/deeper tree/empty
seq 1 5000 > tree/numbers
printf 'hello archive\n' > tree/sub/hello
printf 'x' > tree/sub/deeper/x
dd if=/dev/zero of=tree/zeros bs=4096 count=3 2>/dev/null
ln -s sub/hello tree/link
ln tree/numbers tree/numbers.hard
chmod 750 tree/sub
chmod 640 tree/sub/hello
touch -d '2020-02-03 04:05:06' tree/numbers tree/sub/hello tree/sub/deeper/x tree/zeros
touch -d '2020-02-03 04:05:06' tree/sub/deeper tree/sub tree/empty tree
find tree | sort | xargs stat -c '%n %a %s %h %F' 2>&1

step tar
tar cf t.tar tree
tar tf t.tar | sort
tar tvf t.tar | sort -k6
mkdir x1 && tar xf t.tar -C x1
diff -r tree x1/tree && echo "tar round trip: same content"
find x1/tree | sort | xargs stat -c '%n %a %s %h %F %y' 2>&1
readlink x1/tree/link
[ "$(stat -c %i x1/tree/numbers)" = "$(stat -c %i x1/tree/numbers.hard)" ] && echo "hard link kept"
tar czf t.tgz tree
tar tzf t.tgz | sort
mkdir x2 && tar xzf t.tgz -C x2 && diff -r tree x2/tree && echo "tar.gz round trip"
tar cjf t.tbz tree && mkdir x3 && tar xjf t.tbz -C x3 && diff -r tree x3/tree && echo "tar.bz2 round trip"
tar cf - tree/sub | tar tf - | sort
tar xf t.tar -C x1 tree/sub/hello; echo "extract one: $?"
tar xf nothere.tar 2>&1; echo "tar missing: $?"
tar cf sub.tar -C tree sub && tar tf sub.tar | sort

step gzip
cp tree/numbers n1
gzip n1; ls n1 n1.gz 2>&1
gunzip -t n1.gz && echo "gzip -t ok"
zcat n1.gz | md5sum
gunzip n1.gz; md5sum n1 tree/numbers
gzip -c tree/sub/hello > h.gz; wc -c < h.gz
gzip -d < h.gz
gzip -9 -k n1 2>&1 || gzip -9 -c n1 > n1.gz; zcat n1.gz | cmp - n1 && echo "gzip -9 round trip"
echo garbage > bad.gz; gunzip bad.gz 2>&1; echo "gunzip bad: $?"

step bzip2-lzop
cp tree/numbers n2
bzip2 n2 && bunzip2 -c n2.bz2 | cmp - tree/numbers && echo "bzip2 round trip"
bzcat n2.bz2 | wc -l
lzop -c tree/numbers > n4.lzo && lzop -dc n4.lzo | cmp - tree/numbers && echo "lzop round trip"

step cpio
find tree | sort | cpio -o -H newc > t.cpio 2>cpio.err; cat cpio.err
cpio -t < t.cpio 2>/dev/null | sort
mkdir x4 && cd x4 && cpio -i -d < ../t.cpio 2>/dev/null && cd .. && diff -r tree x4/tree && echo "cpio round trip"

step dd
dd if=tree/numbers of=part bs=100 skip=2 count=3 status=noxfer 2>&1
wc -c part; md5sum part
dd if=tree/numbers bs=1 count=10 status=none | od -c | head -1
dd if=/dev/zero of=padded bs=1 count=0 seek=10000 status=none
stat -c '%s %b' padded
printf 'HEAD' | dd of=padded conv=notrunc status=none; head -c 4 padded; echo; stat -c '%s' padded
dd if=tree/sub/hello conv=swab status=none; echo
dd if=tree/sub/hello of=synced bs=5 conv=sync status=none; od -c synced | tail -2
dd if=nothere of=x 2>&1; echo "dd missing: $?"
