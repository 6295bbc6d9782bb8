/* sigsuspend(2): temporarily replaces the mask, returns -1 EINTR after a handler ran for a signal sent by a forked child, and restores the original mask (SIGUSR1 still blocked). */
#include "../lib/contract.h"
#include <sys/wait.h>

static volatile sig_atomic_t got;
static void h(int s) { got = s; }

int main(void)
{
    struct sigaction sa = { .sa_handler = h };
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t blk, empty, cur;
    sigemptyset(&blk); sigaddset(&blk, SIGUSR1); sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &blk, NULL);
    pid_t parent = getpid();
    pid_t c = fork();
    if (c == 0) { sleep_ms(30); kill(parent, SIGUSR1); _exit(0); }
    CHECK_RET("sigsuspend", sigsuspend(&empty));
    FACT_INT("handler_signo", got);
    sigprocmask(SIG_BLOCK, NULL, &cur);
    FACT_BOOL("mask_restored", sigismember(&cur, SIGUSR1));
    waitpid(c, NULL, 0);
    /* a signal already pending when sigsuspend unblocks it is delivered immediately */
    got = 0;
    raise(SIGUSR1);
    FACT_INT("pending_not_delivered_while_blocked", got);
    CHECK_RET("sigsuspend_pending", sigsuspend(&empty));
    FACT_INT("pending_delivered", got);
    DONE();
}
