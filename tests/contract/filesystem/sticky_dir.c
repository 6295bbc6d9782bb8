/* inode(7) sticky bit: in a 1777 directory only the file's owner (or root) may unlink/rename it (EPERM otherwise); in a plain 0777 directory anyone with write permission may. */
#include "../lib/contract.h"
#include <sys/wait.h>

static int as_user(uid_t uid, const char *dir, int (*fn)(void))
{
    pid_t c = fork();
    if (c == 0) {
        if (chdir(dir) || setgid(uid) || setuid(uid)) _exit(99);
        _exit(fn());
    }
    int st;
    waitpid(c, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
static int mk(void) { return write_file("owned", "x") == 0 ? 0 : errno; }
static int rm(void) { return unlink("owned") == 0 ? 0 : errno; }
static int mv(void) { return rename("owned", "moved") == 0 ? 0 : errno; }

int main(void)
{
    SETUP(mkdir("sticky", 0777));
    SETUP(chmod("sticky", 01777));
    SETUP(mkdir("plain", 0777));
    SETUP(chmod("plain", 0777));
    FACT_ERRNO("owner_create_sticky", as_user(65534, "sticky", mk));
    FACT_ERRNO("other_unlink_sticky", as_user(65533, "sticky", rm));
    FACT_ERRNO("other_rename_sticky", as_user(65533, "sticky", mv));
    FACT_ERRNO("owner_unlink_sticky", as_user(65534, "sticky", rm));
    FACT_ERRNO("owner_create_plain", as_user(65534, "plain", mk));
    FACT_ERRNO("other_unlink_plain", as_user(65533, "plain", rm));
    FACT_ERRNO("owner_create_sticky_again", as_user(65534, "sticky", mk));
    CHECK_RET("root_unlink_sticky", unlink("sticky/owned"));
    DONE();
}
