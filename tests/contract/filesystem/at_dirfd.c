/* openat(2) family with a dirfd: mkdirat/openat/fstatat/unlinkat/renameat relative to the dirfd, AT_REMOVEDIR, unlinkat on a dir without it EISDIR, a file dirfd ENOTDIR, absolute paths ignore dirfd, bad dirfd EBADF. */
#include "../lib/contract.h"

int main(void)
{
    SETUP(mkdir("base", 0755));
    int d = open("base", O_RDONLY | O_DIRECTORY);
    SETUP(d);
    CHECK_RET("mkdirat", mkdirat(d, "sub", 0755));
    int f = openat(d, "sub/file", O_CREAT | O_WRONLY, 0644);
    FACT_BOOL("openat_created", f >= 0);
    CHECK_RET("visible_from_cwd", access("base/sub/file", F_OK));
    struct stat st;
    CHECK_RET("fstatat", fstatat(d, "sub", &st, 0));
    FACT_BOOL("fstatat_is_dir", S_ISDIR(st.st_mode));
    CHECK_RET("renameat", renameat(d, "sub/file", AT_FDCWD, "top"));
    CHECK_RET("unlinkat_dir_no_flag", unlinkat(d, "sub", 0));
    CHECK_RET("unlinkat_file_removedir", unlinkat(AT_FDCWD, "top", AT_REMOVEDIR));
    CHECK_RET("unlinkat_removedir", unlinkat(d, "sub", AT_REMOVEDIR));
    CHECK_RET("unlinkat_file", unlinkat(AT_FDCWD, "top", 0));
    CHECK_RET("unlinkat_bad_flag", unlinkat(d, "x", 0x1));
    SETUP(write_file("plain", "x"));
    int pf = open("plain", O_RDONLY);
    CHECK_RET("file_as_dirfd", openat(pf, "x", O_RDONLY));
    CHECK_OK("file_as_dirfd_absolute_path", openat(pf, "/proc/self/status", O_RDONLY));
    CHECK_RET("bad_dirfd_relative", openat(99, "x", O_RDONLY));
    CHECK_OK("bad_dirfd_absolute", openat(99, "/proc/self/status", O_RDONLY));
    CHECK_RET("fstatat_empty_path_no_flag", fstatat(pf, "", &st, 0));
    CHECK_RET("fstatat_empty_path", fstatat(pf, "", &st, AT_EMPTY_PATH));
    FACT_INT("empty_path_size", st.st_size);
    CHECK_RET("fstatat_bad_flag", fstatat(d, "x", &st, 0x1));
    CHECK_RET("mknodat_fifo", mknodat(d, "fifo", S_IFIFO | 0600, 0));
    CHECK_RET("symlinkat", symlinkat("fifo", d, "fl"));
    char buf[16] = {0};
    CHECK_RET("readlinkat", readlinkat(d, "fl", buf, sizeof buf));
    DONE();
}
