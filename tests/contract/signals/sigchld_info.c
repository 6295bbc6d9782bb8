/* sigaction(2) SA_SIGINFO for SIGCHLD: si_code CLD_EXITED with si_status = exit code, CLD_KILLED with si_status = signal, si_pid = child; SA_NOCLDSTOP suppresses stop notifications. */
#include "../lib/contract.h"
#include <sys/wait.h>

static volatile sig_atomic_t code, status, pid_ok, count;
static volatile pid_t expect;
static void h(int s, siginfo_t *si, void *u) { (void)s; (void)u; code = si->si_code; status = si->si_status; pid_ok = si->si_pid == expect; count++; }

static void one(const char *tag, int how)
{
    sigset_t m; sigemptyset(&m); sigaddset(&m, SIGCHLD);
    sigprocmask(SIG_BLOCK, &m, NULL);
    count = 0;
    pid_t c = fork();
    if (c == 0) { if (how == 0) _exit(7); for (;;) pause(); }
    expect = c;
    if (how == 1) kill(c, SIGKILL);
    if (how == 2) { kill(c, SIGSTOP); sleep_ms(30); }
    sigset_t empty; sigemptyset(&empty);
    if (how != 2) sigsuspend(&empty);
    else { sigprocmask(SIG_UNBLOCK, &m, NULL); sleep_ms(10); }
    sigprocmask(SIG_UNBLOCK, &m, NULL);
    char k[64];
    snprintf(k, sizeof k, "%s_count", tag); FACT_INT(k, count);
    if (count) {
        snprintf(k, sizeof k, "%s_si_code", tag); FACT_INT(k, code);
        snprintf(k, sizeof k, "%s_si_status", tag); FACT_INT(k, status);
        snprintf(k, sizeof k, "%s_si_pid_is_child", tag); FACT_INT(k, pid_ok);
    }
    if (how == 2) { kill(c, SIGKILL); }
    waitpid(c, NULL, 0);
}

int main(void)
{
    struct sigaction sa = { .sa_sigaction = h, .sa_flags = SA_SIGINFO | SA_NOCLDSTOP };
    sigaction(SIGCHLD, &sa, NULL);
    FACT_INT("cld_exited", CLD_EXITED);
    FACT_INT("cld_killed", CLD_KILLED);
    one("exited", 0);
    one("killed", 1);
    one("stopped_with_nocldstop", 2);
    DONE();
}
