/* wait(2) order (kernel/exit.c do_wait): the children are considered oldest first, each for its exit, then its stop, then its continue; two children that both exited come back oldest first, and an older stopped child is reported (WUNTRACED) before a younger zombie. */
#include "../../contract/lib/contract.h"
#include <sys/wait.h>

static int which(pid_t got, pid_t *kids, int n)
{
    for (int i = 0; i < n; i++) if (kids[i] == got) return i;
    return got == -1 ? -errno : -100;
}

int main(void)
{
    pid_t k[3];
    int st;
    for (int i = 0; i < 3; i++) { k[i] = fork(); if (k[i] == 0) _exit(i); }
    sleep_ms(100);
    for (int i = 0; i < 3; i++) {
        char key[32];
        snprintf(key, sizeof key, "exited_%d", i);
        FACT_INT(key, which(waitpid(-1, &st, 0), k, 3));
    }
    k[0] = fork();
    if (k[0] == 0) { raise(SIGSTOP); _exit(10); }
    k[1] = fork();
    if (k[1] == 0) _exit(11);
    sleep_ms(100);
    FACT_INT("first_untraced", which(waitpid(-1, &st, WUNTRACED), k, 2));
    FACT_BOOL("first_is_stop", WIFSTOPPED(st));
    FACT_INT("second_untraced", which(waitpid(-1, &st, WUNTRACED), k, 2));
    FACT_BOOL("second_is_exit", WIFEXITED(st) && WEXITSTATUS(st) == 11);
    kill(k[0], SIGCONT);
    sleep_ms(50);
    FACT_INT("continued_or_exited", which(waitpid(-1, &st, WCONTINUED), k, 2));
    FACT_BOOL("reported_continue", WIFCONTINUED(st));
    FACT_INT("last", which(waitpid(-1, &st, 0), k, 2));
    FACT_INT("last_status", WEXITSTATUS(st));
    FACT_INT("none_left", which(waitpid(-1, &st, 0), k, 2));
    DONE();
}
