/* What a signal does to a waiting readiness or event call (signal(7)): poll, select and epoll_wait fail with EINTR when a handler runs, even with SA_RESTART; a signal without a handler (SIGCHLD ignored by default) does not end them; after SIGSTOP/SIGCONT poll and select go on but epoll_wait fails with EINTR; select, pselect6 and ppoll write back the time left; reads of eventfd, timerfd, signalfd and inotify are restarted with SA_RESTART and fail with EINTR without it; a temporary mask that blocks the signal defers its handler until the call returns. */
#include "../../contract/lib/contract.h"
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <stdint.h>

static volatile sig_atomic_t usr1;
static void on_usr1(int s) { (void)s; usr1++; }

static pid_t signal_later(int sig, int ms)
{
    pid_t parent = getpid(), c = fork();
    if (c == 0) { sleep_ms(ms); kill(parent, sig); _exit(0); }
    return c;
}

static void handler(int flags)
{
    struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = flags };
    sigaction(SIGUSR1, &sa, NULL);
}

/* a child waits in one of the calls for 400 ms; the parent stops and continues it */
static int stop_cont(const char *how)
{
    int p[2];
    SETUP(pipe(p));
    pid_t c = fork();
    if (c == 0) {
        long r;
        struct pollfd pf = { p[0], POLLIN, 0 };
        int ep = epoll_create1(0);
        struct epoll_event ev = { .events = EPOLLIN }, out[1];
        epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
        long t0 = mono_ms();
        if (!strcmp(how, "poll")) r = poll(&pf, 1, 400);
        else if (!strcmp(how, "epoll")) r = epoll_wait(ep, out, 1, 400);
        else { fd_set s; FD_ZERO(&s); FD_SET(p[0], &s); struct timeval tv = { 0, 400000 }; r = select(p[0] + 1, &s, NULL, NULL, &tv); }
        _exit(r == -1 && errno == EINTR ? 1 : r == 0 && mono_ms() - t0 >= 350 ? 2 : 3);
    }
    sleep_ms(60);
    kill(c, SIGSTOP);
    int st;
    waitpid(c, &st, WUNTRACED);
    sleep_ms(20);
    kill(c, SIGCONT);
    waitpid(c, &st, 0);
    close(p[0]); close(p[1]);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(void)
{
    int p[2];
    SETUP(pipe(p));
    struct pollfd pf = { p[0], POLLIN, 0 };
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN }, out[2];
    SETUP(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));

    handler(SA_RESTART);
    pid_t c = signal_later(SIGUSR1, 40);
    CHECK_RET("poll_handler_sa_restart", poll(&pf, 1, 2000));
    waitpid(c, NULL, 0);
    c = signal_later(SIGUSR1, 40);
    CHECK_RET("epoll_handler_sa_restart", epoll_wait(ep, out, 2, 2000));
    waitpid(c, NULL, 0);
    fd_set s;
    FD_ZERO(&s); FD_SET(p[0], &s);
    struct timeval tv = { 2, 0 };
    c = signal_later(SIGUSR1, 40);
    CHECK_RET("select_handler", syscall(SYS_select, p[0] + 1, &s, NULL, NULL, &tv));
    FACT_BOOL("select_time_left_written", tv.tv_sec == 1 && tv.tv_usec > 0);
    FACT_BOOL("select_set_untouched_on_eintr", FD_ISSET(p[0], &s));
    waitpid(c, NULL, 0);
    struct timespec ts = { 2, 0 };
    c = signal_later(SIGUSR1, 40);
    CHECK_RET("ppoll_handler", syscall(SYS_ppoll, &pf, 1, &ts, NULL, 8));
    FACT_BOOL("ppoll_time_left_written", ts.tv_sec == 1 && ts.tv_nsec > 0);
    waitpid(c, NULL, 0);
    FD_ZERO(&s); FD_SET(p[0], &s);
    ts.tv_sec = 2; ts.tv_nsec = 0;
    c = signal_later(SIGUSR1, 40);
    CHECK_RET("pselect6_handler", syscall(SYS_pselect6, p[0] + 1, &s, NULL, NULL, &ts, NULL));
    FACT_BOOL("pselect6_time_left_written", ts.tv_sec == 1 && ts.tv_nsec > 0);
    waitpid(c, NULL, 0);

    /* SIGCHLD, default-ignored, does not end a wait */
    c = fork();
    if (c == 0) { sleep_ms(30); _exit(0); }
    long t0 = mono_ms();
    CHECK_RET("poll_through_sigchld", poll(&pf, 1, 150));
    FACT_BOOL("poll_full_timeout", mono_ms() - t0 >= 140);
    waitpid(c, NULL, 0);
    c = fork();
    if (c == 0) { sleep_ms(30); _exit(0); }
    t0 = mono_ms();
    CHECK_RET("epoll_through_sigchld", epoll_wait(ep, out, 2, 150));
    FACT_BOOL("epoll_full_timeout", mono_ms() - t0 >= 140);
    waitpid(c, NULL, 0);

    /* stop and continue */
    FACT_INT("poll_after_stop_cont", stop_cont("poll"));
    FACT_INT("select_after_stop_cont", stop_cont("select"));
    FACT_INT("epoll_after_stop_cont", stop_cont("epoll"));

    /* event file reads: restarted with SA_RESTART, EINTR without */
    int efd = eventfd(0, 0);
    int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
    int ifd = inotify_init1(0);
    SETUP(mkdir("w", 0755));
    SETUP(inotify_add_watch(ifd, "w", IN_CREATE));
    uint64_t v;
    char buf[256];
    for (int restart = 0; restart < 2; restart++) {
        handler(restart ? SA_RESTART : 0);
        char key[48];
        c = signal_later(SIGUSR1, 30);
        pid_t w = fork();
        if (w == 0) { sleep_ms(120); uint64_t one = 5; write(efd, &one, 8); _exit(0); }
        snprintf(key, sizeof key, "eventfd_read_restart%d", restart);
        CHECK_RET(key, read(efd, &v, 8));
        waitpid(c, NULL, 0); waitpid(w, NULL, 0);
        if (!restart) read(efd, &v, 8);
        struct itimerspec its = { { 0, 0 }, { 0, 120000000 } };
        timerfd_settime(tfd, 0, &its, NULL);
        c = signal_later(SIGUSR1, 30);
        snprintf(key, sizeof key, "timerfd_read_restart%d", restart);
        CHECK_RET(key, read(tfd, &v, 8));
        waitpid(c, NULL, 0);
        if (!restart) read(tfd, &v, 8);
        c = signal_later(SIGUSR1, 30);
        w = fork();
        if (w == 0) { sleep_ms(120); close(open("w/x", O_CREAT | O_WRONLY, 0644)); unlink("w/x"); _exit(0); }
        snprintf(key, sizeof key, "inotify_read_restart%d", restart);
        CHECK_RET(key, read(ifd, buf, sizeof buf) > 0 ? 1 : -1);
        waitpid(c, NULL, 0); waitpid(w, NULL, 0);
        if (!restart) read(ifd, buf, sizeof buf);
        /* a blocked eventfd write (counter full) */
        uint64_t big = 0xfffffffffffffffeULL;
        write(efd, &big, 8);
        c = signal_later(SIGUSR1, 30);
        w = fork();
        if (w == 0) { sleep_ms(120); uint64_t x; read(efd, &x, 8); _exit(0); }
        uint64_t one = 1;
        snprintf(key, sizeof key, "eventfd_write_restart%d", restart);
        CHECK_RET(key, write(efd, &one, 8));
        waitpid(c, NULL, 0); waitpid(w, NULL, 0);
        if (restart) read(efd, &v, 8);
    }
    FACT_INT("handlers_ran", usr1);

    /* a temporary mask that blocks the signal: the call times out, the handler runs after */
    usr1 = 0;
    sigset_t blk;
    sigemptyset(&blk); sigaddset(&blk, SIGUSR1);
    c = signal_later(SIGUSR1, 30);
    CHECK_RET("epoll_pwait_masked", epoll_pwait(ep, out, 2, 150, &blk));
    FACT_INT("handler_after_return", usr1);
    waitpid(c, NULL, 0);
    usr1 = 0;
    struct timespec t150 = { 0, 150000000 };
    c = signal_later(SIGUSR1, 30);
    CHECK_RET("ppoll_masked", ppoll(&pf, 1, &t150, &blk));
    FACT_INT("handler_after_ppoll", usr1);
    waitpid(c, NULL, 0);
    /* the temporary mask unblocks: a signal arriving mid-wait interrupts */
    sigprocmask(SIG_BLOCK, &blk, NULL);
    sigset_t none;
    sigemptyset(&none);
    usr1 = 0;
    c = signal_later(SIGUSR1, 30);
    CHECK_RET("ppoll_unmasked_midwait", ppoll(&pf, 1, NULL, &none));
    FACT_INT("handler_ran_midwait", usr1);
    waitpid(c, NULL, 0);
    usr1 = 0;
    c = signal_later(SIGUSR1, 30);
    CHECK_RET("epoll_pwait_unmasked_midwait", epoll_pwait(ep, out, 2, -1, &none));
    FACT_INT("epoll_handler_ran_midwait", usr1);
    waitpid(c, NULL, 0);
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    FACT_BOOL("mask_kept", sigismember(&cur, SIGUSR1));
    DONE();
}
