/* fork(2): parent and child share open file descriptions, so a child's write/lseek moves the parent's offset; fd flags (FD_CLOEXEC) are copied. */
#include "../lib/contract.h"
#include <sys/wait.h>

int main(void)
{
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    SETUP(fd);
    SETUP(write(fd, "parent", 6));
    pid_t c = fork();
    if (c == 0) {
        int ok = (fcntl(fd, F_GETFD) & FD_CLOEXEC) ? 1 : 0;
        write(fd, "child", 5);
        close(fd);
        _exit(ok ? 0 : 1);
    }
    int st;
    waitpid(c, &st, 0);
    FACT_BOOL("child_saw_cloexec", WIFEXITED(st) && WEXITSTATUS(st) == 0);
    FACT_INT("parent_offset_after_child_write", lseek(fd, 0, SEEK_CUR));
    SETUP(write(fd, "!", 1));
    char buf[32] = {0};
    pread(fd, buf, sizeof buf - 1, 0);
    FACT_STR("content", buf);
    DONE();
}
