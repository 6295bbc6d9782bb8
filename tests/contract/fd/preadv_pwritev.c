/* pread(2)/pwrite(2)/preadv(2)/pwritev(2): explicit offsets, the file position is not changed, negative offset is EINVAL, pwrite past EOF leaves a zero hole. */
#include "../lib/contract.h"
#include <sys/uio.h>

int main(void)
{
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
    SETUP(fd);
    SETUP(write(fd, "0123456789", 10));
    SETUP(lseek(fd, 2, SEEK_SET));
    char buf[16] = {0};
    CHECK_RET("pread_ret", pread(fd, buf, 4, 5));
    FACT_STR("pread_data", buf);
    CHECK_RET("pos_after_pread", lseek(fd, 0, SEEK_CUR));
    CHECK_RET("pwrite_ret", pwrite(fd, "AB", 2, 1));
    CHECK_RET("pos_after_pwrite", lseek(fd, 0, SEEK_CUR));
    struct iovec w[2] = { { "xx", 2 }, { "yy", 2 } };
    CHECK_RET("pwritev_ret", pwritev(fd, w, 2, 6));
    CHECK_RET("pos_after_pwritev", lseek(fd, 0, SEEK_CUR));
    char a[3] = {0}, b[9] = {0};
    struct iovec r[2] = { { a, 2 }, { b, 8 } };
    CHECK_RET("preadv_ret", preadv(fd, r, 2, 0));
    FACT_STR("preadv_a", a); FACT_STR("preadv_b", b);
    CHECK_RET("pread_past_eof", pread(fd, buf, 4, 100));
    CHECK_RET("pread_negative_offset", pread(fd, buf, 4, -1));
    CHECK_RET("pwrite_negative_offset", pwrite(fd, buf, 1, -5));
    CHECK_RET("pwrite_hole", pwrite(fd, "E", 1, 14));
    memset(buf, 'q', sizeof buf);
    CHECK_RET("pread_hole", pread(fd, buf, 5, 10));
    FACT_BOOL("hole_zero_filled", buf[0] == 0 && buf[3] == 0 && buf[4] == 'E');
    struct stat st;
    fstat(fd, &st);
    FACT_INT("size", st.st_size);
    DONE();
}
