/* getpriority(2)/setpriority(2) and sched(7): which/who checks, nice clamped to [-20, 19], 20 - nice from the raw syscall, process groups and users, an unprivileged caller's EPERM (others' processes) and EACCES (lowering nice past RLIMIT_NICE); sched_getscheduler/getparam/setscheduler/setparam/rr_get_interval/getattr argument checks and permissions; sched_setaffinity's EFAULT before ESRCH, empty masks and sizes. */
#include "../../contract/lib/contract.h"
/* Never PRIO_PGRP or PRIO_USER on our own group or uid: natively those are the test
   runner's (it would renice itself and everything it starts). */
#include <sched.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

struct attr { uint32_t size, policy; uint64_t flags; int32_t nice; uint32_t priority; uint64_t runtime, deadline, period; };
#define MISSING 0x3ffffff0

static int raw_getprio(int which, int who) { return syscall(SYS_getpriority, which, who); }

static int child(int (*fn)(pid_t), pid_t arg)
{
    int p[2];
    if (pipe(p)) return -2;
    pid_t c = fork();
    if (c == 0) { int r = fn(arg); write(p[1], &r, sizeof r); _exit(0); }
    int r = -3;
    read(p[0], &r, sizeof r);
    waitpid(c, NULL, 0);
    close(p[0]); close(p[1]);
    return r;
}

static int e(long r) { return r == -1 ? errno : 0; }
/* PRIO_PGRP only in a group of our own: natively the test shares its runner's group */
static int own_group_prio(pid_t unused)
{
    (void)unused;
    if (setpgid(0, 0)) return -1;
    pid_t member = fork();
    if (member == 0) { for (;;) pause(); }
    setpgid(member, getpgrp());
    int r = setpriority(PRIO_PGRP, 0, 4) == 0 ? 0 : errno;
    int mine = raw_getprio(PRIO_PGRP, 0), theirs = raw_getprio(PRIO_PROCESS, member);
    kill(member, SIGKILL);
    waitpid(member, NULL, 0);
    return r * 10000 + mine * 100 + theirs;
}

static int nobody_renice_root(pid_t root) { setuid(65534); return e(setpriority(PRIO_PROCESS, root, 5)); }
static int nobody_lower_own(pid_t unused)
{
    (void)unused;
    struct rlimit rl = { 0, 0 };
    setrlimit(RLIMIT_NICE, &rl);
    setuid(65534);
    int a = e(setpriority(PRIO_PROCESS, 0, 5));
    int b = e(setpriority(PRIO_PROCESS, 0, 2));
    return a * 1000 + b;
}
static int nobody_sched_fifo(pid_t unused)
{
    (void)unused;
    struct rlimit rl = { 0, 0 };
    setrlimit(RLIMIT_RTPRIO, &rl);
    setuid(65534);
    struct sched_param sp = { 1 };
    return e(syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &sp));
}
static int nobody_sched_other_root(pid_t root)
{
    setuid(65534);
    struct sched_param sp = { 0 };
    return e(syscall(SYS_sched_setscheduler, root, SCHED_OTHER, &sp));
}
static int nobody_affinity_root(pid_t root)
{
    setuid(65534);
    uint64_t m = 1;
    return e(syscall(SYS_sched_setaffinity, root, 8, &m));
}
static int nobody_batch_self(pid_t unused)
{
    (void)unused;
    setuid(65534);
    struct sched_param sp = { 0 };
    int a = e(syscall(SYS_sched_setscheduler, 0, SCHED_BATCH, &sp));
    int b = syscall(SYS_sched_getscheduler, 0);
    return a * 1000 + b;
}

