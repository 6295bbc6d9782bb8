/* signalfd(2) and SIGCHLD from an orphan: a subreaper that blocks SIGCHLD reads, through a signalfd it waits on with epoll, the exit of a grandchild reparented to it (ssi_pid the grandchild, CLD_EXITED, its status), then reaps it. */
#include "../../contract/lib/contract.h"
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

int main(void)
{
    SETUP(prctl(PR_SET_CHILD_SUBREAPER, 1));
    sigset_t m;
    sigemptyset(&m); sigaddset(&m, SIGCHLD);
    SETUP(sigprocmask(SIG_BLOCK, &m, NULL));
    int sfd = signalfd(-1, &m, SFD_NONBLOCK);
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN }, out[1];
    SETUP(epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev));
    int p[2];
    SETUP(pipe(p));
    pid_t child = fork();
    if (child == 0) {
        pid_t grandchild = fork();
        if (grandchild == 0) { sleep_ms(80); _exit(9); }
        write(p[1], &grandchild, sizeof grandchild);
        _exit(3);
    }
    pid_t grandchild = 0;
    SETUP(read(p[0], &grandchild, sizeof grandchild));
    struct signalfd_siginfo si;
    CHECK_RET("epoll_child_exit", epoll_wait(ep, out, 1, 5000));
    CHECK_RET("read_child", read(sfd, &si, sizeof si));
    FACT_BOOL("child_pid", si.ssi_pid == (unsigned)child);
    FACT_INT("child_status", si.ssi_status);
    int st;
    SETUP(waitpid(child, &st, 0));
    CHECK_RET("epoll_grandchild_exit", epoll_wait(ep, out, 1, 5000));
    CHECK_RET("read_grandchild", read(sfd, &si, sizeof si));
    FACT_INT("gc_signo", si.ssi_signo);
    FACT_INT("gc_code", si.ssi_code);
    FACT_INT("gc_status", si.ssi_status);
    FACT_BOOL("gc_pid", si.ssi_pid == (unsigned)grandchild);
    CHECK_RET("reap_grandchild", waitpid(grandchild, &st, 0) == grandchild ? 0 : -1);
    FACT_INT("gc_exit", WEXITSTATUS(st));
    CHECK_RET("nothing_more", read(sfd, &si, sizeof si));
    DONE();
}
