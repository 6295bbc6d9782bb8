/* Bad input: every path syscall with a NULL, an unmapped, an unterminated (running into
 * an unmapped page) and an over-long path; every fd syscall with negative and huge fds;
 * unknown flag bits. The errno is printed; the native run is the oracle. */
#include "fs.h"
#include <sys/mman.h>
#include <sys/syscall.h>
#include <stdint.h>

#define BAD 0xBADBAD  /* replaced by the bad path, or the bad fd */

struct call { const char *name; long nr; long a[6]; };

static const char *good = "goodfile";

static const struct call paths[] = {
    {"open", SYS_open, {BAD, O_RDONLY}},
    {"open_creat", SYS_open, {BAD, O_CREAT | O_WRONLY, 0644}},
    {"openat", SYS_openat, {AT_FDCWD, BAD, O_RDONLY}},
    {"creat", SYS_creat, {BAD, 0644}},
    {"stat", SYS_stat, {BAD, 0}},
    {"lstat", SYS_lstat, {BAD, 0}},
    {"newfstatat", SYS_newfstatat, {AT_FDCWD, BAD, 0, 0}},
    {"statx", SYS_statx, {AT_FDCWD, BAD, 0, 0x7ff, 0}},
    {"access", SYS_access, {BAD, F_OK}},
    {"faccessat", SYS_faccessat, {AT_FDCWD, BAD, F_OK}},
    {"faccessat2", SYS_faccessat2, {AT_FDCWD, BAD, F_OK, 0}},
    {"chdir", SYS_chdir, {BAD}},
    {"chroot", SYS_chroot, {BAD}},
    {"mkdir", SYS_mkdir, {BAD, 0755}},
    {"mkdirat", SYS_mkdirat, {AT_FDCWD, BAD, 0755}},
    {"mknod", SYS_mknod, {BAD, S_IFIFO | 0644, 0}},
    {"mknodat", SYS_mknodat, {AT_FDCWD, BAD, S_IFIFO | 0644, 0}},
    {"rmdir", SYS_rmdir, {BAD}},
    {"unlink", SYS_unlink, {BAD}},
    {"unlinkat", SYS_unlinkat, {AT_FDCWD, BAD, 0}},
    {"rename_old", SYS_rename, {BAD, (long)"newname"}},
    {"rename_new", SYS_rename, {(long)"goodfile", BAD}},
    {"renameat", SYS_renameat, {AT_FDCWD, BAD, AT_FDCWD, (long)"x"}},
    {"renameat2", SYS_renameat2, {AT_FDCWD, (long)"goodfile", AT_FDCWD, BAD, 0}},
    {"link_old", SYS_link, {BAD, (long)"x"}},
    {"link_new", SYS_link, {(long)"goodfile", BAD}},
    {"linkat", SYS_linkat, {AT_FDCWD, BAD, AT_FDCWD, (long)"x", 0}},
    {"symlink_target", SYS_symlink, {BAD, (long)"x"}},
    {"symlink_path", SYS_symlink, {(long)"goodfile", BAD}},
    {"symlinkat", SYS_symlinkat, {(long)"t", AT_FDCWD, BAD}},
    {"readlink", SYS_readlink, {BAD, 0, 16}},
    {"readlinkat", SYS_readlinkat, {AT_FDCWD, BAD, 0, 16}},
    {"chmod", SYS_chmod, {BAD, 0644}},
    {"fchmodat", SYS_fchmodat, {AT_FDCWD, BAD, 0644}},
    {"chown", SYS_chown, {BAD, 0, 0}},
    {"lchown", SYS_lchown, {BAD, 0, 0}},
    {"fchownat", SYS_fchownat, {AT_FDCWD, BAD, 0, 0, 0}},
    {"truncate", SYS_truncate, {BAD, 0}},
    {"utimes", SYS_utimes, {BAD, 0}},
    {"utime", SYS_utime, {BAD, 0}},
    {"futimesat", SYS_futimesat, {AT_FDCWD, BAD, 0}},
    {"utimensat", SYS_utimensat, {AT_FDCWD, BAD, 0, 0}},
    {"statfs", SYS_statfs, {BAD, 0}},
    {"mount_target", SYS_mount, {(long)"none", BAD, (long)"tmpfs", 0, 0}},
    {"umount2", SYS_umount2, {BAD, 0}},
};