int main(void)
{
    pid_t me = getpid();
    CHECK_RET("getprio_bad_which", raw_getprio(3, 0));
    CHECK_RET("getprio_neg_which", raw_getprio(-1, 0));
    CHECK_RET("getprio_missing", raw_getprio(PRIO_PROCESS, MISSING));
    CHECK_RET("getprio_neg_who", raw_getprio(PRIO_PROCESS, -1));
    int base = raw_getprio(PRIO_PROCESS, 0);
    CHECK_RET("setprio_bad_which", setpriority(3, 0, 0));
    CHECK_RET("setprio_missing", setpriority(PRIO_PROCESS, MISSING, 0));
    CHECK_RET("setprio_clamp_high", setpriority(PRIO_PROCESS, 0, 100));
    FACT_INT("raw_after_clamp_high", raw_getprio(PRIO_PROCESS, 0));
    CHECK_RET("setprio_clamp_low", setpriority(PRIO_PROCESS, 0, -100));
    FACT_INT("raw_after_clamp_low", raw_getprio(PRIO_PROCESS, 0));
    CHECK_RET("setprio_self_pid", setpriority(PRIO_PROCESS, me, 3));
    FACT_INT("raw_self_pid", raw_getprio(PRIO_PROCESS, me));
    FACT_INT("pgrp_in_own_group", child(own_group_prio, 0));
    CHECK_RET("getprio_missing_pgrp", raw_getprio(PRIO_PGRP, MISSING));
    CHECK_RET("setprio_missing_pgrp", setpriority(PRIO_PGRP, MISSING, 0));
    CHECK_RET("getprio_missing_user", raw_getprio(PRIO_USER, 54321));
    CHECK_RET("setprio_missing_user", setpriority(PRIO_USER, 54321, 0));
    pid_t c = fork();
    if (c == 0) { for (;;) pause(); }
    CHECK_RET("child_inherits", raw_getprio(PRIO_PROCESS, c));
    CHECK_RET("setprio_child", setpriority(PRIO_PROCESS, c, 7));
    FACT_INT("raw_child", raw_getprio(PRIO_PROCESS, c));
    FACT_INT("nobody_renice_root", child(nobody_renice_root, me));
    FACT_INT("nobody_lower_own", child(nobody_lower_own, 0));
    kill(c, SIGKILL);
    waitpid(c, NULL, 0);
    setpriority(PRIO_PROCESS, 0, 20 - base);

    struct sched_param sp = { 0 };
    CHECK_RET("getscheduler", syscall(SYS_sched_getscheduler, 0));
    CHECK_RET("getscheduler_neg", syscall(SYS_sched_getscheduler, -1));
    CHECK_RET("getscheduler_missing", syscall(SYS_sched_getscheduler, MISSING));
    CHECK_RET("getparam_null", syscall(SYS_sched_getparam, 0, NULL));
    CHECK_RET("getparam_bad", syscall(SYS_sched_getparam, 0, (void *)8));
    CHECK_RET("getparam_missing", syscall(SYS_sched_getparam, MISSING, &sp));
    CHECK_RET("getparam", syscall(SYS_sched_getparam, me, &sp));
    FACT_INT("priority", sp.sched_priority);
    CHECK_RET("setscheduler_neg_policy", syscall(SYS_sched_setscheduler, 0, -1, &sp));
    CHECK_RET("setscheduler_null", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL));
    CHECK_RET("setscheduler_bad_ptr_missing", syscall(SYS_sched_setscheduler, MISSING, SCHED_OTHER, (void *)8));
    CHECK_RET("setscheduler_missing", syscall(SYS_sched_setscheduler, MISSING, SCHED_OTHER, &sp));
    CHECK_RET("setscheduler_bad_policy", syscall(SYS_sched_setscheduler, 0, 42, &sp));
    sp.sched_priority = 5;
    CHECK_RET("setscheduler_other_prio", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &sp));
    sp.sched_priority = 0;
    CHECK_RET("setscheduler_batch", syscall(SYS_sched_setscheduler, 0, SCHED_BATCH, &sp));
    CHECK_RET("getscheduler_batch", syscall(SYS_sched_getscheduler, me));
    CHECK_RET("setparam", syscall(SYS_sched_setparam, 0, &sp));
    CHECK_RET("setparam_missing", syscall(SYS_sched_setparam, MISSING, &sp));
    CHECK_RET("back_to_other", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &sp));
    struct timespec ts;
    CHECK_RET("rr_interval", syscall(SYS_sched_rr_get_interval, 0, &ts));
    CHECK_RET("rr_interval_missing", syscall(SYS_sched_rr_get_interval, MISSING, &ts));
    CHECK_RET("rr_interval_bad", syscall(SYS_sched_rr_get_interval, 0, (void *)8));
    struct attr a;
    memset(&a, 0, sizeof a);
    CHECK_RET("getattr", syscall(SYS_sched_getattr, 0, &a, sizeof a, 0));
    FACT_INT("getattr_size", a.size);
    FACT_INT("getattr_policy", a.policy);
    CHECK_RET("getattr_small", syscall(SYS_sched_getattr, 0, &a, 8, 0));
    CHECK_RET("getattr_flags", syscall(SYS_sched_getattr, 0, &a, sizeof a, 1));
    CHECK_RET("getattr_missing", syscall(SYS_sched_getattr, MISSING, &a, sizeof a, 0));
    a.size = sizeof a; a.policy = SCHED_OTHER; a.nice = 2;
    CHECK_RET("setattr_nice", syscall(SYS_sched_setattr, 0, &a, 0));
    FACT_INT("raw_after_setattr", raw_getprio(PRIO_PROCESS, 0));
    CHECK_RET("setattr_flags", syscall(SYS_sched_setattr, 0, &a, 1));
    CHECK_RET("setattr_null", syscall(SYS_sched_setattr, 0, NULL, 0));
    CHECK_RET("setattr_missing", syscall(SYS_sched_setattr, MISSING, &a, 0));
    a.size = 8;
    CHECK_RET("setattr_small", syscall(SYS_sched_setattr, 0, &a, 0));
    setpriority(PRIO_PROCESS, 0, 20 - base);
    FACT_INT("nobody_fifo", child(nobody_sched_fifo, 0));
    FACT_INT("nobody_other_on_root", child(nobody_sched_other_root, me));
    FACT_INT("nobody_batch_self", child(nobody_batch_self, 0));

    uint64_t m[64];
    CHECK_RET("getaffinity_len_0", syscall(SYS_sched_getaffinity, 0, 0, m));
    CHECK_RET("getaffinity_len_12", syscall(SYS_sched_getaffinity, 0, 12, m));
    CHECK_RET("getaffinity_huge", syscall(SYS_sched_getaffinity, 0, 0x20000000, m));
    CHECK_RET("getaffinity_bad_ptr", syscall(SYS_sched_getaffinity, 0, 8, (void *)8));
    CHECK_RET("getaffinity_missing", syscall(SYS_sched_getaffinity, MISSING, 8, m));
    CHECK_RET("getaffinity_neg", syscall(SYS_sched_getaffinity, -1, 8, m));
    long n = syscall(SYS_sched_getaffinity, 0, sizeof m, m);
    FACT_BOOL("getaffinity_big_is_multiple_of_8", n > 0 && n % 8 == 0);
    uint64_t first = m[0] & -m[0];
    CHECK_RET("setaffinity_efault_then_esrch", syscall(SYS_sched_setaffinity, MISSING, 8, (void *)8));
    CHECK_RET("setaffinity_missing", syscall(SYS_sched_setaffinity, MISSING, 8, &first));
    uint64_t zero = 0;
    CHECK_RET("setaffinity_empty", syscall(SYS_sched_setaffinity, 0, 8, &zero));
    CHECK_RET("setaffinity_len_0", syscall(SYS_sched_setaffinity, 0, 0, &first));
    uint64_t high[2] = { 0, 1 };
    CHECK_RET("setaffinity_cpu_64", syscall(SYS_sched_setaffinity, 0, 16, high));
    CHECK_RET("setaffinity_short_len", syscall(SYS_sched_setaffinity, 0, 4, &first));
    uint64_t got = 0;
    syscall(SYS_sched_getaffinity, 0, 8, &got);
    FACT_BOOL("pinned_to_first", got == first);
    FACT_BOOL("getcpu_in_mask", (got >> sched_getcpu()) & 1);
    FACT_INT("nobody_affinity_root", child(nobody_affinity_root, me));
    CHECK_RET("setaffinity_all", syscall(SYS_sched_setaffinity, 0, sizeof m, m));
    DONE();
}
