/* wait(2)/proc(5): an exited, unwaited child is a zombie (state Z in /proc/<pid>/stat) that still accepts kill(pid, 0); after waitpid the pid is gone (ESRCH, /proc entry ENOENT). */
#include "../lib/contract.h"
#include <sys/wait.h>

int main(void)
{
    pid_t c = fork();
    if (c == 0) _exit(0);
    siginfo_t si;
    SETUP(waitid(P_PID, c, &si, WEXITED | WNOWAIT));
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)c);
    read_file(path, buf, sizeof buf);
    char *r = strrchr(buf, ')');
    FACT("zombie_state", "%c", r ? r[2] : '?');
    CHECK_RET("kill0_zombie", kill(c, 0));
    int st;
    waitpid(c, &st, 0);
    CHECK_RET("kill0_reaped", kill(c, 0));
    CHECK_RET("proc_entry_gone", open(path, O_RDONLY));
    c = fork();
    if (c == 0) { for (;;) pause(); }
    snprintf(path, sizeof path, "/proc/%d/stat", (int)c);
    char state = '?';
    for (int i = 0; i < 500 && state != 'S'; i++) {   /* until the child sits in pause() */
        read_file(path, buf, sizeof buf);
        r = strrchr(buf, ')');
        state = r ? r[2] : '?';
        if (state != 'S') sleep_ms(2);
    }
    FACT("sleeping_state", "%c", state);
    kill(c, SIGSTOP);
    waitpid(c, &st, WUNTRACED);
    read_file(path, buf, sizeof buf);
    r = strrchr(buf, ')');
    FACT("stopped_state", "%c", r ? r[2] : '?');
    kill(c, SIGKILL);
    waitpid(c, &st, 0);
    CHECK_RET("waitpid_nohang_none", waitpid(-1, &st, WNOHANG));
    DONE();
}
