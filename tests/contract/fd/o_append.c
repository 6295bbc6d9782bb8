/* open(2) O_APPEND: every write goes to EOF regardless of lseek; on Linux pwrite(2) on an O_APPEND fd also appends (documented BUGS). */
#include "../lib/contract.h"

int main(void)
{
    SETUP(write_file("f", "abc"));
    int fd = open("f", O_RDWR | O_APPEND);
    SETUP(fd);
    SETUP(lseek(fd, 0, SEEK_SET));
    CHECK_RET("write_ret", write(fd, "XY", 2));
    CHECK_RET("pos_after_append", lseek(fd, 0, SEEK_CUR));
    CHECK_RET("pwrite_ret", pwrite(fd, "Z", 1, 0));
    char buf[16] = {0};
    SETUP(pread(fd, buf, sizeof buf - 1, 0));
    FACT_STR("content", buf);
    int fd2 = open("f", O_WRONLY | O_APPEND);
    SETUP(write(fd2, "1", 1));
    SETUP(write(fd, "2", 1));
    SETUP(write(fd2, "3", 1));
    memset(buf, 0, sizeof buf);
    SETUP(pread(fd, buf, sizeof buf - 1, 0));
    FACT_STR("two_appenders_interleave", buf);
    /* reading through the O_APPEND fd uses the normal position */
    SETUP(lseek(fd, 1, SEEK_SET));
    char c = 0;
    SETUP(read(fd, &c, 1));
    FACT("read_at_pos1", "%c", c);
    DONE();
}
