/* fcntl(2) F_DUPFD/F_DUPFD_CLOEXEC: result is the lowest free fd >= arg; arg beyond RLIMIT_NOFILE is EINVAL. */
#include "../lib/contract.h"
#include <sys/resource.h>

int main(void)
{
    int fd = open("/dev/null", O_RDONLY);
    SETUP(fd);
    int a = fcntl(fd, F_DUPFD, 10);
    FACT_INT("dupfd_min10", a);
    int b = fcntl(fd, F_DUPFD, 10);
    FACT_INT("dupfd_min10_again", b);
    FACT_BOOL("dupfd_cloexec_clear", !(fcntl(a, F_GETFD) & FD_CLOEXEC));
    int c = fcntl(fd, F_DUPFD_CLOEXEC, 30);
    FACT_INT("dupfd_cloexec_min30", c);
    FACT_BOOL("dupfd_cloexec_set", fcntl(c, F_GETFD) & FD_CLOEXEC);
    close(a);
    FACT_INT("dupfd_reuses_gap", fcntl(fd, F_DUPFD, 10));
    struct rlimit rl;
    SETUP(getrlimit(RLIMIT_NOFILE, &rl));
    CHECK_RET("dupfd_min_at_limit", fcntl(fd, F_DUPFD, (int)rl.rlim_cur));
    CHECK_RET("dupfd_negative_min", fcntl(fd, F_DUPFD, -1));
    CHECK_RET("dupfd_bad_fd", fcntl(77, F_DUPFD, 0));
    CHECK_RET("getfd_bad_fd", fcntl(77, F_GETFD));
    CHECK_RET("bad_cmd", fcntl(fd, 9999));
    DONE();
}
