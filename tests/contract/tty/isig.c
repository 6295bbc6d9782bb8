/* n_tty ISIG and tty job control on a pty: a session leader that opens the slave
 * without O_NOCTTY gets it as controlling tty (TIOCGSID, TIOCGPGRP, /dev/tty), VINTR,
 * VQUIT and VSUSP signal the foreground group (SI_KERNEL, si_pid 0) with "^C" echoed and
 * input flushed, NOFLSH keeps it, tcsetpgrp's checks, TIOCSWINSZ sends SIGWINCH only
 * when the size changes, TIOCNOTTY. */
#include "pty.h"
#include <sys/sysmacros.h>
#include <time.h>

static volatile sig_atomic_t got_sig, got_code, got_pid;

static void handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    got_sig = sig;
    got_code = si->si_code;
    got_pid = si->si_pid;
}

/* The child reports through this pipe: one byte per fact, in order. */
static int rep[2], go[2];

static void say(int v)
{
    char c = (char)v;
    if (write(rep[1], &c, 1) != 1)
        _exit(99);
}

static void wait_go(void)
{
    char c;
    int r;
    while ((r = read(go[0], &c, 1)) < 0 && errno == EINTR)
        ;
    if (r != 1)
        _exit(98);
}

static int hear(void)
{
    char c;
    return read(rep[0], &c, 1) == 1 ? (signed char)c : -100;
}

static void child(const char *path, const char *pts)
{
    close(rep[0]);
    close(go[1]);
    struct sigaction sa = { 0 };
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGINT, &sa, 0);
    sigaction(SIGQUIT, &sa, 0);
    sigaction(SIGTSTP, &sa, 0);
    sigaction(SIGWINCH, &sa, 0);
    say(setsid() == getpid());
    say(open("/dev/tty", O_RDWR) < 0 ? errno : 0);          /* no ctty yet: ENXIO */
    int s = open(path, O_RDWR);
    say(s >= 0);
    pid_t sid = -1, pg = -1;
    say(ioctl(s, TIOCGSID, &sid) == 0 && sid == getpid());
    say(ioctl(s, TIOCGPGRP, &pg) == 0 && pg == getpgrp());
    say(tcgetpgrp(s) == getpgrp());
    int t = open("/dev/tty", O_RDWR);
    struct stat a, b;
    unsigned dev = 0;
    say(t >= 0 && fstat(t, &a) == 0 && major(a.st_rdev) == 5 && minor(a.st_rdev) == 0);
    say(ioctl(t, TIOCGDEV, &dev) == 0 && fstat(s, &b) == 0 && dev == b.st_rdev);
    char *tn = ttyname(t);
    say(tn && !strcmp(tn, "/dev/tty"));
    say(ttyname(s) && !strcmp(ttyname(s), pts));
    char stat_line[512] = "";
    int sf = open("/proc/self/stat", O_RDONLY);
    if (sf >= 0 && read(sf, stat_line, sizeof stat_line - 1) > 0) {
        int tty_nr = 0, tpgid = 0;
        char *after = strrchr(stat_line, ')');
        sscanf(after ? after + 2 : "", "%*c %*d %*d %*d %d %d", &tty_nr, &tpgid);
        say((unsigned)tty_nr == b.st_rdev && tpgid == getpgrp());
    } else
        say(0);
    say(tcsetpgrp(s, 99999) < 0 ? errno : 0);                /* ESRCH */
    say(tcsetpgrp(s, -1) < 0 ? errno : 0);                   /* EINVAL */
    say(tcsetpgrp(s, getpgrp()));
    /* A group whose only member is a zombie still exists; so does a non-leader's pid. */
    pid_t z = fork();
    if (z == 0) {
        setpgid(0, 0);
        _exit(0);
    }
    setpgid(z, z);
    siginfo_t zi;
    waitid(P_PID, z, &zi, WEXITED | WNOWAIT);
    say(tcsetpgrp(s, z) < 0 ? errno : 0);
    say(tcgetpgrp(s) == z);
    waitpid(z, 0, 0);
    /* Now in the background of an orphaned group: tty_check_change's EIO, as ENOTTY. */
    say(tcsetpgrp(s, getpgrp()) < 0 ? errno : 0);
    sigset_t ttou;
    sigemptyset(&ttou);
    sigaddset(&ttou, SIGTTOU);
    sigprocmask(SIG_BLOCK, &ttou, 0);                         /* blocked: let through */
    say(tcsetpgrp(s, z) < 0 ? errno : 0);                    /* reaped: ESRCH */
    int hold[2];
    pipe(hold);
    pid_t member = fork();
    if (member == 0) {
        char c;
        close(hold[1]);
        _exit(read(hold[0], &c, 1));
    }
    close(hold[0]);
    say(tcsetpgrp(s, member) < 0 ? errno : 0);
    say(tcgetpgrp(s) == member);
    close(hold[1]);
    waitpid(member, 0, 0);
    say(tcsetpgrp(s, getpgrp()));
    sigprocmask(SIG_UNBLOCK, &ttou, 0);
    say(ioctl(s, TIOCSCTTY, 0));                              /* already ours: 0 */
    /* Signals from the keyboard: each read is interrupted by the handler. */
    for (int i = 0; i < 3; i++) {
        got_sig = 0;
        say(1);  /* ready for the next character */
        char buf[16];
        int r = read(s, buf, sizeof buf);
        say(r < 0 ? errno : 100 + r);
        say(got_sig);
        say(got_code == 0x80);
        say(got_pid);
    }
    /* NOFLSH: the typed-ahead input survives ^C. */
    struct termios tio;
    tcgetattr(s, &tio);
    tio.c_lflag |= NOFLSH;
    tcsetattr(s, TCSANOW, &tio);
    say(1);
    wait_go();
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGWINCH);
    sigprocmask(SIG_BLOCK, &set, 0);
    say(1);
    struct timespec ts = { 1, 0 };
    siginfo_t si;
    say(sigtimedwait(&set, &si, &ts));
    say(si.si_code == 0x80);
    struct timespec short_ts = { 0, 50 * 1000000 };
    say(sigtimedwait(&set, &si, &short_ts) < 0 ? errno : 0); /* same size: EAGAIN */
    signal(SIGHUP, SIG_IGN);  /* a leader's TIOCNOTTY hangs up its foreground group */
    say(ioctl(t, TIOCNOTTY) == 0);
    say(open("/dev/tty", O_RDWR) < 0 ? errno : 0);
    _exit(0);
}

