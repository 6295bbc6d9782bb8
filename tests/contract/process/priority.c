/* getpriority(2)/setpriority(2): raising the nice value by 3 reads back (+3), the raw syscall returns 20-nice, invalid which EINVAL, unknown pid ESRCH; a non-root child cannot lower its nice value (code 1 = EACCES). */
#include "../lib/contract.h"
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

int main(void)
{
    errno = 0;
    int base = getpriority(PRIO_PROCESS, 0);
    SETUP(errno ? -1 : 0);
    CHECK_RET("setpriority_plus3", setpriority(PRIO_PROCESS, 0, base + 3));
    FACT_INT("delta_after", getpriority(PRIO_PROCESS, 0) - base);
    FACT_BOOL("raw_is_20_minus_nice", syscall(SYS_getpriority, PRIO_PROCESS, 0) == 20 - (base + 3));
    CHECK_RET("bad_which", setpriority(99, 0, 0));
    CHECK_RET("missing_pid", setpriority(PRIO_PROCESS, 0x3ffffff0, 0));
    pid_t c = fork();
    if (c == 0) {
        if (setuid(65534)) _exit(99);
        int now = getpriority(PRIO_PROCESS, 0);
        if (setpriority(PRIO_PROCESS, 0, now - 1) == -1) _exit(errno == EACCES ? 1 : 2);
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    FACT_INT("nonroot_lower_nice_code", WEXITSTATUS(st));
    int before = getpriority(PRIO_PROCESS, 0);
    errno = 0;
    int r = nice(1);
    FACT_BOOL("nice_returns_new_value", r == before + 1 || (before == 19 && r == 19));
    DONE();
}
