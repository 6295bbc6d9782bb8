/* Permission checks for a non-root identity: mode bits (owner beats group beats other),
 * search permission on directories, umask, setgid directories, sticky directories,
 * EACCES vs EPERM (chmod/chown/utimes by a non-owner), protected hard links, access()
 * with the real ids, O_TRUNC and O_NOATIME rules, rename needing write on both dirs. */
#include "fs.h"
#include <sys/time.h>

static int try_open_r(void) { int fd = open("shared/f0640", O_RDONLY); return fd < 0 ? errno : 0; }
static int try_open_w(void) { int fd = open("shared/f0640", O_WRONLY); return fd < 0 ? errno : 0; }
static int try_owner_bits(void) { int fd = open("shared/f0066", O_RDONLY); return fd < 0 ? errno : 0; }
static int try_other_read(void) { int fd = open("shared/f0604", O_RDONLY); return fd < 0 ? errno : 0; }
static int try_search(void) { return ERRNO_OF(access("noexec/inner", F_OK)); }
static int try_list(void) { int fd = open("noread", O_RDONLY | O_DIRECTORY); return fd < 0 ? errno : 0; }
static int try_create_in_ro_dir(void) { int fd = open("rodir/x", O_CREAT | O_WRONLY, 0644); return fd < 0 ? errno : 0; }
static int try_unlink_in_ro_dir(void) { return ERRNO_OF(unlink("rodir/victim")); }
static int try_chmod_other(void) { return ERRNO_OF(chmod("shared/f0640", 0777)); }
static int try_chown_other(void) { return ERRNO_OF(chown("mine1000", 0, -1)); }
static int try_chown_self_noop(void) { return ERRNO_OF(chown("mine1000", 1000, -1)); }
static int try_chgrp_member(void) { return ERRNO_OF(chown("mine1000", -1, 1000)); }
static int try_chgrp_nonmember(void) { return ERRNO_OF(chown("mine1000", -1, 0)); }
static int try_utimes_other_now(void) { return ERRNO_OF(utimes("shared/f0666", NULL)); }
static int try_utimes_other_explicit(void)
{
    struct timeval tv[2] = {{1, 0}, {2, 0}};
    return ERRNO_OF(utimes("shared/f0666", tv));
}
static int try_utimes_readonly_now(void) { return ERRNO_OF(utimes("shared/f0640", NULL)); }
static int try_utimensat_now_omit(void)
{
    struct timespec ts[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
    return ERRNO_OF(utimensat(AT_FDCWD, "shared/f0666", ts, 0));
}
static int try_trunc_readonly(void) { int fd = open("shared/f0640", O_RDONLY | O_TRUNC); return fd < 0 ? errno : 0; }
static int try_noatime_other(void) { int fd = open("shared/f0666", O_RDONLY | O_NOATIME); return fd < 0 ? errno : 0; }
static int try_hardlink_other(void) { return ERRNO_OF(link("shared/f0640", "pub/hl")); }
static int try_hardlink_writable(void) { return ERRNO_OF(link("shared/f0666", "pub/hl2")); }
static int try_rename_from_ro(void) { return ERRNO_OF(rename("rodir/victim", "pub/moved")); }
static int try_mkdir_setgid(void)
{
    if (mkdir("sgid/sub", 0777)) return errno;
    struct stat st;
    stat("sgid/sub", &st);
    return (st.st_gid == 4242 ? 1 : 0) | ((st.st_mode & S_ISGID) ? 2 : 0);
}
static int try_create_setgid(void)
{
    int fd = open("sgid/file", O_CREAT | O_WRONLY, 02775);
    if (fd < 0) return errno;
    struct stat st;
    fstat(fd, &st);
    return (st.st_gid == 4242 ? 1 : 0) | ((st.st_mode & S_ISGID) ? 2 : 0);
}
static int try_access_real(void) { return ERRNO_OF(access("shared/f0640", R_OK)); }
static int try_access_x_dir(void) { return ERRNO_OF(access("noexec", X_OK)); }
static int try_mknod_dev(void) { return ERRNO_OF(mknod("pub/dev", S_IFCHR | 0600, makedev(1, 3))); }
static int try_chmod_sgid_nonmember(void)
{
    if (chmod("mine1000", 02755)) return errno;
    struct stat st;
    stat("mine1000", &st);
    return (st.st_mode & 07777) == 0755 ? 0 : 1;
}
static int try_umask_create(void)
{
    umask(027);
    int fd = open("pub/masked", O_CREAT | O_WRONLY, 0777);
    if (fd < 0) return errno;
    struct stat st;
    fstat(fd, &st);
    return (st.st_mode & 0777) == 0750 ? 0 : 1;
}

int main(void)
{
    enter_tmpfs("size=16m,mode=0777");
    SETUP(mkdir("shared", 0755));
    SETUP(write_file("shared/f0640", "x")); SETUP(chmod("shared/f0640", 0640)); SETUP(chown("shared/f0640", 0, 1000));
    SETUP(write_file("shared/f0066", "x")); SETUP(chmod("shared/f0066", 0066)); SETUP(chown("shared/f0066", 1000, 1000));
    SETUP(write_file("shared/f0604", "x")); SETUP(chmod("shared/f0604", 0604));
    SETUP(write_file("shared/f0666", "x")); SETUP(chmod("shared/f0666", 0666));
    SETUP(mkdir("noexec", 0766)); SETUP(write_file("noexec/inner", "i")); SETUP(chmod("noexec", 0766));
    SETUP(mkdir("noread", 0711));
    SETUP(mkdir("rodir", 0755)); SETUP(write_file("rodir/victim", "v"));
    SETUP(mkdir("pub", 0777)); SETUP(chmod("pub", 0777));
    SETUP(mkdir("sgid", 0777)); SETUP(chown("sgid", 0, 4242)); SETUP(chmod("sgid", 02777));
    SETUP(write_file("mine1000", "m")); SETUP(chown("mine1000", 1000, 1000));
    FACT_ERRNO("group_read", as_user(1000, 1000, try_open_r));
    FACT_ERRNO("group_write", as_user(1000, 1000, try_open_w));
    FACT_ERRNO("other_read_0640", as_user(2000, 2000, try_open_r));
    FACT_ERRNO("owner_bits_win", as_user(1000, 1000, try_owner_bits));
    FACT_ERRNO("other_read_0604", as_user(2000, 2000, try_other_read));
    FACT_ERRNO("search_denied", as_user(2000, 2000, try_search));
    FACT_ERRNO("list_denied", as_user(2000, 2000, try_list));
    FACT_ERRNO("create_in_ro_dir", as_user(2000, 2000, try_create_in_ro_dir));
    FACT_ERRNO("unlink_in_ro_dir", as_user(2000, 2000, try_unlink_in_ro_dir));
    FACT_ERRNO("chmod_not_owner", as_user(1000, 1000, try_chmod_other));
    FACT_ERRNO("chown_to_root", as_user(1000, 1000, try_chown_other));
    FACT_ERRNO("chown_to_self", as_user(1000, 1000, try_chown_self_noop));
    FACT_ERRNO("chown_self_not_owner", as_user(2000, 2000, try_chown_self_noop));
    FACT_ERRNO("chgrp_member", as_user(1000, 1000, try_chgrp_member));
    FACT_ERRNO("chgrp_nonmember", as_user(1000, 1000, try_chgrp_nonmember));
    FACT_ERRNO("utimes_now_writable", as_user(2000, 2000, try_utimes_other_now));
    FACT_ERRNO("utimes_explicit_not_owner", as_user(2000, 2000, try_utimes_other_explicit));
    FACT_ERRNO("utimes_now_readonly", as_user(2000, 2000, try_utimes_readonly_now));
    FACT_ERRNO("utimensat_now_omit", as_user(2000, 2000, try_utimensat_now_omit));
    FACT_ERRNO("o_trunc_readonly", as_user(1000, 1000, try_trunc_readonly));
    FACT_ERRNO("o_noatime_not_owner", as_user(2000, 2000, try_noatime_other));
    FACT_ERRNO("hardlink_unwritable", as_user(2000, 2000, try_hardlink_other));
    FACT_ERRNO("hardlink_read_write", as_user(2000, 2000, try_hardlink_writable));
    FACT_ERRNO("rename_from_ro_dir", as_user(2000, 2000, try_rename_from_ro));
    FACT_INT("setgid_dir_mkdir", as_user(2000, 2000, try_mkdir_setgid));
    FACT_INT("setgid_dir_create", as_user(2000, 2000, try_create_setgid));
    FACT_ERRNO("access_real_group", as_user(1000, 1000, try_access_real));
    FACT_ERRNO("access_x_dir", as_user(2000, 2000, try_access_x_dir));
    FACT_ERRNO("mknod_device_user", as_user(2000, 2000, try_mknod_dev));
    FACT_INT("chmod_sgid_nonmember_dropped", as_user(1000, 2000, try_chmod_sgid_nonmember));
    FACT_INT("umask_applies", as_user(2000, 2000, try_umask_create));
    /* root: DAC override for read/write, exec needs one x bit */
    CHECK_OK("root_reads_0000", (chmod("shared/f0604", 0), open("shared/f0604", O_RDONLY)));
    SETUP(write_file("noexecfile", "#!/bin/sh\n"));
    SETUP(chmod("noexecfile", 0644));
    CHECK_RET("root_access_x_no_bits", access("noexecfile", X_OK));
    SETUP(chmod("noexecfile", 0010));
    CHECK_RET("root_access_x_group_bit", access("noexecfile", X_OK));
    DONE();
}
