/* signalfd(2) waits hear every sender of a blocked signal: another process's kill, an ITIMER_REAL expiry (the host kernel), a child's exit (SIGCHLD with its status), sigqueue and tgkill; a blocking read, poll, select and epoll_wait(-1) on a signalfd wake without polling; the caught signal stays pending until read (sigpending), no handler runs, the mask is unchanged; an unblocked signal with a handler interrupts a blocking read (EINTR, or a restart with SA_RESTART); two pending signals fit one read. */
#include "../../contract/lib/contract.h"
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

static volatile sig_atomic_t handled, term_seen;
static void count(int s) { (void)s; handled++; }
static void on_term(int s) { (void)s; term_seen++; }

static pid_t kill_later(int sig, int ms)
{
    pid_t parent = getpid();
    pid_t c = fork();
    if (c == 0) { sleep_ms(ms); kill(parent, sig); _exit(0); }
    return c;
}

static void arm_itimer(int ms)
{
    struct itimerval it = { { 0, 0 }, { 0, ms * 1000 } };
    setitimer(ITIMER_REAL, &it, NULL);
}

int main(void)
{
    struct sigaction sa = { .sa_handler = count };
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL);
    sigset_t m, cur;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR1); sigaddset(&m, SIGUSR2); sigaddset(&m, SIGALRM); sigaddset(&m, SIGCHLD);
    SETUP(sigprocmask(SIG_BLOCK, &m, NULL));
    int sfd = signalfd(-1, &m, 0);
    SETUP(sfd);
    struct signalfd_siginfo si;

    pid_t c = kill_later(SIGUSR1, 30);
    long t0 = mono_ms();
    CHECK_RET("read_kill_from_child", read(sfd, &si, sizeof si));
    FACT_BOOL("waited", mono_ms() - t0 >= 20);
    FACT_INT("kill_signo", si.ssi_signo);
    FACT_INT("kill_code", si.ssi_code);
    FACT_BOOL("kill_pid_is_child", si.ssi_pid == (unsigned)c);
    waitpid(c, NULL, 0);
    CHECK_RET("read_sigchld", read(sfd, &si, sizeof si));
    FACT_INT("chld_signo", si.ssi_signo);
    FACT_INT("chld_code", si.ssi_code);
    FACT_INT("chld_status", si.ssi_status);
    FACT_BOOL("chld_pid_is_child", si.ssi_pid == (unsigned)c);

    arm_itimer(20);
    CHECK_RET("read_itimer", read(sfd, &si, sizeof si));
    FACT_INT("alrm_signo", si.ssi_signo);
    FACT_INT("alrm_code", si.ssi_code);

    c = fork();
    if (c == 0) { sleep_ms(20); _exit(7); }
    CHECK_RET("read_child_exit", read(sfd, &si, sizeof si));
    FACT_INT("exit_signo", si.ssi_signo);
    FACT_INT("exit_code", si.ssi_code);
    FACT_INT("exit_status", si.ssi_status);
    FACT_BOOL("exit_pid_is_child", si.ssi_pid == (unsigned)c);
    waitpid(c, NULL, 0);

    /* poll(-1), select(NULL), epoll_wait(-1) */
    c = kill_later(SIGUSR2, 20);
    struct pollfd pf = { sfd, POLLIN, 0 };
    CHECK_RET("poll_forever", poll(&pf, 1, -1));
    FACT("poll_revents", "0x%x", pf.revents);
    sigpending(&cur);
    FACT_BOOL("still_pending_after_wake", sigismember(&cur, SIGUSR2));
    CHECK_RET("read_after_poll", read(sfd, &si, sizeof si));
    FACT_INT("poll_signo", si.ssi_signo);
    waitpid(c, NULL, 0);
    read(sfd, &si, sizeof si); /* its SIGCHLD */

    arm_itimer(20);
    fd_set r;
    FD_ZERO(&r); FD_SET(sfd, &r);
    CHECK_RET("select_forever", select(sfd + 1, &r, NULL, NULL, NULL));
    FACT_BOOL("select_set", FD_ISSET(sfd, &r));
    CHECK_RET("read_after_select", read(sfd, &si, sizeof si));

    int p[2];
    SETUP(pipe(p));
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 1 }, out[2];
    SETUP(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    ev.data.u32 = 2;
    SETUP(epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev));
    c = kill_later(SIGUSR1, 20);
    CHECK_RET("epoll_forever", epoll_wait(ep, out, 2, -1));
    FACT_INT("epoll_data", out[0].data.u32);
    waitpid(c, NULL, 0);
    CHECK_RET("epoll_level", epoll_wait(ep, out, 2, 0));
    sigset_t want; sigemptyset(&want); sigaddset(&want, SIGUSR1);
    FACT_BOOL("pending_before_read", (sigpending(&cur), sigismember(&cur, SIGUSR1)));
    struct signalfd_siginfo two[2];
    CHECK_RET("read_two_at_once", read(sfd, two, sizeof two));
    FACT_INT("two_first", two[0].ssi_signo);
    FACT_INT("two_second", two[1].ssi_signo);
    CHECK_RET("epoll_drained", epoll_wait(ep, out, 2, 0));
    /* epoll_wait with a timeout and nothing: times out */
    t0 = mono_ms();
    CHECK_RET("epoll_times_out", epoll_wait(ep, out, 2, 30));
    FACT_BOOL("epoll_waited", mono_ms() - t0 >= 20);

    /* from here on SIGCHLD stays out of the signalfd (children exit at racy moments) */
    sigset_t m2 = m;
    sigdelset(&m2, SIGCHLD);
    CHECK_RET("set_mask_same_fd", signalfd(sfd, &m2, 0) == sfd ? 0 : -1);
    struct sigaction dfl = { .sa_handler = SIG_DFL };
    sigaction(SIGCHLD, &dfl, NULL);

    /* sigqueue and tgkill through the signalfd */
    union sigval sv = { .sival_int = 77 };
    sigqueue(getpid(), SIGUSR2, sv);
    CHECK_RET("read_sigqueue", read(sfd, &si, sizeof si));
    FACT_INT("q_code", si.ssi_code);
    FACT_INT("q_int", si.ssi_int);
    FACT_BOOL("q_pid_self", si.ssi_pid == (unsigned)getpid());
    syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1);
    CHECK_RET("read_tgkill", read(sfd, &si, sizeof si));
    FACT_INT("tk_code", si.ssi_code);
    FACT_BOOL("tk_pid_self", si.ssi_pid == (unsigned)getpid());

    /* an unblocked signal with a handler interrupts a blocking signalfd read */
    struct sigaction st = { .sa_handler = on_term };
    sigaction(SIGTERM, &st, NULL);
    c = kill_later(SIGTERM, 20);
    CHECK_RET("read_interrupted", read(sfd, &si, sizeof si));
    FACT_INT("term_seen", term_seen);
    waitpid(c, NULL, 0);
    st.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &st, NULL);
    c = kill_later(SIGTERM, 20);
    pid_t c2 = kill_later(SIGUSR2, 60);
    CHECK_RET("read_restarted", read(sfd, &si, sizeof si));
    FACT_INT("restarted_signo", si.ssi_signo);
    FACT_INT("term_seen_again", term_seen);
    waitpid(c, NULL, 0); waitpid(c2, NULL, 0);

    sigset_t chld; sigemptyset(&chld); sigaddset(&chld, SIGCHLD);
    int signo = 0;
    while (sigpending(&cur) == 0 && sigismember(&cur, SIGCHLD)) sigwait(&chld, &signo);
    sigprocmask(SIG_BLOCK, NULL, &cur);
    FACT_BOOL("mask_unchanged", sigismember(&cur, SIGUSR1) && sigismember(&cur, SIGALRM)
              && sigismember(&cur, SIGCHLD) && !sigismember(&cur, SIGTERM));
    FACT_INT("handlers_never_ran", handled);
    DONE();
}
