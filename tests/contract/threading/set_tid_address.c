/* set_tid_address(2)/CLONE_CHILD_CLEARTID: set_tid_address returns the caller's tid; when a thread created with CLONE_CHILD_CLEARTID exits the kernel zeroes the tid word and futex-wakes it. */
#define _GNU_SOURCE
#include "../lib/contract.h"
#include <sched.h>
#include <sys/syscall.h>
#include <stdint.h>

static volatile int32_t ctid = -1;
static int32_t ptid;
static int child(void *a) { (void)a; sleep_ms(20); return 0; }

int main(void)
{
    static int32_t dummy;
    long r = syscall(SYS_set_tid_address, &dummy);
    FACT_BOOL("returns_tid", r == syscall(SYS_gettid));
    FACT_BOOL("tid_equals_pid_main", r == getpid());
    static char stack[65536] __attribute__((aligned(16)));
    int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
                CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID;
    int tid = clone(child, stack + sizeof stack, flags, NULL, &ptid, NULL, &ctid);
    FACT_BOOL("clone_ok", tid > 0);
    FACT_BOOL("parent_settid", ptid == tid);
    int32_t v;
    while ((v = ctid) != 0) {
        syscall(SYS_futex, &ctid, 0 /* FUTEX_WAIT */, v, NULL, NULL, 0);
    }
    FACT_INT("ctid_cleared", ctid == 0);
    DONE();
}
