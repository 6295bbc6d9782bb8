/* nanosleep(2): interrupted by a signal handler it fails EINTR and writes the unslept remainder to *rem (here between 0.5 s and 1 s of a 1 s sleep). */
#include "../lib/contract.h"
#include <sys/time.h>

static void h(int s) { (void)s; }

int main(void)
{
    struct sigaction sa = { .sa_handler = h };
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = { { 0, 0 }, { 0, 50000 } };
    setitimer(ITIMER_REAL, &it, NULL);
    struct timespec req = { 1, 0 }, rem = { -1, -1 };
    CHECK_RET("nanosleep", nanosleep(&req, &rem));
    FACT_BOOL("rem_sec_0", rem.tv_sec == 0);
    FACT_BOOL("rem_ge_500ms", rem.tv_sec == 0 && rem.tv_nsec >= 500000000);
    FACT_BOOL("rem_lt_1s", rem.tv_sec == 0 && rem.tv_nsec < 1000000000);
    struct timespec bad = { 0, 1000000000 };
    CHECK_RET("bad_nsec", nanosleep(&bad, NULL));
    struct timespec neg = { -1, 0 };
    CHECK_RET("negative", nanosleep(&neg, NULL));
    DONE();
}
