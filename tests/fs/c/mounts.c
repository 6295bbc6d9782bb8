/* mount(2)/umount2(2): tmpfs with options, ".." across a mount point, statfs per mount
 * with the longest-prefix rule (mnt vs mntfoo), bind mounts (a file, a directory,
 * MS_REC bringing submounts, without MS_REC not), remount read-only (the mount or the
 * whole file system), EBUSY for a busy mount, MNT_DETACH with an open file, errors. */
#include "fs.h"
#include <sys/statfs.h>
#include <sys/statvfs.h>

static long blocks(const char *p) { struct statfs s; return statfs(p, &s) ? -errno : (long)s.f_blocks; }
static int same_dev(const char *a, const char *b) { struct stat x, y; stat(a, &x); stat(b, &y); return x.st_dev == y.st_dev; }
static int in_mounts(const char *needle)
{
    char buf[65536];
    ssize_t n = read_file("/proc/self/mounts", buf, sizeof buf);
    return n > 0 && strstr(buf, needle) != NULL;
}

int main(void)
{
    enter_tmpfs("size=16m");
    char cwd[4096];
    SETUP(getcwd(cwd, sizeof cwd) ? 0 : -1);
    SETUP(mkdir("mnt", 0755));
    SETUP(mkdir("mntfoo", 0755));
    SETUP(write_file("mnt/under", "hidden by the mount"));
    CHECK_RET("mount_tmpfs", mount("tmpfs", "mnt", "tmpfs", 0, "size=1m,mode=0700"));
    FACT_INT("mnt_blocks", blocks("mnt"));
    FACT_INT("mnt_sub_blocks", blocks("mnt/."));
    FACT_BOOL("mntfoo_is_parent_fs", blocks("mntfoo") == blocks("."));
    FACT_BOOL("mntfoo_dev_is_parent", same_dev("mntfoo", "."));
    FACT_BOOL("mnt_dev_differs", !same_dev("mnt", "."));
    struct stat st;
    stat("mnt", &st);
    FACT("mnt_root_mode", "%o", st.st_mode & 07777);
    CHECK_RET("covered_file_hidden", access("mnt/under", F_OK));
    SETUP(mkdir("mnt/inner", 0755));
    SETUP(chdir("mnt/inner"));
    CHECK_RET("dotdot_dotdot_crosses_up", access("../../mntfoo", F_OK));
    FACT_BOOL("dotdot_is_parent_fs", same_dev("../..", cwd));
    SETUP(chdir(cwd));
    /* errors */
    CHECK_RET("mount_unknown_type", mount("x", "mntfoo", "nosuchfs", 0, NULL));
    CHECK_RET("mount_missing_target", mount("tmpfs", "nowhere", "tmpfs", 0, NULL));
    CHECK_RET("mount_bad_option", mount("tmpfs", "mntfoo", "tmpfs", 0, "bogus=1"));
    CHECK_RET("mount_null_type", mount("tmpfs", "mntfoo", NULL, 0, NULL));
    SETUP(write_file("plainfile", "p"));
    CHECK_RET("mount_on_file", mount("tmpfs", "plainfile", "tmpfs", 0, NULL));
    CHECK_RET("umount_not_mountpoint", umount2("mntfoo", 0));
    CHECK_RET("umount_bad_flags", umount2("mnt", 0x100));
    CHECK_RET("umount_missing", umount2("nowhere", 0));
    CHECK_RET("remount_not_root", mount(NULL, "mnt/inner", NULL, MS_REMOUNT | MS_RDONLY, NULL));
    /* busy */
    int busy = open("mnt/inner/.", O_RDONLY);
    CHECK_RET("umount_busy_open_file", umount2("mnt", 0));
    close(busy);
    SETUP(chdir("mnt"));
    CHECK_RET("umount_busy_cwd", umount2(".", 0));
    SETUP(chdir(cwd));
    /* bind mounts */
    SETUP(mkdir("src", 0755));
    SETUP(write_file("src/data", "bound"));
    SETUP(mkdir("src/sub", 0755));
    SETUP(mount("tmpfs", "src/sub", "tmpfs", 0, "size=2m"));
    SETUP(write_file("src/sub/deep", "submount"));
    SETUP(mkdir("b1", 0755)); SETUP(mkdir("b2", 0755));
    CHECK_RET("bind", mount("src", "b1", NULL, MS_BIND, NULL));
    char buf[64] = {0};
    read_file("b1/data", buf, sizeof buf);
    FACT_STR("bind_sees_data", buf);
    CHECK_RET("bind_no_rec_submount_hidden", access("b1/sub/deep", F_OK));
    CHECK_RET("rbind", mount("src", "b2", NULL, MS_BIND | MS_REC, NULL));
    CHECK_RET("rbind_submount_seen", access("b2/sub/deep", F_OK));
    SETUP(write_file("b1/written", "via bind"));
    CHECK_RET("bind_write_shows_in_source", access("src/written", F_OK));
    SETUP(write_file("filetarget", ""));
    CHECK_RET("bind_file_on_file", mount("src/data", "filetarget", NULL, MS_BIND, NULL));
    memset(buf, 0, sizeof buf); read_file("filetarget", buf, sizeof buf);
    FACT_STR("bound_file", buf);
    CHECK_RET("bind_dir_on_file", mount("src", "plainfile", NULL, MS_BIND, NULL));
    CHECK_RET("bind_missing_source", mount("nowhere", "b1", NULL, MS_BIND, NULL));
    /* remount read-only: one bind mount, then the whole file system */
    CHECK_RET("remount_bind_ro", mount(NULL, "b1", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
    CHECK_RET("write_ro_bind", open("b1/new", O_CREAT | O_WRONLY, 0644));
    CHECK_RET("mkdir_ro_bind", mkdir("b1/d", 0755));
    CHECK_RET("unlink_ro_bind", unlink("b1/written"));
    CHECK_RET("chmod_ro_bind", chmod("b1/data", 0600));
    CHECK_RET("open_rdwr_ro_bind", open("b1/data", O_RDWR));
    CHECK_RET("access_w_ro_bind", access("b1/data", W_OK));
    CHECK_OK("read_ro_bind", open("b1/data", O_RDONLY));
    struct statvfs sv;
    statvfs("b1", &sv);
    FACT_BOOL("statvfs_ro_flag", sv.f_flag & ST_RDONLY);
    statvfs("src", &sv);
    FACT_BOOL("source_still_rw", !(sv.f_flag & ST_RDONLY));
    CHECK_OK("write_source_still_ok", open("src/new", O_CREAT | O_WRONLY, 0644));
    CHECK_RET("remount_tmpfs_ro", mount(NULL, "mnt", NULL, MS_REMOUNT | MS_RDONLY, "size=1m"));
    CHECK_RET("write_ro_tmpfs", open("mnt/x", O_CREAT | O_WRONLY, 0644));
    CHECK_RET("remount_tmpfs_rw", mount(NULL, "mnt", NULL, MS_REMOUNT, "size=1m"));
    CHECK_OK("write_rw_again", open("mnt/x", O_CREAT | O_WRONLY, 0644));
    FACT_BOOL("mounts_lists_mnt", in_mounts("/t/mnt tmpfs rw"));
    /* umount, and lazy umount with a file still open */
    CHECK_RET("umount_file_bind", umount2("filetarget", 0));
    CHECK_RET("umount_rbind_busy_with_submount", umount2("b2", 0));
    CHECK_RET("umount_rbind_sub", umount2("b2/sub", 0));
    CHECK_RET("umount_rbind", umount2("b2", 0));
    CHECK_RET("umount_bind", umount2("b1", 0));
    int keep = open("mnt/x", O_RDWR);
    CHECK_RET("umount_detach", umount2("mnt", MNT_DETACH));
    CHECK_RET("write_detached_file", write(keep, "still", 5));
    CHECK_RET("covered_file_back", access("mnt/under", F_OK));
    FACT_BOOL("mounts_no_longer_lists_mnt", !in_mounts("/t/mnt tmpfs"));
    CHECK_RET("umount_again", umount2("mnt", 0));
    CHECK_RET("umount_src_sub", umount2("src/sub", 0));
    DONE();
}
