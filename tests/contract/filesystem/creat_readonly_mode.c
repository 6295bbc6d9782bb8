/* open(2) O_CREAT: the mode applies to later opens only; the creating open gets the requested access even for mode 0444; later O_WRONLY opens by non-root fail EACCES. */
#include "../lib/contract.h"
#include <sys/wait.h>

int main(void)
{
    SETUP(mkdir("w", 0777));
    SETUP(chmod("w", 0777));
    pid_t c = fork();
    if (c == 0) {
        if (chdir("w") || setgid(65534) || setuid(65534)) _exit(99);
        int fd = open("ro", O_CREAT | O_RDWR | O_EXCL, 0444);
        int code = 0;
        if (fd >= 0 && write(fd, "ok", 2) == 2) code |= 1;
        if (open("ro", O_WRONLY) == -1 && errno == EACCES) code |= 2;
        if (open("ro", O_RDONLY) >= 0) code |= 4;
        if (fd >= 0 && ftruncate(fd, 0) == 0) code |= 8;
        _exit(code);
    }
    int st;
    waitpid(c, &st, 0);
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    FACT_BOOL("creating_open_writable", code & 1);
    FACT_BOOL("reopen_write_eacces", code & 2);
    FACT_BOOL("reopen_read_ok", code & 4);
    FACT_BOOL("ftruncate_via_creating_fd", code & 8);
    struct stat s;
    stat("w/ro", &s);
    FACT("mode", "0%o", s.st_mode & 07777);
    FACT_INT("owner_uid", s.st_uid);
    DONE();
}
