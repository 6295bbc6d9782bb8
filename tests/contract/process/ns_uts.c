/* unshare(2) CLONE_NEWUTS (needs CAP_SYS_ADMIN, run as root): a child in a new UTS namespace can sethostname and uname shows it, while the parent's hostname is unchanged. */
#define _GNU_SOURCE
#include "../lib/contract.h"
#include <sched.h>
#include <sys/utsname.h>
#include <sys/wait.h>

int main(void)
{
    struct utsname before, after;
    uname(&before);
    int p[2];
    SETUP(pipe(p));
    pid_t c = fork();
    if (c == 0) {
        int code = 0;
        if (unshare(CLONE_NEWUTS) == 0) code |= 1;
        if (sethostname("kevlar-ns", 9) == 0) code |= 2;
        struct utsname u;
        uname(&u);
        if (!strcmp(u.nodename, "kevlar-ns")) code |= 4;
        char h[64] = {0};
        gethostname(h, sizeof h);
        if (!strcmp(h, "kevlar-ns")) code |= 8;
        _exit(code);
    }
    int st;
    waitpid(c, &st, 0);
    int code = WEXITSTATUS(st);
    FACT_BOOL("unshare_newuts", code & 1);
    FACT_BOOL("sethostname", code & 2);
    FACT_BOOL("uname_shows_new_name", code & 4);
    FACT_BOOL("gethostname_shows_new_name", code & 8);
    uname(&after);
    FACT_BOOL("parent_unchanged", !strcmp(before.nodename, after.nodename));
    char big[80];
    memset(big, 'h', sizeof big);
    c = fork();
    if (c == 0) { unshare(CLONE_NEWUTS); _exit(sethostname(big, 65) == -1 && errno == EINVAL ? 0 : 1); }
    waitpid(c, &st, 0);
    FACT_BOOL("sethostname_65_einval", WEXITSTATUS(st) == 0);
    DONE();
}
