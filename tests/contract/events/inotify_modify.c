/* inotify(7) on a file: IN_OPEN, IN_MODIFY, IN_CLOSE_WRITE, IN_ACCESS, IN_CLOSE_NOWRITE, IN_ATTRIB arrive in order; identical consecutive events coalesce. */
#include "../lib/contract.h"
#include <sys/inotify.h>

static void drain(int fd, const char *tag)
{
    char buf[4096] __attribute__((aligned(8)));
    ssize_t n = read(fd, buf, sizeof buf);
    int i = 0;
    for (char *p = buf; n > 0 && p < buf + n; i++) {
        struct inotify_event *e = (struct inotify_event *)p;
        printf("%s_%d=mask:0x%x,len:%u\n", tag, i, e->mask, e->len);
        p += sizeof *e + e->len;
    }
    if (n < 0) printf("%s=%s\n", tag, errname(errno));
}

int main(void)
{
    SETUP(write_file("f", "initial"));
    int fd = inotify_init1(IN_NONBLOCK);
    SETUP(inotify_add_watch(fd, "f", IN_ALL_EVENTS));
    int w = open("f", O_WRONLY);
    drain(fd, "open_w");
    write(w, "a", 1);
    write(w, "b", 1);
    drain(fd, "two_writes");
    close(w);
    drain(fd, "close_w");
    int r = open("f", O_RDONLY);
    char c;
    read(r, &c, 1);
    close(r);
    drain(fd, "open_read_close");
    SETUP(chmod("f", 0600));
    drain(fd, "chmod");
    SETUP(truncate("f", 0));
    drain(fd, "truncate");
    DONE();
}
