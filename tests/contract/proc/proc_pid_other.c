/* proc(5) /proc/<pid>: a child's stat shows its pid and our pid as ppid, cmdline its argv after exec, status its Name; a nonexistent pid is ENOENT; /proc lists numeric dirs for both. */
#include "../lib/contract.h"
#include <sys/wait.h>

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "sleeper")) { for (;;) pause(); }
    int p[2];
    SETUP(pipe(p));
    pid_t c = fork();
    if (c == 0) {
        close(p[0]);
        fcntl(p[1], F_SETFD, FD_CLOEXEC);
        char *a[] = { "sleeper-proc", "sleeper", NULL };
        execv("/proc/self/exe", a);
        _exit(127);
    }
    close(p[1]);
    char b;
    read(p[0], &b, 1);   /* EOF once exec closed the cloexec write end */
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)c);
    read_file(path, buf, sizeof buf);
    FACT_BOOL("stat_pid", atoi(buf) == c);
    char *r = strrchr(buf, ')');
    int ppid = 0;
    if (r) sscanf(r + 4, "%d", &ppid);
    FACT_BOOL("stat_ppid_is_us", ppid == getpid());
    snprintf(path, sizeof path, "/proc/%d/cmdline", (int)c);
    int fd = open(path, O_RDONLY);
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    FACT_BOOL("cmdline_after_exec", n == 21 && !memcmp(buf, "sleeper-proc\0sleeper\0", 21));
    kill(c, SIGKILL);
    waitpid(c, NULL, 0);
    CHECK_RET("reaped_stat_enoent", open(path, O_RDONLY));
    CHECK_RET("nonexistent_pid", open("/proc/1073741000/stat", O_RDONLY));
    snprintf(path, sizeof path, "/proc/%d", (int)getpid());
    struct stat st;
    CHECK_RET("own_pid_dir", stat(path, &st));
    FACT_BOOL("own_pid_dir_is_dir", S_ISDIR(st.st_mode));
    DONE();
}
