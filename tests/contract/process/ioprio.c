/* ioprio_get(2)/ioprio_set(2) (block/ioprio.c): the default value, set and read back per thread, value checks (class, level, hint bits), EINVAL for `which`, ESRCH for no such pid, the best of a process group, and EPERM for another user's process without CAP_SYS_NICE. */
#include "../lib/contract.h"
#include <sys/syscall.h>
#include <sys/wait.h>

#define WHO_PROCESS 1
#define WHO_PGRP 2
#define WHO_USER 3
#define VALUE(cls, data) (((cls) << 13) | (data))

static long get(int which, int who) { return syscall(SYS_ioprio_get, which, who); }
static long set(int which, int who, int prio) { return syscall(SYS_ioprio_set, which, who, prio); }

int main(void)
{
    if (getpgrp() != getpid())
        SETUP(setpgid(0, 0));              /* a group of our own for WHO_PGRP */
    CHECK_RET("get_default", get(WHO_PROCESS, 0));
    CHECK_RET("get_self_pid", get(WHO_PROCESS, getpid()));
    CHECK_RET("get_bad_which", get(0, 0));
    CHECK_RET("get_which_4", get(4, 0));
    CHECK_RET("get_missing", get(WHO_PROCESS, 4000000));
    CHECK_RET("get_pgrp", get(WHO_PGRP, 0));
    CHECK_RET("set_be3", set(WHO_PROCESS, 0, VALUE(2, 3)));
    CHECK_RET("get_be3", get(WHO_PROCESS, 0));
    CHECK_RET("get_pgrp_be3", get(WHO_PGRP, 0));
    CHECK_RET("set_idle", set(WHO_PROCESS, 0, VALUE(3, 0)));
    CHECK_RET("get_idle", get(WHO_PROCESS, 0));
    CHECK_RET("set_rt0", set(WHO_PROCESS, 0, VALUE(1, 0)));
    CHECK_RET("get_rt0", get(WHO_PROCESS, 0));
    CHECK_RET("set_none0", set(WHO_PROCESS, 0, VALUE(0, 0)));
    CHECK_RET("get_none0", get(WHO_PROCESS, 0));
    CHECK_RET("set_none1", set(WHO_PROCESS, 0, VALUE(0, 1)));
    CHECK_RET("set_be_hint", set(WHO_PROCESS, 0, VALUE(2, 1 << 3)));
    CHECK_RET("get_be_hint", get(WHO_PROCESS, 0));
    CHECK_RET("set_none_hint", set(WHO_PROCESS, 0, VALUE(0, 1 << 3)));
    CHECK_RET("set_be_big_hint", set(WHO_PROCESS, 0, VALUE(2, 1 << 12)));
    CHECK_RET("set_idle_level", set(WHO_PROCESS, 0, VALUE(3, 5)));
    CHECK_RET("get_idle_level", get(WHO_PROCESS, 0));
    CHECK_RET("set_be_level7", set(WHO_PROCESS, 0, VALUE(2, 7)));
    CHECK_RET("set_class4", set(WHO_PROCESS, 0, VALUE(4, 0)));
    CHECK_RET("set_class7", set(WHO_PROCESS, 0, VALUE(7, 0)));
    CHECK_RET("set_bad_which", set(9, 0, VALUE(2, 1)));
    CHECK_RET("set_missing", set(WHO_PROCESS, 4000000, VALUE(2, 1)));
    CHECK_RET("set_bad_value_and_which", set(9, 0, VALUE(7, 0)));
    CHECK_RET("set_be2", set(WHO_PROCESS, 0, VALUE(2, 2)));
    pid_t c = fork();
    if (c == 0) {
        /* Inherited across fork; then as another user: EPERM on the parent. */
        long inherited = get(WHO_PROCESS, 0);
        if (setgid(65534) || setuid(65534)) _exit(90);
        long eperm = set(WHO_PROCESS, getppid(), VALUE(2, 1));
        int e = errno;
        long own = set(WHO_PROCESS, 0, VALUE(2, 6));
        long rt = set(WHO_PROCESS, 0, VALUE(1, 1));
        int e2 = errno;
        _exit((inherited == VALUE(2, 2) ? 1 : 0) | (eperm == -1 && e == EPERM ? 2 : 0)
              | (own == 0 ? 4 : 0) | (rt == -1 && e2 == EPERM ? 8 : 0));
    }
    int status;
    SETUP(waitpid(c, &status, 0));
    FACT_INT("child_bits", WEXITSTATUS(status));
    CHECK_RET("set_none_again", set(WHO_PROCESS, 0, 0));
    DONE();
}
