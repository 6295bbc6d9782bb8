/* umask(2): the mask is inherited across fork and execve (the child creates a file with the inherited mask, parent checks its mode); /proc/self/status shows Umask. */
#include "../lib/contract.h"
#include <sys/wait.h>

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "child")) {
        close(open("from_exec", O_CREAT | O_WRONLY, 0777));
        _exit(umask(0));
    }
    umask(0027);
    pid_t c = fork();
    if (c == 0) { close(open("from_fork", O_CREAT | O_WRONLY, 0666)); _exit(0); }
    waitpid(c, NULL, 0);
    c = fork();
    if (c == 0) { char *a[] = { argv[0], "child", NULL }; execv("/proc/self/exe", a); _exit(127); }
    int st;
    waitpid(c, &st, 0);
    FACT("exec_child_umask", "0%o", WEXITSTATUS(st));
    struct stat s;
    stat("from_fork", &s); FACT("fork_file_mode", "0%o", s.st_mode & 0777);
    stat("from_exec", &s); FACT("exec_file_mode", "0%o", s.st_mode & 0777);
    char buf[4096];
    read_file("/proc/self/status", buf, sizeof buf);
    char *u = strstr(buf, "Umask:\t");
    if (u) { char *e = strchr(u, '\n'); if (e) *e = 0; FACT_STR("proc_status_umask", u + 7); }
    DONE();
}
