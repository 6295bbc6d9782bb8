/* fork(2): the child gets a copy-on-write copy of memory (its writes are invisible to the parent), the same fd table copy, and fork returns the child's pid to the parent and 0 to the child. */
#include "../lib/contract.h"
#include <sys/wait.h>

static int global = 1;

int main(void)
{
    int local = 2;
    char *heap = malloc(16);
    strcpy(heap, "parent");
    int p[2];
    SETUP(pipe(p));
    pid_t c = fork();
    if (c == 0) {
        global = 100; local = 200; strcpy(heap, "child");
        pid_t me = getpid(), pp = getppid();
        write(p[1], &me, sizeof me);
        write(p[1], &pp, sizeof pp);
        _exit(global == 100 && local == 200 ? 0 : 1);
    }
    pid_t me, pp;
    read(p[0], &me, sizeof me);
    read(p[0], &pp, sizeof pp);
    int st;
    waitpid(c, &st, 0);
    FACT_BOOL("child_saw_its_writes", WEXITSTATUS(st) == 0);
    FACT_INT("parent_global", global);
    FACT_INT("parent_local", local);
    FACT_STR("parent_heap", heap);
    FACT_BOOL("fork_ret_is_child_getpid", me == c);
    FACT_BOOL("child_getppid_is_parent", pp == getpid());
    FACT_BOOL("child_pid_differs", c != getpid());
    DONE();
}
