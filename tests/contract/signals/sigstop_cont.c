/* waitpid(2) WUNTRACED/WCONTINUED: SIGSTOP is reported once as WIFSTOPPED with WSTOPSIG 19, SIGCONT as WIFCONTINUED (raw status 0xffff), SIGKILL as WIFSIGNALED with WTERMSIG 9. */
#include "../lib/contract.h"
#include <sys/wait.h>

int main(void)
{
    pid_t c = fork();
    if (c == 0) { for (;;) pause(); }
    int st = 0;
    kill(c, SIGSTOP);
    CHECK_RET("waitpid_untraced_is_child", waitpid(c, &st, WUNTRACED) == c ? 1 : 0);
    FACT_BOOL("wifstopped", WIFSTOPPED(st));
    FACT_INT("wstopsig", WSTOPSIG(st));
    FACT("raw_stopped_status", "0x%x", st);
    CHECK_RET("stop_reported_once", waitpid(c, &st, WUNTRACED | WNOHANG));
    kill(c, SIGCONT);
    CHECK_RET("waitpid_continued_is_child", waitpid(c, &st, WCONTINUED) == c ? 1 : 0);
    FACT_BOOL("wifcontinued", WIFCONTINUED(st));
    FACT("raw_continued_status", "0x%x", st);
    CHECK_RET("nothing_more", waitpid(c, &st, WNOHANG | WUNTRACED | WCONTINUED));
    kill(c, SIGKILL);
    waitpid(c, &st, 0);
    FACT_BOOL("wifsignaled", WIFSIGNALED(st));
    FACT_INT("wtermsig", WTERMSIG(st));
    FACT("raw_killed_status", "0x%x", st);
    /* a stopped process still receives SIGKILL */
    c = fork();
    if (c == 0) { for (;;) pause(); }
    kill(c, SIGSTOP);
    waitpid(c, &st, WUNTRACED);
    kill(c, SIGKILL);
    waitpid(c, &st, 0);
    FACT_INT("kill_while_stopped_termsig", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
    DONE();
}
