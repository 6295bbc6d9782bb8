/* kill(2) returns at once whatever the target does with the signal: blocked, caught, ignored, or pending on a stopped process (Kevlar waits for targets that die, stop or continue, and must not wait for the others); a killed child's death is reported to a waiting parent. */
#include "../../contract/lib/contract.h"
#include <sys/wait.h>

static void h(int s) { (void)s; }

static pid_t child(int how)
{
    int ready[2];
    if (pipe(ready)) return -1;
    pid_t c = fork();
    if (c == 0) {
        sigset_t m; sigemptyset(&m); sigaddset(&m, SIGTERM);
        if (how == 0) sigprocmask(SIG_BLOCK, &m, NULL);
        if (how == 1) signal(SIGTERM, h);
        if (how == 2) signal(SIGTERM, SIG_IGN);
        write(ready[1], "r", 1);
        for (;;) pause();
    }
    char x;
    read(ready[0], &x, 1);
    close(ready[0]); close(ready[1]);
    return c;
}

static void run(const char *tag, int how)
{
    pid_t c = child(how);
    int st;
    if (how == 3) { kill(c, SIGSTOP); waitpid(c, &st, WUNTRACED); }
    long t0 = mono_ms();
    int r = kill(c, SIGTERM);
    long el = mono_ms() - t0;
    char k[64];
    snprintf(k, sizeof k, "%s_kill", tag); FACT_INT(k, r);
    snprintf(k, sizeof k, "%s_fast", tag); FACT_BOOL(k, el < 100);
    kill(c, SIGKILL);
    waitpid(c, &st, 0);
    snprintf(k, sizeof k, "%s_then_sigkill", tag); FACT_INT(k, WIFSIGNALED(st) ? WTERMSIG(st) : -1);
}

int main(void)
{
    run("blocked", 0);
    run("caught", 1);
    run("ignored", 2);
    run("stopped", 3);
    pid_t c = child(4);
    int st;
    kill(c, SIGTERM);
    CHECK_RET("default_dies", waitpid(c, &st, 0) == c ? WTERMSIG(st) : -1);
    DONE();
}
