/* waitpid(2) NOTES: with SIGCHLD set to SIG_IGN (or SA_NOCLDWAIT) children are reaped automatically and wait fails ECHILD after they exit. */
#include "../lib/contract.h"
#include <sys/wait.h>

int main(void)
{
    signal(SIGCHLD, SIG_IGN);
    pid_t c = fork();
    if (c == 0) _exit(3);
    int st;
    CHECK_RET("waitpid_ign", waitpid(c, &st, 0));
    signal(SIGCHLD, SIG_DFL);
    struct sigaction sa = { .sa_handler = SIG_DFL, .sa_flags = SA_NOCLDWAIT };
    sigaction(SIGCHLD, &sa, NULL);
    c = fork();
    if (c == 0) _exit(4);
    CHECK_RET("waitpid_nocldwait", waitpid(c, &st, 0));
    sa.sa_flags = 0;
    sigaction(SIGCHLD, &sa, NULL);
    c = fork();
    if (c == 0) _exit(5);
    CHECK_RET("waitpid_default_is_child", waitpid(c, &st, 0) == c ? 1 : 0);
    FACT_INT("default_status", WEXITSTATUS(st));
    DONE();
}
