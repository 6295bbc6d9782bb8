/* Opening /proc/self/fd/N again: a pipe gives a new end of the same pipe (either way,
 * without waiting for a partner), a file a new open file description (its own offset),
 * a socket or an eventfd ENXIO; stat through the link is the object's own inode. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static int reopen(int fd, int flags)
{
    char p[64];
    snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
    return open(p, flags);
}

static const char *err(int r) { return r < 0 ? strerror(errno) : "ok"; }

static int same(int fd)
{
    char p[64];
    struct stat a, b;
    snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
    return fstat(fd, &a) == 0 && stat(p, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    int pp[2];
    pipe(pp);
    int w = reopen(pp[0], O_WRONLY);   /* the read end, reopened for writing */
    printf("pipe reopen for writing: %s\n", err(w));
    write(w, "abc", 3);
    char buf[8] = {0};
    read(pp[0], buf, 3);
    printf("pipe data: %s\n", buf);
    close(pp[1]);
    close(w);
    int r = reopen(pp[0], O_RDONLY);   /* no writer left: a pipe still does not wait */
    printf("pipe reopen without writers: %s, read=%zd\n", err(r), read(r, buf, 1));
    printf("pipe stat same: %d\n", same(pp[0]));

    int f = open("file", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(f, "0123456789", 10);
    int g = reopen(f, O_RDONLY);
    printf("file reopen: %s, offset=%ld\n", err(g), (long)lseek(g, 0, SEEK_CUR));
    read(g, buf, 4);
    printf("file reopen reads from 0: %.4s, original offset=%ld\n", buf, (long)lseek(f, 0, SEEK_CUR));
    printf("file stat same: %d\n", same(f));

    int s[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, s);
    printf("socket reopen: %s\n", err(reopen(s[0], O_RDWR)));
    printf("socket stat same: %d\n", same(s[0]));
    int e = eventfd(0, 0);
    printf("eventfd reopen: %s\n", err(reopen(e, O_RDWR)));
    printf("eventfd stat same: %d\n", same(e));
    return 0;
}
