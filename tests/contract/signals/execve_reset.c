/* execve(2)/signal(7): caught signals reset to SIG_DFL, ignored ones stay SIG_IGN, the blocked mask and pending signals are preserved across execve (re-execs /proc/self/exe). */
#include "../lib/contract.h"
#include <sys/wait.h>

static void h(int s) { (void)s; }

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "child") == 0) {
        struct sigaction sa;
        sigaction(SIGUSR1, NULL, &sa); FACT_BOOL("caught_reset_to_dfl", sa.sa_handler == SIG_DFL);
        sigaction(SIGUSR2, NULL, &sa); FACT_BOOL("ignored_stays_ign", sa.sa_handler == SIG_IGN);
        sigaction(SIGTERM, NULL, &sa); FACT_BOOL("default_stays_dfl", sa.sa_handler == SIG_DFL);
        sigaction(SIGCHLD, NULL, &sa); FACT_BOOL("sigchld_ign_stays_ign", sa.sa_handler == SIG_IGN);
        FACT_BOOL("flags_cleared", (sa.sa_flags & SA_RESTART) == 0);
        sigset_t m;
        sigprocmask(SIG_BLOCK, NULL, &m);
        FACT_BOOL("mask_preserved", sigismember(&m, SIGINT) && !sigismember(&m, SIGUSR1));
        sigpending(&m);
        FACT_BOOL("pending_preserved", sigismember(&m, SIGINT));
        fflush(stdout);
        _exit(0);
    }
    struct sigaction sa = { .sa_handler = h, .sa_flags = SA_RESTART };
    sigaction(SIGUSR1, &sa, NULL);
    signal(SIGUSR2, SIG_IGN);
    struct sigaction ig = { .sa_handler = SIG_IGN, .sa_flags = SA_RESTART };
    sigaction(SIGCHLD, &ig, NULL);
    sigset_t m;
    sigemptyset(&m); sigaddset(&m, SIGINT);
    sigprocmask(SIG_BLOCK, &m, NULL);
    pid_t c = fork();
    if (c == 0) {
        raise(SIGINT);
        char *args[] = { argv[0], "child", NULL };
        execv("/proc/self/exe", args);
        _exit(127);
    }
    /* SIGCHLD is ignored here, so the child is auto-reaped: wait until it is gone */
    int st;
    CHECK_RET("wait_autoreaped", waitpid(c, &st, 0));
    DONE();
}
