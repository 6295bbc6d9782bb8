/* signal(7): blocked standard signals are dequeued lowest-number first and RT signals after them; when several become deliverable at once without sa_mask, each new frame nests on the previous one so handlers *run* in reverse dequeue order; with a full sa_mask they run in dequeue order. */
#include "../lib/contract.h"

static volatile int order[8], n;
static void h(int s) { if (n < 8) order[n++] = s; }

static void run(const char *tag, int fullmask)
{
    int sigs[] = { SIGTERM, SIGRTMIN, SIGUSR2, SIGUSR1 };
    sigset_t m;
    sigemptyset(&m);
    for (int i = 0; i < 4; i++) {
        struct sigaction sa = { .sa_handler = h };
        if (fullmask) sigfillset(&sa.sa_mask); else sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
        sigaddset(&m, sigs[i]);
    }
    n = 0;
    sigprocmask(SIG_BLOCK, &m, NULL);
    for (int i = 0; i < 4; i++) kill(getpid(), sigs[i]);
    sigprocmask(SIG_UNBLOCK, &m, NULL);
    char k[64];
    snprintf(k, sizeof k, "%s_count", tag); FACT_INT(k, n);
    snprintf(k, sizeof k, "%s_order", tag);
    FACT(k, "%d,%d,%d,%d", order[0], order[1], order[2], order[3]);
}

int main(void)
{
    run("nested_no_sa_mask", 0);
    run("full_sa_mask", 1);
    DONE();
}
