/* proc(5) /proc/self/task: one directory per thread named by tid (main tid == pid), each with its own stat/comm; a thread's PR_SET_NAME shows only in its own task comm. */
#include "../lib/contract.h"
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <dirent.h>

static pthread_barrier_t bar;
static pid_t tids[2];
static void *w(void *a)
{
    long i = (long)a;
    tids[i] = syscall(SYS_gettid);
    char nm[16];
    snprintf(nm, sizeof nm, "worker%ld", i);
    prctl(PR_SET_NAME, nm);
    pthread_barrier_wait(&bar);
    pthread_barrier_wait(&bar);
    return NULL;
}

int main(void)
{
    prctl(PR_SET_NAME, "mainthr");
    pthread_barrier_init(&bar, NULL, 3);
    pthread_t t[2];
    for (long i = 0; i < 2; i++) pthread_create(&t[i], NULL, w, (void *)i);
    pthread_barrier_wait(&bar);
    DIR *d = opendir("/proc/self/task");
    int n = 0, has_main = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        n++;
        if (atoi(e->d_name) == getpid()) has_main = 1;
    }
    closedir(d);
    FACT_INT("task_count", n);
    FACT_INT("has_main_tid", has_main);
    char p[128], buf[64];
    for (int i = 0; i < 2; i++) {
        snprintf(p, sizeof p, "/proc/self/task/%d/comm", (int)tids[i]);
        read_file(p, buf, sizeof buf);
        buf[strcspn(buf, "\n")] = 0;
        char k[32];
        snprintf(k, sizeof k, "thread%d_comm", i);
        FACT_STR(k, buf);
    }
    read_file("/proc/self/comm", buf, sizeof buf);
    buf[strcspn(buf, "\n")] = 0;
    FACT_STR("process_comm", buf);
    snprintf(p, sizeof p, "/proc/self/task/%d/stat", (int)tids[0]);
    read_file(p, buf, sizeof buf);
    FACT_BOOL("task_stat_field1_is_tid", atoi(buf) == tids[0]);
    char st[8192];
    read_file("/proc/self/status", st, sizeof st);
    char *th = strstr(st, "Threads:");
    FACT_INT("status_threads", th ? atoi(th + 8) : -1);
    pthread_barrier_wait(&bar);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    DONE();
}
