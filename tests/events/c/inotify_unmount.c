/* inotify(7) IN_UNMOUNT: unmounting the file system that holds watched inodes gives each watch IN_UNMOUNT (with IN_ISDIR for directories), then IN_IGNORED, newest inode first; a watch on another file system is untouched. */
#include "../../contract/lib/contract.h"
#include <sys/inotify.h>
#include <sys/mount.h>

int main(void)
{
    SETUP(mkdir("m", 0755));
    SETUP(mount("tmpfs", "m", "tmpfs", 0, NULL));
    SETUP(mkdir("m/sub", 0755));
    SETUP(write_file("m/f", "x"));
    SETUP(mkdir("outside", 0755));
    int fd = inotify_init1(IN_NONBLOCK);
    FACT_INT("wd_root", inotify_add_watch(fd, "m", IN_ALL_EVENTS));
    FACT_INT("wd_sub", inotify_add_watch(fd, "m/sub", IN_CREATE));
    FACT_INT("wd_f", inotify_add_watch(fd, "m/f", IN_MODIFY));
    FACT_INT("wd_outside", inotify_add_watch(fd, "outside", IN_CREATE));
    CHECK_RET("umount", umount("m"));
    char buf[4096] __attribute__((aligned(8)));
    ssize_t n = read(fd, buf, sizeof buf);
    int i = 0;
    for (char *p = buf; n > 0 && p < buf + n; i++) {
        struct inotify_event *e = (struct inotify_event *)p;
        printf("ev%d=%d 0x%x\n", i, e->wd, e->mask);
        p += sizeof *e + e->len;
    }
    CHECK_RET("rm_unmounted_wd", inotify_rm_watch(fd, 1));
    SETUP(write_file("outside/x", ""));
    n = read(fd, buf, sizeof buf);
    FACT_INT("outside_still_watched", n > 0 ? ((struct inotify_event *)buf)->wd : -1);
    DONE();
}
