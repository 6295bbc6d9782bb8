/* ppoll(2): the temporary sigmask lets a pending blocked signal interrupt with EINTR (handler runs); a timeout of {0,0} polls once; the original mask is restored. */
#include "../lib/contract.h"
#include <poll.h>

static volatile sig_atomic_t got;
static void h(int s) { (void)s; got = 1; }

int main(void)
{
    int p[2];
    SETUP(pipe(p));
    struct sigaction sa = { .sa_handler = h };
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t blk, empty, cur;
    sigemptyset(&blk); sigaddset(&blk, SIGUSR1); sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &blk, NULL);
    struct pollfd pf = { p[0], POLLIN, 0 };
    struct timespec zero = { 0, 0 }, ten = { 0, 10000000 }, sec = { 1, 0 };
    CHECK_RET("ppoll_zero_timeout", ppoll(&pf, 1, &zero, NULL));
    SETUP(write(p[1], "x", 1));
    CHECK_RET("ppoll_ready", ppoll(&pf, 1, &zero, NULL));
    char c; read(p[0], &c, 1);
    raise(SIGUSR1);
    CHECK_RET("ppoll_mask_keeps_blocked", ppoll(&pf, 1, &ten, &blk));
    FACT_INT("handler_not_run", got);
    CHECK_RET("ppoll_unblock_pending", ppoll(&pf, 1, &sec, &empty));
    FACT_INT("handler_ran", got);
    sigprocmask(SIG_BLOCK, NULL, &cur);
    FACT_BOOL("mask_restored", sigismember(&cur, SIGUSR1));
    struct timespec bad = { 0, 1000000000 };
    CHECK_RET("ppoll_bad_timeout", ppoll(&pf, 1, &bad, NULL));
    DONE();
}
