/* /dev: null, zero, full, random, urandom, the /dev/fd and /dev/std* links, /dev/shm as
 * a tmpfs, /dev/tty without a controlling terminal (ENXIO). */
#include "fs.h"
#include <sys/statfs.h>

int main(void)
{
    char buf[64];
    int n = open("/dev/null", O_RDWR);
    CHECK_RET("null_read", read(n, buf, sizeof buf));
    CHECK_RET("null_write", write(n, "xyz", 3));
    CHECK_RET("null_lseek", lseek(n, 100, SEEK_SET));
    struct stat st;
    fstat(n, &st);
    FACT("null_rdev", "%u:%u", major(st.st_rdev), minor(st.st_rdev));
    FACT_BOOL("null_is_chr", S_ISCHR(st.st_mode));
    FACT("null_mode", "%o", st.st_mode & 0777);
    int z = open("/dev/zero", O_RDWR);
    memset(buf, 1, sizeof buf);
    CHECK_RET("zero_read", read(z, buf, sizeof buf));
    FACT_BOOL("zero_zeroes", buf[0] == 0 && buf[63] == 0);
    CHECK_RET("zero_write", write(z, "abc", 3));
    int f = open("/dev/full", O_RDWR);
    CHECK_RET("full_write", write(f, "abc", 3));
    CHECK_RET("full_read", read(f, buf, 8));
    int r = open("/dev/urandom", O_RDONLY);
    CHECK_RET("urandom_read", read(r, buf, 32));
    int r2 = open("/dev/random", O_RDONLY);
    CHECK_RET("random_read", read(r2, buf, 16));
    char link[64] = {0};
    CHECK_RET("dev_fd_readlink", readlink("/dev/fd", link, sizeof link - 1));
    FACT_STR("dev_fd", link);
    memset(link, 0, sizeof link);
    CHECK_RET("stdin_readlink", readlink("/dev/stdin", link, sizeof link - 1));
    FACT_STR("dev_stdin", link);
    memset(link, 0, sizeof link);
    readlink("/dev/stderr", link, sizeof link - 1);
    FACT_STR("dev_stderr", link);
    char p[32];
    snprintf(p, sizeof p, "/dev/fd/%d", n);
    CHECK_RET("dev_fd_n_stat", stat(p, &st));
    FACT_BOOL("dev_fd_n_is_null", S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 3);
    struct statfs sfs;
    CHECK_RET("shm_statfs", statfs("/dev/shm", &sfs));
    FACT("shm_type", "0x%lx", (unsigned long)sfs.f_type);
    stat("/dev/shm", &st);
    FACT("shm_mode", "%o", st.st_mode & 07777);
    CHECK_RET("tty_without_terminal", open("/dev/tty", O_RDWR | O_NOCTTY));
    /* a device node anywhere opens the same driver (chrdev_open) */
    enter_tmpfs("size=1m");
    CHECK_RET("mknod_null_copy", mknod("mynull", S_IFCHR | 0666, makedev(1, 3)));
    int mn = open("mynull", O_WRONLY);
    CHECK_RET("own_null_node_works", write(mn, "x", 1));
    CHECK_RET("mknod_unknown_major", mknod("weird", S_IFCHR | 0666, makedev(240, 7)));
    CHECK_RET("open_unknown_device", open("weird", O_RDONLY));
    CHECK_RET("zero_ioctl_unknown", ioctl(z, 0x5401, buf));
    DONE();
}
