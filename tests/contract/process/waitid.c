/* waitid(2): P_PID with WEXITED fills si_code/si_status/si_pid, P_PGID selects by group, P_ALL|WNOHANG with nothing ready returns 0 with si_pid 0, WNOWAIT leaves the zombie, no options EINVAL, no children ECHILD. */
#include "../lib/contract.h"
#include <sys/wait.h>

int main(void)
{
    siginfo_t si;
    pid_t c = fork();
    if (c == 0) _exit(9);
    memset(&si, 0, sizeof si);
    CHECK_RET("waitid_wnowait", waitid(P_PID, c, &si, WEXITED | WNOWAIT));
    FACT_INT("wnowait_status", si.si_status);
    memset(&si, 0, sizeof si);
    CHECK_RET("waitid_pid", waitid(P_PID, c, &si, WEXITED));
    FACT_INT("si_signo", si.si_signo);
    FACT_INT("si_code", si.si_code);
    FACT_INT("si_status", si.si_status);
    FACT_BOOL("si_pid_is_child", si.si_pid == c);
    FACT_INT("si_uid", si.si_uid);
    CHECK_RET("waitid_again_echild", waitid(P_PID, c, &si, WEXITED));
    c = fork();
    if (c == 0) { pause(); _exit(0); }
    memset(&si, 0xff, sizeof si);
    CHECK_RET("waitid_wnohang_running", waitid(P_ALL, 0, &si, WEXITED | WNOHANG));
    FACT_INT("wnohang_si_pid", si.si_pid);
    kill(c, SIGKILL);
    memset(&si, 0, sizeof si);
    CHECK_RET("waitid_all_killed", waitid(P_ALL, 0, &si, WEXITED));
    FACT_INT("killed_si_code", si.si_code);
    FACT_INT("killed_si_status", si.si_status);
    pid_t g = fork();
    if (g == 0) { setpgid(0, 0); _exit(3); }
    setpgid(g, g);
    memset(&si, 0, sizeof si);
    CHECK_RET("waitid_pgid", waitid(P_PGID, g, &si, WEXITED));
    FACT_INT("pgid_status", si.si_status);
    CHECK_RET("waitid_no_options", waitid(P_ALL, 0, &si, 0));
    CHECK_RET("waitid_bad_idtype", waitid(42, 0, &si, WEXITED));
    CHECK_RET("waitid_no_children", waitid(P_ALL, 0, &si, WEXITED));
    DONE();
}
