/* prctl(2) PR_SET_CHILD_SUBREAPER: an orphaned grandchild is reparented to the subreaper (getppid equals our pid), which can then wait for it; PR_GET_CHILD_SUBREAPER reads the flag back. */
#include "../lib/contract.h"
#include <sys/prctl.h>
#include <sys/wait.h>

int main(void)
{
    CHECK_RET("set_subreaper", prctl(PR_SET_CHILD_SUBREAPER, 1));
    int v = -1;
    CHECK_RET("get_subreaper", prctl(PR_GET_CHILD_SUBREAPER, &v));
    FACT_INT("subreaper_flag", v);
    int p[2];
    SETUP(pipe(p));
    pid_t mid = fork();
    if (mid == 0) {
        pid_t orig = getpid();   /* captured before fork: the middle may exit before the grandchild runs */
        pid_t gc = fork();
        if (gc == 0) {
            while (getppid() == orig) sleep_ms(2);
            pid_t np = getppid();
            write(p[1], &np, sizeof np);
            _exit(17);
        }
        write(p[1], &gc, sizeof gc);
        _exit(0);
    }
    pid_t gc, np;
    read(p[0], &gc, sizeof gc);
    int st;
    waitpid(mid, &st, 0);
    read(p[0], &np, sizeof np);
    FACT_BOOL("getppid_is_subreaper", np == getpid());
    CHECK_RET("wait_grandchild_is_gc", waitpid(gc, &st, 0) == gc ? 1 : 0);
    FACT_INT("grandchild_status", WEXITSTATUS(st));
    pid_t c = fork();
    if (c == 0) { int f = -1; prctl(PR_GET_CHILD_SUBREAPER, &f); _exit(f); }
    waitpid(c, &st, 0);
    FACT_INT("child_subreaper_flag", WEXITSTATUS(st));
    DONE();
}
