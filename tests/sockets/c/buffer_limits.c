/* How much a socket buffer holds before a writer gets EAGAIN, for stream and datagram
 * socketpairs, message sizes from 1 byte to 200 KB, the default buffer and SO_SNDBUF of
 * 8 KiB and 64 KiB: Kevlar charges each buffer the truesize Linux does, so the counts
 * are the host's. Also when poll reports POLLOUT again as the reader drains. */
#include "../../contract/lib/contract.h"
#include <sys/socket.h>
#include <poll.h>

static char buf[300000];

static void fill(const char *tag, int type, int size, int sndbuf)
{
    int s[2];
    socketpair(AF_UNIX, type, 0, s);
    if (sndbuf) setsockopt(s[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    long total = 0; int n = 0, err = 0;
    for (;;) {
        ssize_t r = send(s[0], buf, size, MSG_DONTWAIT);
        if (r < 0) { err = errno; break; }
        total += r; n++;
        if (r < size) break;
    }
    printf("%s_%d_%d=%ld/%d/%s\n", tag, size, sndbuf, total, n, errname(err));
    if (type == SOCK_STREAM || type == SOCK_DGRAM) {
        /* read until POLLOUT comes back */
        struct pollfd p = { .fd = s[0], .events = POLLOUT };
        int reads = 0;
        while (!(poll(&p, 1, 0) == 1 && (p.revents & POLLOUT))) {
            if (recv(s[1], buf, type == SOCK_STREAM ? size : sizeof buf, MSG_DONTWAIT) < 0) break;
            reads++;
        }
        printf("%s_%d_%d_reads_until_pollout=%d\n", tag, size, sndbuf, reads);
    }
    close(s[0]); close(s[1]);
}

int main(void)
{
    int sizes[] = { 1, 100, 1000, 3000, 4096, 8192, 20000, 40000, 65536, 200000 };
    int bufs[] = { 0, 8192, 65536 };
    for (unsigned b = 0; b < 3; b++)
        for (unsigned i = 0; i < sizeof sizes / sizeof *sizes; i++) {
            fill("stream", SOCK_STREAM, sizes[i], bufs[b]);
            fill("dgram", SOCK_DGRAM, sizes[i], bufs[b]);
            fill("seqpacket", SOCK_SEQPACKET, sizes[i], bufs[b]);
        }
    DONE();
}
