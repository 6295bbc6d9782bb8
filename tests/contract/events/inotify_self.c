/* inotify(7): deleting a watched file gives IN_ATTRIB(nlink), IN_DELETE_SELF then IN_IGNORED; watch errors: ENOENT, ENOTDIR with IN_ONLYDIR, EINVAL for bad wd / empty mask; re-adding a path returns the same wd. */
#include "../lib/contract.h"
#include <sys/inotify.h>

int main(void)
{
    SETUP(write_file("f", "x"));
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    SETUP(fd);
    FACT_BOOL("cloexec", fcntl(fd, F_GETFD) & FD_CLOEXEC);
    int wd = inotify_add_watch(fd, "f", IN_DELETE_SELF);
    FACT_BOOL("same_wd_on_readd", inotify_add_watch(fd, "f", IN_DELETE_SELF | IN_ATTRIB) == wd);
    CHECK_RET("onlydir_on_file", inotify_add_watch(fd, "f", IN_ONLYDIR | IN_ALL_EVENTS));
    CHECK_RET("nonexistent", inotify_add_watch(fd, "nope", IN_ALL_EVENTS));
    CHECK_RET("empty_mask", inotify_add_watch(fd, "f", 0));
    CHECK_RET("not_inotify_fd", inotify_add_watch(0 + open("/dev/null", O_RDONLY), "f", IN_ALL_EVENTS));
    CHECK_RET("rm_bad_wd", inotify_rm_watch(fd, 9999));
    SETUP(unlink("f"));
    char buf[4096] __attribute__((aligned(8)));
    ssize_t n = read(fd, buf, sizeof buf);
    int i = 0;
    for (char *p = buf; n > 0 && p < buf + n; i++) {
        struct inotify_event *e = (struct inotify_event *)p;
        printf("ev%d=0x%x,wd_same:%d\n", i, e->mask, e->wd == wd);
        p += sizeof *e + e->len;
    }
    CHECK_RET("rm_after_ignored", inotify_rm_watch(fd, wd));
    SETUP(mkdir("d", 0755));
    int wd2 = inotify_add_watch(fd, "d", IN_CREATE);
    CHECK_RET("rm_watch", inotify_rm_watch(fd, wd2));
    n = read(fd, buf, sizeof buf);
    if (n > 0) FACT("after_rm_watch", "0x%x", ((struct inotify_event *)buf)->mask);
    CHECK_RET("read_empty", read(fd, buf, sizeof buf));
    SETUP(inotify_add_watch(fd, "d", IN_CREATE));
    SETUP(write_file("d/x", ""));
    CHECK_RET("read_too_small", read(fd, buf, 4));
    CHECK_RET("read_after_too_small", read(fd, buf, sizeof buf) > 0 ? 1 : -1);
    CHECK_RET("init1_bad_flags", inotify_init1(0x42));
    DONE();
}
