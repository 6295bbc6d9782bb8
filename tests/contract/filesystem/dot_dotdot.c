/* path_resolution(7): "." and ".." resolve to the expected directories ("sub/.." is cwd), "/.." is "/", and repeated slashes collapse. */
#include "../lib/contract.h"

static int same(const char *a, const char *b)
{
    struct stat x, y;
    if (stat(a, &x) || stat(b, &y)) return -1;
    return x.st_ino == y.st_ino && x.st_dev == y.st_dev;
}

int main(void)
{
    SETUP(mkdir("sub", 0755));
    SETUP(mkdir("sub/inner", 0755));
    FACT_INT("sub_dotdot_is_cwd", same("sub/..", "."));
    FACT_INT("inner_dotdot_dotdot_is_cwd", same("sub/inner/../..", "."));
    FACT_INT("dot_dot_dot", same("./././sub", "sub"));
    FACT_INT("root_dotdot_is_root", same("/..", "/"));
    FACT_INT("root_many_dotdot", same("/../../..", "/"));
    FACT_INT("multi_slash", same("sub//inner///", "sub/inner"));
    FACT_INT("abs_double_slash_root", same("//", "/"));
    SETUP(symlink("sub/inner", "lnk"));
    FACT_INT("symlink_dotdot_is_physical_parent", same("lnk/..", "sub"));
    DONE();
}
