/* link(2): st_nlink increments on link and decrements on unlink, both names share the inode and data; linking a directory EPERM, to an existing name EEXIST, from a missing source ENOENT. */
#include "../lib/contract.h"

int main(void)
{
    SETUP(write_file("orig", "shared"));
    struct stat st, st2;
    stat("orig", &st);
    FACT_INT("st_nlink_initial", st.st_nlink);
    CHECK_RET("link", link("orig", "second"));
    stat("orig", &st);
    FACT_INT("st_nlink_after_link", st.st_nlink);
    stat("second", &st2);
    FACT_BOOL("same_inode", st.st_ino == st2.st_ino);
    SETUP(mkdir("sub", 0755));
    CHECK_RET("link_into_subdir", link("orig", "sub/third"));
    stat("orig", &st);
    FACT_INT("st_nlink_three", st.st_nlink);
    int fd = open("second", O_WRONLY | O_APPEND);
    SETUP(write(fd, "+more", 5));
    close(fd);
    char buf[32] = {0};
    read_file("sub/third", buf, sizeof buf);
    FACT_STR("data_shared", buf);
    CHECK_RET("unlink_orig", unlink("orig"));
    stat("second", &st);
    FACT_INT("st_nlink_after_unlink", st.st_nlink);
    CHECK_RET("link_dir", link("sub", "sublink"));
    CHECK_RET("link_existing_target", link("second", "sub/third"));
    CHECK_RET("link_missing_source", link("orig", "x"));
    CHECK_RET("link_into_missing_dir", link("second", "nodir/x"));
    SETUP(symlink("second", "sym"));
    CHECK_RET("link_symlink_nofollow", link("sym", "symhard"));
    lstat("symhard", &st);
    FACT_BOOL("link_does_not_follow_symlink", S_ISLNK(st.st_mode));
    CHECK_RET("linkat_follow", linkat(AT_FDCWD, "sym", AT_FDCWD, "followed", AT_SYMLINK_FOLLOW));
    lstat("followed", &st);
    FACT_BOOL("linkat_follow_is_regular", S_ISREG(st.st_mode));
    stat("second", &st);
    FACT_INT("final_nlink", st.st_nlink);
    DONE();
}
