/* execve from a stack with no room below the red zone: Kevlar cannot put the
 * materialized path on the stack and must inject a scratch mapping, then let the
 * guest re-issue its execve. Natively the same call simply works. */
#include <stdio.h>
#include <sys/mman.h>

int main(void) {
    char *mem = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(mem, 4096);                 /* nothing mapped below the second page */
    char *top = mem + 4096 + 64;       /* 64 bytes of stack: less than the red zone */
    static char *argv[] = {"busybox", "echo", "exec-from-small-stack-ok", 0};
    static char path[] = "/bin/busybox";
    long ret;
    __asm__ volatile("mov %%rsp, %%r12\n\tmov %1, %%rsp\n\tsyscall\n\tmov %%r12, %%rsp"
                     : "=a"(ret) : "r"(top), "a"(59L), "D"(path), "S"(argv), "d"(0L)
                     : "rcx", "r11", "r12", "memory");
    printf("execve failed: %ld\n", ret);
    return 1;
}
