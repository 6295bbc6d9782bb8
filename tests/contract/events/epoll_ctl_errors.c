/* epoll_ctl(2)/epoll_create(2)/epoll_wait(2) error paths: EEXIST, ENOENT, EINVAL (self add, non-epoll epfd, bad sizes/flags), EPERM (regular file), EBADF. */
#include "../lib/contract.h"
#include <sys/epoll.h>
#include <sys/syscall.h>

int main(void)
{
    int p[2];
    SETUP(pipe(p));
    int ep = epoll_create1(EPOLL_CLOEXEC);
    SETUP(ep);
    FACT_BOOL("epoll_cloexec", fcntl(ep, F_GETFD) & FD_CLOEXEC);
    struct epoll_event ev = { .events = EPOLLIN }, out[1];
    CHECK_RET("add", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    CHECK_RET("add_twice", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    CHECK_RET("mod_unregistered", epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &ev));
    CHECK_RET("del_unregistered", epoll_ctl(ep, EPOLL_CTL_DEL, p[1], &ev));
    CHECK_RET("add_self", epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev));
    SETUP(write_file("f", "x"));
    int f = open("f", O_RDONLY);
    CHECK_RET("add_regular_file", epoll_ctl(ep, EPOLL_CTL_ADD, f, &ev));
    CHECK_RET("add_bad_fd", epoll_ctl(ep, EPOLL_CTL_ADD, 99, &ev));
    CHECK_RET("bad_epfd", epoll_ctl(99, EPOLL_CTL_ADD, p[0], &ev));
    CHECK_RET("epfd_not_epoll", epoll_ctl(p[1], EPOLL_CTL_ADD, p[0], &ev));
    CHECK_RET("bad_op", epoll_ctl(ep, 42, p[0], &ev));
    CHECK_RET("del_ok", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
    CHECK_RET("create_size0", syscall(SYS_epoll_create, 0));
    CHECK_RET("create_size_neg", syscall(SYS_epoll_create, -1));
    CHECK_OK("create_size1", syscall(SYS_epoll_create, 1));
    CHECK_RET("create1_bad_flags", epoll_create1(1));
    CHECK_RET("wait_maxevents0", epoll_wait(ep, out, 0, 0));
    CHECK_RET("wait_maxevents_neg", epoll_wait(ep, out, -1, 0));
    CHECK_RET("wait_not_epoll", epoll_wait(p[0], out, 1, 0));
    CHECK_RET("wait_bad_fd", epoll_wait(99, out, 1, 0));
    struct epoll_event ex = { .events = EPOLLIN | EPOLLEXCLUSIVE };
    CHECK_RET("exclusive_add", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ex));
    CHECK_RET("exclusive_mod", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ex));
    DONE();
}
