/* The path walk: symlink chains (40 followed, the 41st ELOOP), loops, trailing slashes,
 * "." and "..", dirfds, AT_SYMLINK_NOFOLLOW / AT_EMPTY_PATH / O_NOFOLLOW / O_DIRECTORY,
 * ENAMETOOLONG for a long component and a long path, ENOTDIR in the middle. */
#include "fs.h"
#include <sys/syscall.h>

int main(void)
{
    enter_tmpfs("size=16m");
    char a[32], b[32];
    SETUP(write_file("f", "data"));
    SETUP(mkdir("d", 0755));
    SETUP(write_file("d/in", "inside"));
    /* l0 -> f, l1 -> l0, ..., l40 -> l39: l39 is 40 links deep, l40 is 41. */
    SETUP(symlink("f", "l0"));
    for (int i = 1; i <= 40; i++) {
        snprintf(a, sizeof a, "l%d", i);
        snprintf(b, sizeof b, "l%d", i - 1);
        SETUP(symlink(b, a));
    }
    CHECK_OK("open_depth_40", open("l39", O_RDONLY));
    CHECK_RET("open_depth_41", open("l40", O_RDONLY));
    struct stat st;
    CHECK_RET("stat_depth_41", stat("l40", &st));
    CHECK_RET("lstat_depth_41", lstat("l40", &st));
    FACT_BOOL("lstat_is_link", S_ISLNK(st.st_mode));
    SETUP(symlink("loop", "loop"));
    CHECK_RET("self_loop", open("loop", O_RDONLY));
    CHECK_RET("self_loop_in_middle", open("loop/x", O_RDONLY));
    SETUP(symlink("pong", "ping"));
    SETUP(symlink("ping", "pong"));
    CHECK_RET("ping_pong", stat("ping", &st));
    /* trailing slashes */
    CHECK_RET("file_slash", open("f/", O_RDONLY));
    CHECK_RET("stat_file_slash", stat("f/", &st));
    CHECK_OK("dir_slash", open("d/", O_RDONLY));
    CHECK_OK("dir_slashes", open("d///", O_RDONLY));
    SETUP(symlink("d", "dl"));
    CHECK_RET("lstat_link_slash_follows", lstat("dl/", &st));
    FACT_BOOL("link_slash_is_dir", S_ISDIR(st.st_mode));
    CHECK_RET("lstat_link_no_slash", lstat("dl", &st));
    FACT_BOOL("link_is_link", S_ISLNK(st.st_mode));
    CHECK_RET("mkdir_slash", mkdir("nd/", 0755));
    CHECK_RET("rmdir_slash", rmdir("nd/"));
    CHECK_RET("creat_slash", open("nf/", O_CREAT | O_WRONLY, 0644));
    CHECK_RET("unlink_file_slash", unlink("f/"));
    CHECK_RET("unlink_dir_slash", unlink("d/"));
    CHECK_RET("rename_file_slash", rename("f/", "g"));
    CHECK_RET("rename_to_slash", rename("f", "g/"));
    CHECK_RET("symlink_slash", symlink("f", "sl/"));
    CHECK_RET("link_slash", link("f", "hl/"));
    CHECK_RET("mknod_slash", mknod("fifo/", S_IFIFO | 0600, 0));
    /* dots */
    CHECK_RET("dot_dot_path", access("d/../d/./in", F_OK));
    CHECK_RET("root_dotdot", access("/../../..", F_OK));
    CHECK_RET("file_dotdot", access("f/..", F_OK));
    CHECK_RET("mkdir_dot", mkdir(".", 0755));
    CHECK_RET("mkdir_dotdot", mkdir("d/..", 0755));
    CHECK_RET("rmdir_dot", rmdir("d/."));
    CHECK_RET("rmdir_dotdot", rmdir("d/.."));
    CHECK_RET("unlink_dot", unlink("."));
    CHECK_RET("rename_dot", rename("d/.", "x"));
    CHECK_RET("rename_to_dotdot", rename("f", "d/.."));
    CHECK_RET("link_to_dot", link("f", "."));
    CHECK_RET("symlink_to_dotdot", symlink("f", ".."));
    /* ENOTDIR in the middle, ENOENT at the end */
    CHECK_RET("notdir_middle", open("f/x", O_RDONLY));
    CHECK_RET("missing_middle", open("nope/x", O_RDONLY));
    CHECK_RET("missing_end", open("nope", O_RDONLY));
    CHECK_RET("empty_path", open("", O_RDONLY));
    CHECK_RET("empty_stat", stat("", &st));
    /* name lengths */
    char longname[300];
    memset(longname, 'n', 255); longname[255] = 0;
    CHECK_RET("name_255_missing", open(longname, O_RDONLY));
    CHECK_OK("name_255_create", open(longname, O_CREAT | O_WRONLY, 0644));
    memset(longname, 'n', 256); longname[256] = 0;
    CHECK_RET("name_256", open(longname, O_RDONLY));
    CHECK_RET("name_256_create", open(longname, O_CREAT | O_WRONLY, 0644));
    CHECK_RET("mkdir_256", mkdir(longname, 0755));
    CHECK_RET("name_256_in_missing_dir", mkdir("nope/" "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn", 0755));
    static char path[5000];
    memset(path, 0, sizeof path);
    for (int i = 0; i + 2 < 4095; i += 2) memcpy(path + i, "./", 2);
    path[4094] = 'f';
    CHECK_RET("path_4095", access(path, F_OK));
    memset(path, 0, sizeof path);
    for (int i = 0; i + 2 <= 4096; i += 2) memcpy(path + i, "./", 2);
    path[4096] = 'f';
    CHECK_RET("path_4097", access(path, F_OK));
    /* dirfds */
    int d = open("d", O_RDONLY | O_DIRECTORY);
    int f = open("f", O_RDONLY);
    CHECK_RET("at_dirfd", faccessat(d, "in", F_OK, 0));
    CHECK_RET("at_file_dirfd", faccessat(f, "in", F_OK, 0));
    CHECK_RET("at_bad_dirfd", faccessat(1000, "in", F_OK, 0));
    CHECK_RET("at_negative_dirfd", faccessat(-5, "in", F_OK, 0));
    CHECK_RET("at_bad_dirfd_absolute", faccessat(1000, "/", F_OK, 0));
    CHECK_RET("fstatat_nofollow", fstatat(AT_FDCWD, "l0", &st, AT_SYMLINK_NOFOLLOW));
    FACT_BOOL("fstatat_nofollow_link", S_ISLNK(st.st_mode));
    CHECK_RET("fstatat_empty_dir", fstatat(d, "", &st, AT_EMPTY_PATH));
    FACT_BOOL("fstatat_empty_is_dir", S_ISDIR(st.st_mode));
    CHECK_RET("fstatat_empty_no_flag", fstatat(d, "", &st, 0));
    CHECK_RET("fchownat_nofollow", fchownat(AT_FDCWD, "l0", 0, 0, AT_SYMLINK_NOFOLLOW));
    CHECK_RET("fchownat_bad_flag", fchownat(AT_FDCWD, "l0", 0, 0, 0x4));
    CHECK_RET("faccessat_bad_flag", syscall(SYS_faccessat2, AT_FDCWD, "f", F_OK, 0x1));
    CHECK_RET("faccessat_bad_mode", faccessat(AT_FDCWD, "f", 0x10, 0));
    CHECK_RET("o_nofollow_link", open("l0", O_RDONLY | O_NOFOLLOW));
    CHECK_RET("o_nofollow_dir_link", open("dl", O_RDONLY | O_NOFOLLOW | O_DIRECTORY));
    CHECK_RET("o_directory_file", open("f", O_RDONLY | O_DIRECTORY));
    CHECK_OK("o_directory_link_to_dir", open("dl", O_RDONLY | O_DIRECTORY));
    CHECK_OK("o_path_nofollow_link", open("l0", O_PATH | O_NOFOLLOW));
    CHECK_RET("o_path_directory_file", open("f", O_PATH | O_DIRECTORY));
    CHECK_RET("readlink_file", readlink("f", a, sizeof a));
    memset(a, 0, sizeof a);
    CHECK_RET("readlink_short_buf", readlink("l1", a, 1));
    FACT_STR("readlink_truncated", a);
    CHECK_RET("readlink_zero_buf", readlink("l1", a, 0));
    CHECK_RET("readlink_missing", readlink("nope", a, sizeof a));
    /* absolute symlink targets, relative ones resolve from the link's directory */
    SETUP(symlink("in", "d/rel"));
    CHECK_RET("relative_link_in_subdir", access("d/rel", F_OK));
    SETUP(symlink("../f", "d/up"));
    CHECK_RET("dotdot_link", access("d/up", F_OK));
    SETUP(symlink("", "d/empty") == -1 ? 0 : -1);
    DONE();
}
