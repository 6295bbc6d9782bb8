/* The baseline: a minimal ptrace + seccomp tracer in C. The guest's filter traces
 * getpid (and only getpid); at each PTRACE_EVENT_SECCOMP stop the tracer reads the
 * registers, skips the syscall (orig_rax = -1) with a result of 1, and continues.
 * Usage: ctracer same|cross PROGRAM ARGS...  (same: tracer and guest on CPU 0;
 * cross: tracer on CPU 0, guest on CPU 1). This is what Kevlar's engine does at
 * minimum, with nothing else, to measure how far Kevlar is from the floor. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static void pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof set, &set);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: ctracer same|cross PROGRAM ARGS...\n");
        return 2;
    }
    int cross = strcmp(argv[1], "cross") == 0;
    pin(0);
    pid_t pid = fork();
    if (pid == 0) {
        if (cross)
            pin(1);
        struct sock_filter filter[] = {
            BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getpid, 0, 1),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        struct sock_fprog prog = {sizeof filter / sizeof filter[0], filter};
        raise(SIGSTOP);
        prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
        execv(argv[2], argv + 2);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, WSTOPPED);
    ptrace(PTRACE_SEIZE, pid, 0, PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL);
    kill(pid, SIGCONT);
    struct user_regs_struct regs;
    for (;;) {
        pid_t got = waitpid(-1, &status, __WALL);
        if (got < 0)
            break;
        if (WIFEXITED(status) || WIFSIGNALED(status)) {
            if (got == pid)
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            continue;
        }
        int sig = 0;
        if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8))) {
            ptrace(PTRACE_GETREGS, got, 0, &regs);
            regs.orig_rax = -1;
            regs.rax = 1;
            ptrace(PTRACE_SETREGS, got, 0, &regs);
        } else if (status >> 16 == 0 && WSTOPSIG(status) != SIGTRAP && WSTOPSIG(status) != SIGSTOP) {
            sig = WSTOPSIG(status);
        }
        ptrace(PTRACE_CONT, got, 0, sig);
    }
    return 0;
}
