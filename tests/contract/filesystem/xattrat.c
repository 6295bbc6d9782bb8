/* setxattrat/getxattrat/listxattrat/removexattrat (Linux 6.13, fs/xattr.c): struct xattr_args
 * {value, size, flags} with usize checks (EINVAL below 16, E2BIG past a page or with non-zero
 * tail bytes), at_flags AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH only, dirfd-relative names, AT_EMPTY_PATH
 * on an fd and on the cwd, flags in getxattrat's args are EINVAL. */
#include "../lib/contract.h"

#define NR_setxattrat 463
#define NR_getxattrat 464
#define NR_listxattrat 465
#define NR_removexattrat 466

struct xattr_args {
    unsigned long long value;
    unsigned int size;
    unsigned int flags;
};

static long setat(int dfd, const char *path, unsigned at, const char *name, const char *val, unsigned flags, size_t usize)
{
    struct { struct xattr_args a; char tail[8]; } args = {{(unsigned long)val, val ? strlen(val) : 0, flags}, {0}};
    return syscall(NR_setxattrat, dfd, path, at, name, &args, usize);
}

static long getat(int dfd, const char *path, unsigned at, const char *name, char *buf, unsigned size, unsigned flags)
{
    struct xattr_args a = {(unsigned long)buf, size, flags};
    return syscall(NR_getxattrat, dfd, path, at, name, &a, sizeof a);
}

