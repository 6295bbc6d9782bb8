/* eventfd(2) EFD_SEMAPHORE: each read returns 1 and decrements the counter by 1 until it is 0 (then EAGAIN with EFD_NONBLOCK). */
#include "../lib/contract.h"
#include <sys/eventfd.h>
#include <stdint.h>

int main(void)
{
    int fd = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
    SETUP(fd);
    uint64_t v = 1;
    SETUP(write(fd, &v, 8));
    for (int i = 0; i < 4; i++) {
        char key[32];
        snprintf(key, sizeof key, "read%d", i);
        v = 99;
        errno = 0;
        long r = read(fd, &v, 8);
        if (r < 0) FACT_ERRNO(key, errno); else FACT_INT(key, v);
    }
    DONE();
}
