/* gettid(2): the main thread's tid equals the pid, other threads have distinct tids but the same getpid/getppid; /proc/self/task lists all tids. */
#include "../lib/contract.h"
#include <pthread.h>
#include <sys/syscall.h>
#include <dirent.h>

static pid_t tids[2], pids[2];
static pthread_barrier_t bar;
static void *w(void *a)
{
    long i = (long)a;
    tids[i] = syscall(SYS_gettid); pids[i] = getpid();
    pthread_barrier_wait(&bar);
    pthread_barrier_wait(&bar);
    return NULL;
}

int main(void)
{
    FACT_BOOL("main_tid_is_pid", syscall(SYS_gettid) == getpid());
    pthread_barrier_init(&bar, NULL, 3);
    pthread_t t[2];
    for (long i = 0; i < 2; i++) pthread_create(&t[i], NULL, w, (void *)i);
    pthread_barrier_wait(&bar);
    FACT_BOOL("thread_tid_differs_from_pid", tids[0] != getpid() && tids[1] != getpid());
    FACT_BOOL("thread_tids_distinct", tids[0] != tids[1]);
    FACT_BOOL("thread_getpid_same", pids[0] == getpid() && pids[1] == getpid());
    DIR *d = opendir("/proc/self/task");
    int n = 0, found = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        n++;
        int id = atoi(e->d_name);
        if (id == getpid() || id == tids[0] || id == tids[1]) found++;
    }
    if (d) closedir(d);
    FACT_INT("task_entries", n);
    FACT_INT("task_entries_matching", found);
    pthread_barrier_wait(&bar);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    DONE();
}
