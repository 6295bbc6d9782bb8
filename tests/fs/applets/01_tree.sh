# Directory trees and metadata: mkdir, touch, ls, stat, cp, mv, ln, rm, chmod, find, du.
# Runs in an empty scratch directory; prints only what Linux decides (no host names).
umask 022
set -u

step() { echo "== $*"; }

step mkdir
mkdir -p a/b/c d/e
mkdir -m 700 private
mkdir a 2>&1; echo "mkdir existing: $?"
mkdir -p a/b/c; echo "mkdir -p existing: $?"
mkdir x/y 2>&1; echo "mkdir missing parent: $?"
ls -ln
ls -lnR a
# ls -la names owners from each system's /etc/passwd: the guest's knows root only.
if [ "$(id -u)" = 0 ]; then ls -la a/b; else ls -lan a/b; fi

step touch
touch -d '2020-01-02 03:04:05' a/one
touch -d '2021-06-07 08:09:10' a/two
touch -c a/nothing; echo "touch -c: $?"
ls a/nothing 2>&1
touch -r a/one a/copytime
stat -c '%n %s %a %F %h %y' a/one a/two a/copytime
touch -d '2019-12-31 23:59:59' a/b/c
ls -ln --full-time a/one a/b

step write-and-size
echo hello > f1
printf 'abc' > f2
printf '' > empty
seq 1 1000 > numbers
stat -c '%n size=%s blocks=%b links=%h mode=%A type=%F' f1 f2 empty numbers
stat -c '%n size=%s links=%h mode=%A type=%F' a a/b d
ls -lnS f1 f2 empty numbers
wc -c f1 f2 empty numbers

step cp
cp f1 f1.copy
cp -p a/one one.p
cp -a a acopy
cp -r d dcopy
stat -c '%n %a %y' one.p acopy/one acopy/two acopy/b/c
diff -r a acopy && echo "cp -a tree identical"
cp f1 a/b/c/
cp nothere x 2>&1; echo "cp missing: $?"
cp a nowhere 2>&1; echo "cp dir without -r: $?"
cp -l f2 f2.hard
[ "$(stat -c %i f2)" = "$(stat -c %i f2.hard)" ] && echo "cp -l shares the inode"
stat -c '%n links=%h' f2 f2.hard

step mv
mv f1.copy f1.moved
ls f1.copy 2>&1
mv f1.moved a/b/
mv acopy/two acopy/b/two.moved
mv dcopy d/ 2>&1
ls -R d
mv -n f2 f1; cat f1
mv d/dcopy . ; ls -d dcopy
mv a a/b 2>&1; echo "mv into own subtree: $?"

step ln
ln -s f1 link1
ln -s a/b linkdir
ln -s nowhere dangling
ln -s link1 link2
ln f1 hard1
ls -ln link1 linkdir dangling link2
for l in link1 link2 dangling; do readlink $l; done
for l in link2 linkdir dangling; do readlink -f $l; done
realpath link2 linkdir a/b/../b/c
cat link2
ls linkdir/
stat -c '%n links=%h' f1 hard1
stat -L -c '%n %F' link2 linkdir
stat -c '%n %F %s' link2 linkdir
ln -s f1 link1 2>&1; echo "ln -s existing: $?"
ln -sf f2 link1; readlink link1
ln -sfn a linkdir; readlink linkdir
link f1 hard2; unlink hard2; ls hard2 2>&1

step chmod
chmod 600 f1; stat -c '%n %a' f1
chmod u+x,g+w,o-r f1; stat -c '%n %a' f1
chmod -R go-rwx a; find a -exec stat -c '%n %a' {} + | sort
chmod -R 755 a; find a -exec stat -c '%n %a' {} + | sort
chmod 4755 f1; stat -c '%n %a %A' f1
chmod 1777 d; stat -c '%n %a %A' d
chmod 2755 private; stat -c '%n %a %A' private
chmod a=r f1; stat -c '%n %a' f1
chmod 000 nothere 2>&1; echo "chmod missing: $?"

step find
touch -d '2020-06-01 00:00:00' ref
touch -d '2021-01-01 00:00:00' newer1 a/newer2
find . -name 'new*' | sort
find . -type d | sort
find . -type l | sort
find . -type f -name '*.p' | sort
find . -newer ref -type f | sort
find . -maxdepth 1 -type f -size +1k
find . -empty | sort
find a -mindepth 2 | sort
find . -path './a/*' -name one
find . -links 2 -type f | sort
find . -perm 600 -o -perm 644 -name 'f*' | sort
find . -name 'one*' -exec echo found {} \; | sort
find . -type f -name '*.copy' -exec rm {} \;; ls f1.copy 2>&1
find . -name 'num*' -print0 | xargs -0 wc -l

step du
mkdir sizes
dd if=/dev/zero of=sizes/4k bs=1024 count=4 2>/dev/null
dd if=/dev/zero of=sizes/10k bs=1000 count=10 2>/dev/null
printf x > sizes/tiny
du -k sizes/4k sizes/10k sizes/tiny
du -s -k sizes
du -a sizes | sort -k2
du -sh sizes

step rm
rm f2.hard; ls f2.hard 2>&1
rm a 2>&1; echo "rm dir: $?"
rm -f nothere; echo "rm -f missing: $?"
rmdir a 2>&1; echo "rmdir nonempty: $?"
mkdir -p p/q/r; rmdir -p p/q/r; ls -d p 2>&1
rm -rf acopy dcopy d; ls -d acopy dcopy d 2>&1
rm -r private; echo "rm -r: $?"
ls -1
