/* pselect6(2): zero timeout polls once; the temporary sigmask lets a pending signal interrupt with EINTR; exceptfds of a pipe stay empty. */
#include "../lib/contract.h"
#include <sys/select.h>

static volatile sig_atomic_t got;
static void h(int s) { (void)s; got = 1; }

int main(void)
{
    int p[2];
    SETUP(pipe(p));
    signal(SIGUSR2, h);
    sigset_t blk, empty;
    sigemptyset(&blk); sigaddset(&blk, SIGUSR2); sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &blk, NULL);
    fd_set r, e;
    struct timespec zero = { 0, 0 }, sec = { 1, 0 };
    FD_ZERO(&r); FD_SET(p[0], &r); FD_ZERO(&e); FD_SET(p[0], &e);
    CHECK_RET("pselect_zero_empty", pselect(p[0] + 1, &r, NULL, &e, &zero, NULL));
    SETUP(write(p[1], "x", 1));
    FD_ZERO(&r); FD_SET(p[0], &r); FD_ZERO(&e); FD_SET(p[0], &e);
    CHECK_RET("pselect_zero_ready", pselect(p[0] + 1, &r, NULL, &e, &zero, NULL));
    FACT_BOOL("read_set", FD_ISSET(p[0], &r));
    FACT_BOOL("except_clear", !FD_ISSET(p[0], &e));
    char c; read(p[0], &c, 1);
    raise(SIGUSR2);
    FD_ZERO(&r); FD_SET(p[0], &r);
    CHECK_RET("pselect_sigmask_eintr", pselect(p[0] + 1, &r, NULL, NULL, &sec, &empty));
    FACT_INT("handler_ran", got);
    DONE();
}
