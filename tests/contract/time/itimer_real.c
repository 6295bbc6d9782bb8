/* setitimer(2)/getitimer(2) ITIMER_REAL: remaining time is <= the set value and > 0, periodic timers deliver repeated SIGALRM, the old value is returned, disarming zeroes it, bad which EINVAL; ITIMER_VIRTUAL counts CPU time. */
#include "../lib/contract.h"
#include <sys/time.h>

static volatile sig_atomic_t alarms, vts;
static void h(int s) { (void)s; alarms++; }
static void hv(int s) { (void)s; vts++; }

int main(void)
{
    signal(SIGALRM, h);
    struct itimerval it = { { 0, 10000 }, { 0, 10000 } }, cur, old;
    CHECK_RET("set_periodic", setitimer(ITIMER_REAL, &it, NULL));
    getitimer(ITIMER_REAL, &cur);
    FACT_BOOL("remaining_le_10ms", cur.it_value.tv_sec == 0 && cur.it_value.tv_usec <= 10000);
    FACT_BOOL("remaining_positive", cur.it_value.tv_usec > 0);
    FACT_BOOL("interval_reported", cur.it_interval.tv_usec == 10000);
    long t0 = mono_ms();
    while (alarms < 4 && mono_ms() - t0 < 1000) pause();
    FACT_BOOL("four_alarms_delivered", alarms >= 4);
    struct itimerval off = { { 0, 0 }, { 0, 0 } };
    CHECK_RET("disarm", setitimer(ITIMER_REAL, &off, &old));
    FACT_BOOL("old_interval", old.it_interval.tv_usec == 10000);
    getitimer(ITIMER_REAL, &cur);
    FACT_BOOL("disarmed_zero", cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0);
    CHECK_RET("bad_which", setitimer(99, &it, NULL));
    CHECK_RET("getitimer_bad_which", getitimer(99, &cur));
    struct itimerval badv = { { 0, 0 }, { 0, 1000000 } };
    CHECK_RET("bad_usec", setitimer(ITIMER_REAL, &badv, NULL));
    signal(SIGVTALRM, hv);
    struct itimerval v = { { 0, 0 }, { 0, 20000 } };
    CHECK_RET("set_virtual", setitimer(ITIMER_VIRTUAL, &v, NULL));
    t0 = mono_ms();
    volatile unsigned long x = 0;
    while (!vts && mono_ms() - t0 < 1500) for (int i = 0; i < 100000; i++) x += i;
    FACT_INT("virtual_fired", vts);
    DONE();
}
