/* personality(2) and uname(2) (kernel/sys.c): 0xffffffff queries without change, the old
 * value is returned, PER_LINUX32 makes uname's machine "i686", UNAME26 makes the release
 * "2.6.(60+minor)" plus the rest, and the personality survives execve. */
#include "../lib/contract.h"
#include <sys/personality.h>
#include <sys/utsname.h>
#include <sys/wait.h>

static int expected_uname26(const char *real, const char *shown)
{
    unsigned major, minor;
    int used = 0;
    if (sscanf(real, "%u.%u%n", &major, &minor, &used) < 2) return 0;
    const char *rest = real;
    int dots = 0;
    while (*rest && (isdigit((unsigned char)*rest) || *rest == '.')) {
        if (*rest == '.' && ++dots >= 3) break;
        rest++;
    }
    char want[80];
    snprintf(want, sizeof want, "2.6.%u%s", minor + 60, rest);
    return strcmp(want, shown) == 0;
}

int main(int argc, char **argv)
{
    struct utsname u;
    if (argc > 1) { /* after execve: report what uname says */
        uname(&u);
        return strcmp(u.machine, "i686") == 0 ? 42 : 1;
    }
    unsigned long base = personality(0xffffffff);
    FACT_BOOL("query_is_linux", (base & PER_MASK) == PER_LINUX);
    FACT_BOOL("query_again_same", personality(0xffffffff) == (int)base);
    struct utsname real;
    uname(&real);
    FACT_STR("machine_default", real.machine);

    FACT_BOOL("set32_returns_old", personality(PER_LINUX32) == (int)base);
    uname(&u);
    FACT_STR("machine_linux32", u.machine);
    FACT_BOOL("release_unchanged_linux32", strcmp(u.release, real.release) == 0);

    pid_t c = fork();
    if (c == 0) {
        char *args[] = {argv[0], "child", NULL};
        execv("/proc/self/exe", args);
        _exit(2);
    }
    int st;
    waitpid(c, &st, 0);
    FACT_INT("exec_child_sees_i686", WIFEXITED(st) ? WEXITSTATUS(st) : -1);

    personality(PER_LINUX | UNAME26);
    uname(&u);
    FACT_STR("machine_uname26", u.machine);
    FACT_BOOL("release_uname26_rule", expected_uname26(real.release, u.release));

    personality(base);
    uname(&u);
    FACT_BOOL("restored", strcmp(u.release, real.release) == 0 && strcmp(u.machine, real.machine) == 0);
    DONE();
}
