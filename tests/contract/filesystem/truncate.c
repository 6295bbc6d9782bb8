/* truncate(2)/ftruncate(2): growing zero-fills, shrinking discards, the file offset is unchanged; negative length EINVAL, directory EISDIR, fd not open for writing EINVAL (ftruncate) / EBADF. */
#include "../lib/contract.h"

int main(void)
{
    SETUP(write_file("f", "abcdef"));
    CHECK_RET("truncate_grow", truncate("f", 12));
    char buf[32];
    memset(buf, 'q', sizeof buf);
    int fd = open("f", O_RDWR);
    CHECK_RET("read_grown", read(fd, buf, sizeof buf));
    FACT_BOOL("grown_prefix_kept", memcmp(buf, "abcdef", 6) == 0);
    int z = 1;
    for (int i = 6; i < 12; i++) if (buf[i]) z = 0;
    FACT_BOOL("zero_filled", z);
    CHECK_RET("ftruncate_shrink", ftruncate(fd, 3));
    FACT_INT("offset_unchanged", lseek(fd, 0, SEEK_CUR));
    struct stat st;
    fstat(fd, &st);
    FACT_INT("size_after_shrink", st.st_size);
    CHECK_RET("write_past_end", write(fd, "Z", 1));
    fstat(fd, &st);
    FACT_INT("size_after_write_at_12", st.st_size);
    memset(buf, 'q', sizeof buf);
    pread(fd, buf, sizeof buf, 0);
    FACT_BOOL("gap_is_zero", buf[3] == 0 && buf[11] == 0 && buf[12] == 'Z');
    CHECK_RET("shrink_then_grow", (ftruncate(fd, 1), ftruncate(fd, 4)));
    pread(fd, buf, 4, 0);
    FACT_BOOL("old_data_not_resurrected", buf[0] == 'a' && buf[1] == 0 && buf[2] == 0);
    CHECK_RET("negative_length", truncate("f", -1));
    CHECK_RET("ftruncate_negative", ftruncate(fd, -1));
    SETUP(mkdir("d", 0755));
    CHECK_RET("truncate_dir", truncate("d", 0));
    int ro = open("f", O_RDONLY);
    CHECK_RET("ftruncate_rdonly", ftruncate(ro, 0));
    CHECK_RET("truncate_missing", truncate("nope", 0));
    int p[2];
    SETUP(pipe(p));
    CHECK_RET("ftruncate_pipe", ftruncate(p[1], 0));
    DONE();
}
