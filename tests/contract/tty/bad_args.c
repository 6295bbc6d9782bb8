/* tty_ioctl(4) argument checks on both ends of a pty: bad pointers are EFAULT (after the
 * controlling-tty check for TIOCGPGRP/TIOCGSID, before it for TIOCSPGRP), master-only
 * requests are ENOTTY on the slave, unknown requests ENOTTY, bad buffers EFAULT. */
#include "pty.h"

#define BAD ((void *)8)

int main(void)
{
    int m, s;
    open_pair(&m, &s, O_NONBLOCK);
    int fds[2] = { m, s };
    const char *ends[2] = { "m", "s" };
    struct { const char *name; unsigned long cmd; } reqs[] = {
        { "tcgets", TCGETS }, { "tcsets", TCSETS }, { "tcsetsw", TCSETSW },
        { "tcsetsf", TCSETSF }, { "gwinsz", TIOCGWINSZ }, { "swinsz", TIOCSWINSZ },
        { "fionread", FIONREAD }, { "outq", TIOCOUTQ }, { "gpgrp", TIOCGPGRP },
        { "spgrp", TIOCSPGRP }, { "gsid", TIOCGSID }, { "gptn", TIOCGPTN },
        { "sptlck", TIOCSPTLCK }, { "gptlck", TIOCGPTLCK }, { "getd", TIOCGETD },
        { "gdev", TIOCGDEV }, { "fionbio", FIONBIO },
    };
    char key[64];
    for (int e = 0; e < 2; e++)
        for (unsigned i = 0; i < sizeof reqs / sizeof *reqs; i++) {
            snprintf(key, sizeof key, "%s_%s", ends[e], reqs[i].name);
            CHECK_RET(key, ioctl(fds[e], reqs[i].cmd, BAD));
        }
    CHECK_RET("m_unknown", ioctl(m, 0x5499, 0));
    CHECK_RET("s_unknown", ioctl(s, 0x80085499, BAD));
    CHECK_RET("m_tiocpkt_like", ioctl(m, 0x4004ffff, BAD));
    CHECK_RET("write_bad_m", write(m, BAD, 4));
    CHECK_RET("write_bad_s", write(s, BAD, 4));
    CHECK_RET("lseek_m", lseek(m, 0, SEEK_SET));
    CHECK_RET("lseek_s", lseek(s, 0, SEEK_CUR));
    char c;
    CHECK_RET("pread_s", pread(s, &c, 1, 0));
    CHECK_RET("pwrite_m", pwrite(m, "x", 1, 0));
    /* Still a working pair afterwards. */
    SETUP(write(m, "ok\n", 3));
    char buf[16];
    SETUP(wait_in(s));
    int n = read(s, buf, sizeof buf);
    fact_bytes("after", buf, n < 0 ? 0 : n);
    DONE();
}
