/* epoll_ctl(2) on procfs and sysfs files: files at the top of /proc and under /proc/sys
 * can be watched (default poll mask), a process's mounts file is readable, its other
 * files have no poll method (EPERM; poll(2) then reports them always ready), sysfs
 * attributes report POLLERR|POLLPRI too. */
#include "../lib/contract.h"
#include <poll.h>
#include <sys/epoll.h>

int main(void)
{
    const char *paths[] = {"/proc/meminfo", "/proc/uptime", "/proc/sys/kernel/hostname",
                           "/proc/self/status", "/proc/self/maps", "/proc/self/mounts",
                           "/proc/mounts", "/sys/devices/system/cpu/online", 0};
    int ep = epoll_create1(0);
    for (int i = 0; paths[i]; i++) {
        int fd = open(paths[i], O_RDONLY);
        struct epoll_event e = {.events = EPOLLIN | EPOLLOUT | EPOLLPRI};
        char key[96];
        snprintf(key, sizeof key, "add_%s", paths[i]);
        CHECK_RET(key, epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e));
        struct epoll_event out = {0};
        int n = epoll_wait(ep, &out, 1, 0);
        snprintf(key, sizeof key, "events_%s", paths[i]);
        FACT(key, "0x%x", n > 0 ? out.events : 0);
        epoll_ctl(ep, EPOLL_CTL_DEL, fd, 0);
        struct pollfd p = {fd, POLLIN | POLLOUT | POLLPRI, 0};  /* poll never refuses */
        snprintf(key, sizeof key, "poll_%s", paths[i]);
        int ready = poll(&p, 1, 0);
        FACT(key, "%d/0x%x", ready, p.revents);
        close(fd);
    }
    DONE();
}
