/* open(2) O_PATH: fd usable for fstat, fchdir, the *at() calls and as a dirfd, but read/write/fchmod are EBADF (raw syscalls: musl emulates fchmod/fchdir on O_PATH fds via /proc); F_GETFL shows O_PATH; O_PATH|O_NOFOLLOW opens the symlink itself. */
#include "../lib/contract.h"
#include <sys/syscall.h>
#include <sys/ioctl.h>

int main(void)
{
    SETUP(write_file("f", "data"));
    SETUP(mkdir("d", 0755));
    SETUP(write_file("d/inner", "in"));
    SETUP(symlink("f", "lnk"));
    int fd = open("f", O_PATH);
    SETUP(fd);
    char c;
    CHECK_RET("read_opath", read(fd, &c, 1));
    CHECK_RET("write_opath", write(fd, "x", 1));
    struct stat st;
    CHECK_RET("fstat_opath", syscall(SYS_fstat, fd, &st));
    FACT_INT("fstat_size", st.st_size);
    FACT_BOOL("getfl_has_opath", fcntl(fd, F_GETFL) & O_PATH);
    CHECK_RET("fchmod_opath", syscall(SYS_fchmod, fd, 0600));
    int d = open("d", O_PATH | O_DIRECTORY);
    CHECK_OK("openat_via_opath_dir", openat(d, "inner", O_RDONLY));
    CHECK_RET("fstatat_via_opath_dir", fstatat(d, "inner", &st, 0));
    CHECK_RET("fchown_opath", syscall(SYS_fchown, fd, 0, 0));
    CHECK_RET("fsync_opath", fsync(fd));
    CHECK_RET("ioctl_opath", ioctl(fd, FIONREAD, &(int){0}));
    int l = open("lnk", O_PATH | O_NOFOLLOW);
    CHECK_RET("fstat_symlink_itself", fstat(l, &st));
    FACT_BOOL("is_symlink", S_ISLNK(st.st_mode));
    char buf[16] = {0};
    CHECK_RET("readlinkat_empty_path", readlinkat(l, "", buf, sizeof buf));
    FACT_STR("link_target", buf);
    CHECK_RET("fchdir_opath_dir", syscall(SYS_fchdir, d));
    CHECK_RET("after_fchdir_access", access("inner", F_OK));
    DONE();
}
