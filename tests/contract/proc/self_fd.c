/* proc(5) /proc/self/fd: lists exactly the open fds (checked for newly opened ones and their absence after close); links read "pipe:[N]", "socket:[N]", "/dev/null", an absolute path for files, "anon_inode:[eventfd]". */
#include "../lib/contract.h"
#include <dirent.h>
#include <sys/socket.h>
#include <sys/eventfd.h>

static int listed(int fd)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int found = 0;
    while ((e = readdir(d))) if (e->d_name[0] != '.' && atoi(e->d_name) == fd) found = 1;
    closedir(d);
    return found;
}

static void link_of(const char *k, int fd, int prefix)
{
    char p[64], l[4096] = {0};
    snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
    readlink(p, l, sizeof l - 1);
    if (prefix) { char *b = strchr(l, '['); if (b) b[1] = 0; }
    FACT_STR(k, l);
}

int main(void)
{
    int pp[2], s[2];
    SETUP(pipe(pp));
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
    int n = open("/dev/null", O_RDONLY);
    SETUP(write_file("file", "x"));
    int f = open("file", O_RDONLY);
    int e = eventfd(0, 0);
    FACT_BOOL("pipe_listed", listed(pp[0]) && listed(pp[1]));
    FACT_BOOL("file_listed", listed(f));
    link_of("pipe_link", pp[0], 1);
    link_of("socket_link", s[0], 1);
    link_of("devnull_link", n, 0);
    link_of("eventfd_link", e, 0);
    char p[64], l[4096] = {0}, cwd[4096];
    snprintf(p, sizeof p, "/proc/self/fd/%d", f);
    readlink(p, l, sizeof l - 1);
    getcwd(cwd, sizeof cwd);
    strcat(cwd, "/file");
    FACT_BOOL("file_link_is_abs_path", !strcmp(l, cwd));
    SETUP(dup2(f, 50));
    FACT_BOOL("dup2_50_listed", listed(50));
    close(50);   /* a high number: opendir() inside listed() cannot reuse it */
    FACT_BOOL("closed_not_listed", !listed(50));
    struct stat a, b;
    fstat(pp[0], &a);
    snprintf(p, sizeof p, "/proc/self/fd/%d", pp[0]);
    stat(p, &b);
    FACT_BOOL("stat_through_link_same_pipe", a.st_ino == b.st_ino);
    int re = open(p, O_WRONLY);
    FACT_BOOL("reopen_pipe_via_proc", re >= 0);
    write(re, "z", 1);
    char c = 0;
    read(pp[0], &c, 1);
    FACT("reopened_pipe_data", "%c", c);
    DONE();
}
