/* kill(2): pid 0 signals every member of the caller's process group (K=killed by it), -pgid a given group, sig 0 probes existence (ESRCH when gone), invalid signal EINVAL; kill(-1, 0) succeeds. */
#include "../lib/contract.h"
#include <sys/wait.h>

int main(void)
{
    /* run inside a child that leads its own process group so kill(0) stays contained */
    int p[2];
    SETUP(pipe(p));
    pid_t leader = fork();
    if (leader == 0) {
        setpgid(0, 0);
        pid_t kids[2];
        for (int i = 0; i < 2; i++) {
            kids[i] = fork();
            if (kids[i] == 0) { for (;;) pause(); }
        }
        signal(SIGUSR1, SIG_IGN);   /* the children keep the default action */
        char r[8];
        int st, n = 0;
        r[n++] = kill(0, SIGUSR1) == 0 ? '0' : 'E';
        for (int i = 0; i < 2; i++) {
            waitpid(kids[i], &st, 0);
            r[n++] = WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1 ? 'K' : 'n';
        }
        pid_t g = fork();
        if (g == 0) { for (;;) pause(); }
        sigset_t t; sigemptyset(&t); sigaddset(&t, SIGTERM);
        sigprocmask(SIG_BLOCK, &t, NULL);
        r[n++] = kill(-getpgrp(), SIGTERM) == 0 ? '0' : 'E';
        waitpid(g, &st, 0);
        r[n++] = WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM ? 'K' : 'n';
        write(p[1], r, n);
        sigprocmask(SIG_UNBLOCK, &t, NULL);   /* our own pending SIGTERM now kills us */
        _exit(0);
    }
    close(p[1]);
    char r[8] = {0};
    int st;
    waitpid(leader, &st, 0);
    read(p[0], r, sizeof r - 1);
    FACT("kill0_ret", "%c", r[0]);
    FACT("group_member1", "%c", r[1]);
    FACT("group_member2", "%c", r[2]);
    FACT_BOOL("leader_killed_by_its_group_sigterm", WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
    FACT("kill_neg_pgid_ret", "%c", r[3]);
    FACT("kill_neg_pgid_member", "%c", r[4]);
    CHECK_RET("probe_self", kill(getpid(), 0));
    CHECK_RET("probe_reaped_child", kill(leader, 0));
    CHECK_RET("invalid_signal", kill(getpid(), 65));
    CHECK_RET("negative_signal", kill(getpid(), -1));
    CHECK_RET("kill_minus1_sig0", kill(-1, 0));
    CHECK_RET("kill_nonexistent_group", kill(-0x3ffffff0, 0));
    DONE();
}
