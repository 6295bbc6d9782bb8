/* clone(2) CLONE_PIDFD|CLONE_THREAD (Linux 6.9+): the parent gets a thread pidfd (O_EXCL, i.e. PIDFD_THREAD, in F_GETFL) for the new thread; it reads POLLIN|POLLHUP once the thread has exited, the thread is no child for waitid(P_PIDFD) (ECHILD), and signalling it is ESRCH once it is gone. */
#include "../lib/contract.h"
#include <poll.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

/* A thread that exits at once: the child branch never returns into C. */
static long clone_exiting_thread(unsigned long flags, void *stack_top, int *pidfd)
{
    long ret;
    register long r10 __asm__("r10") = 0;
    register long r8 __asm__("r8") = 0;
    __asm__ volatile(
        "syscall\n\t"
        "test %%rax, %%rax\n\t"
        "jnz 1f\n\t"
        "mov $60, %%eax\n\t"
        "xor %%edi, %%edi\n\t"
        "syscall\n\t"
        "1:\n\t"
        : "=a"(ret)
        : "a"((long)SYS_clone), "D"(flags), "S"(stack_top), "d"(pidfd), "r"(r10), "r"(r8)
        : "rcx", "r11", "memory");
    return ret;
}

static char stack[65536] __attribute__((aligned(16)));

int main(void)
{
    int pidfd = -1;
    unsigned long flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD
                          | CLONE_SYSVSEM | CLONE_PIDFD;
    long tid = clone_exiting_thread(flags, stack + sizeof stack, &pidfd);
    if (tid < 0) {
        FACT_ERRNO("clone", (int)-tid);
        DONE();
    }
    FACT_BOOL("clone_ok", tid > 0 && tid != getpid());
    FACT("getfl", "%o", fcntl(pidfd, F_GETFL));
    FACT_INT("cloexec", fcntl(pidfd, F_GETFD));
    struct pollfd p = {pidfd, POLLIN, 0};
    FACT_INT("poll", poll(&p, 1, 5000));
    FACT("revents", "%x", p.revents);
    siginfo_t si;
    CHECK_RET("waitid", waitid(P_PIDFD, pidfd, &si, WEXITED | WNOHANG));
    CHECK_RET("send_signal", syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0));
    int bad = -1;
    long r = clone_exiting_thread(flags | CLONE_PARENT_SETTID, stack + sizeof stack, &bad);
    FACT_ERRNO("with_parent_settid", r < 0 ? (int)-r : 0);
    DONE();
}
