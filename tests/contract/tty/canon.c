/* n_tty canonical and raw input on a pty slave: ICRNL, VERASE/VKILL/VWERASE/VEOF/VEOL,
 * one line per read, partial reads of a long line, FIONREAD counting only complete lines,
 * then VMIN/VTIME reads in non-canonical mode. */
#include "pty.h"
#include <time.h>

static long mono_ms_(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void slave_read(const char *key, int s, int size)
{
    char buf[256];
    int r = read(s, buf, size);
    if (r < 0)
        FACT_ERRNO(key, errno);
    else
        fact_bytes(key, buf, r);
}

/* Write input, then read every line it makes (termios changes only after this). */
static void lines(const char *key, int s, int m, const char *in)
{
    char buf[256];
    SETUP(write(m, in, strlen(in)));
    int n = drain(s, buf, sizeof buf);
    fact_bytes(key, buf, n);
}

int main(void)
{
    int m, s;
    open_pair(&m, &s, O_NONBLOCK);
    struct termios t;
    SETUP(tcgetattr(s, &t));
    t.c_lflag &= ~ECHO;  /* echoes are tty/echo's */
    t.c_cc[VEOL] = '#';
    SETUP(tcsetattr(s, TCSANOW, &t));

    SETUP(write(m, "partial", 7));
    slave_read("partial_line", s, 100);
    int q = -1;
    SETUP(ioctl(s, FIONREAD, &q));
    FACT_INT("fionread_partial", q);
    SETUP(write(m, "\x7f\x7fZ\r", 4));
    SETUP(wait_in(s));
    SETUP(ioctl(s, FIONREAD, &q));
    FACT_INT("fionread_line", q);
    slave_read("erase_icrnl", s, 100);
    SETUP(write(m, "foo bar\x17zap\x15kept\n", 17));
    SETUP(wait_in(s));
    slave_read("werase_kill", s, 100);
    SETUP(write(m, "foo bar\x17\n", 9));
    SETUP(wait_in(s));
    slave_read("werase", s, 100);
    SETUP(write(m, "one\ntwo\nthree#four", 18));
    SETUP(wait_in(s));
    SETUP(ioctl(s, FIONREAD, &q));
    FACT_INT("fionread_lines", q);
    slave_read("line1", s, 100);
    slave_read("line2_part", s, 2);
    slave_read("line2_rest", s, 100);
    slave_read("eol_line", s, 100);
    slave_read("unfinished", s, 100);
    SETUP(write(m, "\x04", 1));
    SETUP(wait_in(s));
    slave_read("four_eof", s, 100);
    SETUP(write(m, "\x04", 1));
    SETUP(wait_in(s));
    slave_read("eof_alone", s, 100);
    slave_read("after_eof", s, 100);
    SETUP(write(m, "\x16\x7fx\n", 4));
    SETUP(wait_in(s));
    slave_read("lnext", s, 100);
    lines("icrnl", s, m, "a\rb\n");
    t.c_iflag = (t.c_iflag & ~ICRNL) | IGNCR;
    SETUP(tcsetattr(s, TCSANOW, &t));
    lines("igncr", s, m, "c\rd\n");
    t.c_iflag = (t.c_iflag & ~IGNCR) | INLCR;
    SETUP(tcsetattr(s, TCSANOW, &t));
    lines("inlcr", s, m, "e\n\r#");
    t.c_iflag &= ~INLCR;
    SETUP(tcsetattr(s, TCSANOW, &t));

    /* Left in the line when canonical mode ends: readable at once. */
    SETUP(write(m, "pend", 4));
    slave_read("before_raw", s, 100);
    t.c_lflag &= ~ICANON;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    SETUP(tcsetattr(s, TCSANOW, &t));
    SETUP(wait_in(s));
    slave_read("raw_pending", s, 2);
    slave_read("raw_rest", s, 100);
    slave_read("raw_empty", s, 100);
    t.c_cc[VMIN] = 0;
    SETUP(tcsetattr(s, TCSANOW, &t));
    slave_read("vmin0_empty", s, 100);
    int fl = fcntl(s, F_GETFL);
    SETUP(fcntl(s, F_SETFL, fl & ~O_NONBLOCK));
    slave_read("vmin0_blocking_empty", s, 100);
    t.c_cc[VTIME] = 1;
    SETUP(tcsetattr(s, TCSANOW, &t));
    long t0 = mono_ms_();
    slave_read("vtime_timeout", s, 100);
    long dt = mono_ms_() - t0;
    FACT_BOOL("vtime_waited_90ms", dt >= 90);
    SETUP(write(m, "q", 1));
    SETUP(wait_in(s));
    slave_read("vtime_data", s, 100);
    t.c_cc[VMIN] = 3;
    t.c_cc[VTIME] = 0;
    SETUP(tcsetattr(s, TCSANOW, &t));
    SETUP(write(m, "12345", 5));
    SETUP(wait_in(s));
    slave_read("vmin3", s, 100);
    SETUP(fcntl(s, F_SETFL, fl | O_NONBLOCK));
    SETUP(write(m, "6", 1));
    struct pollfd p = { s, POLLIN, 0 };
    FACT_INT("poll_below_vmin", poll(&p, 1, 50));
    slave_read("nonblock_below_vmin", s, 100);
    DONE();
}
