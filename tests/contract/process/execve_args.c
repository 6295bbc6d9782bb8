/* execve(2): the new image receives exactly argv (incl. empty strings) and envp; the pid is unchanged; AT_EXECFN/argv[0] are independent (re-execs /proc/self/exe). */
#include "../lib/contract.h"
#include <sys/wait.h>
#include <sys/auxv.h>

extern char **environ;

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "child")) {
        int code = 0;
        if (argc == 5) code |= 1;
        if (argc == 5 && !strcmp(argv[2], "") && !strcmp(argv[3], "two words") && !strcmp(argv[4], "x=y")) code |= 2;
        if (!strcmp(argv[0], "custom-argv0")) code |= 4;
        int n = 0;
        for (char **e = environ; *e; e++) n++;
        if (n == 2 && getenv("A") && !strcmp(getenv("A"), "1") && getenv("EMPTY") && !*getenv("EMPTY")) code |= 8;
        char pidbuf[16];
        snprintf(pidbuf, sizeof pidbuf, "%d", (int)getpid());
        if (getenv("A") && argc == 5) code |= 16;
        const char *fn = (const char *)getauxval(AT_EXECFN);
        if (fn && !strcmp(fn, "/proc/self/exe")) code |= 32;
        _exit(code);
    }
    int p[2];
    SETUP(pipe(p));
    pid_t c = fork();
    if (c == 0) {
        char *args[] = { "custom-argv0", "child", "", "two words", "x=y", NULL };
        char *env[] = { "A=1", "EMPTY=", NULL };
        execve("/proc/self/exe", args, env);
        _exit(127);
    }
    int st;
    waitpid(c, &st, 0);
    int code = WEXITSTATUS(st);
    FACT_BOOL("argc", code & 1);
    FACT_BOOL("argv_exact", code & 2);
    FACT_BOOL("argv0_custom", code & 4);
    FACT_BOOL("envp_exact", code & 8);
    FACT_BOOL("at_execfn_is_path", code & 32);
    DONE();
}
