/* tgkill(2): a signal sent to a specific thread runs the handler on that thread (gettid inside equals the target tid); wrong tgid ESRCH, invalid signal EINVAL; tkill too. */
#include "../lib/contract.h"
#include <pthread.h>
#include <sys/syscall.h>

static volatile pid_t handler_tid;
static volatile pid_t worker_tid;
static volatile int stop;
static void h(int s) { (void)s; handler_tid = syscall(SYS_gettid); }
static void *worker(void *a) { (void)a; worker_tid = syscall(SYS_gettid); while (!stop) sleep_ms(1); return NULL; }

int main(void)
{
    signal(SIGUSR1, h);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    while (!worker_tid) sleep_ms(1);
    CHECK_RET("tgkill", syscall(SYS_tgkill, getpid(), worker_tid, SIGUSR1));
    for (int i = 0; i < 500 && !handler_tid; i++) sleep_ms(1);
    FACT_BOOL("handled_on_target_thread", handler_tid == worker_tid);
    FACT_BOOL("not_main_thread", handler_tid != getpid());
    handler_tid = 0;
    CHECK_RET("tkill_main", syscall(SYS_tkill, getpid(), SIGUSR1));
    FACT_BOOL("tkill_handled_on_main", handler_tid == getpid());
    CHECK_RET("tgkill_wrong_tgid", syscall(SYS_tgkill, getpid() + 0x3fff0000, worker_tid, SIGUSR1));
    CHECK_RET("tgkill_bad_signal", syscall(SYS_tgkill, getpid(), worker_tid, 99));
    CHECK_RET("tgkill_zero_tid", syscall(SYS_tgkill, getpid(), 0, SIGUSR1));
    CHECK_RET("tgkill_probe", syscall(SYS_tgkill, getpid(), worker_tid, 0));
    stop = 1;
    pthread_join(t, NULL);
    /* the joined thread may linger briefly between clearing its tid and being released */
    long r = 0;
    for (int i = 0; i < 200 && (r = syscall(SYS_tgkill, getpid(), worker_tid, 0)) == 0; i++) sleep_ms(1);
    FACT_ERRNO("tgkill_exited_thread", r == -1 ? errno : 0);
    DONE();
}