static const struct call fdcalls[] = {
    {"read", SYS_read, {BAD, 0, 1}},
    {"write", SYS_write, {BAD, 0, 1}},
    {"pread64", SYS_pread64, {BAD, 0, 1, 0}},
    {"pwrite64", SYS_pwrite64, {BAD, 0, 1, 0}},
    {"readv", SYS_readv, {BAD, 0, 0}},
    {"writev", SYS_writev, {BAD, 0, 0}},
    {"preadv", SYS_preadv, {BAD, 0, 0, 0, 0}},
    {"pwritev2", SYS_pwritev2, {BAD, 0, 0, 0, 0, 0}},
    {"lseek", SYS_lseek, {BAD, 0, SEEK_SET}},
    {"close", SYS_close, {BAD}},
    {"dup", SYS_dup, {BAD}},
    {"dup2", SYS_dup2, {BAD, 50}},
    {"dup3", SYS_dup3, {BAD, 50, 0}},
    {"fcntl_getfl", SYS_fcntl, {BAD, F_GETFL}},
    {"ioctl", SYS_ioctl, {BAD, 0x541B, 0}},
    {"fstat", SYS_fstat, {BAD, 0}},
    {"fstatfs", SYS_fstatfs, {BAD, 0}},
    {"fsync", SYS_fsync, {BAD}},
    {"fdatasync", SYS_fdatasync, {BAD}},
    {"syncfs", SYS_syncfs, {BAD}},
    {"ftruncate", SYS_ftruncate, {BAD, 0}},
    {"fallocate", SYS_fallocate, {BAD, 0, 0, 1}},
    {"fadvise64", SYS_fadvise64, {BAD, 0, 0, 0}},
    {"fchmod", SYS_fchmod, {BAD, 0644}},
    {"fchown", SYS_fchown, {BAD, 0, 0}},
    {"fchdir", SYS_fchdir, {BAD}},
    {"getdents64", SYS_getdents64, {BAD, 0, 0}},
    {"flock", SYS_flock, {BAD, 1}},
    {"sendfile_in", SYS_sendfile, {1, BAD, 0, 1}},
    {"splice", SYS_splice, {BAD, 0, 1, 0, 1, 0}},
    {"tee", SYS_tee, {BAD, 1, 1, 0}},
    {"copy_file_range", SYS_copy_file_range, {BAD, 0, 1, 0, 1, 0}},
    {"mmap", SYS_mmap, {0, 4096, 1, 2, BAD, 0}},
    {"sync_file_range", SYS_sync_file_range, {BAD, 0, 0, 0}},
    {"openat_dirfd", SYS_openat, {BAD, (long)"x", O_RDONLY}},
    {"mkdirat_dirfd", SYS_mkdirat, {BAD, (long)"x", 0755}},
    {"newfstatat_dirfd", SYS_newfstatat, {BAD, (long)"x", 0, 0}},
    {"newfstatat_empty", SYS_newfstatat, {BAD, (long)"", 0, AT_EMPTY_PATH}},
    {"statx_empty", SYS_statx, {BAD, (long)"", AT_EMPTY_PATH, 0x7ff, 0}},
    {"utimensat_null", SYS_utimensat, {BAD, 0, 0, 0}},
    {"readlinkat_dirfd", SYS_readlinkat, {BAD, (long)"x", 0, 8}},
    {"unlinkat_dirfd", SYS_unlinkat, {BAD, (long)"x", 0}},
    {"fchownat_dirfd", SYS_fchownat, {BAD, (long)"x", 0, 0, 0}},
    {"linkat_dirfd", SYS_linkat, {BAD, (long)"x", AT_FDCWD, (long)"y", 0}},
    {"renameat_dirfd", SYS_renameat, {AT_FDCWD, (long)"goodfile", BAD, (long)"y"}},
};

