/* proc(5) /proc/self/cwd and /proc/self/root: cwd readlink equals getcwd (also after chdir), root is "/", and both work as directories for lookup; /proc/self resolves to the pid. */
#include "../lib/contract.h"

int main(void)
{
    char cwd[4096], l[4096] = {0};
    getcwd(cwd, sizeof cwd);
    readlink("/proc/self/cwd", l, sizeof l - 1);
    FACT_BOOL("cwd_link_equals_getcwd", !strcmp(cwd, l));
    SETUP(mkdir("sub", 0755));
    SETUP(write_file("sub/f", "x"));
    SETUP(chdir("sub"));
    getcwd(cwd, sizeof cwd);
    memset(l, 0, sizeof l);
    readlink("/proc/self/cwd", l, sizeof l - 1);
    FACT_BOOL("cwd_link_follows_chdir", !strcmp(cwd, l));
    CHECK_RET("lookup_through_cwd_link", access("/proc/self/cwd/f", F_OK));
    memset(l, 0, sizeof l);
    readlink("/proc/self/root", l, sizeof l - 1);
    FACT_STR("root_link", l);
    memset(l, 0, sizeof l);
    readlink("/proc/self", l, sizeof l - 1);
    FACT_BOOL("proc_self_is_pid", atoi(l) == getpid());
    char ts[64];
    memset(l, 0, sizeof l);
    readlink("/proc/thread-self", l, sizeof l - 1);
    snprintf(ts, sizeof ts, "%d/task/%d", (int)getpid(), (int)getpid());
    FACT_BOOL("thread_self", !strcmp(l, ts));
    DONE();
}
