# Text tools on files: grep, sed -i, awk, sort, uniq, wc, head, tail, cut, tr, tee, od,
# xxd, hexdump, nl, paste, rev, tac, fold, expand, strings, base64, diff, cmp, patch, xargs.
umask 022
set -u

step() { echo "== $*"; }

step make-files
mkdir -p src/lib src/doc
cat > src/main.c <<'EOF'
#include <stdio.h>
int main(void) { printf("hello\n"); return 0; }
EOF
printf 'alpha\nbeta\ngamma\nalpha\ndelta\nbeta\nalpha\n' > src/words.txt
printf 'one two three\nfour five six\nseven eight nine ten\n' > src/doc/readme
printf 'x=1\ny=2\nz=3\n' > src/lib/config.ini
printf 'b\t2\na\t10\nc\t1\nb\t3\n' > table.tsv
seq 1 20 > nums

step grep
grep -r alpha src | sort
grep -rl hello src
grep -rn 'e[a-z]*t' src/doc
grep -c alpha src/words.txt
grep -v alpha src/words.txt
grep -E '^(beta|gamma)$' src/words.txt
grep -w five src/doc/readme
grep -i HELLO src/main.c
grep -rL alpha src | sort
grep -q nothing src/words.txt; echo "grep -q miss: $?"
grep alpha nothere 2>&1; echo "grep missing file: $?"
egrep -c 'a$' src/words.txt
fgrep -x beta src/words.txt
grep -o 'a[a-z]' src/words.txt | head -3

step sed
cp src/words.txt w1
sed -i 's/alpha/ALPHA/g' w1
cat w1
sed -i.bak -e '/delta/d' -e '1i first' w1
cat w1 w1.bak | wc -l
sed -n '2,4p' nums
sed '$!d' nums
sed -e 's/\([0-9]\)\([0-9]\)/\2\1/' nums | tail -3
sed 'y/abc/xyz/' src/words.txt | head -2
sed -i '' nothere 2>&1; echo "sed -i missing: $?"

step awk
awk '{ print NF ": " $1 }' src/doc/readme
awk -F'\t' '{ s[$1] += $2 } END { for (k in s) print k, s[k] }' table.tsv | sort
awk 'NR % 5 == 0' nums
awk '{ n += $1 } END { print n, NR }' nums
awk -v x=3 '$1 > x && $1 < 7' nums
awk 'BEGIN { printf "%05.1f|%-4s|%x\n", 3.14159, "ab", 255 }'
awk '{ print > ("out_" $1) }' table.tsv; cat out_b; ls out_* | sort

step sort-uniq
sort src/words.txt
sort -u src/words.txt
sort -r nums | head -3
sort -n -r nums | head -3
sort -k2 -n table.tsv
sort -t "$(printf '\t')" -k1,1 -k2,2n table.tsv
sort src/words.txt | uniq -c
sort src/words.txt | uniq -d
sort src/words.txt | uniq -u
sort -o sorted.txt src/words.txt; cat sorted.txt
sort -c sorted.txt; echo "sort -c sorted: $?"
sort -c src/words.txt 2>&1; echo "sort -c unsorted: $?"

step wc-head-tail
wc src/words.txt src/doc/readme
wc -l < nums
wc -w src/doc/readme
head -n 3 nums
head -c 10 src/doc/readme; echo
tail -n 2 nums
tail -n +18 nums
tail -c 6 src/doc/readme
head -n -17 nums

step cut-tr-paste
cut -d' ' -f2 src/doc/readme
cut -c1-3 src/words.txt | head -3
cut -f2 table.tsv
tr a-z A-Z < src/words.txt | head -2
tr -d 'aeiou' < src/words.txt | head -3
tr -s '\n' < src/words.txt | wc -l
echo 'a,b,,c' | tr ',' '\n' | grep -c .
paste nums nums | head -2
paste -s -d, src/words.txt
paste -d: src/words.txt src/words.txt | tail -1

step tee
echo one | tee t1 t2 > /dev/null
echo two | tee -a t1 | cat
cat t1 t2

step dumps
printf 'AB\000\001\377z' > bin
od -c bin
od -An -tx1 bin
od -t d2 bin
xxd bin
xxd -p bin
hexdump -C bin
hexdump -C src/main.c | head -2
strings src/main.c
base64 bin
base64 bin | base64 -d | cmp - bin && echo "base64 round trip"
uuencode bin bin | uudecode -o bin.out && cmp bin bin.out && echo "uuencode round trip"

step shaping
nl src/words.txt
nl -ba -s: src/doc/readme
rev src/words.txt | head -2
tac src/words.txt
printf 'aaaaaaaaaabbbbbbbbbb\n' | fold -w 7
printf 'a\tb\tc\n' | expand -t 4 | od -c | head -2
printf 'a       b\n' | unexpand -a | od -c | head -1
printf 'x\r\ny\r\n' > dos.txt; dos2unix dos.txt; od -c dos.txt
unix2dos dos.txt; od -c dos.txt

step diff-cmp-patch
printf 'a\nb\nc\nd\n' > old
printf 'a\nB\nc\nd\ne\n' > new
diff old new; echo "diff: $?"
diff -u old new | tail -n +3
diff old old; echo "diff same: $?"
cmp old new; echo "cmp: $?"
cmp -l old new 2>&1
cmp old old && echo same
diff -u old new > fix.patch
cp old patched
patch patched < fix.patch
cmp patched new && echo "patch applied"
mkdir da db; echo 1 > da/f; echo 2 > db/f; echo 3 > db/g
diff -r da db; echo "diff -r: $?"

step xargs
seq 1 10 | xargs echo
seq 1 10 | xargs -n 3 echo
printf 'a b\nc\n' | xargs -I{} echo '<{}>'
find src -type f | sort | xargs wc -l
printf 'one\0two words\0' | xargs -0 -n1 echo
echo f1 f2 f3 | xargs touch; ls f1 f2 f3
echo | xargs -r echo nothing; echo "xargs -r: $?"

step sums
md5sum src/words.txt src/doc/readme
sha1sum nums
sha256sum src/main.c
sha512sum bin | cut -c1-32
sha3sum nums
crc32 nums
sha256sum src/main.c > sums; sha256sum -c sums
echo tampered >> src/main.c; sha256sum -c sums 2>&1; echo "sha256sum -c bad: $?"