int main(void)
{
    SETUP(mkdir("d", 0755));
    SETUP(write_file("d/f", "data"));
    SETUP(symlink("f", "d/l"));
    int dfd = open("d", O_RDONLY | O_DIRECTORY);
    int ffd = open("d/f", O_RDONLY);
    char buf[256];

    CHECK_RET("set_dirfd_relative", setat(dfd, "f", 0, "user.a", "v1", 0, 16));
    CHECK_RET("set_through_symlink", setat(dfd, "l", 0, "user.b", "v2", 0, 16));
    CHECK_RET("set_nofollow_symlink", setat(dfd, "l", AT_SYMLINK_NOFOLLOW, "user.c", "v3", 0, 16));
    CHECK_RET("set_empty_path_fd", setat(ffd, "", AT_EMPTY_PATH, "user.d", "v4", 0, 16));
    CHECK_RET("set_empty_path_no_flag", setat(ffd, "", 0, "user.d", "v4", 0, 16));
    CHECK_RET("set_null_path_fd", setat(ffd, NULL, AT_EMPTY_PATH, "user.e", "v5", 0, 16));
    CHECK_RET("set_bad_at_flag", setat(dfd, "f", 0x1, "user.a", "x", 0, 16));
    CHECK_RET("set_usize_small", setat(dfd, "f", 0, "user.a", "x", 0, 8));
    CHECK_RET("set_usize_zero", setat(dfd, "f", 0, "user.a", "x", 0, 0));
    CHECK_RET("set_usize_big_zero_tail", setat(dfd, "f", 0, "user.g", "x", 0, 24));
    CHECK_RET("set_usize_page", setat(dfd, "f", 0, "user.a", "x", 0, 8192));
    CHECK_RET("set_create_existing", setat(dfd, "f", 0, "user.a", "x", 1 /* XATTR_CREATE */, 16));
    CHECK_RET("set_bad_xattr_flags", setat(dfd, "f", 0, "user.a", "x", 4, 16));
    CHECK_RET("set_bad_args_ptr", syscall(NR_setxattrat, dfd, "f", 0, "user.a", (void *)8, 16));
    CHECK_RET("set_bad_dirfd", setat(999, "f", 0, "user.a", "x", 0, 16));
    CHECK_RET("set_bad_fd_empty", setat(999, "", AT_EMPTY_PATH, "user.a", "x", 0, 16));
    CHECK_RET("set_missing", setat(dfd, "nope", 0, "user.a", "x", 0, 16));
    {
        struct { struct xattr_args a; char tail[8]; } args = {{(unsigned long)"x", 1, 0}, {1}};
        CHECK_RET("set_nonzero_tail", syscall(NR_setxattrat, dfd, "f", 0, "user.h", &args, 24));
    }

    memset(buf, 0, sizeof buf);
    CHECK_RET("get_dirfd_relative", getat(dfd, "f", 0, "user.a", buf, sizeof buf, 0));
    FACT_STR("get_value", buf);
    CHECK_RET("get_size_query", getat(dfd, "f", 0, "user.b", NULL, 0, 0));
    CHECK_RET("get_short", getat(dfd, "f", 0, "user.b", buf, 1, 0));
    CHECK_RET("get_flags_nonzero", getat(dfd, "f", 0, "user.a", buf, sizeof buf, 1));
    CHECK_RET("get_nofollow_symlink", getat(dfd, "l", AT_SYMLINK_NOFOLLOW, "user.a", buf, sizeof buf, 0));
    CHECK_RET("get_empty_path_fd", getat(ffd, "", AT_EMPTY_PATH, "user.d", buf, sizeof buf, 0));
    CHECK_RET("get_missing_name", getat(dfd, "f", 0, "user.zz", buf, sizeof buf, 0));
    CHECK_RET("get_bad_name", getat(dfd, "f", 0, "bogus.a", buf, sizeof buf, 0));
    CHECK_RET("get_bad_at_flag", getat(dfd, "f", 0x200, "user.a", buf, sizeof buf, 0));
    {
        struct xattr_args a = {(unsigned long)buf, sizeof buf, 0};
        CHECK_RET("get_usize_small", syscall(NR_getxattrat, dfd, "f", 0, "user.a", &a, 15));
        CHECK_RET("get_usize_huge", syscall(NR_getxattrat, dfd, "f", 0, "user.a", &a, 1 << 20));
    }
    CHECK_RET("set_dir_empty_path", setat(dfd, "", AT_EMPTY_PATH, "user.dir", "dv", 0, 16));
    SETUP(chdir("d"));
    CHECK_RET("get_cwd_empty_path", getat(AT_FDCWD, "", AT_EMPTY_PATH, "user.dir", buf, sizeof buf, 0));
    CHECK_RET("get_cwd_null_path", getat(AT_FDCWD, NULL, AT_EMPTY_PATH, "user.dir", buf, sizeof buf, 0));
    SETUP(chdir(".."));

    CHECK_RET("list_size", syscall(NR_listxattrat, dfd, "f", 0, NULL, 0));
    CHECK_RET("list_short", syscall(NR_listxattrat, dfd, "f", 0, buf, 2));
    CHECK_RET("list_empty_path_fd", syscall(NR_listxattrat, ffd, "", AT_EMPTY_PATH, buf, sizeof buf));
    CHECK_RET("list_bad_at_flag", syscall(NR_listxattrat, dfd, "f", 0x400, buf, sizeof buf));
    CHECK_RET("list_bad_fd", syscall(NR_listxattrat, 999, "", AT_EMPTY_PATH, buf, sizeof buf));

    CHECK_RET("remove", syscall(NR_removexattrat, dfd, "f", 0, "user.a"));
    CHECK_RET("remove_again", syscall(NR_removexattrat, dfd, "f", 0, "user.a"));
    CHECK_RET("remove_empty_path_fd", syscall(NR_removexattrat, ffd, "", AT_EMPTY_PATH, "user.d"));
    CHECK_RET("remove_bad_at_flag", syscall(NR_removexattrat, dfd, "f", 0x2, "user.b"));
    CHECK_RET("remove_bad_name_ptr", syscall(NR_removexattrat, dfd, "f", 0, (void *)8));
    CHECK_RET("list_after_remove", syscall(NR_listxattrat, dfd, "f", 0, NULL, 0));
    DONE();
}
