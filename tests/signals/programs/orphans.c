/* Reparenting (prctl(2) PR_SET_CHILD_SUBREAPER, wait(2), signal(7)): an orphan goes to the subreaper, its exit signal becomes SIGCHLD, its parent-death signal fires with the dead parent as sender, and the new parent gets SIGCHLD for its stop (CLD_STOPPED), continue (CLD_CONTINUED) and exit (CLD_EXITED) with the orphan's pid and status (read with sigwaitinfo and with a handler), and wait reports each. */
#include "../../contract/lib/contract.h"
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static volatile sig_atomic_t h_code, h_pid, h_status, h_count;
static void h(int s, siginfo_t *si, void *u) { (void)s; (void)u; h_code = si->si_code; h_pid = si->si_pid; h_status = si->si_status; h_count++; }
static volatile sig_atomic_t death_pid, death_code;
static void hd(int s, siginfo_t *si, void *u) { (void)s; (void)u; death_pid = si->si_pid; death_code = si->si_code; }

static void collect(const char *tag, sigset_t *chld, pid_t g)
{
    siginfo_t si;
    struct timespec ts = { 10, 0 }; /* generous: a loaded machine */
    char k[48];
    snprintf(k, sizeof k, "%s_signo", tag);
    CHECK_RET(k, sigtimedwait(chld, &si, &ts));
    snprintf(k, sizeof k, "%s_code", tag); FACT_INT(k, si.si_code);
    snprintf(k, sizeof k, "%s_pid_ok", tag); FACT_BOOL(k, si.si_pid == g);
    snprintf(k, sizeof k, "%s_status", tag); FACT_INT(k, si.si_status);
}

int main(void)
{
    CHECK_RET("subreaper", prctl(PR_SET_CHILD_SUBREAPER, 1));
    struct sigaction sa = { .sa_sigaction = h, .sa_flags = SA_SIGINFO | SA_RESTART };
    sigaction(SIGCHLD, &sa, NULL);
    sigset_t chld; sigemptyset(&chld); sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    int ready[2], report[2], go[2], stop_go[2];
    SETUP(pipe(ready)); SETUP(pipe(report)); SETUP(pipe(go)); SETUP(pipe(stop_go));
    pid_t mid = fork();
    if (mid == 0) {
        long g = syscall(SYS_clone, SIGUSR2, 0, 0, 0, 0); /* exit signal SIGUSR2 */
        if (g == 0) {
            sigprocmask(SIG_UNBLOCK, &chld, NULL);
            struct sigaction d = { .sa_sigaction = hd, .sa_flags = SA_SIGINFO };
            sigaction(SIGUSR1, &d, NULL);
            prctl(PR_SET_PDEATHSIG, SIGUSR1);
            pid_t me = getpid(), parent = getppid();
            write(ready[1], &me, sizeof me); /* once for mid, once for main */
            write(ready[1], &me, sizeof me);
            for (int i = 0; i < 2000 && !death_pid; i++) sleep_ms(5);
            int r[2] = { death_pid == parent, death_code };
            write(report[1], r, sizeof r);
            char c;
            /* Stop only once main has taken mid's SIGCHLD: a second SIGCHLD pending at the
             * same time would merge into it (standard signals are not queued twice). */
            read(stop_go[0], &c, 1);
            kill(me, SIGSTOP); /* not raise(): musl's cached tid is the parent's after a raw clone */
            read(go[0], &c, 1);
            _exit(7);
        }
        pid_t gg;
        read(ready[0], &gg, sizeof gg);
        _exit(0);
    }
    int st;
    waitpid(mid, &st, 0);
    siginfo_t si;
    struct timespec ts = { 10, 0 }; /* generous: a loaded machine */
    CHECK_RET("mid_sigchld", sigtimedwait(&chld, &si, &ts));
    pid_t g;
    read(ready[0], &g, sizeof g);
    int r[2];
    read(report[0], r, sizeof r);
    FACT_INT("pdeathsig_sender_is_dead_parent", r[0]);
    FACT_INT("pdeathsig_si_code", r[1]);
    write(stop_go[1], "s", 1);
    collect("stop", &chld, g);
    CHECK_RET("wait_stopped", waitpid(g, &st, WUNTRACED) == g ? 0 : -1);
    FACT_BOOL("wifstopped", WIFSTOPPED(st));
    FACT_INT("wstopsig", WSTOPSIG(st));
    kill(g, SIGCONT);
    collect("cont", &chld, g);
    CHECK_RET("wait_continued", waitpid(g, &st, WCONTINUED) == g ? 0 : -1);
    FACT_BOOL("wifcontinued", WIFCONTINUED(st));
    write(go[1], "x", 1);
    sigset_t empty; sigemptyset(&empty);
    while (!h_count) sigsuspend(&empty);
    FACT_INT("exit_handler_code", h_code);
    FACT_BOOL("exit_handler_pid_ok", h_pid == g);
    FACT_INT("exit_handler_status", h_status);
    CHECK_RET("wait_exited", waitpid(g, &st, 0) == g ? 0 : -1);
    FACT_INT("exit_status", WEXITSTATUS(st));
    CHECK_RET("no_more_children", wait(NULL));
    DONE();
}
