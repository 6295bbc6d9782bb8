/* dup(2)/dup2(2): lowest free fd, dup2 onto itself returns it, dup2 onto an open fd closes it silently, dups share the file offset. */
#include "../lib/contract.h"

int main(void)
{
    SETUP(write_file("f", "0123456789"));
    int fd = open("f", O_RDONLY);
    SETUP(fd);
    int d = dup(fd);
    FACT_BOOL("dup_is_lowest_free", d == fd + 1);
    CHECK_RET("dup2_same_fd_returns_fd", dup2(fd, fd) == fd ? 1 : 0);
    CHECK_RET("dup2_same_closed_fd", dup2(50, 50));
    CHECK_RET("dup_closed_fd", dup(50));
    CHECK_RET("dup_negative_fd", dup(-1));
    int other = open("/dev/null", O_RDONLY);
    CHECK_RET("dup2_onto_open_fd", dup2(fd, other) == other ? 1 : 0);
    char c = 0;
    SETUP(read(other, &c, 1));
    FACT("dup2_target_reads_file", "%c", c);
    char buf[4] = {0};
    SETUP(read(fd, buf, 3));
    FACT_STR("shared_offset_read", buf);
    FACT_INT("shared_offset_pos_on_dup", lseek(d, 0, SEEK_CUR));
    SETUP(lseek(d, 8, SEEK_SET));
    FACT_INT("lseek_via_dup_moves_orig", lseek(fd, 0, SEEK_CUR));
    close(fd);
    memset(buf, 0, sizeof buf);
    CHECK_RET("dup_survives_close_of_orig", read(d, buf, 2));
    FACT_STR("dup_read_after_close", buf);
    int lo = dup(d);
    FACT_BOOL("dup_reuses_closed_slot", lo == fd);
    CHECK_RET("dup2_huge_newfd", dup2(d, 1 << 30));
    DONE();
}
