/* fs.h - helpers for the file system contract programs of tests/fs (with contract.h). */
#ifndef KEVLAR_FS_H
#define KEVLAR_FS_H
#include "../../contract/lib/contract.h"
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <grp.h>
#include <sys/sysmacros.h>

/* Work in a fresh tmpfs, so the native run (whose scratch dir may be ext4) and the Kevlar
 * run see the same kind of file system. Natively the mount lives in a private mount
 * namespace that dies with the program; under Kevlar unshare may fail and is ignored. */
static inline __attribute__((unused)) void enter_tmpfs(const char *opts)
{
    if (unshare(CLONE_NEWNS) == 0)
        mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL);
    mkdir("t", 0755);
    if (mount("tmpfs", "t", "tmpfs", 0, opts) != 0) {
        printf("setup_failed_mount errno=%s\n", errname(errno));
        exit(1);
    }
    SETUP(chdir("t"));
}

/* Run fn in a child with the given ids (setgroups, setgid, setuid); its exit code. */
static inline __attribute__((unused)) int as_user(uid_t uid, gid_t gid, int (*fn)(void))
{
    pid_t c = fork();
    if (c == 0) {
        if (setgroups(0, NULL) || setgid(gid) || setuid(uid)) _exit(99);
        _exit(fn());
    }
    int st;
    waitpid(c, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* errno of an expression as an exit code (0 on success) */
#define ERRNO_OF(expr) ((expr) == -1 ? errno : 0)
#endif
