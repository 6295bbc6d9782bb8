/* vfork(2): the parent is suspended until the child calls _exit or execve, so data the child wrote to a pipe is already there when vfork returns in the parent; memory is shared until then. */
#include "../lib/contract.h"
#include <sys/wait.h>

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "exec")) _exit(23);
    int p[2];
    SETUP(pipe2(p, O_NONBLOCK));
    static volatile int shared = 0;
    pid_t c = vfork();
    if (c == 0) {
        shared = 1;
        write(p[1], "c", 1);
        _exit(5);
    }
    char b = 0;
    CHECK_RET("data_ready_when_parent_resumes", read(p[0], &b, 1));
    FACT_INT("memory_shared", shared);
    int st;
    waitpid(c, &st, 0);
    FACT_INT("child_status", WEXITSTATUS(st));
    c = vfork();
    if (c == 0) {
        char *args[] = { argv[0], "exec", NULL };
        execv("/proc/self/exe", args);
        _exit(127);
    }
    waitpid(c, &st, 0);
    FACT_INT("vfork_exec_status", WEXITSTATUS(st));
    DONE();
}
