/* tty_check_change and n_tty job control on a pty: in a session whose leader keeps the
 * foreground, a background group (not orphaned) that reads its controlling tty is stopped
 * by SIGTTIN and its read restarts when it is continued in the foreground; with TOSTOP a
 * background write stops it with SIGTTOU, as tcsetattr from the background does; an
 * ignored SIGTTIN makes the read EIO, an ignored SIGTTOU lets the write through. */
#include "pty.h"

static int rep[2];

static void say(int v)
{
    char c = (char)v;
    if (write(rep[1], &c, 1) != 1)
        _exit(99);
}

/* A child in a new background group; what it does is `job`, its exit code the result. */
static pid_t background(int s, int job)
{
    pid_t pid = fork();
    if (pid)
        return pid;
    setpgid(0, 0);
    char buf[16];
    struct termios t;
    switch (job) {
    case 0:
        _exit(read(s, buf, sizeof buf));
    case 1:
        _exit(write(s, "w\n", 2));
    case 2:
        tcgetattr(s, &t);
        _exit(tcsetattr(s, TCSANOW, &t) == 0 ? 7 : 8);
    case 3:
        signal(SIGTTIN, SIG_IGN);
        _exit(read(s, buf, sizeof buf) < 0 ? errno : 0);
    default:
        signal(SIGTTOU, SIG_IGN);
        _exit(write(s, "i\n", 2));
    }
}

static void stop_then_continue(int m, int s, int job, const char *input)
{
    pid_t b = background(s, job);
    int st;
    setpgid(b, b);
    waitpid(b, &st, WUNTRACED);
    say(WIFSTOPPED(st) ? WSTOPSIG(st) : -1);
    say(tcsetpgrp(s, b));          /* the leader is in the foreground: allowed */
    if (input)
        say(write(m, input, strlen(input)));
    kill(b, SIGCONT);
    waitpid(b, &st, 0);
    say(WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));
    signal(SIGTTOU, SIG_IGN);      /* take the foreground back from the background */
    say(tcsetpgrp(s, getpgrp()));
    signal(SIGTTOU, SIG_DFL);
}

int main(void)
{
    int m;
    SETUP(m = posix_openpt(O_RDWR | O_NOCTTY));
    SETUP(unlockpt(m));
    SETUP(pipe(rep));
    pid_t leader;
    SETUP(leader = fork());
    if (leader == 0) {
        close(rep[0]);
        setsid();
        int s = open(ptsname(m), O_RDWR);
        say(s >= 0 && tcgetpgrp(s) == getpgrp());
        stop_then_continue(m, s, 0, "in\n");
        struct termios t;
        tcgetattr(s, &t);
        t.c_lflag |= TOSTOP;
        tcsetattr(s, TCSANOW, &t);
        stop_then_continue(m, s, 1, NULL);
        stop_then_continue(m, s, 2, NULL);
        pid_t b = background(s, 3);
        int st;
        waitpid(b, &st, 0);
        say(WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        b = background(s, 4);
        waitpid(b, &st, 0);
        say(WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        _exit(0);
    }
    close(rep[1]);
    const char *keys[] = { "leader_fg",
        "read_stopped_by", "read_fg", "read_input", "read_result", "read_back",
        "write_stopped_by", "write_fg", "write_result", "write_back",
        "tcsetattr_stopped_by", "tcsetattr_fg", "tcsetattr_result", "tcsetattr_back",
        "ttin_ignored_read", "ttou_ignored_write" };
    for (unsigned i = 0; i < sizeof keys / sizeof *keys; i++) {
        signed char c;
        if (read(rep[0], &c, 1) != 1) {
            printf("%s=missing\n", keys[i]);
            break;
        }
        if (i == 14)
            FACT_ERRNO(keys[i], c);
        else
            FACT_INT(keys[i], c);
    }
    int st;
    SETUP(waitpid(leader, &st, 0));
    FACT("leader", "exited=%d status=%d", WIFEXITED(st), WEXITSTATUS(st));
    char buf[256];
    int n = drain(m, buf, sizeof buf);
    fact_bytes("master_saw", buf, n);
    DONE();
}
