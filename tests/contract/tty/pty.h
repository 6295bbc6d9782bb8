/* pty.h - helpers of the tty/ contract tests: a pty pair and reads that wait for the
 * line discipline (natively n_tty moves input and echoes in a worker, so what a write
 * produces appears a moment later: wait with poll, never with a fixed sleep). */
#ifndef KEVLAR_TTY_PTY_H
#define KEVLAR_TTY_PTY_H
#include "../lib/contract.h"
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>

/* A new unlocked pair; the slave opened with O_NOCTTY and flags. */
static inline __attribute__((unused)) void open_pair(int *m, int *s, int sflags)
{
    SETUP(*m = posix_openpt(O_RDWR | O_NOCTTY));
    SETUP(grantpt(*m));
    SETUP(unlockpt(*m));
    SETUP(*s = open(ptsname(*m), O_RDWR | O_NOCTTY | sflags));
}

/* Read what fd has, waiting up to 1 s for the first byte and then until nothing more
 * comes for 30 ms (or max bytes): echoes and input arrive through the worker. */
static inline __attribute__((unused)) int drain(int fd, char *buf, int max)
{
    int got = 0;
    struct pollfd p = { fd, POLLIN, 0 };
    while (got < max && poll(&p, 1, got ? 30 : 1000) == 1 && (p.revents & POLLIN)) {
        int r = read(fd, buf + got, max - got);
        if (r <= 0)
            break;
        got += r;
    }
    return got;
}

/* Print bytes as a fact: printable characters as they are, the rest as \xNN. */
static inline __attribute__((unused)) void fact_bytes(const char *key, const char *b, int n)
{
    printf("%s=", key);
    for (int i = 0; i < n; i++) {
        unsigned char c = b[i];
        if (c > 32 && c < 127 && c != '\\')
            putchar(c);
        else
            printf("\\x%02x", c);
    }
    printf(" (%d)\n", n);
}

/* Wait until fd is readable (1 s at most): the input reached the line discipline. */
static inline __attribute__((unused)) int wait_in(int fd)
{
    struct pollfd p = { fd, POLLIN, 0 };
    return poll(&p, 1, 1000) == 1;
}
#endif
