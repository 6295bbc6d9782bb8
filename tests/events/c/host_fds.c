/* poll(2) and epoll(7) on the inherited host fds (fds 0-2, answered by the host): the caller decides what stdin is (argv[1]: "pipe" = a pipe written 200 ms later then closed, "null" = /dev/null, "file" = a regular file); a blocking wait wakes when the host fd becomes readable and sees the hang-up; epoll refuses what the host refuses (EPERM). */
#include "../../contract/lib/contract.h"
#include <poll.h>
#include <sys/epoll.h>

int main(int argc, char **argv)
{
    const char *kind = argc > 1 ? argv[1] : "pipe";
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 7 }, out[2];
    CHECK_RET("epoll_add_stdin", epoll_ctl(ep, EPOLL_CTL_ADD, 0, &ev));
    struct pollfd pf = { 0, POLLIN, 0 };
    if (!strcmp(kind, "pipe")) {
        CHECK_RET("poll_empty_pipe", poll(&pf, 1, 0));
        CHECK_RET("epoll_empty_pipe", epoll_wait(ep, out, 2, 0));
        long t0 = mono_ms();
        CHECK_RET("epoll_wakes_on_data", epoll_wait(ep, out, 2, 5000));
        FACT_BOOL("waited_for_data", mono_ms() - t0 >= 100);
        FACT_INT("epoll_data", out[0].data.u32);
        CHECK_RET("poll_ready", poll(&pf, 1, 0));
        FACT("poll_revents", "0x%x", pf.revents);
        char buf[64];
        CHECK_RET("read_data", read(0, buf, sizeof buf));
        CHECK_RET("epoll_after_drain", epoll_wait(ep, out, 2, 0));
        pf.revents = 0;
        CHECK_RET("poll_until_hangup", poll(&pf, 1, 5000));
        FACT("hangup_revents", "0x%x", pf.revents);
        CHECK_RET("epoll_hangup", epoll_wait(ep, out, 2, 0));
        FACT("epoll_hangup_events", "0x%x", out[0].events);
    } else {
        CHECK_RET("poll_stdin", poll(&pf, 1, 0));
        FACT("poll_stdin_revents", "0x%x", pf.revents);
        pf.events = POLLIN | POLLOUT;
        CHECK_RET("poll_stdin_inout", poll(&pf, 1, 0));
        FACT("poll_stdin_inout_revents", "0x%x", pf.revents);
    }
    struct pollfd po = { 1, POLLOUT, 0 };
    CHECK_RET("poll_stdout_writable", poll(&po, 1, 1000));
    FACT("stdout_revents", "0x%x", po.revents);
    DONE();
}
