/* signal(7) "Interruption of system calls": calls that wait (a pipe read, wait4, poll, epoll_wait) and a signal: an ignored or default-ignored signal (SIGCHLD, SIG_IGN) never interrupts; a handler without SA_RESTART makes read/wait4 fail EINTR, with SA_RESTART they go on; poll and epoll_wait fail EINTR even with SA_RESTART; SA_RESETHAND leaves the next one default-ignored; a stop signal and SIGCONT resume read/wait4/poll transparently, while epoll_wait returns EINTR. */
#include "../../contract/lib/contract.h"
#include <poll.h>
#include <sys/epoll.h>
#include <sys/wait.h>

static volatile sig_atomic_t hits;
static void h(int s) { (void)s; hits++; }

/* fork a helper that acts on us after ms, then writes "x" to fd (if fd >= 0) */
static pid_t helper(int sig1, int sig2, int ms, int fd)
{
    pid_t parent = getpid();
    pid_t c = fork();
    if (c == 0) {
        sleep_ms(ms);
        if (sig1) kill(parent, sig1);
        if (sig2) { sleep_ms(ms); kill(parent, sig2); }
        sleep_ms(ms);
        if (fd >= 0) write(fd, "x", 1);
        _exit(0);
    }
    return c;
}

static void report_read(const char *key, int rfd)
{
    char b[4];
    errno = 0;
    ssize_t r = read(rfd, b, sizeof b);
    if (r < 0) FACT_ERRNO(key, errno); else FACT_INT(key, r);
}

static void set_handler(int sig, int flags)
{
    struct sigaction sa = { .sa_handler = h, .sa_flags = flags };
    sigaction(sig, &sa, NULL);
}

int main(void)
{
    int p[2];
    SETUP(pipe(p));
    pid_t c;
    char b[4];

    /* SIGCHLD with the default action: a child exits while we read */
    c = helper(0, 0, 30, p[1]);
    pid_t quick = fork();
    if (quick == 0) _exit(0);
    report_read("read_sigchld_default", p[0]);
    waitpid(c, NULL, 0); waitpid(quick, NULL, 0);

    /* SIG_IGN */
    signal(SIGUSR1, SIG_IGN);
    c = helper(SIGUSR1, 0, 30, p[1]);
    report_read("read_sig_ign", p[0]);
    waitpid(c, NULL, 0);

    /* a handler without and with SA_RESTART */
    set_handler(SIGUSR1, 0);
    hits = 0;
    c = helper(SIGUSR1, 0, 30, p[1]);
    report_read("read_handler", p[0]);
    FACT_INT("read_handler_hits", hits);
    waitpid(c, NULL, 0);
    read(p[0], b, 1);
    set_handler(SIGUSR1, SA_RESTART);
    hits = 0;
    c = helper(SIGUSR1, 0, 30, p[1]);
    report_read("read_sa_restart", p[0]);
    FACT_INT("read_sa_restart_hits", hits);
    waitpid(c, NULL, 0);

    /* SA_RESETHAND on a default-ignored signal: the second one does not interrupt */
    set_handler(SIGWINCH, SA_RESETHAND);
    hits = 0;
    c = helper(SIGWINCH, SIGWINCH, 30, p[1]);
    report_read("read_resethand_first", p[0]);
    report_read("read_resethand_second", p[0]);
    FACT_INT("resethand_hits", hits);
    waitpid(c, NULL, 0);

    /* stopped and continued while reading */
    c = helper(SIGSTOP, SIGCONT, 30, p[1]);
    report_read("read_stop_cont", p[0]);
    waitpid(c, NULL, 0);

    /* wait4 */
    set_handler(SIGUSR1, 0);
    pid_t slow = fork();
    if (slow == 0) { sleep_ms(150); _exit(3); }
    c = helper(SIGUSR1, 0, 30, -1);
    CHECK_RET("wait_handler", waitpid(slow, NULL, 0) == slow ? 0 : -1);
    set_handler(SIGUSR1, SA_RESTART);
    int st;
    CHECK_RET("wait_sa_restart", waitpid(slow, &st, 0) == slow ? WEXITSTATUS(st) : -1);
    waitpid(c, NULL, 0);
    slow = fork();
    if (slow == 0) { sleep_ms(150); _exit(4); }
    c = helper(SIGSTOP, SIGCONT, 30, -1);
    CHECK_RET("wait_stop_cont", waitpid(slow, &st, 0) == slow ? WEXITSTATUS(st) : -1);
    waitpid(c, NULL, 0);

    /* poll: EINTR even with SA_RESTART; transparent across stop/continue */
    struct pollfd pf = { .fd = p[0], .events = POLLIN };
    hits = 0;
    c = helper(SIGUSR1, 0, 30, p[1]);
    CHECK_RET("poll_sa_restart_handler", poll(&pf, 1, 2000));
    waitpid(c, NULL, 0);
    read(p[0], b, 1);
    c = helper(SIGSTOP, SIGCONT, 30, p[1]);
    CHECK_RET("poll_stop_cont", poll(&pf, 1, 2000));
    waitpid(c, NULL, 0);
    read(p[0], b, 1);
    c = helper(SIGCHLD, 0, 30, p[1]);
    CHECK_RET("poll_sigchld_default", poll(&pf, 1, 2000));
    waitpid(c, NULL, 0);
    read(p[0], b, 1);

    /* epoll_wait: EINTR for a handler and across a stop/continue, not for SIGCHLD */
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = p[0] }, out;
    SETUP(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    c = helper(SIGUSR1, 0, 30, p[1]);
    CHECK_RET("epoll_handler", epoll_wait(ep, &out, 1, 2000));
    waitpid(c, NULL, 0);
    read(p[0], b, 1);
    c = helper(SIGSTOP, SIGCONT, 30, p[1]);
    CHECK_RET("epoll_stop_cont", epoll_wait(ep, &out, 1, 2000));
    waitpid(c, NULL, 0);
    read(p[0], b, 1);
    c = helper(SIGCHLD, 0, 30, p[1]);
    CHECK_RET("epoll_sigchld_default", epoll_wait(ep, &out, 1, 2000));
    waitpid(c, NULL, 0);
    read(p[0], b, 1);
    FACT_INT("total_handler_hits", hits);
    DONE();
}
