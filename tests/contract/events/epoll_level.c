/* epoll(7) level-triggered: epoll_wait with a positive timeout blocks until a forked child writes to a pipe, and keeps reporting while data remains. */
#include "../lib/contract.h"
#include <sys/epoll.h>
#include <sys/wait.h>

int main(void)
{
    int p[2];
    SETUP(pipe(p));
    int ep = epoll_create1(0);
    SETUP(ep);
    struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0x1122334455667788ULL }, out[4];
    SETUP(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    CHECK_RET("wait_empty_zero_timeout", epoll_wait(ep, out, 4, 0));
    long t0 = mono_ms();
    CHECK_RET("wait_empty_20ms_timeout", epoll_wait(ep, out, 4, 20));
    FACT_BOOL("timeout_elapsed_ge_15ms", mono_ms() - t0 >= 15);
    pid_t c = fork();
    if (c == 0) { sleep_ms(50); write(p[1], "abcd", 4); _exit(0); }
    t0 = mono_ms();
    CHECK_RET("wait_wakes_on_write", epoll_wait(ep, out, 4, 2000));
    long el = mono_ms() - t0;
    FACT_BOOL("woke_after_ge_30ms", el >= 30);
    FACT_BOOL("woke_before_timeout", el < 1500);
    FACT_BOOL("events_pollin", out[0].events == EPOLLIN);
    FACT_BOOL("data_u64_roundtrip", out[0].data.u64 == 0x1122334455667788ULL);
    char b[2];
    SETUP(read(p[0], b, 2));
    CHECK_RET("level_refires_with_data_left", epoll_wait(ep, out, 4, 0));
    SETUP(read(p[0], b, 2));
    CHECK_RET("no_event_when_drained", epoll_wait(ep, out, 4, 0));
    waitpid(c, NULL, 0);
    DONE();
}
