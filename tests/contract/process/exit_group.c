/* exit_group(2)/_exit(2): exit status is taken mod 256; atexit handlers and stdio flushing run for exit() but not _exit(); a child blocked in read is reaped normally after exit. */
#include "../lib/contract.h"
#include <sys/wait.h>
#include <sys/syscall.h>

static int pfd;
static void ah(void) { write(pfd, "A", 1); }

int main(void)
{
    int p[2];
    SETUP(pipe(p));
    pid_t c = fork();
    if (c == 0) { pfd = p[1]; atexit(ah); exit(257); }
    int st;
    waitpid(c, &st, 0);
    FACT_INT("exit_257_status", WEXITSTATUS(st));
    c = fork();
    if (c == 0) { pfd = p[1]; atexit(ah); _exit(3); }
    waitpid(c, &st, 0);
    FACT_INT("_exit_status", WEXITSTATUS(st));
    c = fork();
    if (c == 0) { pfd = p[1]; atexit(ah); syscall(SYS_exit_group, 4); }
    waitpid(c, &st, 0);
    FACT_INT("exit_group_status", WEXITSTATUS(st));
    close(p[1]);
    char buf[8] = {0};
    read(p[0], buf, sizeof buf - 1);
    FACT_STR("atexit_ran_for", buf);
    /* stdio: exit() flushes a partial line, _exit() discards it */
    int q[2];
    SETUP(pipe(q));
    for (int how = 0; how < 2; how++) {
        c = fork();
        if (c == 0) {
            dup2(q[1], 1);
            printf(how ? "E" : "U");
            if (how) exit(0);
            _exit(0);
        }
        waitpid(c, &st, 0);
    }
    close(q[1]);
    memset(buf, 0, sizeof buf);
    read(q[0], buf, sizeof buf - 1);
    FACT_STR("stdout_flushed_only_by_exit", buf);
    DONE();
}
