# Permissions as an unprivileged user: root prepares files, `su` runs a script as nobody
# (65534) that meets Linux's EACCES and EPERM rules: mode bits, search permission, sticky
# directories, chmod/chown/utimes ownership rules, umask.
# (fs.protected_hardlinks/symlinks are host sysctls and not exercised here.)
umask 022
set -u

step() { echo "== $*"; }

step setup-as-root
ln -s /bin/busybox sh
mkdir shared private open sticky
chmod 1777 sticky
chmod 700 private
chmod 777 open
echo secret > private/data
echo readable > open/readable
echo root-owned > sticky/rootfile
chmod 644 sticky/rootfile
mkdir noexec && chmod 666 noexec && touch noexec/inside 2>&1
echo "mode 600" > open/mine600 && chmod 600 open/mine600
cat > user.sh <<'EOF'
step() { echo "== $*"; }
step identity
id
grep -E '^(Uid|Gid|Groups):' /proc/self/status
step reading
cat private/data 2>&1; echo "cat private: $?"
ls private 2>&1; echo "ls private: $?"
cat open/readable
cat open/mine600 2>&1; echo "cat 600: $?"
ls noexec 2>&1; echo "ls 666 dir: $?"
cat noexec/inside 2>&1; echo "search 666 dir: $?"
cd private 2>&1; echo "cd private: $?"
[ -r open/readable ] && echo "readable: r"
[ -w open/readable ] || echo "readable: not w"
[ -x private ] || echo "private: not x"
step writing
echo x > open/readable 2>&1; echo "write 644: $?"
echo x >> open/mine600 2>&1; echo "append 600: $?"
touch shared/new 2>&1; echo "create in 755: $?"
mkdir shared/d 2>&1; echo "mkdir in 755: $?"
touch open/mine && stat -c '%n %u %g %a' open/mine
mkdir open/mydir && stat -c '%n %u %g %a' open/mydir
umask 077; touch open/private_new; mkdir open/private_dir; umask 022
stat -c '%n %a' open/private_new open/private_dir
rm open/readable 2>&1; echo "rm in 777 dir: $?"
ls open | sort
step sticky
touch sticky/userfile
rm sticky/rootfile 2>&1; echo "rm other's in sticky: $?"
mv sticky/rootfile sticky/stolen 2>&1; echo "mv other's in sticky: $?"
rm sticky/userfile; echo "rm own in sticky: $?"
ls sticky
step ownership
chmod 777 open/mine600 2>&1; echo "chmod other's: $?"
chmod 600 open/mine; stat -c '%n %a' open/mine
chown 0 open/mine 2>&1; echo "chown to root: $?"
chown 65534:0 open/mine 2>&1; echo "chgrp to a group not mine: $?"
chown 65534:65534 open/mine; echo "chown to myself: $?"
touch -d '2020-01-01 00:00:00' open/mine600 2>&1; echo "touch -d other's: $?"
touch open/mine600 2>&1; echo "touch other's 600: $?"
touch -d '2020-01-01 00:00:00' open/mine; stat -c '%n %y' open/mine
ln -s ../private/data open/link; cat open/link 2>&1; echo "through link: $?"
mkfifo open/fifo && stat -c '%n %F %u' open/fifo
step find
find . -name data 2>&1 | sort
find private 2>&1; echo "find private: $?"
EOF
step as-nobody
su -s "$PWD/sh" nobody -c "sh ./user.sh"
echo "su: $?"
step after
ls -ln open sticky | grep -v '^total'
