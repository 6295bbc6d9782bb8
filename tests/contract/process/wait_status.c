/* wait(2) status encoding: exit code in bits 8-15 (0x2a00 for 42), signal in bits 0-6, exit(256) reads as 0, exit(-1) as 255; WIFEXITED/WEXITSTATUS/WIFSIGNALED/WTERMSIG agree. */
#include "../lib/contract.h"
#include <sys/wait.h>

static int run(int how)
{
    pid_t c = fork();
    if (c == 0) {
        if (how == 0) _exit(42);
        if (how == 1) _exit(256);
        if (how == 2) _exit(-1);
        if (how == 3) { kill(getpid(), SIGKILL); }
        if (how == 4) { kill(getpid(), SIGTERM); }
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    return st;
}

int main(void)
{
    int s = run(0);
    FACT("exit42_raw", "0x%x", s);
    FACT_BOOL("exit42_wifexited", WIFEXITED(s));
    FACT_INT("exit42_wexitstatus", WEXITSTATUS(s));
    FACT_BOOL("exit42_not_signaled", !WIFSIGNALED(s));
    s = run(1);
    FACT_INT("exit256_status", WEXITSTATUS(s));
    s = run(2);
    FACT_INT("exit_minus1_status", WEXITSTATUS(s));
    s = run(3);
    FACT("sigkill_raw", "0x%x", s);
    FACT_BOOL("sigkill_wifsignaled", WIFSIGNALED(s));
    FACT_INT("sigkill_wtermsig", WTERMSIG(s));
    s = run(4);
    FACT_INT("sigterm_wtermsig", WTERMSIG(s));
    s = run(5);
    FACT("exit0_raw", "0x%x", s);
    int st;
    CHECK_RET("wait_no_children", wait(&st));
    CHECK_RET("waitpid_bad_options", waitpid(-1, &st, 0x00100000));
    DONE();
}
