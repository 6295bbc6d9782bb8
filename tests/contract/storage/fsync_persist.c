/* write(2)+fsync(2)+close(2): data and size persist across reopen through a new open file description, O_TRUNC reopen empties, and a rename after fsync keeps content (the atomic-replace pattern used by package managers). */
#include "../lib/contract.h"

int main(void)
{
    int fd = open("data.tmp", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    SETUP(fd);
    SETUP(write(fd, "version-2\n", 10));
    CHECK_RET("fsync", fsync(fd));
    CHECK_RET("close", close(fd));
    SETUP(write_file("data", "version-1\n"));
    int old = open("data", O_RDONLY);
    CHECK_RET("rename_over", rename("data.tmp", "data"));
    int dfd = open(".", O_RDONLY | O_DIRECTORY);
    CHECK_RET("fsync_dir", fsync(dfd));
    char buf[32] = {0};
    read_file("data", buf, sizeof buf);
    FACT("new_content", "%.9s", buf);
    memset(buf, 0, sizeof buf);
    read(old, buf, sizeof buf - 1);
    FACT("old_fd_content", "%.9s", buf);
    CHECK_RET("tmp_gone", access("data.tmp", F_OK));
    int t = open("data", O_RDWR | O_TRUNC);
    struct stat st;
    fstat(t, &st);
    FACT_INT("size_after_o_trunc", st.st_size);
    DONE();
}
