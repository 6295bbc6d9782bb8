/* kill(2) returns at once whatever the target does with the signal: blocked, caught, ignored, read from a signalfd, or pending on a stopped process (Kevlar waits for targets that die, stop or continue, and must not wait for the others); a killed child's death is reported to a waiting parent. */
#include "../../contract/lib/contract.h"
#include <sys/signalfd.h>
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

    /* a child waiting in a signalfd read for the blocked signal */
    sigset_t m; sigemptyset(&m); sigaddset(&m, SIGTERM);
    sigprocmask(SIG_BLOCK, &m, NULL);
    int ready[2];
    SETUP(pipe(ready));
    c = fork();
    if (c == 0) {
        int fd = signalfd(-1, &m, 0);
        write(ready[1], "r", 1);
        struct signalfd_siginfo si;
        read(fd, &si, sizeof si);
        _exit(si.ssi_signo == SIGTERM && si.ssi_pid == (unsigned)getppid() ? 0 : 1);
    }
    char x;
    read(ready[0], &x, 1);
    sleep_ms(50);
    long t0 = mono_ms();
    kill(c, SIGTERM);
    FACT_BOOL("signalfd_reader_fast", mono_ms() - t0 < 100);
    waitpid(c, &st, 0);
    FACT_INT("signalfd_reader_read_it", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    DONE();
}
