/* Large offsets (LFS is native on 64-bit): pwrite at 4 GiB + 1 makes a sparse file of size 4 GiB + 2 that reads back zeros before the byte; lseek to 8 GiB works; ftruncate back to 0. */
#include "../lib/contract.h"

int main(void)
{
    int fd = open("sparse", O_RDWR | O_CREAT | O_TRUNC, 0644);
    SETUP(fd);
    off_t big = (1LL << 32) + 1;
    CHECK_RET("pwrite_4g", pwrite(fd, "Z", 1, big));
    struct stat st;
    fstat(fd, &st);
    FACT_BOOL("size_4g_plus_2", st.st_size == big + 1);
    FACT_BOOL("sparse_blocks_small", st.st_blocks < 1024);
    char b[2] = { 1, 1 };
    CHECK_RET("pread_before", pread(fd, b, 2, big - 1));
    FACT_BOOL("zero_then_byte", b[0] == 0 && b[1] == 'Z');
    FACT_BOOL("lseek_8g", lseek(fd, 1LL << 33, SEEK_SET) == 1LL << 33);
    CHECK_RET("read_past_eof", read(fd, b, 1));
    CHECK_RET("ftruncate_0", ftruncate(fd, 0));
    fstat(fd, &st);
    FACT_INT("size_after_truncate", st.st_size);
    DONE();
}
