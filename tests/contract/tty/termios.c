/* termios(3), tty_ioctl(4) on a pty: the default termios of a new pty, TCSETS/TCSETSF
 * round trips (the pty forces CS8|CREAD), termios and window size shared by both ends,
 * TCFLSH/TCXONC arguments, TIOCOUTQ, FIONREAD, TIOCGETD, tcdrain. */
#include "pty.h"

static void show(const char *key, struct termios *t)
{
    printf("%s=i=%o o=%o c=%o l=%o line=%d cc=", key, t->c_iflag, t->c_oflag, t->c_cflag,
           t->c_lflag, t->c_line);
    for (int i = 0; i < 19; i++)
        printf("%d%s", t->c_cc[i], i < 18 ? "," : "\n");
}

int main(void)
{
    int m, s;
    open_pair(&m, &s, 0);
    struct termios t, u;
    memset(&t, 0, sizeof t);  /* libc's struct is larger than the kernel's 36 bytes */
    memset(&u, 0, sizeof u);
    SETUP(tcgetattr(s, &t));
    show("slave_default", &t);
    SETUP(tcgetattr(m, &u));
    FACT_BOOL("master_sees_slave_termios", !memcmp(&t, &u, sizeof t));
    FACT_INT("ispeed", cfgetispeed(&t) == B38400);

    u = t;
    cfmakeraw(&u);
    u.c_cc[VMIN] = 3;
    u.c_cc[VTIME] = 7;
    u.c_cflag |= PARENB | CS7;
    SETUP(tcsetattr(m, TCSANOW, &u));
    SETUP(tcgetattr(s, &t));
    show("raw_via_master", &t);
    u.c_line = 3;
    CHECK_RET("tcsets_line", ioctl(s, TCSETS, &u));
    SETUP(tcgetattr(s, &t));
    FACT_INT("line_after", t.c_line);
    CHECK_RET("tcsets_efault", ioctl(s, TCSETS, (void *)8));
    CHECK_RET("tcgets_efault", ioctl(m, TCGETS, (void *)8));

    /* TCSETSF throws away unread input; TCSETSW keeps it. */
    SETUP(write(m, "abc", 3));
    SETUP(wait_in(s));
    int q = -1;
    CHECK_RET("fionread", ioctl(s, FIONREAD, &q));
    FACT_INT("fionread_n", q);
    CHECK_RET("tcsetsw", tcsetattr(s, TCSADRAIN, &u));
    SETUP(ioctl(s, FIONREAD, &q));
    FACT_INT("after_tcsetsw", q);
    CHECK_RET("tcsetsf", tcsetattr(s, TCSAFLUSH, &u));
    SETUP(ioctl(s, FIONREAD, &q));
    FACT_INT("after_tcsetsf", q);

    SETUP(write(m, "xy", 2));
    SETUP(wait_in(s));
    CHECK_RET("tciflush", tcflush(s, TCIFLUSH));
    SETUP(ioctl(s, FIONREAD, &q));
    FACT_INT("after_tciflush", q);
    CHECK_RET("tcflush_bad", ioctl(s, TCFLSH, 7));
    CHECK_RET("tcxonc_bad", ioctl(s, TCXONC, 9));
    CHECK_RET("tcxonc_on", tcflow(s, TCOON));
    CHECK_RET("tcdrain", tcdrain(s));
    CHECK_RET("tcsendbreak", tcsendbreak(m, 0));
    q = -1;
    CHECK_RET("outq_slave", ioctl(s, TIOCOUTQ, &q));
    FACT_INT("outq_slave_n", q);
    q = -1;
    CHECK_RET("outq_master", ioctl(m, TIOCOUTQ, &q));
    FACT_INT("outq_master_n", q);
    SETUP(write(s, "hello", 5));
    SETUP(wait_in(m));
    CHECK_RET("fionread_master", ioctl(m, FIONREAD, &q));
    FACT_INT("fionread_master_n", q);
    q = -1;
    CHECK_RET("getd", ioctl(s, TIOCGETD, &q));
    FACT_INT("ldisc", q);

    struct winsize w = { 0 }, w2;
    memset(&w2, 0xff, sizeof w2);
    CHECK_RET("gwinsz", ioctl(s, TIOCGWINSZ, &w2));
    FACT("winsize_default", "%d %d %d %d", w2.ws_row, w2.ws_col, w2.ws_xpixel, w2.ws_ypixel);
    w.ws_row = 24; w.ws_col = 80; w.ws_xpixel = 640; w.ws_ypixel = 480;
    CHECK_RET("swinsz_master", ioctl(m, TIOCSWINSZ, &w));
    CHECK_RET("gwinsz_slave", ioctl(s, TIOCGWINSZ, &w2));
    FACT("winsize_slave", "%d %d %d %d", w2.ws_row, w2.ws_col, w2.ws_xpixel, w2.ws_ypixel);
    CHECK_RET("swinsz_efault", ioctl(s, TIOCSWINSZ, (void *)8));
    /* Non-tty fds: ENOTTY. */
    int fds[2];
    SETUP(pipe(fds));
    CHECK_RET("pipe_tcgets", ioctl(fds[0], TCGETS, &t));
    DONE();
}
