/* personality(2) (kernel/exec_domain.c): 0xffffffff queries, a set returns the old value, the flags survive fork and execve (setarch -R and valgrind use ADDR_NO_RANDOMIZE), and an unknown execution domain is still stored (the syscall does not validate). */
#include "../lib/contract.h"
#include <sys/personality.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
    if (argc > 1)                          /* re-executed: did the flag survive exec? */
        return personality(0xffffffff) == (PER_LINUX | ADDR_NO_RANDOMIZE) ? 0 : 1;
    FACT("initial", "0x%x", personality(0xffffffff));
    FACT("set_returns_old", "0x%x", personality(PER_LINUX | ADDR_NO_RANDOMIZE));
    FACT("after_set", "0x%x", personality(0xffffffff));
    pid_t c = fork();
    if (c == 0) _exit(personality(0xffffffff) == (PER_LINUX | ADDR_NO_RANDOMIZE) ? 0 : 1);
    int status;
    SETUP(waitpid(c, &status, 0));
    FACT_INT("fork_inherits", WEXITSTATUS(status) == 0);
    c = fork();
    if (c == 0) {
        execl("/proc/self/exe", argv[0], "child", (char *)NULL);
        _exit(99);
    }
    SETUP(waitpid(c, &status, 0));
    FACT_INT("exec_inherits", WIFEXITED(status) && WEXITSTATUS(status) == 0);
    FACT("set_odd_domain", "0x%x", personality(0x1f));
    FACT("odd_domain_kept", "0x%x", personality(0xffffffff));
    FACT("set_back", "0x%x", personality(PER_LINUX));
    DONE();
}
