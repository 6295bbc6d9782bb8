/* readv(2)/writev(2): scatter/gather order, iovcnt 0 returns 0, iovcnt > IOV_MAX is EINVAL, short reads fill iovecs in order. */
#include "../lib/contract.h"
#include <sys/uio.h>
#include <limits.h>

int main(void)
{
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
    SETUP(fd);
    struct iovec w[3] = { { "hello", 5 }, { " ", 1 }, { "world!", 6 } };
    CHECK_RET("writev_total", writev(fd, w, 3));
    CHECK_RET("pos_after_writev", lseek(fd, 0, SEEK_CUR));
    SETUP(lseek(fd, 0, SEEK_SET));
    char a[4] = {0}, b[3] = {0}, c[32] = {0};
    struct iovec r[3] = { { a, 3 }, { b, 2 }, { c, 31 } };
    CHECK_RET("readv_total", readv(fd, r, 3));
    FACT_STR("iov0", a); FACT_STR("iov1", b); FACT_STR("iov2", c);
    CHECK_RET("readv_at_eof", readv(fd, r, 3));
    CHECK_RET("writev_zero_iovcnt", writev(fd, w, 0));
    CHECK_RET("writev_too_many_iov", writev(fd, w, IOV_MAX + 1));
    CHECK_RET("writev_negative_iovcnt", writev(fd, w, -1));
    struct iovec z[2] = { { NULL, 0 }, { "!", 1 } };
    CHECK_RET("writev_zero_len_entry", writev(fd, z, 2));
    CHECK_RET("readv_bad_fd", readv(99, r, 1));
    int p[2];
    SETUP(pipe(p));
    CHECK_RET("writev_pipe", writev(p[1], w, 3));
    memset(a, 0, 4); memset(b, 0, 3); memset(c, 0, 32);
    CHECK_RET("readv_pipe", readv(p[0], r, 3));
    FACT_STR("pipe_iov2", c);
    DONE();
}
