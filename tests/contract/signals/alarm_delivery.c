/* alarm(2)/pause(2): a SIGALRM from an interval timer runs the handler while blocked in pause(), which then returns -1 EINTR; alarm() replaces the ITIMER_REAL timer. */
#include "../lib/contract.h"
#include <sys/time.h>
#include <sys/syscall.h>

/* raw alarm(2): musl implements alarm() with setitimer() and always rounds up */
#define alarm(s) ((unsigned)syscall(SYS_alarm, (s)))

static volatile sig_atomic_t fired;
static void h(int s) { (void)s; fired++; }

int main(void)
{
    struct sigaction sa = { .sa_handler = h };
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = { { 0, 0 }, { 0, 50000 } };
    SETUP(setitimer(ITIMER_REAL, &it, NULL));
    long t0 = mono_ms();
    CHECK_RET("pause", pause());
    long el = mono_ms() - t0;
    FACT_INT("handler_runs", fired);
    FACT_BOOL("woke_after_ge_40ms", el >= 40);
    FACT_BOOL("woke_before_1s", el < 1000);
    /* alarm() shares the ITIMER_REAL timer: it cancels a pending setitimer */
    it.it_value.tv_usec = 30000;
    SETUP(setitimer(ITIMER_REAL, &it, NULL));
    FACT_INT("alarm0_after_setitimer_30ms", alarm(0));
    struct itimerval cur;
    getitimer(ITIMER_REAL, &cur);
    FACT_BOOL("timer_cancelled", cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0);
    sleep_ms(50);
    FACT_INT("no_second_delivery", fired);
    DONE();
}
