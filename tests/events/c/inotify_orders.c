/* inotify(7) event orders against the host: parent watch (with name) before the file's own watch; O_CREAT, O_TRUNC, read at EOF, link, rename over a file, unlink of the last link and of an open file (IN_DELETE_SELF at the last close), rmdir, IN_EXCL_UNLINK, IN_ONESHOT, IN_MASK_ADD/IN_MASK_CREATE, IN_DONT_FOLLOW, IN_ONLYDIR, ISDIR rules, RENAME_EXCHANGE, coalescing, read sizes, FIONREAD. */
#include "../../contract/lib/contract.h"
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

static int fd;

static void drain(const char *tag)
{
    char buf[8192] __attribute__((aligned(8)));
    ssize_t n = read(fd, buf, sizeof buf);
    printf("%s=", tag);
    for (char *p = buf; n > 0 && p < buf + n;) {
        struct inotify_event *e = (struct inotify_event *)p;
        printf("[%d 0x%x %d %s]", e->wd, e->mask, e->cookie ? 1 : 0, e->len ? e->name : "");
        p += sizeof *e + e->len;
    }
    if (n < 0) printf("%s", errname(errno));
    printf("\n");
}

int main(void)
{
    fd = inotify_init1(IN_NONBLOCK);
    SETUP(fd);
    SETUP(mkdir("w", 0755));
    int f = open("w/f", O_CREAT | O_WRONLY, 0644);
    SETUP(f); close(f);
    FACT_INT("wd_dir", inotify_add_watch(fd, "w", IN_ALL_EVENTS));
    FACT_INT("wd_file", inotify_add_watch(fd, "w/f", IN_ALL_EVENTS));
    f = open("w/f", O_WRONLY); drain("open");
    SETUP(write(f, "x", 1)); drain("write");
    close(f); drain("close_write");
    f = open("w/g", O_CREAT | O_WRONLY | O_EXCL, 0644); drain("creat");
    SETUP(write(f, "y", 1)); close(f); drain("write_close_new");
    char c;
    f = open("w/f", O_RDONLY); read(f, &c, 1); read(f, &c, 1); drain("read_then_eof");
    close(f); drain("close_nowrite");
    SETUP(truncate("w/f", 0)); drain("truncate");
    f = open("w/f", O_WRONLY | O_TRUNC); drain("o_trunc_empty"); close(f); drain("close1");
    f = open("w/f", O_WRONLY); SETUP(write(f, "abc", 3)); close(f); drain("refill");
    f = open("w/f", O_WRONLY | O_TRUNC); drain("o_trunc_full"); close(f); drain("close2");
    SETUP(link("w/f", "w/h")); drain("link");
    SETUP(rename("w/g", "w/f")); drain("rename_over_linked");
    FACT_INT("wd_h_same_inode", inotify_add_watch(fd, "w/h", IN_ALL_EVENTS));
    SETUP(unlink("w/h")); drain("unlink_last_link");
    SETUP(mkdir("w/sub", 0755)); drain("mkdir");
    FACT_INT("wd_sub", inotify_add_watch(fd, "w/sub", IN_ALL_EVENTS));
    SETUP(rmdir("w/sub")); drain("rmdir");
    int k = open("w/k", O_CREAT | O_RDWR, 0644);
    FACT_INT("wd_k", inotify_add_watch(fd, "w/k", IN_ALL_EVENTS)); drain("k");
    SETUP(unlink("w/k")); drain("unlink_open");
    SETUP(write(k, "z", 1)); drain("write_unlinked");
    close(k); drain("close_unlinked");
    FACT_INT("excl_same_wd", inotify_add_watch(fd, "w", IN_ALL_EVENTS | IN_EXCL_UNLINK));
    k = open("w/k2", O_CREAT | O_RDWR, 0644); drain("k2");
    SETUP(unlink("w/k2")); drain("excl_unlink");
    SETUP(write(k, "z", 1)); close(k); drain("excl_after");
    SETUP(mkdir("a", 0755)); SETUP(mkdir("a/s", 0755)); SETUP(write_file("a/f", "1")); SETUP(mkdir("b", 0755));
    inotify_add_watch(fd, "a", IN_ALL_EVENTS);
    FACT_INT("wd_as", inotify_add_watch(fd, "a/s", IN_ALL_EVENTS));
    FACT_INT("wd_af", inotify_add_watch(fd, "a/f", IN_ALL_EVENTS));
    drain("pre_moves");
    SETUP(rename("a/s", "b/s")); drain("move_dir_out");
    SETUP(rename("a/f", "b/f")); drain("move_file_out");
    SETUP(mkdir("b/t", 0755));
    FACT_INT("wd_bt", inotify_add_watch(fd, "b/t", IN_ALL_EVENTS));
    SETUP(rename("b/s", "b/t")); drain("move_dir_over_empty_dir");
    SETUP(write_file("a/x", "")); SETUP(write_file("a/y", ""));
    FACT_INT("wd_ay", inotify_add_watch(fd, "a/y", IN_ALL_EVENTS));
    drain("pre_exchange");
    SETUP(syscall(SYS_renameat2, AT_FDCWD, "a/x", AT_FDCWD, "a/y", 2)); drain("exchange");
    SETUP(chmod("a", 0700)); drain("chmod_watched_dir");
    SETUP(chmod("a/x", 0600)); drain("chmod_child");
    close(open("a", O_RDONLY | O_DIRECTORY)); drain("opendir");
    int dfd = open("a", O_RDONLY | O_DIRECTORY);
    char dents[4096];
    SETUP(syscall(SYS_getdents64, dfd, dents, sizeof dents));
    close(dfd); drain("getdents");
    /* a second instance: masks and flags */
    int fd1 = fd;
    fd = inotify_init1(IN_NONBLOCK);
    FACT_INT("oneshot_wd", inotify_add_watch(fd, "b", IN_CREATE | IN_ONESHOT));
    SETUP(write_file("b/o1", "")); SETUP(write_file("b/o2", "")); drain("oneshot");
    FACT_INT("readd_new_wd", inotify_add_watch(fd, "b", IN_CREATE));
    CHECK_RET("mask_create_existing", inotify_add_watch(fd, "b", IN_CREATE | IN_MASK_CREATE));
    CHECK_RET("mask_add_and_create", inotify_add_watch(fd, "b", IN_MASK_ADD | IN_MASK_CREATE));
    CHECK_RET("only_unknown_bits", inotify_add_watch(fd, "b", 0x08000000));
    CHECK_RET("only_oneshot_bit", inotify_add_watch(fd, "b", IN_ONESHOT));
    CHECK_RET("zero_mask_missing_path", inotify_add_watch(fd, "nope", 0));
    CHECK_RET("null_path", inotify_add_watch(fd, NULL, IN_ALL_EVENTS));
    CHECK_RET("bad_fd", inotify_add_watch(99, "b", IN_ALL_EVENTS));
    CHECK_RET("rm_negative_wd", inotify_rm_watch(fd, -1));
    CHECK_RET("rm_bad_fd", inotify_rm_watch(99, 1));
    int again = inotify_add_watch(fd, "b", IN_DELETE);
    SETUP(write_file("b/z", "")); SETUP(unlink("b/z")); drain("mask_replaced");
    FACT_BOOL("mask_add_same_wd", inotify_add_watch(fd, "b", IN_CREATE | IN_MASK_ADD) == again);
    SETUP(write_file("b/z", "")); SETUP(unlink("b/z")); drain("mask_added");
    SETUP(symlink("b", "lnk"));
    CHECK_RET("dont_follow_watches_link", inotify_add_watch(fd, "lnk", IN_ATTRIB | IN_DONT_FOLLOW));
    SETUP(chmod("lnk", 0700)); drain("chmod_through_link");
    CHECK_RET("onlydir_link_to_dir", inotify_add_watch(fd, "lnk", IN_ONLYDIR | IN_ATTRIB));
    CHECK_RET("onlydir_dont_follow", inotify_add_watch(fd, "lnk", IN_ONLYDIR | IN_DONT_FOLLOW | IN_ATTRIB));
    /* coalescing, read sizes, FIONREAD */
    int q = open("b/q", O_CREAT | O_WRONLY, 0644);
    inotify_add_watch(fd, "b/q", IN_MODIFY);
    SETUP(write(q, "a", 1)); SETUP(write(q, "a", 1)); drain("coalesced");
    close(q);
    int n = -1;
    SETUP(mkdir("r", 0755));
    SETUP(inotify_add_watch(fd, "r", IN_CREATE));
    SETUP(ioctl(fd, FIONREAD, &n)); FACT_INT("fionread_empty", n);
    SETUP(write_file("r/longname_abcdefghijklmnop", ""));
    SETUP(ioctl(fd, FIONREAD, &n)); FACT_INT("fionread_queued", n);
    char buf[64];
    CHECK_RET("read_16", read(fd, buf, 16));
    CHECK_RET("read_48", read(fd, buf, 48));
    CHECK_RET("read_empty", read(fd, buf, 64));
    struct stat st;
    SETUP(fstat(fd, &st));
    FACT("mode", "0%o", st.st_mode);
    FACT("fl", "0%o", fcntl(fd, F_GETFL));
    CHECK_RET("lseek", lseek(fd, 10, SEEK_SET));
    CHECK_RET("write_rdonly", write(fd, "x", 1));
    close(fd1);
    DONE();
}
