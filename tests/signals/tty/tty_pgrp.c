/* tcgetpgrp(3)/tcsetpgrp(3) and termios job control on a controlling terminal (run on a pty): the caller's group is in the foreground; a child in its own group can be made the foreground and back; bad or foreign groups are ESRCH/EINVAL; a background group reading the terminal gets SIGTTIN, writing with TOSTOP gets SIGTTOU, and tcsetpgrp from the background with SIGTTOU blocked works. */
#include "../../contract/lib/contract.h"
#include <sys/wait.h>
#include <termios.h>

static int child_status(pid_t c)
{
    int st;
    if (waitpid(c, &st, WUNTRACED) != c) return -1;
    if (WIFSTOPPED(st)) { kill(c, SIGKILL); waitpid(c, NULL, 0); return 1000 + WSTOPSIG(st); }
    if (WIFSIGNALED(st)) return 2000 + WTERMSIG(st);
    return WEXITSTATUS(st);
}

int main(void)
{
    int tty = 0;
    FACT_BOOL("isatty", isatty(tty));
    FACT_BOOL("foreground_is_my_group", tcgetpgrp(tty) == getpgrp());
    signal(SIGTTOU, SIG_IGN);
    int go[2];
    SETUP(pipe(go));
    pid_t c = fork();
    if (c == 0) {
        setpgid(0, 0);
        char x;
        read(go[0], &x, 1);
        _exit(tcgetpgrp(0) == getpgrp() ? 0 : 1);
    }
    setpgid(c, c);
    CHECK_RET("set_child_foreground", tcsetpgrp(tty, c));
    FACT_BOOL("foreground_is_child", tcgetpgrp(tty) == c);
    write(go[1], "g", 1);
    FACT_INT("child_saw_itself_foreground", child_status(c));
    CHECK_RET("set_back", tcsetpgrp(tty, getpgrp()));
    FACT_BOOL("foreground_back", tcgetpgrp(tty) == getpgrp());
    CHECK_RET("set_missing_group", tcsetpgrp(tty, 0x3ffffff0));
    CHECK_RET("set_negative", tcsetpgrp(tty, -5));
    CHECK_RET("tcgetpgrp_not_tty", tcgetpgrp(go[0]));
    CHECK_RET("tcsetpgrp_not_tty", tcsetpgrp(go[0], getpgrp()));
    CHECK_RET("tcgetpgrp_bad_fd", tcgetpgrp(99));

    /* a background group that reads the terminal is stopped by SIGTTIN */
    c = fork();
    if (c == 0) {
        setpgid(0, 0);
        signal(SIGTTOU, SIG_DFL);
        char b[4];
        read(0, b, 1);
        _exit(0);
    }
    setpgid(c, c);
    FACT_INT("background_read", child_status(c));
    /* with TOSTOP, a background write is stopped by SIGTTOU */
    struct termios t, saved;
    tcgetattr(tty, &saved);
    t = saved;
    t.c_lflag |= TOSTOP;
    tcsetattr(tty, TCSANOW, &t);
    c = fork();
    if (c == 0) {
        setpgid(0, 0);
        signal(SIGTTOU, SIG_DFL);
        write(1, "", 0);
        write(1, "bg\n", 3);
        _exit(0);
    }
    setpgid(c, c);
    FACT_INT("background_write_tostop", child_status(c));
    tcsetattr(tty, TCSANOW, &saved);
    /* tcsetpgrp from the background: SIGTTOU, unless blocked or ignored */
    c = fork();
    if (c == 0) {
        setpgid(0, 0);
        signal(SIGTTOU, SIG_DFL);
        tcsetpgrp(0, getpgrp());
        _exit(0);
    }
    setpgid(c, c);
    FACT_INT("background_tcsetpgrp", child_status(c));
    c = fork();
    if (c == 0) {
        setpgid(0, 0);
        sigset_t m; sigemptyset(&m); sigaddset(&m, SIGTTOU);
        sigprocmask(SIG_BLOCK, &m, NULL);
        int r = tcsetpgrp(0, getpgrp());
        int fg = tcgetpgrp(0) == getpgrp();
        _exit(r == 0 && fg ? 0 : 1);
    }
    setpgid(c, c);
    FACT_INT("background_tcsetpgrp_blocked", child_status(c));
    /* a new session has no controlling terminal */
    c = fork();
    if (c == 0) {
        setsid();
        int a = tcgetpgrp(0) == -1 ? errno : 0;
        int b = tcsetpgrp(0, getpgrp()) == -1 ? errno : 0;
        _exit(a == ENOTTY && b == ENOTTY ? 0 : 1);
    }
    FACT_INT("new_session_has_no_tty", child_status(c));
    CHECK_RET("take_back", tcsetpgrp(tty, getpgrp()));
    FACT_BOOL("foreground_again", tcgetpgrp(tty) == getpgrp());
    DONE();
}
