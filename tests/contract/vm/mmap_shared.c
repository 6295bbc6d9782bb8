/* mmap(2) MAP_SHARED: anonymous shared memory and shared file mappings are visible across fork in both directions, and file writes through the mapping reach the file. */
#include "../lib/contract.h"
#include <sys/mman.h>
#include <sys/wait.h>

int main(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    volatile int *anon = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    volatile int *priv = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int fd = open("shm", O_RDWR | O_CREAT | O_TRUNC, 0644);
    SETUP(ftruncate(fd, pg));
    char *file = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    SETUP(anon == MAP_FAILED || file == MAP_FAILED ? -1 : 0);
    anon[0] = 1; priv[0] = 1;
    strcpy(file, "parent");
    pid_t c = fork();
    if (c == 0) {
        int ok = anon[0] == 1 && !strcmp(file, "parent");
        anon[0] = 42; priv[0] = 42;
        strcpy(file, "child-wrote");
        _exit(ok ? 0 : 1);
    }
    int st;
    waitpid(c, &st, 0);
    FACT_BOOL("child_saw_parent_data", WEXITSTATUS(st) == 0);
    FACT_INT("anon_shared_after_child", anon[0]);
    FACT_INT("anon_private_after_child", priv[0]);
    FACT_STR("file_shared_after_child", file);
    char buf[16] = {0};
    pread(fd, buf, 11, 0);
    FACT_STR("file_read_after_child", buf);
    DONE();
}
