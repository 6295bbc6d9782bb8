/* pty hangups: the slave's last close makes the master read what is left, then EIO,
 * with POLLHUP until a slave opens again; the master's last close hangs the slave up
 * (read 0, write and ioctls EIO, TIOCSPGRP ENOTTY, poll IN|OUT|ERR|HUP), removes the
 * node, and sends SIGHUP then SIGCONT to the session leader whose ctty it was. */
#include "pty.h"

static const char *pollbits(short r)
{
    static char b[64];
    snprintf(b, sizeof b, "%s%s%s%s%s", r & POLLIN ? "IN," : "", r & POLLOUT ? "OUT," : "",
             r & POLLERR ? "ERR," : "", r & POLLHUP ? "HUP," : "", r & POLLNVAL ? "NVAL," : "");
    return b;
}

static const char *poll_now(int fd)
{
    struct pollfd p = { fd, POLLIN | POLLOUT, 0 };
    poll(&p, 1, 0);
    return pollbits(p.revents);
}

int main(void)
{
    int m, s;
    open_pair(&m, &s, 0);
    char buf[64];
    FACT_STR("master_poll_open", poll_now(m));
    FACT_STR("slave_poll_open", poll_now(s));
    SETUP(write(s, "bye\n", 4));
    SETUP(wait_in(m));
    close(s);
    FACT_STR("master_poll_data_hup", poll_now(m));
    int r = read(m, buf, sizeof buf);
    fact_bytes("master_read_left", buf, r < 0 ? 0 : r);
    FACT_STR("master_poll_hup", poll_now(m));
    CHECK_RET("master_read_hup", read(m, buf, sizeof buf));
    CHECK_RET("master_write_hup", write(m, "x\n", 2));
    SETUP(s = open(ptsname(m), O_RDWR | O_NOCTTY));
    struct pollfd pm = { m, POLLOUT, 0 };
    poll(&pm, 1, 0);
    FACT_BOOL("master_hup_cleared", !(pm.revents & POLLHUP));
    SETUP(wait_in(s));
    r = read(s, buf, sizeof buf);
    fact_bytes("slave_reads_write_while_closed", buf, r < 0 ? 0 : r);
    r = drain(m, buf, sizeof buf);  /* its echo comes whenever the worker ran */
    fact_bytes("echo_of_write_while_closed", buf, r);

    char path[64];
    snprintf(path, sizeof path, "%s", ptsname(m));
    int s2;
    SETUP(s2 = dup(s));
    SETUP(write(m, "lost\n", 5));
    SETUP(wait_in(s));
    close(m);
    FACT_STR("slave_poll_hungup", poll_now(s));
    CHECK_RET("slave_read_hungup", read(s, buf, sizeof buf));
    CHECK_RET("slave_read_again", read(s2, buf, sizeof buf));
    CHECK_RET("slave_write_hungup", write(s, "x", 1));
    struct termios t;
    CHECK_RET("slave_tcgetattr_hungup", tcgetattr(s, &t));
    CHECK_RET("slave_tcsetpgrp_hungup", tcsetpgrp(s, getpgrp()));
    CHECK_RET("slave_fionread_hungup", ioctl(s, FIONREAD, &r));
    CHECK_RET("stat_node", access(path, F_OK));
    CHECK_RET("reopen_slave", open(path, O_RDWR | O_NOCTTY));
    close(s);
    close(s2);

    /* A session leader whose controlling tty is hung up hears SIGHUP and SIGCONT. */
    int rep[2];
    SETUP(pipe(rep));
    SETUP(m = posix_openpt(O_RDWR | O_NOCTTY));
    SETUP(unlockpt(m));
    pid_t pid;
    SETUP(pid = fork());
    if (pid == 0) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGHUP);
        sigaddset(&set, SIGCONT);
        sigprocmask(SIG_BLOCK, &set, 0);
        setsid();
        int cs = open(ptsname(m), O_RDWR);
        close(m);
        char c = cs >= 0;
        if (write(rep[1], &c, 1) != 1)
            _exit(90);
        struct timespec ts = { 2, 0 };
        siginfo_t si;
        int first = sigtimedwait(&set, &si, &ts);
        int code = si.si_code;
        int second = sigtimedwait(&set, &si, &ts);
        /* The controlling tty is gone: /dev/tty is ENXIO. */
        int tty = open("/dev/tty", O_RDWR);
        _exit((first == SIGHUP) | (second == SIGCONT) << 1 | (code == 0x80) << 2
              | (tty < 0 && errno == ENXIO) << 3 | (read(cs, &c, 1) == 0) << 4);
    }
    char c = 0;
    SETUP(read(rep[0], &c, 1));
    FACT_INT("child_opened", c);
    close(m);
    int st;
    SETUP(waitpid(pid, &st, 0));
    FACT("leader", "exited=%d sighup=%d sigcont=%d si_kernel=%d tty_enxio=%d read0=%d",
         WIFEXITED(st), WEXITSTATUS(st) & 1, WEXITSTATUS(st) >> 1 & 1, WEXITSTATUS(st) >> 2 & 1,
         WEXITSTATUS(st) >> 3 & 1, WEXITSTATUS(st) >> 4 & 1);

    /* The session leader exits: its foreground group hears SIGHUP (not SIGCONT) and the
     * session has no controlling tty any more; the pty itself stays up. */
    int got[2], ready[2];
    SETUP(pipe(got));
    SETUP(pipe(ready));
    SETUP(m = posix_openpt(O_RDWR | O_NOCTTY));
    SETUP(unlockpt(m));
    SETUP(pid = fork());
    if (pid == 0) {
        setsid();
        int ls = open(ptsname(m), O_RDWR);
        close(m);
        pid_t member = fork();
        if (member == 0) {
            sigset_t set;
            sigemptyset(&set);
            sigaddset(&set, SIGHUP);
            sigaddset(&set, SIGCONT);
            sigprocmask(SIG_BLOCK, &set, 0);
            char c = 'r';
            if (write(ready[1], &c, 1) != 1)
                _exit(90);
            struct timespec ts = { 2, 0 };
            siginfo_t si;
            char out[4];
            out[0] = (char)sigtimedwait(&set, &si, &ts);
            out[1] = si.si_code == 0x80;
            struct timespec short_ts = { 0, 30 * 1000000 };
            out[2] = (char)(sigtimedwait(&set, &si, &short_ts) < 0 ? errno : 0);
            int tty = open("/dev/tty", O_RDWR);
            out[3] = (char)(tty < 0 ? errno : 0);
            if (write(got[1], out, 4) != 4)
                _exit(91);
            /* Still a working terminal, just nobody's controlling tty. */
            _exit(write(ls, "ok\n", 3) == 3 ? 0 : 92);
        }
        char c;
        _exit(read(ready[0], &c, 1) == 1 ? 0 : 93);
    }
    close(got[1]);
    close(ready[1]);
    SETUP(waitpid(pid, &st, 0));
    FACT_INT("leader_exit", WEXITSTATUS(st));
    char out[4] = { 0 };
    FACT_INT("member_report", read(got[0], out, 4));
    FACT_INT("member_sig", out[0]);
    FACT_INT("member_si_kernel", out[1]);
    FACT_ERRNO("member_more_signals", out[2]);
    FACT_ERRNO("member_dev_tty", out[3]);
    r = drain(m, buf, sizeof buf);
    fact_bytes("member_wrote", buf, r);
    DONE();
}
