/* fork(2) + mmap(2): MAP_PRIVATE anonymous and file mappings are copy-on-write across fork (child writes invisible to parent and vice versa), a mapping created after fork is not shared, munmap in the child does not affect the parent. */
#include "../lib/contract.h"
#include <sys/mman.h>
#include <sys/wait.h>

int main(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    char *a = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SETUP(write_file("f", "filedata"));
    int fd = open("f", O_RDWR);
    char *f = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    strcpy(a, "parent");
    int p[2];
    SETUP(pipe(p));
    pid_t c = fork();
    if (c == 0) {
        char go;
        read(p[0], &go, 1);
        int ok = !strcmp(a, "parent") && !memcmp(f, "filedata", 8);
        strcpy(a, "child"); memcpy(f, "CHILD", 5);
        munmap(a, pg);
        _exit(ok ? 0 : 1);
    }
    strcpy(a, "parent");
    write(p[1], "g", 1);
    int st;
    waitpid(c, &st, 0);
    FACT_BOOL("child_saw_pre_fork_data", WEXITSTATUS(st) == 0);
    FACT_STR("parent_anon_after", a);
    FACT("parent_file_map_after", "%.8s", f);
    char buf[9] = {0};
    pread(fd, buf, 8, 0);
    FACT_STR("file_unchanged", buf);
    DONE();
}
