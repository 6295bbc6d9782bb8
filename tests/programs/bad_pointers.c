/* Bad user pointers get EFAULT (never a tracer crash); prints errno names. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *name(long r) {
    if (r >= 0) return "OK";
    switch (errno) {
    case EFAULT: return "EFAULT";
    case ENOENT: return "ENOENT";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case EBADF: return "EBADF";
    case ENOSYS: return "ENOSYS";
    case EINVAL: return "EINVAL";
    default: return strerror(errno);
    }
}

int main(void) {
    void *bad = (void *)16;
    void *kernel = (void *)0xffffffff81000000UL;
    int p[2];
    pipe(p);
    write(p[1], "data", 4);
    printf("write_bad=%s\n", name(write(1, bad, 10)));
    printf("write_kernel=%s\n", name(write(1, kernel, 10)));
    printf("read_bad=%s\n", name(read(p[0], bad, 4)));
    char buf[8];
    printf("read_after=%ld\n", (long)read(p[0], buf, 4));
    printf("openat_bad=%s\n", name(openat(AT_FDCWD, bad, O_RDONLY)));
    printf("open_null=%s\n", name(syscall(SYS_open, NULL, O_RDONLY)));
    char longpath[5000];
    memset(longpath, 'a', sizeof longpath);
    longpath[sizeof longpath - 1] = 0;
    printf("open_long=%s\n", name(open(longpath, O_RDONLY)));
    printf("stat_badbuf=%s\n", name(syscall(SYS_stat, "/", bad)));
    printf("execve_bad=%s\n", name(syscall(SYS_execve, bad, NULL, NULL)));
    char *argv_bad = (char *)bad;
    printf("execve_badargv=%s\n", name(syscall(SYS_execve, "/proc/self/exe", argv_bad, NULL)));
    printf("pipe_bad=%s\n", name(syscall(SYS_pipe, bad)));
    printf("getcwd_bad=%s\n", name(syscall(SYS_getcwd, bad, 100)));
    printf("readlink_badbuf=%s\n", name(readlink("/proc/self/exe", bad, 10)));
    printf("fd_negative=%s\n", name(write(-5, "x", 1)));
    printf("fd_huge=%s\n", name(write(1 << 30, "x", 1)));
    printf("unknown_500=%s\n", name(syscall(500)));
    printf("unknown_1000=%s\n", name(syscall(1000)));
    printf("done\n");
    return 0;
}
