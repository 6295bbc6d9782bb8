/* chown(2): root can change owner/group, -1 leaves a field, chown of a setuid executable clears S_ISUID/S_ISGID, lchown changes the link itself; non-root chown to another uid is EPERM. */
#include "../lib/contract.h"
#include <sys/wait.h>

int main(void)
{
    SETUP(write_file("f", "x"));
    SETUP(chmod("f", 06755));
    struct stat st;
    CHECK_RET("chown", chown("f", 65534, 65534));
    stat("f", &st);
    FACT("owner", "%d:%d", (int)st.st_uid, (int)st.st_gid);
    FACT("mode_after_chown", "0%o", st.st_mode & 07777);
    CHECK_RET("chown_keep_both", chown("f", -1, -1));
    CHECK_RET("chown_gid_only", chown("f", -1, 0));
    stat("f", &st);
    FACT("owner_after_gid_only", "%d:%d", (int)st.st_uid, (int)st.st_gid);
    SETUP(symlink("f", "l"));
    CHECK_RET("lchown", lchown("l", 65533, 65533));
    lstat("l", &st);
    FACT("link_owner", "%d:%d", (int)st.st_uid, (int)st.st_gid);
    stat("f", &st);
    FACT("target_owner_unchanged", "%d:%d", (int)st.st_uid, (int)st.st_gid);
    CHECK_RET("chown_missing", chown("nope", 0, 0));
    SETUP(chown(".", 0, 0));
    pid_t c = fork();
    if (c == 0) {
        int fd = open("f", O_RDONLY);
        if (setgid(65534) || setuid(65534)) _exit(99);
        int code = 0;
        if (fchown(fd, 0, -1) == -1 && errno == EPERM) code |= 1;
        if (fchown(fd, 65534, -1) == 0) code |= 2;
        _exit(code);
    }
    int s2;
    waitpid(c, &s2, 0);
    FACT_BOOL("nonroot_chown_to_root_eperm", WEXITSTATUS(s2) & 1);
    FACT_BOOL("nonroot_owner_chown_to_self_ok", WEXITSTATUS(s2) & 2);
    DONE();
}
