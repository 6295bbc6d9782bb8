/* signal(7) SA_RESTART: a blocking pipe read interrupted by a handler fails EINTR without SA_RESTART and is transparently restarted (returning the data) with it. The writer only writes after the handler ran, so the outcome does not depend on timing. */
#include "../lib/contract.h"
#include <sys/time.h>
#include <sys/wait.h>

static volatile sig_atomic_t fired;
static int go_fd = -1;
static void h(int s) { (void)s; fired++; write(go_fd, "g", 1); }

static void run(const char *tag, int flags)
{
    struct sigaction sa = { .sa_handler = h, .sa_flags = flags };
    sigaction(SIGALRM, &sa, NULL);
    int p[2], g[2];
    SETUP(pipe(p));
    SETUP(pipe(g));
    pid_t c = fork();
    if (c == 0) {
        close(p[0]); close(g[1]);
        char x;
        if (read(g[0], &x, 1) == 1) { sleep_ms(20); write(p[1], "late", 4); }
        _exit(0);
    }
    close(p[1]); close(g[0]);
    go_fd = g[1];
    fired = 0;
    struct itimerval it = { { 0, 0 }, { 0, 30000 } };
    setitimer(ITIMER_REAL, &it, NULL);
    char buf[8] = {0};
    errno = 0;
    ssize_t r = read(p[0], buf, sizeof buf - 1);
    char key[64];
    snprintf(key, sizeof key, "%s_read", tag);
    if (r < 0) FACT_ERRNO(key, errno); else FACT_INT(key, r);
    snprintf(key, sizeof key, "%s_handler_ran", tag);
    FACT_INT(key, fired);
    close(g[1]);
    waitpid(c, NULL, 0);
    close(p[0]);
}

int main(void)
{
    run("no_restart", 0);
    run("sa_restart", SA_RESTART);
    DONE();
}
