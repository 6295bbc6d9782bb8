/* int 0x80 (the i386 entry) and x32-numbered syscalls: natively they reach the kernel;
 * under Kevlar the seccomp filter refuses them with ENOSYS before anything runs. Each
 * tries to write "LEAK" to stdout and prints the raw result. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
    static const char msg[] = "LEAK-int80\n";
    long ret;
    /* i386 write is 4: ebx = fd, ecx = buffer (must be a 32-bit address: static data of
     * a non-PIE static binary is), edx = length */
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(4), "b"(1), "c"(msg), "d"(sizeof msg - 1)
                     : "memory");
    printf("int80_write=%ld\n", ret);
    static const char msg2[] = "LEAK-x32\n";
    __asm__ volatile("syscall" : "=a"(ret) : "a"(0x40000000L | 1), "D"(1L), "S"(msg2),
                     "d"(sizeof msg2 - 1) : "rcx", "r11", "memory");
    printf("x32_write=%ld\n", ret);
    fflush(stdout);
    return 0;
}
