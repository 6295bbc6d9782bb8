/* A guest that waits forever (argv[1] picks how: epoll_wait(-1) on an eventfd, a
   signalfd, stdin and a far timerfd; poll(-1); ppoll with a sigmask; select with a long
   timeout; a blocking signalfd read); it prints "waiting" first. Used to measure the
   tracer's CPU time while nothing happens. */
#include "../../contract/lib/contract.h"
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

int main(int argc, char **argv)
{
    const char *how = argc > 1 ? argv[1] : "epoll";
    sigset_t m;
    sigemptyset(&m); sigaddset(&m, SIGUSR1);
    sigprocmask(SIG_BLOCK, &m, NULL);
    int efd = eventfd(0, 0), sfd = signalfd(-1, &m, 0);
    int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
    struct itimerspec far = { { 0, 0 }, { 3600, 0 } };
    timerfd_settime(tfd, 0, &far, NULL);
    int ep = epoll_create1(0);
    int fds[4] = { efd, sfd, 0, tfd };
    for (int i = 0; i < 4; i++) {
        struct epoll_event ev = { .events = EPOLLIN };
        epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev);
    }
    struct epoll_event out[4];
    struct pollfd pf[2] = { { efd, POLLIN, 0 }, { sfd, POLLIN, 0 } };
    printf("waiting\n");
    fflush(stdout);
    if (!strcmp(how, "epoll")) epoll_wait(ep, out, 4, -1);
    else if (!strcmp(how, "poll")) poll(pf, 2, -1);
    else if (!strcmp(how, "ppoll")) { sigset_t none; sigemptyset(&none); ppoll(pf, 2, NULL, &none); }
    else if (!strcmp(how, "select")) {
        fd_set r; FD_ZERO(&r); FD_SET(efd, &r); FD_SET(sfd, &r);
        struct timeval tv = { 3600, 0 };
        select(sfd + 1, &r, NULL, NULL, &tv);
    } else if (!strcmp(how, "signalfd")) { struct signalfd_siginfo si; read(sfd, &si, sizeof si); }
    return 0;
}
