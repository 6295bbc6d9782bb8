/* n_tty echoes and output processing on a pty: what the master reads back for ECHO,
 * ECHOCTL (^X), ECHOE erase, ECHOK/ECHOKE kill, ECHONL, VEOF (not echoed), echo in raw
 * mode, and slave output under OPOST|ONLCR, OCRNL, ONLRET, without OPOST, XTABS. */
#include "pty.h"

static int m, s;

static void echo_of(const char *key, const char *in, int n)
{
    char buf[512];
    SETUP(write(m, in, n));
    int got = drain(m, buf, sizeof buf);
    fact_bytes(key, buf, got);
    tcflush(s, TCIFLUSH);
}

static void set_lflag(tcflag_t on, tcflag_t off)
{
    struct termios t;
    SETUP(tcgetattr(s, &t));
    t.c_lflag = (t.c_lflag | on) & ~off;
    SETUP(tcsetattr(s, TCSANOW, &t));
}

static void set_oflag(tcflag_t on, tcflag_t off)
{
    struct termios t;
    SETUP(tcgetattr(s, &t));
    t.c_oflag = (t.c_oflag | on) & ~off;
    SETUP(tcsetattr(s, TCSANOW, &t));
}

static void output_of(const char *key, const char *out, int n)
{
    char buf[512];
    SETUP(write(s, out, n));
    int got = drain(m, buf, sizeof buf);
    fact_bytes(key, buf, got);
}

int main(void)
{
    open_pair(&m, &s, 0);
    echo_of("plain", "hello\r", 6);
    echo_of("ctl", "a\x01\x1b\t\x7f" "b\n", 7);
    echo_of("erase_ctl", "x\x01\x7f\x7f\n", 5);
    echo_of("kill_echoke", "abc\x15\n", 5);
    echo_of("eof", "ab\x04", 3);
    echo_of("werase", "ab cd\x17\n", 7);
    echo_of("reprint", "ab\x12\n", 4);
    echo_of("lnext", "a\x16\x03\n", 4);
    echo_of("intr_batch", "typed\x03more\n", 11);  /* ^C drops the batch's earlier echoes */
    echo_of("tab_erase", "ab\tc\x7f\x7f\n", 7);
    set_lflag(0, ECHOKE);
    echo_of("kill_echok", "abc\x15\n", 5);
    set_lflag(0, ECHOK | ECHOE);
    echo_of("kill_noechok", "abc\x15\n", 5);
    echo_of("erase_noechoe", "ab\x7f\n", 4);
    set_lflag(ECHOE, ECHOCTL);
    echo_of("noechoctl", "a\x01\x7f" "b\x02\n", 6);
    set_lflag(ECHONL, ECHO);
    echo_of("echonl", "quiet\n", 6);
    set_lflag(ECHO | ECHOCTL, ICANON | ECHONL);
    echo_of("raw_echo", "r\r\n\x01", 4);
    set_lflag(ICANON, 0);

    output_of("onlcr", "a\nb\r\n", 5);
    set_oflag(OCRNL | ONLRET, ONLCR);
    output_of("ocrnl", "a\rb\n", 4);
    set_oflag(ONOCR, OCRNL | ONLRET);
    output_of("onocr", "\rx\ry", 4);
    set_oflag(TABDLY & XTABS, ONOCR);
    output_of("xtabs", "ab\tc\td", 6);
    set_oflag(0, OPOST);
    output_of("no_opost", "a\nb\t", 4);
    echo_of("echo_no_opost", "z\r", 2);
    DONE();
}
