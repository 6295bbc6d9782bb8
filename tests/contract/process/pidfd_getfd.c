/* pidfd_getfd(2) (kernel/pid.c): EINVAL for flags, EBADF for a non-pidfd or a target fd the process lacks, the copy is close-on-exec and shares the open file description (offset), EPERM without ptrace access (another user), ESRCH once the process has exited. */
#include "../lib/contract.h"
#include <sys/syscall.h>
#include <sys/wait.h>

static int pidfd_open(pid_t pid, unsigned flags) { return syscall(SYS_pidfd_open, pid, flags); }
static int getfd(int pidfd, int fd, unsigned flags) { return syscall(SYS_pidfd_getfd, pidfd, fd, flags); }

int main(void)
{
    int ready[2], go[2];
    SETUP(pipe(ready));
    SETUP(pipe(go));
    SETUP(write_file("data", "hello world"));
    pid_t c = fork();
    if (c == 0) {
        int fd = open("data", O_RDONLY);
        if (fd < 0 || dup2(fd, 20) != 20) _exit(1);
        close(fd);
        char buf[6];
        if (read(20, buf, 6) != 6) _exit(2);
        write(ready[1], "r", 1);
        char ch;
        read(go[0], &ch, 1);
        char rest[16] = {0};
        int n = read(20, rest, sizeof rest - 1);
        _exit(n == 2 && strcmp(rest, "ld") == 0 ? 0 : 3);
    }
    char ch;
    SETUP(read(ready[0], &ch, 1));
    int pfd = pidfd_open(c, 0);
    SETUP(pfd);
    CHECK_RET("bad_flags", getfd(pfd, 20, 1));
    CHECK_RET("not_pidfd", getfd(ready[0], 20, 0));
    CHECK_RET("closed_pidfd", getfd(99, 20, 0));
    CHECK_RET("target_fd_closed", getfd(pfd, 21, 0));
    CHECK_RET("target_fd_negative", getfd(pfd, -1, 0));
    int fd = getfd(pfd, 20, 0);
    CHECK_OK("getfd", fd);
    FACT_INT("getfd_cloexec", fcntl(fd, F_GETFD));
    FACT_INT("shared_offset", lseek(fd, 0, SEEK_CUR));
    char buf[8] = {0};
    CHECK_RET("read_copy", read(fd, buf, 3));
    FACT_STR("read_copy_data", buf);
    SETUP(write(go[1], "g", 1));
    int status;
    SETUP(waitpid(c, &status, 0));
    FACT_INT("child_saw_shared_offset", WEXITSTATUS(status));
    CHECK_RET("getfd_reaped", getfd(pfd, 20, 0));

    c = fork();
    if (c == 0) { char x; read(go[0], &x, 1); _exit(0); }
    int zfd = pidfd_open(c, 0);
    SETUP(zfd);
    SETUP(write(go[1], "g", 1));
    siginfo_t si;
    SETUP(waitid(P_PID, c, &si, WEXITED | WNOWAIT));
    CHECK_RET("getfd_zombie", getfd(zfd, 0, 0));
    SETUP(waitpid(c, NULL, 0));

    int me = pidfd_open(getpid(), 0);
    SETUP(me);
    int own = getfd(me, ready[0], 0);
    CHECK_OK("getfd_self", own);
    c = fork();
    if (c == 0) {
        if (setgid(65534) || setuid(65534)) _exit(100);
        int rc = getfd(me, 0, 0);
        _exit(rc == -1 ? errno : 0);
    }
    SETUP(waitpid(c, &status, 0));
    FACT_ERRNO("other_user", WEXITSTATUS(status));
    DONE();
}
