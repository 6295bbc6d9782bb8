/* clone(2) flag validation: CLONE_THREAD without CLONE_SIGHAND, CLONE_SIGHAND without CLONE_VM, and CLONE_NEWPID|CLONE_THREAD are EINVAL (checked before any child is created). */
#define _GNU_SOURCE
#include "../lib/contract.h"
#include <sched.h>
#include <sys/syscall.h>

static long rawclone(unsigned long flags) { return syscall(SYS_clone, flags, NULL, NULL, NULL, 0); }

int main(void)
{
    CHECK_RET("thread_without_sighand", rawclone(CLONE_THREAD | CLONE_VM));
    CHECK_RET("sighand_without_vm", rawclone(CLONE_SIGHAND));
    CHECK_RET("newpid_with_thread", rawclone(CLONE_NEWPID | CLONE_THREAD | CLONE_SIGHAND | CLONE_VM));
    CHECK_RET("fs_with_newns", rawclone(CLONE_FS | CLONE_NEWNS));
    CHECK_RET("clone3_tiny_size", syscall(SYS_clone3, NULL, 8));
    DONE();
}
