/* execve(2): fds marked FD_CLOEXEC are closed in the new image, others survive with the same offset and flags (re-execs /proc/self/exe). */
#include "../lib/contract.h"
#include <sys/wait.h>

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "child") == 0) {
        /* fd 10: plain, fd 11: cloexec, fd 12: dup3 O_CLOEXEC, fd 13: plain O_APPEND */
        int code = 0;
        if (fcntl(10, F_GETFD) == 0) code |= 1;
        if (fcntl(11, F_GETFD) == -1 && errno == EBADF) code |= 2;
        if (fcntl(12, F_GETFD) == -1 && errno == EBADF) code |= 4;
        if (lseek(10, 0, SEEK_CUR) == 3) code |= 8;
        if (fcntl(13, F_GETFL) & O_APPEND) code |= 16;
        _exit(code);
    }
    SETUP(write_file("f", "abcdef"));
    int a = open("f", O_RDONLY);
    SETUP(lseek(a, 3, SEEK_SET));
    SETUP(dup2(a, 10));
    int b = open("f", O_RDONLY | O_CLOEXEC);
    SETUP(dup2(b, 11));
    SETUP(fcntl(11, F_SETFD, FD_CLOEXEC));
    SETUP(dup3(a, 12, O_CLOEXEC));
    int c = open("f", O_WRONLY | O_APPEND);
    SETUP(dup2(c, 13));
    pid_t pid = fork();
    if (pid == 0) {
        char *args[] = { argv[0], "child", NULL };
        execv("/proc/self/exe", args);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    FACT_BOOL("plain_fd_survives", code & 1);
    FACT_BOOL("cloexec_fd_closed", code & 2);
    FACT_BOOL("dup3_cloexec_fd_closed", code & 4);
    FACT_BOOL("offset_preserved", code & 8);
    FACT_BOOL("status_flags_preserved", code & 16);
    DONE();
}
