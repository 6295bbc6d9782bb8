/* openat2(2) and RESOLVE_*: BENEATH (absolute paths, "..", absolute and escaping
 * symlinks, magic links: EXDEV), IN_ROOT (the dirfd is "/" for paths and symlinks),
 * NO_SYMLINKS and NO_MAGICLINKS (ELOOP), NO_XDEV across a mount (EXDEV), CACHED with
 * O_CREAT (EAGAIN); struct open_how checks (size, trailing bytes, flags, mode). */
#include "fs.h"
#include <sys/syscall.h>
#include <stdint.h>

struct how { uint64_t flags, mode, resolve; };
#define RB 0x08
#define RIR 0x10
#define RNS 0x04
#define RNM 0x02
#define RNX 0x01
#define RC 0x20

static long o2(int dfd, const char *p, uint64_t flags, uint64_t mode, uint64_t res)
{
    struct how h = {flags, mode, res};
    return syscall(SYS_openat2, dfd, p, &h, sizeof h);
}
static void what(const char *key, long fd)
{
    if (fd < 0) { printf("%s=%s\n", key, errname(errno)); return; }
    char b[32] = {0};
    pread(fd, b, sizeof b - 1, 0);
    printf("%s=%s\n", key, b);
    close(fd);
}

int main(void)
{
    enter_tmpfs("size=16m");
    SETUP(write_file("outside", "outside"));
    SETUP(mkdir("root", 0755));
    SETUP(mkdir("root/sub", 0755));
    SETUP(mkdir("root/etc", 0755));
    SETUP(write_file("root/etc/passwd", "jailed"));
    SETUP(write_file("root/sub/f", "inner"));
    SETUP(symlink("/etc/passwd", "root/abs"));
    SETUP(symlink("../outside", "root/esc"));
    SETUP(symlink("sub/f", "root/rel"));
    SETUP(symlink("../../../../../../etc/passwd", "root/deep"));
    SETUP(mkdir("root/mnt", 0755));
    SETUP(mount("tmpfs", "root/mnt", "tmpfs", 0, "size=1m"));
    SETUP(write_file("root/mnt/m", "mounted"));
    SETUP(symlink("mnt/m", "root/tomnt"));
    int r = open("root", O_RDONLY | O_DIRECTORY);
    char magic[64];
    int f = open("root/sub/f", O_RDONLY);
    snprintf(magic, sizeof magic, "/proc/self/fd/%d", f);
    SETUP(symlink(magic, "root/magic"));
    what("plain", o2(r, "sub/f", O_RDONLY, 0, 0));
    what("beneath_plain", o2(r, "sub/f", O_RDONLY, 0, RB));
    what("beneath_dotdot_inside", o2(r, "sub/../sub/f", O_RDONLY, 0, RB));
    what("beneath_dotdot_out", o2(r, "../outside", O_RDONLY, 0, RB));
    what("beneath_dotdot_out_and_in", o2(r, "../root/sub/f", O_RDONLY, 0, RB));
    what("beneath_absolute", o2(r, "/etc/passwd", O_RDONLY, 0, RB));
    what("beneath_abs_link", o2(r, "abs", O_RDONLY, 0, RB));
    what("beneath_escaping_link", o2(r, "esc", O_RDONLY, 0, RB));
    what("beneath_rel_link", o2(r, "rel", O_RDONLY, 0, RB));
    what("beneath_magic_link", o2(r, "magic", O_RDONLY, 0, RB));
    what("beneath_proc_magic", o2(AT_FDCWD, magic, O_RDONLY, 0, RB));
    what("in_root_absolute", o2(r, "/etc/passwd", O_RDONLY, 0, RIR));
    what("in_root_abs_link", o2(r, "abs", O_RDONLY, 0, RIR));
    what("in_root_deep_link", o2(r, "deep", O_RDONLY, 0, RIR));
    what("in_root_dotdot_clamped", o2(r, "../../etc/passwd", O_RDONLY, 0, RIR));
    what("in_root_escaping_link", o2(r, "esc", O_RDONLY, 0, RIR));
    what("in_root_magic", o2(r, "magic", O_RDONLY, 0, RIR));
    what("no_symlinks_rel", o2(r, "rel", O_RDONLY, 0, RNS));
    what("no_symlinks_plain", o2(r, "sub/f", O_RDONLY, 0, RNS));
    CHECK_OK("no_symlinks_opath_nofollow", o2(r, "rel", O_PATH | O_NOFOLLOW, 0, RNS));
    what("no_magiclinks_magic", o2(r, "magic", O_RDONLY, 0, RNM));
    what("no_magiclinks_rel", o2(r, "rel", O_RDONLY, 0, RNM));
    what("no_magiclinks_proc", o2(AT_FDCWD, magic, O_RDONLY, 0, RNM));
    what("no_xdev_into_mount", o2(r, "mnt/m", O_RDONLY, 0, RNX));
    what("no_xdev_link_into_mount", o2(r, "tomnt", O_RDONLY, 0, RNX));
    what("no_xdev_plain", o2(r, "sub/f", O_RDONLY, 0, RNX));
    int m = open("root/mnt", O_RDONLY | O_DIRECTORY);
    what("no_xdev_dotdot_out_of_mount", o2(m, "../sub/f", O_RDONLY, 0, RNX));
    what("no_xdev_inside_mount", o2(m, "m", O_RDONLY, 0, RNX));
    what("cached_plain", o2(AT_FDCWD, "root/sub/f", O_RDONLY, 0, RC));
    what("cached_creat", o2(r, "sub/new", O_RDWR | O_CREAT, 0644, RC));
    what("cached_trunc", o2(r, "sub/f", O_RDWR | O_TRUNC, 0, RC));
    what("beneath_and_in_root", o2(r, "sub/f", O_RDONLY, 0, RB | RIR));
    what("bad_resolve_bit", o2(r, "sub/f", O_RDONLY, 0, 0x40));
    what("bad_flag_bit", o2(r, "sub/f", O_RDONLY | 0x80000000u, 0, 0));
    what("mode_without_creat", o2(r, "sub/f", O_RDONLY, 0644, 0));
    what("mode_bad_bits", o2(r, "sub/g", O_RDWR | O_CREAT, 010644, 0));
    what("creat_beneath", o2(r, "sub/created", O_RDWR | O_CREAT, 0600, RB));
    what("creat_beneath_escape", o2(r, "../created", O_RDWR | O_CREAT, 0600, RB));
    what("creat_through_abs_link_in_root", o2(r, "abs2", O_RDWR | O_CREAT, 0600, RIR));
    what("opath_with_rdwr", o2(r, "sub/f", O_PATH | O_RDWR, 0, 0));
    what("tmpfile_creat", o2(r, "sub", O_TMPFILE | O_CREAT | O_RDWR, 0600, 0));
    struct how h = {O_RDONLY, 0, 0};
    CHECK_RET("size_small", syscall(SYS_openat2, r, "sub/f", &h, 16));
    CHECK_RET("size_huge", syscall(SYS_openat2, r, "sub/f", &h, 8192));
    char big[64] = {0};
    memcpy(big, &h, sizeof h);
    CHECK_OK("size_bigger_zeroes", syscall(SYS_openat2, r, "sub/f", big, sizeof big));
    big[40] = 1;
    CHECK_RET("size_bigger_nonzero", syscall(SYS_openat2, r, "sub/f", big, sizeof big));
    CHECK_RET("how_bad_ptr", syscall(SYS_openat2, r, "sub/f", (void *)8, sizeof h));
    CHECK_RET("path_bad_ptr", syscall(SYS_openat2, r, (void *)8, &h, sizeof h));
    CHECK_RET("bad_dirfd", syscall(SYS_openat2, 999, "sub/f", &h, sizeof h));
    umount2("root/mnt", MNT_DETACH);
    DONE();
}
