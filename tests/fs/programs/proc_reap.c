/* /proc/PID through a child's life: running, zombie (state Z, still listed, cmdline
 * empty), reaped (the directory is gone: ENOENT; an fd opened on it before reads ESRCH). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char state_of(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0) return '-';
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return '?';
    buf[n] = 0;
    char *r = strrchr(buf, ')');
    return r ? r[2] : '?';
}

static int listed(pid_t pid)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    int found = 0;
    while ((e = readdir(d)))
        if (atoi(e->d_name) == pid) found = 1;
    closedir(d);
    return found;
}

static long cmdline_len(pid_t pid)
{
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -errno;
    long n = read(fd, buf, sizeof buf);
    close(fd);
    return n;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    int go[2];
    if (pipe(go)) return 1;
    pid_t c = fork();
    if (c == 0) {
        char b;
        read(go[0], &b, 1);
        _exit(3);
    }
    printf("running_state_known=%d\n", strchr("RSD", state_of(c)) != NULL);
    printf("running_listed=%d\n", listed(c));
    printf("running_cmdline_nonempty=%d\n", cmdline_len(c) > 0);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/status", c);
    int early = open(path, O_RDONLY);
    printf("early_open=%d\n", early >= 0);
    write(go[1], "x", 1);
    siginfo_t si;
    waitid(P_PID, c, &si, WEXITED | WNOWAIT);   /* a zombie now, not reaped */
    printf("zombie_state=%c\n", state_of(c));
    printf("zombie_listed=%d\n", listed(c));
    printf("zombie_cmdline_len=%ld\n", cmdline_len(c));
    snprintf(path, sizeof path, "/proc/%d/exe", c);
    char l[256];
    errno = 0;
    printf("zombie_exe=%s\n", readlink(path, l, sizeof l) < 0 ? strerror(errno) : "link");
    int st;
    waitpid(c, &st, 0);
    printf("exit=%d\n", WEXITSTATUS(st));
    printf("reaped_state=%c\n", state_of(c));
    printf("reaped_listed=%d\n", listed(c));
    snprintf(path, sizeof path, "/proc/%d", c);
    struct stat sb;
    errno = 0;
    printf("reaped_stat=%s\n", stat(path, &sb) < 0 ? strerror(errno) : "exists");
    char buf[4096];
    errno = 0;
    printf("early_fd_read=%s\n", read(early, buf, sizeof buf) < 0 ? strerror(errno) : "data");
    return 0;
}
