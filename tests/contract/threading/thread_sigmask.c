/* signal(7)/pthread_sigmask(3): signal masks are per thread; a process-directed signal is delivered to a thread that does not block it, thread-directed ones stay pending on the blocking thread. */
#include "../lib/contract.h"
#include <pthread.h>
#include <sys/syscall.h>

static volatile pid_t handled_by;
static volatile pid_t worker_tid;
static volatile int stop;
static void h(int s) { (void)s; handled_by = syscall(SYS_gettid); }
static void *worker(void *a)
{
    (void)a;
    sigset_t m; sigemptyset(&m); sigaddset(&m, SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &m, NULL);
    worker_tid = syscall(SYS_gettid);
    while (!stop) sleep_ms(1);
    return NULL;
}

int main(void)
{
    signal(SIGUSR1, h);
    sigset_t m; sigemptyset(&m); sigaddset(&m, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &m, NULL);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    while (!worker_tid) sleep_ms(1);
    kill(getpid(), SIGUSR1);
    for (int i = 0; i < 500 && !handled_by; i++) sleep_ms(1);
    FACT_BOOL("process_signal_went_to_unblocked_thread", handled_by == worker_tid);
    handled_by = 0;
    syscall(SYS_tgkill, getpid(), getpid(), SIGUSR1);
    sleep_ms(10);
    FACT_BOOL("thread_directed_stays_pending", handled_by == 0);
    sigset_t p;
    sigpending(&p);
    FACT_BOOL("pending_on_main", sigismember(&p, SIGUSR1));
    pthread_sigmask(SIG_UNBLOCK, &m, NULL);
    FACT_BOOL("delivered_to_main_on_unblock", handled_by == getpid());
    stop = 1;
    pthread_join(t, NULL);
    DONE();
}
