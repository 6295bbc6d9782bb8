/* Which calls move which timestamps (atime/mtime/ctime, nanoseconds): read (relatime),
 * write, truncate to the same size (none) vs ftruncate (always), O_TRUNC, chmod, chown,
 * link/unlink/rename (the inode's ctime, the directories' mtime and ctime), mkdir in a
 * directory, getdents (the directory's atime), utimensat UTIME_NOW/UTIME_OMIT/explicit. */
#include "fs.h"
#include <dirent.h>

struct ts3 { struct timespec a, m, c; };

static struct ts3 get(const char *p)
{
    struct stat st;
    if (lstat(p, &st)) { printf("lstat_failed=%s\n", p); exit(1); }
    return (struct ts3){st.st_atim, st.st_mtim, st.st_ctim};
}
static int same(struct timespec x, struct timespec y) { return x.tv_sec == y.tv_sec && x.tv_nsec == y.tv_nsec; }
static void report(const char *what, struct ts3 before, struct ts3 after)
{
    printf("%s=a%d m%d c%d\n", what, !same(before.a, after.a), !same(before.m, after.m), !same(before.c, after.c));
}
#define STEP2(what, before, after, stmt) do { struct ts3 b_ = get(before); sleep_ms(15); stmt; report(what, b_, get(after)); } while (0)
#define STEP(what, path, stmt) STEP2(what, path, path, stmt)

int main(void)
{
    enter_tmpfs("size=16m");
    SETUP(mkdir("d", 0755));
    SETUP(write_file("d/f", "0123456789"));
    char buf[16];
    int fd = open("d/f", O_RDWR);
    SETUP(fd);
    /* relatime: the first read after a change moves atime, the second does not */
    STEP("read_first", "d/f", pread(fd, buf, 4, 0));
    STEP("read_again", "d/f", pread(fd, buf, 4, 0));
    STEP("read_zero_bytes", "d/f", pread(fd, buf, 0, 0));
    STEP("write", "d/f", pwrite(fd, "ab", 2, 0));
    STEP("write_zero_bytes", "d/f", pwrite(fd, "", 0, 0));
    STEP("read_after_write", "d/f", pread(fd, buf, 4, 0));
    STEP("truncate_same_size", "d/f", truncate("d/f", 10));
    STEP("truncate_new_size", "d/f", truncate("d/f", 12));
    STEP("ftruncate_same_size", "d/f", ftruncate(fd, 12));
    STEP("chmod", "d/f", chmod("d/f", 0600));
    STEP("chown_same", "d/f", chown("d/f", 0, 0));
    STEP("chown_noop_ids", "d/f", chown("d/f", -1, -1));
    STEP("link_inode", "d/f", link("d/f", "d/g"));
    STEP("link_dir", "d", link("d/f", "d/h"));
    STEP("unlink_inode", "d/f", unlink("d/g"));
    STEP("unlink_dir", "d", unlink("d/h"));
    STEP2("rename_inode", "d/f", "d/f2", rename("d/f", "d/f2"));
    STEP("rename_back_dir", "d", rename("d/f2", "d/f"));
    STEP("mkdir_parent", "d", mkdir("d/sub", 0755));
    STEP("rmdir_parent", "d", rmdir("d/sub"));
    STEP("create_parent", "d", close(open("d/new", O_CREAT | O_WRONLY, 0644)));
    STEP("open_existing_no_change", "d/new", close(open("d/new", O_RDWR)));
    STEP("o_trunc_empty_file", "d/new", close(open("d/new", O_WRONLY | O_TRUNC)));
    STEP("o_creat_existing_parent", "d", close(open("d/new", O_CREAT | O_WRONLY, 0644)));
    DIR *dir = opendir("d");
    STEP("getdents_dir", "d", readdir(dir));
    closedir(dir);
    struct timespec now_omit[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
    STEP("utimensat_now_omit", "d/f", utimensat(AT_FDCWD, "d/f", now_omit, 0));
    struct timespec omit_now[2] = {{0, UTIME_OMIT}, {0, UTIME_NOW}};
    STEP("utimensat_omit_now", "d/f", utimensat(AT_FDCWD, "d/f", omit_now, 0));
    struct timespec omit2[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
    STEP("utimensat_omit_omit", "d/f", utimensat(AT_FDCWD, "d/f", omit2, 0));
    struct timespec set[2] = {{1000000000, 123456789}, {1100000000, 987654321}};
    CHECK_RET("utimensat_explicit", utimensat(AT_FDCWD, "d/f", set, 0));
    struct stat st;
    stat("d/f", &st);
    FACT("explicit_atime", "%ld.%09ld", (long)st.st_atim.tv_sec, st.st_atim.tv_nsec);
    FACT("explicit_mtime", "%ld.%09ld", (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    STEP("read_after_explicit_old_atime", "d/f", pread(fd, buf, 4, 0));
    SETUP(symlink("f", "d/ln"));
    STEP("utimensat_nofollow_link", "d/ln", utimensat(AT_FDCWD, "d/ln", NULL, AT_SYMLINK_NOFOLLOW));
    STEP("readlink_link", "d/ln", readlink("d/ln", buf, sizeof buf));
    struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
    CHECK_RET("utimensat_bad_nsec", utimensat(AT_FDCWD, "d/f", bad, 0));
    CHECK_RET("utimensat_bad_flag", utimensat(AT_FDCWD, "d/f", NULL, 0x1));
    DONE();
}
