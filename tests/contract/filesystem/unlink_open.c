/* unlink(2): an open file stays readable and writable after its last name is removed; fstat shows st_nlink 0; the name is gone (ENOENT); unlink of a directory is EISDIR. */
#include "../lib/contract.h"

int main(void)
{
    SETUP(write_file("f", "still here"));
    int fd = open("f", O_RDWR);
    SETUP(fd);
    CHECK_RET("unlink", unlink("f"));
    struct stat st;
    CHECK_RET("stat_name_gone", stat("f", &st));
    fstat(fd, &st);
    FACT_INT("fstat_nlink", st.st_nlink);
    FACT_INT("fstat_size", st.st_size);
    char buf[32] = {0};
    CHECK_RET("read_after_unlink", read(fd, buf, sizeof buf - 1));
    FACT_STR("data", buf);
    CHECK_RET("write_after_unlink", write(fd, "!", 1));
    fstat(fd, &st);
    FACT_INT("size_after_write", st.st_size);
    int again = open("f", O_RDWR | O_CREAT | O_EXCL, 0644);
    FACT_BOOL("recreate_name", again >= 0);
    fstat(again, &st);
    FACT_INT("new_file_size", st.st_size);
    SETUP(mkdir("d", 0755));
    CHECK_RET("unlink_dir", unlink("d"));
    CHECK_RET("unlink_missing", unlink("nope"));
    CHECK_RET("unlink_dot", unlink("."));
    DONE();
}
