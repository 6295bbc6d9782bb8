/* proc(5) /proc/self/cmdline: the argv strings each NUL-terminated, byte-identical to argv (checked after re-exec with known arguments including an empty one); /proc/self/environ likewise. */
#include "../lib/contract.h"
#include <sys/wait.h>

extern char **environ;

static int check(char **v, const char *path)
{
    char buf[8192];
    int fd = open(path, O_RDONLY);
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    ssize_t off = 0;
    for (int i = 0; v[i]; i++) {
        size_t l = strlen(v[i]) + 1;
        if (off + (ssize_t)l > n || memcmp(buf + off, v[i], l)) return 0;
        off += l;
    }
    return off == n;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "child")) {
        int code = 0;
        if (check(argv, "/proc/self/cmdline")) code |= 1;
        if (check(environ, "/proc/self/environ")) code |= 2;
        _exit(code);
    }
    FACT_BOOL("own_cmdline_matches_argv", check(argv, "/proc/self/cmdline"));
    pid_t c = fork();
    if (c == 0) {
        char *a[] = { "argv0-name", "child", "", "with space", NULL };
        char *e[] = { "K1=v1", "K2=", NULL };
        execve("/proc/self/exe", a, e);
        _exit(127);
    }
    int st;
    waitpid(c, &st, 0);
    FACT_BOOL("child_cmdline_exact", WEXITSTATUS(st) & 1);
    FACT_BOOL("child_environ_exact", WEXITSTATUS(st) & 2);
    DONE();
}
