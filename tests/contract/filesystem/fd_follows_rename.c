/* vfs: an open directory fd keeps working after the directory is renamed (openat relative to it), /proc/self/fd shows the new path, and a replaced file keeps its old contents through an existing fd. */
#include "../lib/contract.h"

int main(void)
{
    SETUP(mkdir("old", 0755));
    SETUP(write_file("old/f", "inside"));
    int d = open("old", O_RDONLY | O_DIRECTORY);
    SETUP(rename("old", "new"));
    int f = openat(d, "f", O_RDONLY);
    char buf[16] = {0};
    read(f, buf, sizeof buf - 1);
    FACT_STR("openat_after_rename", buf);
    char p[64], link[4096] = {0};
    snprintf(p, sizeof p, "/proc/self/fd/%d", d);
    readlink(p, link, sizeof link - 1);
    const char *t = strrchr(link, '/');
    FACT_STR("proc_fd_tail", t ? t + 1 : link);
    SETUP(write_file("a", "old-contents"));
    int fa = open("a", O_RDONLY);
    SETUP(write_file("b", "new"));
    SETUP(rename("b", "a"));
    memset(buf, 0, sizeof buf);
    read(fa, buf, sizeof buf - 1);
    FACT_STR("replaced_file_old_fd", buf);
    memset(buf, 0, sizeof buf);
    read_file("a", buf, sizeof buf);
    FACT_STR("replaced_file_by_name", buf);
    struct stat st;
    fstat(fa, &st);
    FACT_INT("old_inode_nlink", st.st_nlink);
    DONE();
}
