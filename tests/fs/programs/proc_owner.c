/* Ownership and access of /proc/PID (task_dump_owner, ptrace_may_access): a child that
 * drops from root to another uid is not dumpable, so only its 0555 directories show its
 * uid and the rest is root's; once it sets itself dumpable again everything is its own.
 * Root may read everything; the same uid may read the magic links, fd/ and environ only
 * of a dumpable process; another uid never. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *try_readlink(pid_t pid, const char *what)
{
    static char out[64];
    char path[64], l[256];
    snprintf(path, sizeof path, "/proc/%d/%s", pid, what);
    if (readlink(path, l, sizeof l) < 0) return strerror(errno);
    snprintf(out, sizeof out, "ok");
    return out;
}

static const char *try_open(pid_t pid, const char *what, int flags)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", pid, what);
    int fd = open(path, flags);
    if (fd < 0) return strerror(errno);
    close(fd);
    return "ok";
}

static void report(const char *who, pid_t target)
{
    printf("%s exe=%s\n", who, try_readlink(target, "exe"));
    printf("%s cwd=%s\n", who, try_readlink(target, "cwd"));
    printf("%s fd_dir=%s\n", who, try_open(target, "fd", O_RDONLY | O_DIRECTORY));
    printf("%s environ=%s\n", who, try_open(target, "environ", O_RDONLY));
    printf("%s stat=%s\n", who, try_open(target, "stat", O_RDONLY));
    printf("%s comm_write=%s\n", who, try_open(target, "comm", O_WRONLY));
}

static void owners(const char *tag, pid_t c)
{
    const char *names[] = { "", "/fd", "/task", "/environ", "/stat", "/exe", NULL };
    for (int i = 0; names[i]; i++) {
        char path[64];
        struct stat st;
        snprintf(path, sizeof path, "/proc/%d%s", c, names[i]);
        if (lstat(path, &st) < 0) { printf("%s %s: %s\n", tag, names[i], strerror(errno)); continue; }
        printf("%s '%s' uid=%d gid=%d mode=%o\n", tag, names[i], st.st_uid, st.st_gid,
               st.st_mode & 07777);
    }
}

static void probe(const char *tag, pid_t c)
{
    char who[64];
    snprintf(who, sizeof who, "%s root", tag);
    report(who, c);
    for (int uid = 1234; uid <= 1235; uid++) {
        pid_t p = fork();
        if (p == 0) {
            if (setgid(uid) || setuid(uid)) _exit(9);
            snprintf(who, sizeof who, "%s %s", tag, uid == 1234 ? "same_uid" : "other_uid");
            report(who, c);
            _exit(0);
        }
        waitpid(p, NULL, 0);
    }
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (getuid() != 0) { printf("needs root\n"); return 0; }
    for (int dumpable = 0; dumpable <= 1; dumpable++) {
        int ready[2];
        if (pipe(ready)) return 1;
        pid_t c = fork();
        if (c == 0) {
            if (setgid(1234) || setuid(1234)) _exit(9);
            if (dumpable) prctl(PR_SET_DUMPABLE, 1);
            write(ready[1], "x", 1);
            for (;;) pause();
        }
        char b;
        read(ready[0], &b, 1);
        const char *tag = dumpable ? "dumpable" : "undumpable";
        owners(tag, c);
        probe(tag, c);
        kill(c, SIGKILL);
        waitpid(c, NULL, 0);
        close(ready[0]);
        close(ready[1]);
    }
    return 0;
}
