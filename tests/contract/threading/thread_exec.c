/* execve(2) from a non-main thread: all other threads are destroyed, the exec'd image runs with the original pid (tid == pid) and a single thread (re-execs /proc/self/exe). */
#include "../lib/contract.h"
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <dirent.h>

static char *self;
static void *execer(void *a)
{
    (void)a;
    char pid[16];
    snprintf(pid, sizeof pid, "%d", (int)getpid());
    char *args[] = { self, "child", pid, NULL };
    execv("/proc/self/exe", args);
    _exit(127);
}
static void *sleeper(void *a) { (void)a; for (;;) pause(); return NULL; }

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "child")) {
        int code = 0;
        if (getpid() == atoi(argv[2])) code |= 1;
        if (syscall(SYS_gettid) == getpid()) code |= 2;
        DIR *d = opendir("/proc/self/task");
        int n = 0;
        struct dirent *e;
        while (d && (e = readdir(d))) if (e->d_name[0] != '.') n++;
        if (n == 1) code |= 4;
        _exit(code);
    }
    self = argv[0];
    pid_t c = fork();
    if (c == 0) {
        pthread_t s, t;
        pthread_create(&s, NULL, sleeper, NULL);
        pthread_create(&t, NULL, execer, NULL);
        for (;;) pause();
    }
    int st;
    waitpid(c, &st, 0);
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    FACT_BOOL("pid_preserved", code > 0 && (code & 1));
    FACT_BOOL("tid_equals_pid_after_exec", code > 0 && (code & 2));
    FACT_BOOL("single_thread_after_exec", code > 0 && (code & 4));
    DONE();
}
