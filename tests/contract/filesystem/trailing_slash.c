/* path_resolution(7) trailing slashes: "file/" is ENOTDIR, "dir/" works for stat/mkdir/rmdir/rename, a symlink to a dir with "/" is followed, unlink("dir/") is EISDIR. */
#include "../lib/contract.h"

int main(void)
{
    SETUP(write_file("file", "x"));
    SETUP(mkdir("dir", 0755));
    SETUP(symlink("dir", "dlink"));
    SETUP(symlink("file", "flink"));
    struct stat st;
    CHECK_RET("stat_file_slash", stat("file/", &st));
    CHECK_RET("open_file_slash", open("file/", O_RDONLY));
    CHECK_RET("creat_slash", open("newfile/", O_CREAT | O_WRONLY, 0644));
    CHECK_RET("stat_dir_slash", stat("dir/", &st));
    CHECK_RET("mkdir_with_slash", mkdir("d2/", 0755));
    CHECK_RET("rmdir_with_slash", rmdir("d2/"));
    CHECK_RET("lstat_dlink_slash_follows", lstat("dlink/", &st));
    FACT_BOOL("dlink_slash_is_dir", S_ISDIR(st.st_mode));
    CHECK_RET("stat_flink_slash", stat("flink/", &st));
    CHECK_RET("unlink_dir_slash", unlink("dir/"));
    CHECK_RET("unlink_file_slash", unlink("file/"));
    CHECK_RET("rename_file_to_slash", rename("file", "other/"));
    CHECK_RET("rename_file_slash_src", rename("file/", "other"));
    CHECK_RET("rename_dir_slash", rename("dir/", "dir2/"));
    CHECK_RET("stat_renamed", stat("dir2", &st));
    CHECK_RET("rmdir_symlink_slash", rmdir("dlink/"));
    CHECK_RET("double_slash", stat("dir2//", &st));
    CHECK_RET("dot_slash_prefix", stat("./file", &st));
    DONE();
}
