/* rename(2): moving a directory into its own subtree is EINVAL; renaming "." or ".." is EBUSY/EINVAL family; renaming a dir updates ".." of the moved dir and parent link counts. */
#include "../lib/contract.h"

int main(void)
{
    SETUP(mkdir("top", 0755));
    SETUP(mkdir("top/mid", 0755));
    SETUP(mkdir("other", 0755));
    CHECK_RET("into_own_child", rename("top", "top/mid/top"));
    CHECK_RET("into_itself", rename("top", "top/x"));
    CHECK_RET("rename_dot", rename(".", "x"));
    CHECK_RET("rename_dotdot_src", rename("top/..", "x"));
    CHECK_RET("rename_to_dot", rename("other", "top/."));
    struct stat s1, s2;
    stat("top", &s1);
    FACT_INT("top_nlink_before", s1.st_nlink);
    CHECK_RET("move_mid_to_other", rename("top/mid", "other/mid"));
    stat("top", &s1);
    FACT_INT("top_nlink_after", s1.st_nlink);
    stat("other", &s2);
    FACT_INT("other_nlink_after", s2.st_nlink);
    stat("other/mid/..", &s1);
    FACT_BOOL("dotdot_updated", s1.st_ino == s2.st_ino && s1.st_dev == s2.st_dev);
    DONE();
}
