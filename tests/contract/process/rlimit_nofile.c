/* getrlimit(2)/setrlimit(2)/prlimit(2) RLIMIT_NOFILE: lowering the soft limit makes open() fail EMFILE at the limit, dup2 to an fd >= limit is EBADF, F_DUPFD EINVAL, soft > hard is EINVAL, prlimit reads back. */
#include "../lib/contract.h"
#include <sys/resource.h>

int main(void)
{
    struct rlimit orig, rl;
    SETUP(getrlimit(RLIMIT_NOFILE, &orig));
    rl.rlim_cur = 10; rl.rlim_max = orig.rlim_max;
    CHECK_RET("setrlimit_10", setrlimit(RLIMIT_NOFILE, &rl));
    int last = -1, n = 0;
    for (;;) {
        int fd = open("/dev/null", O_RDONLY);
        if (fd < 0) { FACT_ERRNO("open_at_limit", errno); break; }
        last = fd; n++;
    }
    FACT_INT("highest_fd", last);
    CHECK_RET("dup2_beyond_limit", dup2(0, 10));
    CHECK_RET("dup2_below_limit", dup2(0, 9) == 9 ? 0 : -1);
    CHECK_RET("f_dupfd_at_limit", fcntl(0, F_DUPFD, 10));
    int pp[2];
    CHECK_RET("pipe_at_limit", pipe(pp));
    struct rlimit got;
    CHECK_RET("prlimit_get", prlimit(0, RLIMIT_NOFILE, NULL, &got));
    FACT_INT("prlimit_cur", got.rlim_cur);
    struct rlimit bad = { 100, 50 };
    CHECK_RET("soft_gt_hard", setrlimit(RLIMIT_NOFILE, &bad));
    struct rlimit huge = { 1 << 30, 1 << 30 };
    CHECK_RET("above_nr_open", setrlimit(RLIMIT_NOFILE, &huge));
    CHECK_RET("bad_resource", getrlimit(999, &got));
    CHECK_RET("restore", setrlimit(RLIMIT_NOFILE, &orig));
    DONE();
}
