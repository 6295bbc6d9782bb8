/* signal(7)/pipe(7): a blocking pipe write that already moved data returns that count when a signal wakes it, whether the handler has SA_RESTART, has none, or the signal stops and SIGCONT continues the writer (only a call that did nothing restarts); an ignored signal does not end it. */
#include "../../contract/lib/contract.h"
#include <sys/wait.h>

static volatile sig_atomic_t hits;
static void h(int s) { (void)s; hits++; }
static char big[200000];

static void one(const char *tag, int sig1, int sig2, int flags, int drain)
{
    struct sigaction sa = { .sa_handler = h, .sa_flags = flags };
    sigaction(SIGUSR1, &sa, NULL);
    int p[2];
    SETUP(pipe(p));
    pid_t parent = getpid();
    pid_t c = fork();
    if (c == 0) {
        close(p[1]);
        sleep_ms(50);
        static char buf[10000];
        ssize_t got = read(p[0], buf, sizeof buf);
        (void)got;
        sleep_ms(50);
        kill(parent, sig1);
        if (sig2) { sleep_ms(50); kill(parent, sig2); }
        sleep_ms(50);
        if (drain) { while (read(p[0], buf, sizeof buf) > 0) {} }
        _exit(0);
    }
    close(p[0]);
    hits = 0;
    ssize_t r = write(p[1], big, sizeof big);
    close(p[1]);
    waitpid(c, NULL, 0);
    char k[64];
    snprintf(k, sizeof k, "%s_partial", tag);
    FACT_BOOL(k, r > 65536 && r < (ssize_t)sizeof big);
    snprintf(k, sizeof k, "%s_all", tag);
    FACT_BOOL(k, r == (ssize_t)sizeof big);
    snprintf(k, sizeof k, "%s_hits", tag);
    FACT_INT(k, hits);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    one("sa_restart", SIGUSR1, 0, SA_RESTART, 0);
    one("no_restart", SIGUSR1, 0, 0, 0);
    one("stop_cont", SIGSTOP, SIGCONT, 0, 0);
    one("sigchld_default", SIGCHLD, 0, 0, 1);
    DONE();
}
