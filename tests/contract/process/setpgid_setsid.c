/* setpgid(2)/setsid(2)/getsid(2): a child can create its own group, setsid fails EPERM for a group leader and succeeds in a fresh child (sid == pgid == pid), setpgid to another session's group is EPERM, ESRCH for unknown pids. */
#include "../lib/contract.h"
#include <sys/wait.h>

int main(void)
{
    pid_t c = fork();
    if (c == 0) {
        int code = 0;
        if (setpgid(0, 0) == 0) code |= 1;
        if (getpgrp() == getpid()) code |= 2;
        if (setsid() == -1 && errno == EPERM) code |= 4;
        _exit(code);
    }
    int st;
    waitpid(c, &st, 0);
    FACT_BOOL("setpgid_self", WEXITSTATUS(st) & 1);
    FACT_BOOL("getpgrp_is_pid", WEXITSTATUS(st) & 2);
    FACT_BOOL("setsid_group_leader_eperm", WEXITSTATUS(st) & 4);
    int p[2];
    SETUP(pipe(p));
    c = fork();
    if (c == 0) {
        int code = 0;
        pid_t s = setsid();
        if (s == getpid()) code |= 1;
        if (getsid(0) == getpid()) code |= 2;
        if (getpgrp() == getpid()) code |= 4;
        if (setpgid(0, getppid()) == -1 && errno == EPERM) code |= 8;
        char b = (char)code;
        write(p[1], &b, 1);
        pause();
        _exit(0);
    }
    char b = 0;
    read(p[0], &b, 1);
    FACT_BOOL("setsid_returns_pid", b & 1);
    FACT_BOOL("getsid_is_pid", b & 2);
    FACT_BOOL("new_session_new_group", b & 4);
    FACT_BOOL("setpgid_other_session_eperm", b & 8);
    CHECK_RET("parent_setpgid_child_other_session", setpgid(c, c));
    FACT_BOOL("getsid_of_child", getsid(c) == c);
    kill(c, SIGKILL);
    waitpid(c, NULL, 0);
    CHECK_RET("getsid_missing", getsid(0x3ffffff0));
    CHECK_RET("setpgid_missing", setpgid(0x3ffffff0, 0));
    CHECK_RET("setpgid_negative", setpgid(0, -1));
    CHECK_RET("getpgid_missing", getpgid(0x3ffffff0));
    FACT_BOOL("getpgid0_is_getpgrp", getpgid(0) == getpgrp());
    DONE();
}
