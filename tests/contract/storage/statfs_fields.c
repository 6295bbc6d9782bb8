/* statfs(2) field sanity on the scratch filesystem: f_bsize/f_frsize > 0, f_bfree <= f_blocks, f_bavail <= f_bfree, f_ffree <= f_files, f_namelen 255; a 1 MiB write does not increase f_bfree; fstatfs == statfs. */
#include "../lib/contract.h"
#include <sys/statfs.h>

int main(void)
{
    struct statfs a, b;
    CHECK_RET("statfs", statfs(".", &a));
    FACT_BOOL("bsize_positive", a.f_bsize > 0);
    FACT_BOOL("frsize_positive", a.f_frsize > 0);
    FACT_BOOL("bfree_le_blocks", a.f_bfree <= a.f_blocks);
    FACT_BOOL("bavail_le_bfree", a.f_bavail <= a.f_bfree);
    FACT_BOOL("ffree_le_files", a.f_ffree <= a.f_files);
    FACT_INT("namelen", a.f_namelen);
    int fd = open("f", O_RDWR | O_CREAT, 0644);
    CHECK_RET("fstatfs", fstatfs(fd, &b));
    FACT_BOOL("fstatfs_same_fs", a.f_type == b.f_type && a.f_blocks == b.f_blocks && a.f_bsize == b.f_bsize);
    static char buf[1 << 20];
    memset(buf, 7, sizeof buf);
    SETUP(write(fd, buf, sizeof buf));
    fsync(fd);
    fstatfs(fd, &b);
    FACT_BOOL("bfree_not_increased_by_write", b.f_bfree <= a.f_bfree + 16);
    DONE();
}
