/* fcntl F_GETFL/F_SETFL (O_DIRECT where the file allows it, O_NOATIME only for the
 * owner, O_ASYNC, unchangeable bits ignored), O_DIRECT at open, generic ioctls (FIONREAD,
 * FIONBIO, FIOCLEX/FIONCLEX, FIOASYNC, FIGETBSZ, FIOQSIZE), chroot. */
#include "fs.h"
#include <sys/ioctl.h>
#include <termios.h>
#define FIGETBSZ 2
#define FIOQSIZE 0x5460

static int set_noatime(void)
{
    int fd = open("f", O_RDONLY);
    return fcntl(fd, F_SETFL, O_NOATIME) == -1 ? errno : 0;
}

int main(void)
{
    enter_tmpfs("size=16m");
    SETUP(write_file("f", "0123456789"));
    SETUP(chmod("f", 0644));
    int fd = open("f", O_RDWR);
    FACT("getfl", "0%o", fcntl(fd, F_GETFL));
    CHECK_RET("setfl_direct", fcntl(fd, F_SETFL, O_DIRECT));
    FACT("getfl_direct", "0%o", fcntl(fd, F_GETFL));
    CHECK_RET("setfl_async", fcntl(fd, F_SETFL, O_ASYNC | O_APPEND));
    FACT("getfl_async_append", "0%o", fcntl(fd, F_GETFL));
    CHECK_RET("setfl_ignored_bits", fcntl(fd, F_SETFL, O_RDONLY | O_CREAT | O_TRUNC | O_SYNC));
    FACT("getfl_after_ignored", "0%o", fcntl(fd, F_GETFL));
    FACT_ERRNO("setfl_noatime_not_owner", as_user(1000, 1000, set_noatime));
    CHECK_RET("setfl_noatime_owner", fcntl(fd, F_SETFL, O_NOATIME));
    CHECK_OK("open_direct_tmpfs", open("f", O_RDONLY | O_DIRECT));
    int nul = open("/dev/null", O_RDWR);
    CHECK_RET("setfl_direct_devnull", fcntl(nul, F_SETFL, O_DIRECT));
    CHECK_RET("open_direct_devnull", open("/dev/null", O_RDONLY | O_DIRECT));
    CHECK_RET("open_direct_proc", open("/proc/self/status", O_RDONLY | O_DIRECT));
    SETUP(mkfifo("ff", 0644));
    CHECK_RET("open_direct_fifo", open("ff", O_RDWR | O_DIRECT));
    int p[2];
    SETUP(pipe(p));
    CHECK_RET("setfl_direct_pipe", fcntl(p[0], F_SETFL, O_DIRECT));
    FACT("getfl_pipe_direct", "0%o", fcntl(p[0], F_GETFL));
    int n = -1;
    CHECK_RET("fionread_file", ioctl(fd, FIONREAD, &n));
    FACT_INT("fionread_file_value", n);
    lseek(fd, 4, SEEK_SET);
    ioctl(fd, FIONREAD, &n);
    FACT_INT("fionread_after_seek", n);
    int d = open(".", O_RDONLY);
    CHECK_RET("fionread_dir", ioctl(d, FIONREAD, &n));
    int on = 1;
    CHECK_RET("fionbio", ioctl(fd, FIONBIO, &on));
    FACT_BOOL("fionbio_sets_nonblock", fcntl(fd, F_GETFL) & O_NONBLOCK);
    CHECK_RET("fioasync", ioctl(fd, FIOASYNC, &on));
    FACT_BOOL("fioasync_sets_async", fcntl(fd, F_GETFL) & O_ASYNC);
    CHECK_RET("fioclex", ioctl(fd, FIOCLEX));
    FACT_INT("cloexec", fcntl(fd, F_GETFD));
    CHECK_RET("fionclex", ioctl(fd, FIONCLEX));
    FACT_INT("no_cloexec", fcntl(fd, F_GETFD));
    int bsz = 0;
    CHECK_RET("figetbsz", ioctl(fd, FIGETBSZ, &bsz));
    FACT_INT("figetbsz_value", bsz);
    long long qs = 0;
    CHECK_RET("fioqsize_file", ioctl(fd, FIOQSIZE, &qs));
    FACT_INT("fioqsize_value", qs);
    CHECK_RET("fioqsize_pipe", ioctl(p[0], FIOQSIZE, &qs));
    CHECK_RET("fionread_bad_ptr", ioctl(fd, FIONREAD, (void *)8));
    CHECK_RET("ioctl_tty_on_file", ioctl(fd, TCGETS, &n));
    CHECK_RET("ioctl_unknown", ioctl(fd, 0x12345678, &n));
    /* chroot: the root moves, ".." stops there, the cwd stays outside */
    SETUP(mkdir("jail", 0755));
    SETUP(mkdir("jail/inside", 0755));
    SETUP(write_file("jail/inside/marker", "in jail"));
    int outside = open(".", O_RDONLY | O_DIRECTORY);
    CHECK_RET("chroot_file", chroot("f"));
    CHECK_RET("chroot_missing", chroot("missing"));
    CHECK_RET("chroot", chroot("jail"));
    char buf[256] = {0};
    FACT_BOOL("getcwd_outside_root_unreachable", getcwd(buf, sizeof buf) && !strncmp(buf, "(unreachable)", 13));
    CHECK_RET("chdir_root", chdir("/"));
    CHECK_RET("dotdot_stays", chdir("../../.."));
    memset(buf, 0, sizeof buf);
    FACT_STR("cwd_after_dotdot", getcwd(buf, sizeof buf) ? buf : "?");
    memset(buf, 0, sizeof buf);
    read_file("/inside/marker", buf, sizeof buf);
    FACT_STR("absolute_in_jail", buf);
    CHECK_RET("fchdir_escape", fchdir(outside));
    CHECK_RET("escaped_sees_f", access("f", F_OK));
    DONE();
}
