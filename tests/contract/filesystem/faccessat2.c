/* faccessat2(2): AT_EACCESS and AT_SYMLINK_NOFOLLOW (a dangling symlink itself exists), AT_EMPTY_PATH on an fd, unknown flags EINVAL; faccessat(2) syscall mode validation EINVAL. */
#include "../lib/contract.h"
#include <sys/syscall.h>

static long fa2(int dfd, const char *p, int mode, int flags) { return syscall(SYS_faccessat2, dfd, p, mode, flags); }

int main(void)
{
    SETUP(write_file("f", "x"));
    SETUP(symlink("missing", "dangling"));
    CHECK_RET("plain_f_ok", fa2(AT_FDCWD, "f", F_OK, 0));
    CHECK_RET("eaccess", fa2(AT_FDCWD, "f", R_OK | W_OK, AT_EACCESS));
    CHECK_RET("dangling_follow", fa2(AT_FDCWD, "dangling", F_OK, 0));
    CHECK_RET("dangling_nofollow", fa2(AT_FDCWD, "dangling", F_OK, AT_SYMLINK_NOFOLLOW));
    int fd = open("f", O_RDONLY);
    CHECK_RET("empty_path", fa2(fd, "", R_OK, AT_EMPTY_PATH));
    CHECK_RET("empty_path_without_flag", fa2(fd, "", R_OK, 0));
    CHECK_RET("unknown_flag", fa2(AT_FDCWD, "f", F_OK, 0x1));
    CHECK_RET("bad_mode", fa2(AT_FDCWD, "f", 8, 0));
    CHECK_RET("faccessat_bad_mode", syscall(SYS_faccessat, AT_FDCWD, "f", 8));
    CHECK_RET("exec_regular_0644_root", fa2(AT_FDCWD, "f", X_OK, 0));
    DONE();
}
