/* lseek(2) SEEK_DATA/SEEK_HOLE: data at 0, a hole after the first 4 KiB block, data again at 1 MiB, implicit hole at EOF, ENXIO at/after EOF. Page/block granular on tmpfs and ext4. */
#include "../lib/contract.h"

int main(void)
{
    int fd = open("sparse", O_RDWR | O_CREAT | O_TRUNC, 0644);
    SETUP(fd);
    char blk[4096];
    memset(blk, 'D', sizeof blk);
    SETUP(pwrite(fd, blk, sizeof blk, 0));
    SETUP(pwrite(fd, blk, sizeof blk, 1 << 20));
    fsync(fd);
    struct stat st;
    fstat(fd, &st);
    FACT_INT("size", st.st_size);
    FACT_BOOL("sparse_blocks_lt_size", st.st_blocks * 512 < st.st_size);
    CHECK_RET("data_from_0", lseek(fd, 0, SEEK_DATA));
    CHECK_RET("hole_from_0", lseek(fd, 0, SEEK_HOLE));
    CHECK_RET("data_from_8192", lseek(fd, 8192, SEEK_DATA));
    CHECK_RET("hole_from_1m", lseek(fd, 1 << 20, SEEK_HOLE));
    CHECK_RET("data_at_eof", lseek(fd, st.st_size, SEEK_DATA));
    CHECK_RET("hole_at_eof", lseek(fd, st.st_size, SEEK_HOLE));
    CHECK_RET("data_past_eof", lseek(fd, st.st_size + 10, SEEK_DATA));
    CHECK_RET("hole_negative", lseek(fd, -1, SEEK_HOLE));
    char c = 1;
    pread(fd, &c, 1, 500000);
    FACT_INT("hole_reads_zero", c);
    int e = open("empty", O_RDWR | O_CREAT, 0644);
    CHECK_RET("empty_data", lseek(e, 0, SEEK_DATA));
    CHECK_RET("empty_hole", lseek(e, 0, SEEK_HOLE));
    DONE();
}
