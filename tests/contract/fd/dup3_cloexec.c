/* dup3(2): O_CLOEXEC on the new fd is visible via F_GETFD; dup2/dup never copy FD_CLOEXEC; dup3 oldfd==newfd is EINVAL. */
#include "../lib/contract.h"
#include <sys/syscall.h>

/* raw syscall: musl's dup3() wrapper pre-checks some arguments itself */
#define dup3(a, b, f) syscall(SYS_dup3, a, b, f)

int main(void)
{
    int p[2];
    SETUP(pipe(p));
    SETUP(fcntl(p[0], F_SETFD, FD_CLOEXEC));
    CHECK_RET("dup3_ret_is_target", dup3(p[0], 20, O_CLOEXEC) == 20 ? 1 : -1);
    FACT_BOOL("dup3_cloexec", fcntl(20, F_GETFD) & FD_CLOEXEC);
    CHECK_RET("dup3_no_flag", dup3(p[0], 21, 0) == 21 ? 1 : -1);
    FACT_BOOL("dup3_no_flag_cloexec", fcntl(21, F_GETFD) & FD_CLOEXEC);
    SETUP(dup2(p[0], 22));
    FACT_BOOL("dup2_cloexec", fcntl(22, F_GETFD) & FD_CLOEXEC);
    int d = dup(p[0]);
    FACT_BOOL("dup_cloexec", fcntl(d, F_GETFD) & FD_CLOEXEC);
    FACT_BOOL("orig_still_cloexec", fcntl(p[0], F_GETFD) & FD_CLOEXEC);
    CHECK_RET("dup3_same_fd", dup3(p[0], p[0], 0));
    CHECK_RET("dup3_bad_flags", dup3(p[0], 23, O_NONBLOCK));
    CHECK_RET("dup3_bad_oldfd", dup3(999, 23, 0));
    CHECK_RET("dup3_negative_newfd", dup3(p[0], -1, 0));
    /* F_SETFD only changes the per-fd flag: the dup is unaffected. */
    SETUP(fcntl(20, F_SETFD, 0));
    FACT_BOOL("clear_on_dup_keeps_orig", fcntl(p[0], F_GETFD) & FD_CLOEXEC);
    DONE();
}
