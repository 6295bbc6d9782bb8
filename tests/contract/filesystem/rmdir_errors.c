/* rmdir(2): non-empty ENOTEMPTY, file ENOTDIR, "." EINVAL, ".." ENOTEMPTY, missing ENOENT, symlink to dir ENOTDIR, empty dir succeeds; mkdir errors EEXIST/ENOENT. */
#include "../lib/contract.h"

int main(void)
{
    SETUP(mkdir("full", 0755));
    SETUP(write_file("full/f", "x"));
    SETUP(mkdir("empty", 0755));
    SETUP(write_file("file", "x"));
    SETUP(symlink("empty", "elink"));
    CHECK_RET("rmdir_nonempty", rmdir("full"));
    CHECK_RET("rmdir_file", rmdir("file"));
    CHECK_RET("rmdir_dot", rmdir("empty/."));
    CHECK_RET("rmdir_dotdot", rmdir("empty/.."));
    CHECK_RET("rmdir_missing", rmdir("nope"));
    CHECK_RET("rmdir_symlink", rmdir("elink"));
    CHECK_RET("rmdir_empty", rmdir("empty"));
    CHECK_RET("mkdir_existing_dir", mkdir("full", 0755));
    CHECK_RET("mkdir_existing_file", mkdir("file", 0755));
    CHECK_RET("mkdir_over_dangling_symlink", mkdir("elink", 0755));
    CHECK_RET("mkdir_missing_parent", mkdir("a/b", 0755));
    CHECK_RET("mkdir_dot", mkdir(".", 0755));
    CHECK_RET("rmdir_cwd_dot", rmdir("."));
    DONE();
}
