/* exit_group(2)/_exit(2): a non-main thread calling exit(3) ends the whole process with its status; the main thread leaving with the raw exit(2) syscall only ends itself, the other thread keeps running and its exit_group status is the process status. */
#include "../lib/contract.h"
#include <pthread.h>
#include <sys/wait.h>
#include <sys/syscall.h>

static void *exiter(void *a) { (void)a; sleep_ms(10); exit(33); return NULL; }
static void *writer(void *a) { sleep_ms(30); write(*(int *)a, "T", 1); syscall(SYS_exit_group, 5); return NULL; }

int main(void)
{
    pid_t c = fork();
    if (c == 0) {
        pthread_t t;
        pthread_create(&t, NULL, exiter, NULL);
        for (;;) pause();
    }
    int st;
    waitpid(c, &st, 0);
    FACT_BOOL("process_exited", WIFEXITED(st));
    FACT_INT("status_from_thread", WEXITSTATUS(st));
    int p[2];
    SETUP(pipe(p));
    c = fork();
    if (c == 0) {
        close(p[0]);
        static int fd;
        fd = p[1];
        pthread_t t;
        pthread_create(&t, NULL, writer, &fd);
        syscall(SYS_exit, 0);   /* raw: only the calling thread exits */
    }
    close(p[1]);
    char b = 0;
    CHECK_RET("thread_outlived_main", read(p[0], &b, 1));
    waitpid(c, &st, 0);
    FACT_INT("status_after_last_thread", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    DONE();
}
