/* rename(2): within and across directories, replacing files, dir over empty dir, dir over non-empty ENOTEMPTY, file over dir EISDIR, dir over file ENOTDIR, same inode is a no-op, missing source ENOENT. */
#include "../lib/contract.h"

int main(void)
{
    SETUP(mkdir("a", 0755));
    SETUP(mkdir("b", 0755));
    SETUP(write_file("a/f", "one"));
    CHECK_RET("rename_same_dir", rename("a/f", "a/g"));
    CHECK_RET("old_name_gone", access("a/f", F_OK));
    CHECK_RET("rename_across_dirs", rename("a/g", "b/h"));
    char buf[8] = {0};
    read_file("b/h", buf, sizeof buf);
    FACT_STR("content_moved", buf);
    SETUP(write_file("b/x", "two"));
    CHECK_RET("rename_replace_file", rename("b/x", "b/h"));
    read_file("b/h", buf, sizeof buf);
    FACT_STR("replaced_content", buf);
    SETUP(mkdir("e1", 0755));
    SETUP(mkdir("e2", 0755));
    CHECK_RET("dir_over_empty_dir", rename("e1", "e2"));
    CHECK_RET("dir_over_nonempty_dir", rename("e2", "b"));
    CHECK_RET("file_over_dir", rename("b/h", "e2"));
    CHECK_RET("dir_over_file", rename("e2", "b/h"));
    SETUP(link("b/h", "b/hl"));
    CHECK_RET("rename_hardlink_same_inode", rename("b/h", "b/hl"));
    FACT_BOOL("both_names_remain", access("b/h", F_OK) == 0 && access("b/hl", F_OK) == 0);
    CHECK_RET("rename_to_itself", rename("b/h", "b/h"));
    CHECK_RET("rename_missing", rename("nope", "x"));
    CHECK_RET("rename_into_missing_dir", rename("b/h", "nodir/x"));
    SETUP(symlink("b", "sl"));
    CHECK_RET("rename_symlink_itself", rename("sl", "sl2"));
    struct stat st;
    lstat("sl2", &st);
    FACT_BOOL("symlink_moved_not_target", S_ISLNK(st.st_mode) && access("b", F_OK) == 0);
    int fd = open("b/hl", O_RDONLY);
    CHECK_RET("rename_open_file", rename("b/hl", "moved"));
    memset(buf, 0, sizeof buf);
    read(fd, buf, sizeof buf - 1);
    FACT_STR("open_fd_follows_rename", buf);
    DONE();
}
