# More file-system behaviour through applets: renames over directories, setgid
# directories, copies that keep links and special files, shared offsets, appends from
# several processes, find's -depth/-prune, large copies.
umask 022
set -u

step() { echo "== $*"; }

step rename-dirs
mkdir -p r/a/x r/b r/c/y
mv r/a r/b 2>&1; echo "mv a into b: $?"; ls r/b
mkdir r/empty; mv -T r/c r/empty 2>&1; echo "mv -T onto empty dir: $?"; ls r
mkdir -p r/full/z; mv -T r/empty r/full 2>&1; echo "mv -T onto non-empty dir: $?"
touch r/file; mv -T r/file r/full 2>&1; echo "mv file onto dir: $?"
mv -T r/full r/file 2>&1; echo "mv dir onto file: $?"
ls -R r

step setgid-dirs
mkdir -m 2775 sg; stat -c '%n %a' sg
chgrp 0 sg
mkdir sg/sub; touch sg/f
stat -c '%n %a %g' sg/sub sg/f
mkdir -m 755 plain; chmod g+s plain; stat -c '%n %A' plain

step copies
mkdir src; echo one > src/a; ln src/a src/a2; ln -s a src/la; mkfifo src/fifo
touch -d '2020-03-04 05:06:07' src/a src/fifo; touch -h -d '2020-03-04 05:06:07' src/la 2>/dev/null
cp -a src dst
stat -c '%n %F %h %y' dst/a dst/a2 dst/la dst/fifo
[ "$(stat -c %i dst/a)" = "$(stat -c %i dst/a2)" ] && echo "cp -a kept the hard link"
cp -r src dst2 2>&1 | head -2
ls -l dst2 | grep -c '^p'
cp -R -P src dst3 && readlink dst3/la
echo hello > big1; i=0; while [ $i -lt 20 ]; do cat big1 big1 > big2; mv big2 big1; i=$((i+1)); done
wc -c big1; cp big1 big1.copy; cmp big1 big1.copy && echo "6 MiB copy identical"
dd if=big1 of=big1.dd bs=1M status=noxfer 2>&1; cmp big1 big1.dd && echo "dd copy identical"

step shared-offsets
printf 'abcdef' > rw
exec 3<> rw
read -n 2 x <&3 2>/dev/null || x=$(dd bs=1 count=2 <&3 2>/dev/null); echo "read: $x"
echo -n XY >&3
exec 3>&-
cat rw; echo
(echo first; echo second) > seq.txt
{ read a; cat; } < seq.txt

step appends
: > log
for i in 1 2 3 4 5 6 7 8; do (j=0; while [ $j -lt 20 ]; do echo "writer $i line $j" >> log; j=$((j+1)); done) & done
wait
wc -l < log; sort log | uniq -d | wc -l
grep -c 'writer 3 ' log

step find-more
mkdir -p fm/a/b fm/c; touch fm/a/b/f fm/c/g
find fm -depth | head -3
find fm -name a -prune -o -type f -print | sort
find fm -type f -exec ls {} + | sort
find fm -maxdepth 1 -mindepth 1 | sort
find fm -path '*b*' | sort

step sed-awk-files
printf 'k=1\nk=2\n' > conf; chmod 640 conf
sed -i 's/k=/key=/' conf; stat -c '%n %a' conf; cat conf
awk -F= '{ print $2 > "vals" }' conf; cat vals
sed -n 'w copy.conf' conf; cmp conf copy.conf && echo "sed w"
