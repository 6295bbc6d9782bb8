/* signal(7) default actions: SIGUSR1/SIGTERM/SIGALRM/SIGPIPE/SIGHUP terminate, SIGCHLD/SIGURG/SIGWINCH are ignored, SIGSEGV from a real fault terminates (core not dumped with RLIMIT_CORE 0). */
#include "../lib/contract.h"
#include <sys/wait.h>
#include <sys/resource.h>

static void check(int sig)
{
    pid_t c = fork();
    if (c == 0) {
        struct rlimit rl = { 0, 0 };
        setrlimit(RLIMIT_CORE, &rl);
        raise(sig);
        _exit(42);
    }
    int st;
    waitpid(c, &st, 0);
    char k[32];
    snprintf(k, sizeof k, "sig%d", sig);
    if (WIFSIGNALED(st)) FACT(k, "killed_by_%d", WTERMSIG(st));
    else FACT(k, "exit_%d", WEXITSTATUS(st));
}

int main(void)
{
    int sigs[] = { SIGHUP, SIGINT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM, SIGCHLD, SIGURG, SIGWINCH, SIGCONT, SIGRTMIN, SIGKILL };
    for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++) check(sigs[i]);
    pid_t c = fork();
    if (c == 0) {
        struct rlimit rl = { 0, 0 };
        setrlimit(RLIMIT_CORE, &rl);
        *(volatile int *)8 = 1;
        _exit(42);
    }
    int st;
    waitpid(c, &st, 0);
    FACT_INT("segv_termsig", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
    FACT_INT("segv_coredump_flag", WCOREDUMP(st) ? 1 : 0);
    DONE();
}
