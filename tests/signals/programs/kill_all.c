/* kill(2) with pid -1 (run as pid 1 of a pid namespace): every process but pid 1 and the sender gets the signal with si_code SI_USER and the sender's pid and uid; zombies count as targets; an unprivileged sender that may signal no one still gets 0; with nobody left it is ESRCH. */
#include "../../contract/lib/contract.h"
#include <sys/wait.h>

static volatile sig_atomic_t got_code = -1, got_pid, got_uid;
static void h(int s, siginfo_t *si, void *u) { (void)s; (void)u; got_code = si->si_code; got_pid = si->si_pid; got_uid = si->si_uid; }

int main(void)
{
    FACT_BOOL("i_am_pid_1", getpid() == 1);
    struct sigaction sa = { .sa_sigaction = h, .sa_flags = SA_SIGINFO };
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t m; sigemptyset(&m); sigaddset(&m, SIGUSR1);
    sigprocmask(SIG_BLOCK, &m, NULL);
    CHECK_RET("alone", kill(-1, 0));
    int rep[2], res[2], go[2];
    SETUP(pipe(rep)); SETUP(pipe(res)); SETUP(pipe(go));
    pid_t t[2];
    for (int i = 0; i < 2; i++) {
        t[i] = fork();
        if (t[i] == 0) {
            sigset_t e; sigemptyset(&e);
            sigsuspend(&e);
            int r[3] = { got_code, got_pid, got_uid };
            write(rep[1], r, sizeof r);
            _exit(0);
        }
    }
    pid_t sender = fork();
    if (sender == 0) {
        char c;
        read(go[0], &c, 1);
        int r = kill(-1, SIGUSR1) == 0 ? 0 : errno;
        write(res[1], &r, sizeof r);
        _exit(0);
    }
    write(go[1], "g", 1);
    int r;
    read(res[0], &r, sizeof r);
    FACT_ERRNO("sender_result", r);
    int f0[3], f1[3];
    for (int i = 0; i < 2; i++) {
        int f[3];
        read(rep[0], f, sizeof f);
        memcpy(i ? f1 : f0, f, sizeof f);
    }
    for (int i = 0; i < 2; i++) {
        int *f = i ? f1 : f0;
        char k[48];
        snprintf(k, sizeof k, "target%d_si_code", i); FACT_INT(k, f[0]);
        snprintf(k, sizeof k, "target%d_si_pid_is_sender", i); FACT_BOOL(k, f[1] == sender);
        snprintf(k, sizeof k, "target%d_si_uid", i); FACT_INT(k, f[2]);
    }
    for (int i = 0; i < 2; i++) waitpid(t[i], NULL, 0);
    waitpid(sender, NULL, 0);
    FACT("pid1_not_signalled", "%d", (sigpending(&m), !sigismember(&m, SIGUSR1)));
    /* a zombie is a target; an unprivileged sender that may signal nobody gets 0 */
    pid_t z = fork();
    if (z == 0) _exit(0);
    sleep_ms(50);
    CHECK_RET("zombie_is_target", kill(-1, 0));
    pid_t nobody = fork();
    if (nobody == 0) {
        setuid(65534);
        int e = kill(-1, SIGUSR1) == 0 ? 0 : errno;
        _exit(e);
    }
    int st;
    waitpid(nobody, &st, 0);
    FACT_ERRNO("nobody_kill_all", WEXITSTATUS(st));
    CHECK_RET("bad_signal", kill(-1, 65));
    waitpid(z, NULL, 0);
    CHECK_RET("alone_again", kill(-1, 0));
    DONE();
}