int main(void)
{
    int m;
    SETUP(m = posix_openpt(O_RDWR | O_NOCTTY));
    SETUP(grantpt(m));
    SETUP(unlockpt(m));
    char path[64];
    snprintf(path, sizeof path, "%s", ptsname(m));
    SETUP(pipe(rep));
    SETUP(pipe(go));
    pid_t pid;
    SETUP(pid = fork());
    if (pid == 0)
        child(path, path);
    close(rep[1]);
    close(go[0]);
    const char *names[] = { "setsid", "tty_before", "open_slave", "gsid", "gpgrp", "tcgetpgrp",
                            "dev_tty_is_5_0", "dev_tty_gdev_slave", "ttyname_dev_tty", "ttyname_slave", "proc_stat_tty",
                            "spgrp_nogroup", "spgrp_negative", "spgrp_self", "spgrp_zombie_group",
                            "gpgrp_zombie_group", "spgrp_background_orphaned", "spgrp_reaped", "spgrp_non_leader",
                            "gpgrp_non_leader", "spgrp_back", "sctty_again" };
    for (unsigned i = 0; i < sizeof names / sizeof *names; i++) {
        int v = hear();
        printf("%s=%s\n", names[i], v > 1 ? errname(v) : (v == 1 ? "1" : v == 0 ? "0" : "bad"));
    }
    pid_t fg = -1;
    CHECK_RET("master_gpgrp", ioctl(m, TIOCGPGRP, &fg));
    FACT_BOOL("master_gpgrp_child", fg == pid);
    pid_t sid = -1;
    CHECK_RET("master_gsid", ioctl(m, TIOCGSID, &sid));
    FACT_BOOL("master_gsid_child", sid == pid);
    CHECK_RET("parent_gpgrp_slave", tcgetpgrp(open(path, O_RDWR | O_NOCTTY)));
    const char *keys[] = { "intr", "quit", "susp" };
    const char chars[] = { 3, 28, 26 };
    for (int i = 0; i < 3; i++) {
        char buf[64];
        FACT_INT("ready", hear());
        SETUP(write(m, "typed", 5));
        int n = drain(m, buf, sizeof buf);  /* the echo, before the signal character */
        fact_bytes("typed_echo", buf, n);
        SETUP(write(m, &chars[i], 1));
        int r = hear();
        printf("%s_read=%s\n", keys[i], r >= 100 ? "data" : errname(r));
        FACT_INT("sig", hear());
        FACT_INT("si_kernel", hear());
        FACT_INT("si_pid", hear());
        n = drain(m, buf, sizeof buf);
        fact_bytes("echo", buf, n);
    }
    FACT_INT("ready_noflsh", hear());
    SETUP(write(m, "ab\x03" "cd\n", 6));  /* one write: one receive_buf batch */
    char buf[64];
    int n = drain(m, buf, sizeof buf);
    fact_bytes("noflsh_echo", buf, n);
    int s2;
    SETUP(s2 = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK));
    SETUP(wait_in(s2));
    n = read(s2, buf, sizeof buf);
    fact_bytes("noflsh_kept", buf, n < 0 ? 0 : n);
    SETUP(write(go[1], "g", 1));
    FACT_INT("winch_ready", hear());
    struct winsize w = { 30, 100, 0, 0 };
    CHECK_RET("swinsz", ioctl(m, TIOCSWINSZ, &w));
    FACT_INT("winch", hear());
    FACT_INT("winch_si_kernel", hear());
    CHECK_RET("swinsz_same", ioctl(m, TIOCSWINSZ, &w));
    FACT_ERRNO("winch_again", hear());
    FACT_INT("notty", hear());
    FACT_ERRNO("tty_after_notty", hear());
    int st;
    SETUP(waitpid(pid, &st, 0));
    FACT("child", "exited=%d status=%d", WIFEXITED(st), WEXITSTATUS(st));
    pid_t pg = -1;
    CHECK_RET("gpgrp_after_notty", ioctl(m, TIOCGPGRP, &pg));
    FACT_INT("pgrp_after_notty", pg);
    CHECK_RET("gsid_after_notty", ioctl(m, TIOCGSID, &sid));
    DONE();
}