static const struct call flags[] = {
    {"unlinkat", SYS_unlinkat, {AT_FDCWD, (long)"goodfile", 0x1}},
    {"renameat2", SYS_renameat2, {AT_FDCWD, (long)"goodfile", AT_FDCWD, (long)"x", 0x10}},
    {"linkat", SYS_linkat, {AT_FDCWD, (long)"goodfile", AT_FDCWD, (long)"x", 0x1}},
    {"fchownat", SYS_fchownat, {AT_FDCWD, (long)"goodfile", 0, 0, 0x2}},
    {"faccessat2", SYS_faccessat2, {AT_FDCWD, (long)"goodfile", F_OK, 0x1}},
    {"utimensat", SYS_utimensat, {AT_FDCWD, (long)"goodfile", 0, 0x2}},
    {"newfstatat", SYS_newfstatat, {AT_FDCWD, (long)"goodfile", 0, 0x1}},
    {"statx", SYS_statx, {AT_FDCWD, (long)"goodfile", 0x1, 0x7ff, 0}},
    {"dup3", SYS_dup3, {0, 50, 0x1}},
    {"pipe2", SYS_pipe2, {0, 0x1}},
    {"umount2", SYS_umount2, {(long)"goodfile", 0x10}},
    {"flock", SYS_flock, {0, 0x30}},
    {"copy_file_range", SYS_copy_file_range, {0, 0, 1, 0, 1, 1}},
    {"splice", SYS_splice, {0, 0, 1, 0, 1, 0x10}},
    {"tee", SYS_tee, {0, 1, 1, 0x10}},
    {"memfd_create", SYS_memfd_create, {(long)"x", 0x100}},
    {"sync_file_range", SYS_sync_file_range, {0, 0, 0, 0x8}},
    {"fcntl_cmd", SYS_fcntl, {0, 12345}},
    {"lseek_whence", SYS_lseek, {0, 0, 9}},
    {"open_tmpfile_creat", SYS_open, {(long)".", O_TMPFILE | O_CREAT | O_RDWR, 0600}},
    {"open_directory_creat", SYS_open, {(long)"x", O_DIRECTORY | O_CREAT | O_RDWR, 0600}},
    {"mknod_bad_type", SYS_mknod, {(long)"x", 0170000 | 0644, 0}},
    {"mount_nouser", SYS_mount, {(long)"none", (long)"d", (long)"tmpfs", 1L << 31, 0}},
    {"close_range", SYS_close_range, {5, 10, 0x8}},
    {"close_range_order", SYS_close_range, {10, 5, 0}},
    {"fallocate_mode", SYS_fallocate, {0, 0x80, 0, 1}},
};

static void run(const char *group, const char *variant, const struct call *c, long bad)
{
    long a[6];
    for (int i = 0; i < 6; i++) a[i] = c->a[i] == BAD ? bad : c->a[i];
    errno = 0;
    long r = syscall(c->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
    if (r == -1) printf("%s_%s_%s=%s\n", group, c->name, variant, errname(errno));
    else printf("%s_%s_%s=ok\n", group, c->name, variant);
}

int main(void)
{
    enter_tmpfs("size=16m");
    SETUP(write_file(good, "g"));
    SETUP(mkdir("d", 0755));
    long pg = sysconf(_SC_PAGESIZE);
    char *two = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SETUP(two == MAP_FAILED ? -1 : 0);
    SETUP(munmap(two + pg, pg));
    memset(two, 'u', pg);  /* no NUL before the unmapped page */
    char *longp = malloc(3 * pg);
    memset(longp, 'a', 3 * pg);
    for (int i = 1; i < 3 * pg - 1; i += 2) longp[i] = '/';
    longp[3 * pg - 1] = 0;  /* "a/a/a/..." of 12287 bytes: past PATH_MAX */
    int n = sizeof paths / sizeof paths[0];
    for (int i = 0; i < n; i++) {
        run("path", "null", &paths[i], 0);
        run("path", "unmapped", &paths[i], 0x1000);
        run("path", "unterminated", &paths[i], (long)two);
        run("path", "toolong", &paths[i], (long)longp);
    }
    n = sizeof fdcalls / sizeof fdcalls[0];
    for (int i = 0; i < n; i++) {
        run("fd", "minus1", &fdcalls[i], -1);
        run("fd", "minus50", &fdcalls[i], -50);
        run("fd", "huge", &fdcalls[i], 0x7fffffff);
        run("fd", "unopened", &fdcalls[i], 1000);
        run("fd", "high_bits", &fdcalls[i], 0x100000003L);
    }
    n = sizeof flags / sizeof flags[0];
    for (int i = 0; i < n; i++) run("flags", "unknown", &flags[i], 0);
    DONE();
}
