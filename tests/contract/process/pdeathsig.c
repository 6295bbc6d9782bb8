/* prctl(2) PR_SET_PDEATHSIG: when the parent (thread) exits, the child receives the signal; PR_GET_PDEATHSIG reads it back; the setting is cleared in a forked child; invalid signal EINVAL. */
#include "../lib/contract.h"
#include <sys/prctl.h>
#include <sys/wait.h>

int main(void)
{
    CHECK_RET("set_subreaper", prctl(PR_SET_CHILD_SUBREAPER, 1));
    int p[2];
    SETUP(pipe(p));
    pid_t mid = fork();
    if (mid == 0) {
        pid_t gc = fork();
        if (gc == 0) {
            prctl(PR_SET_PDEATHSIG, SIGUSR1);
            int v = 0;
            prctl(PR_GET_PDEATHSIG, &v);
            write(p[1], &v, sizeof v);
            for (;;) pause();
        }
        int v;
        read(p[0], &v, sizeof v);
        write(p[1], &gc, sizeof gc);
        write(p[1], &v, sizeof v);
        _exit(0);
    }
    int st;
    waitpid(mid, &st, 0);
    pid_t gc; int v = 0;
    read(p[0], &gc, sizeof gc);
    read(p[0], &v, sizeof v);
    FACT_INT("get_pdeathsig", v);
    CHECK_RET("reap_grandchild", waitpid(gc, &st, 0) == gc ? 0 : -1);
    FACT_BOOL("grandchild_killed_by_signal", WIFSIGNALED(st));
    FACT_INT("grandchild_termsig", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    pid_t c = fork();
    if (c == 0) { int x = -1; prctl(PR_GET_PDEATHSIG, &x); _exit(x); }
    waitpid(c, &st, 0);
    FACT_INT("child_pdeathsig_cleared", WEXITSTATUS(st));
    CHECK_RET("bad_signal", prctl(PR_SET_PDEATHSIG, 99));
    DONE();
}
