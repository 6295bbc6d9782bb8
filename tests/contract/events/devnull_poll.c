/* poll(2)/epoll(7) on character devices: /dev/null and /dev/zero are always POLLIN|POLLOUT; /dev/null can be added to epoll and reports EPOLLIN|EPOLLOUT. */
#include "../lib/contract.h"
#include <poll.h>
#include <sys/epoll.h>

int main(void)
{
    int n = open("/dev/null", O_RDWR), z = open("/dev/zero", O_RDWR), u = open("/dev/urandom", O_RDONLY);
    SETUP(n); SETUP(z); SETUP(u);
    struct pollfd pf[3] = { { n, POLLIN | POLLOUT, 0 }, { z, POLLIN | POLLOUT, 0 }, { u, POLLIN, 0 } };
    CHECK_RET("poll_ret", poll(pf, 3, 0));
    FACT("null", "0x%x", pf[0].revents);
    FACT("zero", "0x%x", pf[1].revents);
    FACT("urandom_in", "0x%x", pf[2].revents);
    struct pollfd only_in = { n, POLLIN, 0 };
    poll(&only_in, 1, 0);
    FACT("null_only_pollin", "0x%x", only_in.revents);
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT }, out[1];
    CHECK_RET("epoll_add_null", epoll_ctl(ep, EPOLL_CTL_ADD, n, &ev));
    /* /dev/null has no poll method: poll() uses DEFAULT_POLLMASK, epoll refuses it */
    CHECK_RET("epoll_wait_null", epoll_wait(ep, out, 1, 0));
    DONE();
}
