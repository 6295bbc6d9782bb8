/* umask(2)/chmod(2): umask returns the previous mask and masks creation modes (files, dirs, fifos); chmod/fchmod/fchmodat set exact bits incl. setuid/sticky; chmod follows symlinks; fchmodat2 AT_SYMLINK_NOFOLLOW on a symlink is EOPNOTSUPP. */
#include "../lib/contract.h"
#include <sys/syscall.h>

static void mode(const char *k, const char *p) { struct stat st; if (stat(p, &st) == 0) FACT(k, "0%o", st.st_mode & 07777); else FACT_ERRNO(k, errno); }

int main(void)
{
    umask(022);
    FACT("umask_prev", "0%o", umask(077));
    close(open("f1", O_CREAT | O_WRONLY, 0666));
    mode("file_0666_umask077", "f1");
    SETUP(mkdir("d1", 0777));
    mode("dir_0777_umask077", "d1");
    FACT("umask_prev2", "0%o", umask(0));
    close(open("f2", O_CREAT | O_WRONLY, 0777));
    mode("file_0777_umask0", "f2");
    SETUP(mkfifo("p", 0666));
    mode("fifo_umask0", "p");
    umask(027);
    SETUP(mkdir("d2", 01777));
    mode("dir_sticky_umask027", "d2");
    CHECK_RET("chmod", chmod("f1", 04755));
    mode("after_chmod_setuid", "f1");
    CHECK_RET("chmod_sticky_dir", chmod("d1", 01777));
    mode("dir_sticky", "d1");
    int fd = open("f2", O_RDONLY);
    CHECK_RET("fchmod", fchmod(fd, 0400));
    mode("after_fchmod", "f2");
    SETUP(symlink("f2", "ln"));
    CHECK_RET("chmod_via_symlink", chmod("ln", 0640));
    mode("target_after_chmod_symlink", "f2");
    /* fchmodat2(2) (syscall 452): symlink modes cannot be changed */
    CHECK_RET("fchmodat2_nofollow_symlink", syscall(452, AT_FDCWD, "ln", 0600, AT_SYMLINK_NOFOLLOW));
    CHECK_RET("fchmodat2_bad_flag", syscall(452, AT_FDCWD, "f2", 0600, 0x1));
    CHECK_RET("fchmodat_raw", syscall(SYS_fchmodat, AT_FDCWD, "f2", 0640));
    CHECK_RET("chmod_missing", chmod("nope", 0644));
    CHECK_RET("chmod_high_bits_ignored", chmod("f2", 0170644));
    mode("after_high_bits", "f2");
    DONE();
}
