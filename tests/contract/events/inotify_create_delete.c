/* inotify(7): IN_CREATE for open(O_CREAT), mkdir and symlink (with IN_ISDIR for dirs), IN_DELETE for unlink/rmdir, with the entry name. */
#include "../lib/contract.h"
#include <sys/inotify.h>

static void drain(int fd, const char *tag)
{
    char buf[4096] __attribute__((aligned(8)));
    ssize_t n = read(fd, buf, sizeof buf);
    int i = 0;
    for (char *p = buf; n > 0 && p < buf + n; i++) {
        struct inotify_event *e = (struct inotify_event *)p;
        printf("%s_%d=mask:0x%x,name:%s\n", tag, i, e->mask, e->len ? e->name : "");
        p += sizeof *e + e->len;
    }
    if (n < 0) printf("%s=%s\n", tag, errname(errno));
}

int main(void)
{
    SETUP(mkdir("w", 0755));
    int fd = inotify_init1(IN_NONBLOCK);
    SETUP(fd);
    int wd = inotify_add_watch(fd, "w", IN_CREATE | IN_DELETE);
    FACT_BOOL("wd_positive", wd > 0);
    drain(fd, "initial");
    int f = open("w/file", O_CREAT | O_WRONLY, 0644);
    close(f);
    drain(fd, "open_creat");
    SETUP(mkdir("w/sub", 0755));
    drain(fd, "mkdir");
    SETUP(symlink("file", "w/link"));
    drain(fd, "symlink");
    SETUP(unlink("w/file"));
    SETUP(unlink("w/link"));
    drain(fd, "unlink");
    SETUP(rmdir("w/sub"));
    drain(fd, "rmdir");
    SETUP(mkdir("other", 0755));
    f = open("other/x", O_CREAT | O_WRONLY, 0644);
    close(f);
    drain(fd, "unwatched_dir");
    DONE();
}
