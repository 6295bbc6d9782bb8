/* alarm(2): returns the seconds remaining on the previous alarm, rounded to the nearest second (kernel/time/itimer.c alarm_setitimer: tv_nsec >= 0.5 s rounds up, a pending sub-second remainder reports 1, never 0); alarm(0) cancels. */
#include "../lib/contract.h"
#include <sys/time.h>
#include <sys/syscall.h>

/* raw alarm(2): musl implements alarm() with setitimer() and always rounds up */
#define alarm(s) ((unsigned)syscall(SYS_alarm, (s)))

int main(void)
{
    FACT_INT("first_alarm_returns", alarm(5));
    sleep_ms(100);
    FACT_INT("after_100ms_remaining", alarm(10));
    FACT_INT("replace_returns", alarm(0));
    FACT_INT("after_cancel", alarm(0));
    struct itimerval it = { { 0, 0 }, { 0, 400000 } };
    setitimer(ITIMER_REAL, &it, NULL);
    FACT_INT("subsecond_timer_reports", alarm(0));
    it.it_value.tv_sec = 2; it.it_value.tv_usec = 600000;
    setitimer(ITIMER_REAL, &it, NULL);
    FACT_INT("timer_2_6s_reports", alarm(0));
    it.it_value.tv_sec = 2; it.it_value.tv_usec = 400000;
    setitimer(ITIMER_REAL, &it, NULL);
    FACT_INT("timer_2_4s_reports", alarm(0));
    DONE();
}
