/* eventfd(2): a write must be exactly 8 bytes (Linux 6.18 fs/eventfd.c eventfd_write: EINVAL when the count is not sizeof(__u64)); a read of 8 or more bytes returns 8. Found by fuzz/ (events family). */
#include "../lib/contract.h"
#include <stdint.h>
#include <sys/eventfd.h>

int main(void)
{
    char buf[100];
    uint64_t one = 1, got = 0;
    int fd;
    SETUP(fd = eventfd(0, EFD_NONBLOCK));
    memset(buf, 0, sizeof buf);
    memcpy(buf, &one, sizeof one);
    CHECK_RET("write_100", write(fd, buf, 100));
    CHECK_RET("write_9", write(fd, buf, 9));
    CHECK_RET("write_7", write(fd, buf, 7));
    CHECK_RET("write_8", write(fd, &one, 8));
    CHECK_RET("read_100", read(fd, buf, 100));
    memcpy(&got, buf, sizeof got);
    FACT_INT("value", got);
    CHECK_RET("read_7", read(fd, buf, 7));
    DONE();
}
