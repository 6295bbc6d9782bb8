/* proc(5) /proc/PID/mem (fs/proc/base.c mem_rw): pread/pwrite at an address read and write the process's memory (even read-only pages), unmapped addresses are EIO, lseek knows SEEK_SET/SEEK_CUR only, another process needs ptrace access (EACCES), and a file opened on a process that has exited reads nothing. */
#include "../lib/contract.h"
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>

static volatile long value = 0x1122334455667788L;
static const long constant = 42;

int main(void)
{
    struct stat st;
    long got = 0;
    SETUP(stat("/proc/self/mem", &st));
    FACT("mode", "%o", st.st_mode & 07777);
    int fd = open("/proc/self/mem", O_RDWR);
    SETUP(fd);
    CHECK_RET("self_pread", pread(fd, &got, sizeof got, (off_t)(uintptr_t)&value));
    FACT_BOOL("self_value", got == value);
    long nv = 77;
    CHECK_RET("self_pwrite", pwrite(fd, &nv, sizeof nv, (off_t)(uintptr_t)&value));
    FACT_INT("self_value_now", value);
    CHECK_RET("rodata_pwrite", pwrite(fd, &nv, sizeof nv, (off_t)(uintptr_t)&constant));
    FACT_INT("rodata_now", *(volatile const long *)&constant);
    CHECK_RET("null_pread", pread(fd, &got, sizeof got, 0));
    FACT_BOOL("lseek_set", lseek(fd, (off_t)(uintptr_t)&value, SEEK_SET) == (off_t)(uintptr_t)&value);
    CHECK_RET("read_at_pos", read(fd, &got, sizeof got));
    FACT_INT("read_value", got);
    FACT_BOOL("lseek_cur", lseek(fd, -8, SEEK_CUR) == (off_t)(uintptr_t)&value);
    CHECK_RET("lseek_end", lseek(fd, 0, SEEK_END));
    close(fd);

    /* Another process: read and write its memory, then after it exits. */
    int go[2], back[2];
    SETUP(pipe(go));
    SETUP(pipe(back));
    pid_t c = fork();
    if (c == 0) {
        value = 1234;
        char x = 0;
        write(back[1], &x, 1);
        read(go[0], &x, 1);
        _exit(value == 5678 ? 0 : 1);
    }
    char x;
    read(back[0], &x, 1);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/mem", (int)c);
    fd = open(path, O_RDWR);
    SETUP(fd);
    CHECK_RET("child_pread", pread(fd, &got, sizeof got, (off_t)(uintptr_t)&value));
    FACT_INT("child_value", got);
    nv = 5678;
    CHECK_RET("child_pwrite", pwrite(fd, &nv, sizeof nv, (off_t)(uintptr_t)&value));
    write(go[1], &x, 1);
    siginfo_t si;
    waitid(P_PID, c, &si, WEXITED | WNOWAIT);
    FACT_INT("child_saw_write", si.si_status);
    CHECK_RET("exited_pread", pread(fd, &got, sizeof got, (off_t)(uintptr_t)&value));
    close(fd);
    waitpid(c, NULL, 0);

    /* A non-root process may not open root's memory. */
    pid_t parent = getpid();
    c = fork();
    if (c == 0) {
        if (setgid(65534) || setuid(65534)) _exit(100);
        snprintf(path, sizeof path, "/proc/%d/mem", (int)parent);
        int f = open(path, O_RDONLY);
        _exit(f >= 0 ? 0 : errno);
    }
    int status;
    waitpid(c, &status, 0);
    FACT_STR("user_open_root_mem", errname(WEXITSTATUS(status)));
    DONE();
}
