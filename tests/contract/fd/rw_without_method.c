/* fs/read_write.c: a file whose type has no read (write) method lacks FMODE_CAN_READ
 * (FMODE_CAN_WRITE): read/readv/pread and write/writev are EINVAL even for zero bytes and
 * bad buffers (the check comes before access_ok); files with the method answer zero-byte
 * calls with 0 or their own rule. Found by make fuzz: readv(epoll_fd, buf, 0) was 0. */
#include "../lib/contract.h"
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/uio.h>

static void probe(const char *name, int fd)
{
    char key[64], buf[16];
    struct iovec iov = {buf, 0};
    snprintf(key, sizeof key, "%s_read0", name);
    CHECK_RET(key, read(fd, buf, 0));
    snprintf(key, sizeof key, "%s_read_badbuf", name);
    CHECK_RET(key, read(fd, (void *)8, 8));
    snprintf(key, sizeof key, "%s_readv0", name);
    CHECK_RET(key, readv(fd, &iov, 0));
    snprintf(key, sizeof key, "%s_readv_empty_iov", name);
    CHECK_RET(key, readv(fd, &iov, 1));
    snprintf(key, sizeof key, "%s_readv_bad_iov", name);
    CHECK_RET(key, readv(fd, (void *)8, 1));
    snprintf(key, sizeof key, "%s_write0", name);
    CHECK_RET(key, write(fd, buf, 0));
    snprintf(key, sizeof key, "%s_writev0", name);
    CHECK_RET(key, writev(fd, &iov, 0));
    snprintf(key, sizeof key, "%s_writev_bad_iov", name);
    CHECK_RET(key, writev(fd, (void *)8, 1));
}

int main(void)
{
    probe("epoll", epoll_create1(EPOLL_CLOEXEC));
    probe("inotify", inotify_init1(IN_NONBLOCK));
    probe("eventfd", eventfd(0, EFD_NONBLOCK));
    int p[2];
    SETUP(pipe2(p, O_NONBLOCK));
    probe("pipe_read_end", p[0]);
    probe("pipe_write_end", p[1]);
    DONE();
}
