/* statfs(2)/fstatfs(2): /proc is PROC_SUPER_MAGIC, fstatfs agrees with statfs on the same fs, sane field relations; ENOENT/ENOTDIR errors. (The cwd fs type is host-dependent and not printed.) */
#include "../lib/contract.h"
#include <sys/statfs.h>

int main(void)
{
    struct statfs a, b;
    CHECK_RET("statfs_proc", statfs("/proc", &a));
    FACT("proc_f_type", "0x%lx", (unsigned long)a.f_type);
    CHECK_RET("statfs_cwd", statfs(".", &a));
    SETUP(write_file("f", "x"));
    int fd = open("f", O_RDONLY);
    CHECK_RET("fstatfs", fstatfs(fd, &b));
    FACT_BOOL("fstatfs_same_type", a.f_type == b.f_type);
    FACT_BOOL("bsize_positive", a.f_bsize > 0);
    FACT_BOOL("bfree_le_blocks", a.f_bfree <= a.f_blocks);
    FACT_BOOL("bavail_le_bfree", a.f_bavail <= a.f_bfree);
    FACT_BOOL("namelen_255", a.f_namelen == 255);
    CHECK_RET("statfs_missing", statfs("nope", &a));
    CHECK_RET("statfs_notdir", statfs("f/x", &a));
    CHECK_RET("fstatfs_bad_fd", fstatfs(99, &a));
    CHECK_RET("statfs_dev", statfs("/dev/null", &a));
    DONE();
}
