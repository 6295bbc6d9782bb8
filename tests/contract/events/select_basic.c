/* select(2): a zero timeout still polls the fds once (a readable pipe is reported); Linux writes back the remaining timeout; EBADF for a closed fd in a set, EINVAL for nfds<0. */
#include "../lib/contract.h"
#include <sys/select.h>
#include <sys/syscall.h>

int main(void)
{
    int p[2];
    SETUP(pipe(p));
    SETUP(write(p[1], "x", 1));
    fd_set r, w;
    FD_ZERO(&r); FD_ZERO(&w);
    FD_SET(p[0], &r); FD_SET(p[1], &w);
    int nfds = (p[0] > p[1] ? p[0] : p[1]) + 1;
    struct timeval tv = { 0, 0 };
    CHECK_RET("select_zero_timeout", select(nfds, &r, &w, NULL, &tv));
    FACT_BOOL("read_set", FD_ISSET(p[0], &r));
    FACT_BOOL("write_set", FD_ISSET(p[1], &w));
    char c; read(p[0], &c, 1);
    FD_ZERO(&r); FD_SET(p[0], &r);
    tv.tv_sec = 0; tv.tv_usec = 0;
    CHECK_RET("select_empty_pipe", select(nfds, &r, NULL, NULL, &tv));
    FACT_BOOL("read_set_cleared", !FD_ISSET(p[0], &r));
    FD_ZERO(&r); FD_SET(p[0], &r);
    tv.tv_sec = 0; tv.tv_usec = 30000;
    long t0 = mono_ms();
    CHECK_RET("select_timeout_30ms", syscall(SYS_select, nfds, &r, NULL, NULL, &tv));
    FACT_BOOL("waited_ge_20ms", mono_ms() - t0 >= 20);
    FACT_BOOL("timeout_written_back_zero", tv.tv_sec == 0 && tv.tv_usec == 0);
    FD_ZERO(&r); FD_SET(p[0], &r);
    tv.tv_sec = 5; tv.tv_usec = 0;
    SETUP(write(p[1], "y", 1));
    CHECK_RET("select_ready_long_timeout", syscall(SYS_select, nfds, &r, NULL, NULL, &tv));
    FACT_BOOL("remaining_written_back", tv.tv_sec == 4 || tv.tv_sec == 5);
    FD_ZERO(&r); FD_SET(60, &r);
    tv.tv_sec = 0; tv.tv_usec = 0;
    CHECK_RET("select_closed_fd", select(61, &r, NULL, NULL, &tv));
    CHECK_RET("select_negative_nfds", syscall(SYS_select, -1, NULL, NULL, NULL, &tv));
    tv.tv_sec = -1; tv.tv_usec = 0;
    CHECK_RET("select_negative_timeout", syscall(SYS_select, 1, NULL, NULL, NULL, &tv));
    DONE();
}
