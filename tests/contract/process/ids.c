/* credentials(7): root has uid/euid/gid/egid 0 and saved ids 0; a child that setuid(65534)s cannot regain root (EPERM), setgroups is EPERM for it, and getuid/getresuid report the new ids. */
#include "../lib/contract.h"
#include <sys/wait.h>
#include <grp.h>

int main(void)
{
    FACT_INT("uid", getuid()); FACT_INT("euid", geteuid());
    FACT_INT("gid", getgid()); FACT_INT("egid", getegid());
    uid_t r, e, s;
    getresuid(&r, &e, &s);
    FACT("resuid", "%d,%d,%d", (int)r, (int)e, (int)s);
    FACT_BOOL("getgroups_nonneg", getgroups(0, NULL) >= 0);
    gid_t gl[1] = { 0 };
    CHECK_RET("getgroups_small_buf", getgroups(0, gl) >= 0 ? 0 : -1);
    pid_t c = fork();
    if (c == 0) {
        int code = 0;
        gid_t g[1] = { 65534 };
        if (setgroups(1, g) == 0) code |= 1;
        if (setresgid(65534, 65534, 65534) == 0) code |= 2;
        if (setresuid(65534, 65534, 65534) == 0) code |= 4;
        if (setuid(0) == -1 && errno == EPERM) code |= 8;
        if (setgroups(0, NULL) == -1 && errno == EPERM) code |= 16;
        uid_t a, b, d;
        getresuid(&a, &b, &d);
        if (a == 65534 && b == 65534 && d == 65534) code |= 32;
        if (getgid() == 65534 && getegid() == 65534) code |= 64;
        _exit(code);
    }
    int st;
    waitpid(c, &st, 0);
    int code = WEXITSTATUS(st);
    FACT_BOOL("root_setgroups", code & 1);
    FACT_BOOL("setresgid", code & 2);
    FACT_BOOL("setresuid", code & 4);
    FACT_BOOL("cannot_regain_root", code & 8);
    FACT_BOOL("nonroot_setgroups_eperm", code & 16);
    FACT_BOOL("resuid_all_65534", code & 32);
    FACT_BOOL("gids_65534", code & 64);
    /* saved set-user-ID lets a process swap back */
    c = fork();
    if (c == 0) {
        int code2 = 0;
        if (seteuid(65534) == 0 && geteuid() == 65534) code2 |= 1;
        if (seteuid(0) == 0 && geteuid() == 0) code2 |= 2;
        _exit(code2);
    }
    waitpid(c, &st, 0);
    FACT_BOOL("seteuid_drop", WEXITSTATUS(st) & 1);
    FACT_BOOL("seteuid_regain_via_saved", WEXITSTATUS(st) & 2);
    DONE();
}
