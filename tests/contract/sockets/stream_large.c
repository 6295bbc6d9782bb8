/* unix(7) SOCK_STREAM: a 256 KiB transfer from a forked child arrives complete and in order across many partial reads; the writer blocks while the buffer is full. */
#include "../lib/contract.h"
#include <sys/socket.h>
#include <sys/wait.h>

#define N (256 * 1024)

int main(void)
{
    int s[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
    pid_t c = fork();
    if (c == 0) {
        close(s[1]);
        static unsigned char buf[N];
        for (int i = 0; i < N; i++) buf[i] = (unsigned char)(i * 7 + (i >> 8));
        ssize_t off = 0;
        while (off < N) { ssize_t w = write(s[0], buf + off, N - off); if (w <= 0) _exit(1); off += w; }
        _exit(0);
    }
    close(s[0]);
    static unsigned char got[256 * 1024 + 16];
    long total = 0, reads = 0;
    for (;;) {
        /* at most 64 KiB a read: natively one read could otherwise drain it all */
        size_t want = sizeof got - total < 65536 ? sizeof got - total : 65536;
        ssize_t r = read(s[1], got + total, want);
        if (r <= 0) break;
        total += r; reads++;
    }
    int ok = 1;
    for (int i = 0; i < N && i < total; i++) if (got[i] != (unsigned char)(i * 7 + (i >> 8))) { ok = 0; break; }
    FACT_INT("total", total);
    FACT_BOOL("content_ok", ok);
    FACT_BOOL("multiple_reads", reads > 1);
    int st;
    waitpid(c, &st, 0);
    FACT_BOOL("writer_exit_0", WIFEXITED(st) && WEXITSTATUS(st) == 0);
    DONE();
}
