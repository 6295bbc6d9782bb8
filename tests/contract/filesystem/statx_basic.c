/* statx(2): stx_mask covers STATX_BASIC_STATS plus STATX_MNT_ID (mask & 0x17ff == 0x17ff), stx_size/mode/nlink agree with stat, AT_EMPTY_PATH on an fd, AT_SYMLINK_NOFOLLOW, errors ENOENT/EINVAL. */
#include "../lib/contract.h"
#include <sys/syscall.h>
#include <stdint.h>

struct sx_ts { int64_t tv_sec; uint32_t tv_nsec; int32_t r; };
struct sx {
    uint32_t mask, blksize; uint64_t attributes; uint32_t nlink, uid, gid; uint16_t mode, pad1;
    uint64_t ino, size, blocks, attributes_mask; struct sx_ts atime, btime, ctime, mtime;
    uint32_t rdev_major, rdev_minor, dev_major, dev_minor; uint64_t mnt_id; uint64_t spare[13];
};

static long sx(int dfd, const char *p, int flags, unsigned mask, struct sx *b) { return syscall(SYS_statx, dfd, p, flags, mask, b); }

int main(void)
{
    FACT_INT("struct_size", sizeof(struct sx));
    SETUP(write_file("f", "hello statx\n"));
    SETUP(symlink("f", "l"));
    struct sx b;
    memset(&b, 0, sizeof b);
    CHECK_RET("statx", sx(AT_FDCWD, "f", 0, 0x7ff, &b));
    FACT_BOOL("mask_basic", (b.mask & 0x7ff) == 0x7ff);
    FACT_BOOL("mask_mnt_id", (b.mask & 0x1000) != 0);
    FACT_BOOL("mask_and_0x17ff_eq_0x17ff", (b.mask & 0x17ff) == 0x17ff);
    FACT_INT("stx_size", b.size);
    FACT("stx_mode", "0%o", b.mode);
    FACT_INT("stx_nlink", b.nlink);
    struct stat st;
    stat("f", &st);
    FACT_BOOL("ino_matches_stat", b.ino == st.st_ino);
    FACT_BOOL("mtime_matches_stat", b.mtime.tv_sec == st.st_mtim.tv_sec && b.mtime.tv_nsec == (uint32_t)st.st_mtim.tv_nsec);
    FACT_BOOL("mnt_id_nonzero", b.mnt_id != 0);
    int fd = open("f", O_RDONLY);
    memset(&b, 0, sizeof b);
    CHECK_RET("empty_path", sx(fd, "", AT_EMPTY_PATH, 0x7ff, &b));
    FACT_INT("empty_path_size", b.size);
    CHECK_RET("empty_path_no_flag", sx(fd, "", 0, 0x7ff, &b));
    memset(&b, 0, sizeof b);
    CHECK_RET("nofollow", sx(AT_FDCWD, "l", AT_SYMLINK_NOFOLLOW, 0x7ff, &b));
    FACT_BOOL("nofollow_is_link", (b.mode & S_IFMT) == S_IFLNK);
    FACT_INT("link_size", b.size);
    memset(&b, 0, sizeof b);
    sx(AT_FDCWD, "l", 0, 0x7ff, &b);
    FACT_BOOL("follow_is_reg", (b.mode & S_IFMT) == S_IFREG);
    CHECK_RET("missing", sx(AT_FDCWD, "nope", 0, 0x7ff, &b));
    CHECK_RET("reserved_mask_bit", sx(AT_FDCWD, "f", 0, 0x80000000u, &b));
    CHECK_RET("bad_flags", sx(AT_FDCWD, "f", 0x1, 0x7ff, &b));
    CHECK_RET("sync_type_both", sx(AT_FDCWD, "f", 0x6000, 0x7ff, &b));
    memset(&b, 0, sizeof b);
    CHECK_RET("mask_zero_ok", sx(AT_FDCWD, "f", 0, 0, &b));
    FACT_BOOL("mask_zero_reports_all_basic", (b.mask & 0x7ff) == 0x7ff);
    SETUP(mkdir("d", 0755));
    memset(&b, 0, sizeof b);
    sx(AT_FDCWD, "d", 0, 0x7ff, &b);
    FACT_BOOL("dir_mode", (b.mode & S_IFMT) == S_IFDIR);
    DONE();
}
