/* eventfd(2): writes add to the counter, read returns and resets it, nonblocking read of 0 is EAGAIN, write of 2^64-1 is EINVAL, overflow is EAGAIN, short buffers EINVAL. */
#include "../lib/contract.h"
#include <sys/eventfd.h>
#include <stdint.h>
#include <poll.h>

int main(void)
{
    int fd = eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC);
    SETUP(fd);
    FACT_BOOL("cloexec", fcntl(fd, F_GETFD) & FD_CLOEXEC);
    uint64_t v = 4;
    CHECK_RET("write_4", write(fd, &v, 8));
    v = 0;
    CHECK_RET("read", read(fd, &v, 8));
    FACT_INT("value_initval_plus_4", v);
    CHECK_RET("read_empty", read(fd, &v, 8));
    struct pollfd pf = { fd, POLLIN | POLLOUT, 0 };
    poll(&pf, 1, 0);
    FACT("poll_empty", "0x%x", pf.revents);
    v = 0xffffffffffffffffULL;
    CHECK_RET("write_max_u64", write(fd, &v, 8));
    v = 0xfffffffffffffffeULL;
    CHECK_RET("write_max_minus1", write(fd, &v, 8));
    pf.revents = 0; poll(&pf, 1, 0);
    FACT("poll_full", "0x%x", pf.revents);
    v = 1;
    CHECK_RET("write_overflow", write(fd, &v, 8));
    CHECK_RET("read_short_buf", read(fd, &v, 4));
    CHECK_RET("write_short_buf", write(fd, &v, 4));
    CHECK_RET("read_big_buf", read(fd, &v, 8));
    FACT_BOOL("read_full_value", v == 0xfffffffffffffffeULL);
    CHECK_RET("bad_flags", eventfd(0, 0x1234));
    int efd = eventfd(0, 0);
    CHECK_RET("eventfd_lseek", lseek(efd, 0, SEEK_SET));
    DONE();
}
