/* newfstatat(2) on Linux 6.18: an empty path with AT_EMPTY_PATH on an fd is fstat before
 * any flag is looked at; otherwise bad flags are EINVAL before the name is copied (a
 * too-long or unmapped name does not win). Found by the hostile-argument fuzzer. */
#include "../lib/contract.h"
#include <sys/syscall.h>

int main(void)
{
    static char longpath[5000];
    memset(longpath, 'a', sizeof longpath - 1);
    char buf[256];
    CHECK_RET("long_path_flags0", syscall(SYS_newfstatat, AT_FDCWD, longpath, buf, 0));
    CHECK_RET("long_path_badflag", syscall(SYS_newfstatat, AT_FDCWD, longpath, buf, 1));
    CHECK_RET("long_path_empty_badflag", syscall(SYS_newfstatat, AT_FDCWD, longpath, buf, AT_EMPTY_PATH | 1));
    CHECK_RET("bad_pointer_badflag", syscall(SYS_newfstatat, AT_FDCWD, (char *)16, buf, 1));
    CHECK_RET("bad_pointer_flags0", syscall(SYS_newfstatat, AT_FDCWD, (char *)16, buf, 0));
    CHECK_RET("empty_fd_badflag", syscall(SYS_newfstatat, 0, "", buf, AT_EMPTY_PATH | 1));
    CHECK_RET("empty_cwd_badflag", syscall(SYS_newfstatat, AT_FDCWD, "", buf, AT_EMPTY_PATH | 1));
    CHECK_RET("empty_no_flag", syscall(SYS_newfstatat, AT_FDCWD, "", buf, 0));
    DONE();
}
