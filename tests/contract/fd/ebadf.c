/* EBADF paths: read/write/close/fstat on closed, negative, huge and AT_FDCWD fds (an fd-only call
 * never takes AT_FDCWD as the cwd); write on O_RDONLY and read on O_WRONLY fds; double close. */
#include "../lib/contract.h"
#include <sys/file.h>
#include <sys/statfs.h>
#include <sys/xattr.h>

int main(void)
{
    char c = 0;
    struct stat st;
    int fds[4] = { 40, -1, 1 << 30, AT_FDCWD };
    const char *names[4] = { "closed", "negative", "huge", "at_fdcwd" };
    char key[64];
    for (int i = 0; i < 4; i++) {
        snprintf(key, sizeof key, "read_%s", names[i]);  CHECK_RET(key, read(fds[i], &c, 1));
        snprintf(key, sizeof key, "write_%s", names[i]); CHECK_RET(key, write(fds[i], &c, 1));
        snprintf(key, sizeof key, "close_%s", names[i]); CHECK_RET(key, close(fds[i]));
        snprintf(key, sizeof key, "fstat_%s", names[i]); CHECK_RET(key, fstat(fds[i], &st));
    }
    SETUP(write_file("f", "data"));
    int r = open("f", O_RDONLY), w = open("f", O_WRONLY);
    CHECK_RET("write_on_rdonly", write(r, "x", 1));
    CHECK_RET("read_on_wronly", read(w, &c, 1));
    CHECK_RET("close_ok", close(r));
    CHECK_RET("close_twice", close(r));
    int p[2];
    SETUP(pipe(p));
    CHECK_RET("write_pipe_read_end", write(p[0], "x", 1));
    CHECK_RET("read_pipe_write_end", read(p[1], &c, 1));
    CHECK_RET("fsync_closed", fsync(40));
    CHECK_RET("ftruncate_closed", ftruncate(40, 0));
    CHECK_RET("fchdir_closed", fchdir(40));
    struct statfs sfs;
    char xbuf[64];
    CHECK_RET("fchdir_at_fdcwd", fchdir(AT_FDCWD));
    CHECK_RET("fchmod_at_fdcwd", fchmod(AT_FDCWD, 0700));
    CHECK_RET("fchown_at_fdcwd", fchown(AT_FDCWD, 0, 0));
    CHECK_RET("fsync_at_fdcwd", fsync(AT_FDCWD));
    CHECK_RET("ftruncate_at_fdcwd", ftruncate(AT_FDCWD, 0));
    CHECK_RET("fstatfs_at_fdcwd", fstatfs(AT_FDCWD, &sfs));
    CHECK_RET("flistxattr_at_fdcwd", flistxattr(AT_FDCWD, xbuf, sizeof xbuf));
    /* Linux 6.13+ runs fgetxattr/fsetxattr through the *xattrat path (AT_EMPTY_PATH, no
     * name): AT_FDCWD there is the cwd, as for getxattrat; other negative fds are EBADF. */
    SETUP(mkdir("xd", 0755));
    SETUP(chdir("xd"));
    CHECK_RET("fsetxattr_at_fdcwd", fsetxattr(AT_FDCWD, "user.x", "v", 1, 0));
    CHECK_RET("fgetxattr_at_fdcwd", fgetxattr(AT_FDCWD, "user.x", xbuf, sizeof xbuf));
    CHECK_RET("fremovexattr_at_fdcwd", fremovexattr(AT_FDCWD, "user.x"));
    CHECK_RET("fgetxattr_negative", fgetxattr(-5, "user.x", xbuf, sizeof xbuf));
    CHECK_RET("fsetxattr_negative", fsetxattr(-5, "user.x", "v", 1, 0));
    SETUP(chdir(".."));
    CHECK_RET("futimens_at_fdcwd", futimens(AT_FDCWD, NULL));
    CHECK_RET("lseek_at_fdcwd", lseek(AT_FDCWD, 0, SEEK_SET));
    CHECK_RET("fcntl_at_fdcwd", fcntl(AT_FDCWD, F_GETFD));
    CHECK_RET("dup_at_fdcwd", dup(AT_FDCWD));
    CHECK_RET("flock_at_fdcwd", flock(AT_FDCWD, LOCK_SH));
    CHECK_RET("fdatasync_at_fdcwd", fdatasync(AT_FDCWD));
    CHECK_RET("fallocate_at_fdcwd", fallocate(AT_FDCWD, 0, 0, 10));
    DONE();
}
