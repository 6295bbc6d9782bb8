/* statx(2) on Linux 6.18: an empty path with AT_EMPTY_PATH on an fd is statx of the fd,
 * where only the sync type and the reserved mask bit are checked; otherwise bad flags,
 * both sync types or the reserved mask are EINVAL before the name is copied. Found by
 * the hostile-argument fuzzer (Kevlar said ENAMETOOLONG). */
#include "../lib/contract.h"
#include <sys/syscall.h>

static char longpath[5000];

static long sx(int fd, const char *path, int flags, unsigned mask)
{
    static char buf[256];
    return syscall(SYS_statx, fd, path, flags, mask, buf);
}

int main(void)
{
    memset(longpath, 'a', sizeof longpath - 1);
    CHECK_RET("long_flags0", sx(AT_FDCWD, longpath, 0, 0));
    CHECK_RET("long_badflag", sx(AT_FDCWD, longpath, 1, 0));
    CHECK_RET("long_both_sync", sx(AT_FDCWD, longpath, AT_STATX_SYNC_TYPE, 0));
    CHECK_RET("long_reserved_mask", sx(AT_FDCWD, longpath, 0, 0x80000000u));
    CHECK_RET("badptr_badflag", sx(AT_FDCWD, (char *)16, 1, 0));
    CHECK_RET("empty_fd_badflag", sx(0, "", AT_EMPTY_PATH | 1, 0));
    CHECK_RET("empty_fd_reserved_mask", sx(0, "", AT_EMPTY_PATH, 0x80000000u));
    CHECK_RET("empty_fd_both_sync", sx(0, "", AT_EMPTY_PATH | AT_STATX_SYNC_TYPE, 0));
    CHECK_RET("empty_cwd_badflag", sx(AT_FDCWD, "", AT_EMPTY_PATH | 1, 0));
    CHECK_RET("empty_cwd", sx(AT_FDCWD, "", AT_EMPTY_PATH, 0));
    CHECK_RET("empty_badfd", sx(-5, "", AT_EMPTY_PATH, 0));
    CHECK_RET("missing_badflag", sx(AT_FDCWD, "missing", 1, 0));
    DONE();
}
