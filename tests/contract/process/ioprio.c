/* ioprio_get(2)/ioprio_set(2) (block/ioprio.c): per-thread priorities stored as given (class, hint, level; 16 bits), IOPRIO_CLASS_NONE reads 0, value checks before the target (EINVAL for NONE with a level and classes past IDLE, EPERM for RT without CAP_SYS_NICE), ESRCH, EINVAL for `which`, inheritance only of a valid class (copy_io), process groups and users (the best priority of the group), EPERM to set another user's task. */
#include "../lib/contract.h"
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define WHO_PROCESS 1
#define WHO_PGRP 2
#define WHO_USER 3
#define PRIO(cls, level) (((cls) << 13) | (level))
#define NONE 0
#define RT 1
#define BE 2
#define IDLE 3

static long get(int which, int who) { return syscall(SYS_ioprio_get, which, who); }
static long set(int which, int who, int prio) { return syscall(SYS_ioprio_set, which, who, prio); }

static volatile int thread_tid;
static int gate[2];
static void *thread_main(void *arg)
{
    char c;
    (void)arg;
    thread_tid = syscall(SYS_gettid);
    read(gate[0], &c, 1);
    return NULL;
}

/* A child that reports its priority (and, with a second byte, waits for a go). */
static pid_t child_reporting(int res, int go, int in_group)
{
    pid_t c = fork();
    if (c == 0) {
        if (in_group) setpgid(0, in_group == 1 ? 0 : in_group);
        long v = get(WHO_PROCESS, 0);
        write(res, &v, sizeof v);
        char ch;
        read(go, &ch, 1);
        _exit(0);
    }
    return c;
}

int main(void)
{
    CHECK_RET("reset_none", set(WHO_PROCESS, 0, PRIO(NONE, 0)));
    CHECK_RET("get_none", get(WHO_PROCESS, 0));
    CHECK_RET("get_bad_which", get(0, 0));
    CHECK_RET("set_bad_which", set(4, 0, PRIO(BE, 1)));
    CHECK_RET("set_none_with_level", set(WHO_PROCESS, 0, PRIO(NONE, 1)));
    CHECK_RET("set_class_4", set(WHO_PROCESS, 0, PRIO(4, 0)));
    CHECK_RET("set_class_7", set(WHO_PROCESS, 0, PRIO(7, 0)));
    CHECK_RET("set_bad_value_before_esrch", set(WHO_PROCESS, 999999, PRIO(7, 0)));
    CHECK_RET("get_esrch", get(WHO_PROCESS, 999999));
    CHECK_RET("set_esrch", set(WHO_PROCESS, 999999, PRIO(BE, 1)));
    CHECK_RET("set_be7", set(WHO_PROCESS, 0, PRIO(BE, 7)));
    CHECK_RET("get_be7", get(WHO_PROCESS, 0));
    CHECK_RET("get_by_pid", get(WHO_PROCESS, getpid()));
    CHECK_RET("set_hint", set(WHO_PROCESS, 0, PRIO(BE, (5 << 3) | 2)));
    CHECK_RET("get_hint", get(WHO_PROCESS, 0));
    CHECK_RET("set_high_bits", set(WHO_PROCESS, 0, (1 << 20) | PRIO(IDLE, 5)));
    CHECK_RET("get_high_bits", get(WHO_PROCESS, 0));
    CHECK_RET("set_none_hint", set(WHO_PROCESS, 0, PRIO(NONE, 1 << 3)));
    CHECK_RET("get_none_hint", get(WHO_PROCESS, 0));
    CHECK_RET("set_rt_root", set(WHO_PROCESS, 0, PRIO(RT, 3)));
    CHECK_RET("get_rt", get(WHO_PROCESS, 0));

    int res[2], go[2];
    SETUP(pipe(res));
    SETUP(pipe(go));
    long v;
    SETUP(set(WHO_PROCESS, 0, PRIO(BE, 3)));
    pid_t c = child_reporting(res[1], go[0], 0);
    SETUP(read(res[0], &v, sizeof v));
    FACT_INT("child_inherits_valid", v);
    CHECK_RET("parent_sets_child", set(WHO_PROCESS, c, PRIO(IDLE, 0)));
    CHECK_RET("child_now", get(WHO_PROCESS, c));
    CHECK_RET("parent_unchanged", get(WHO_PROCESS, 0));
    SETUP(write(go[1], "g", 1));
    SETUP(waitpid(c, NULL, 0));
    SETUP(set(WHO_PROCESS, 0, PRIO(NONE, 0)));
    c = child_reporting(res[1], go[0], 0);
    SETUP(read(res[0], &v, sizeof v));
    FACT_INT("child_of_none", v);
    SETUP(write(go[1], "g", 1));
    SETUP(waitpid(c, NULL, 0));

    SETUP(pipe(gate));
    SETUP(set(WHO_PROCESS, 0, PRIO(BE, 6)));
    pthread_t t;
    if (pthread_create(&t, NULL, thread_main, NULL)) return 1;
    while (!thread_tid) sleep_ms(1);
    CHECK_RET("thread_inherits", get(WHO_PROCESS, thread_tid));
    CHECK_RET("set_thread", set(WHO_PROCESS, thread_tid, PRIO(BE, 1)));
    CHECK_RET("thread_now", get(WHO_PROCESS, thread_tid));
    CHECK_RET("process_unchanged", get(WHO_PROCESS, getpid()));
    write(gate[1], "x", 1);
    pthread_join(t, NULL);

    /* A process group of two children, then one more in it with IDLE. */
    SETUP(set(WHO_PROCESS, 0, PRIO(NONE, 0)));
    pid_t g1 = child_reporting(res[1], go[0], 1);
    setpgid(g1, g1);
    SETUP(read(res[0], &v, sizeof v));
    /* an unset priority counts as its nice value's (BE 4) in a group, even of one
     * (found by the hostile fuzzer: the one-member group read 0) */
    CHECK_RET("group_of_one_none", get(WHO_PGRP, g1));
    pid_t g2 = child_reporting(res[1], go[0], g1);
    setpgid(g2, g1);
    SETUP(read(res[0], &v, sizeof v));
    CHECK_RET("group_get_none", get(WHO_PGRP, g1));
    CHECK_RET("group_set", set(WHO_PGRP, g1, PRIO(BE, 2)));
    CHECK_RET("group_member", get(WHO_PROCESS, g2));
    CHECK_RET("member_idle", set(WHO_PROCESS, g2, PRIO(IDLE, 0)));
    CHECK_RET("group_best", get(WHO_PGRP, g1));
    CHECK_RET("member_be0", set(WHO_PROCESS, g2, PRIO(BE, 0)));
    CHECK_RET("group_best_be0", get(WHO_PGRP, g1));
    CHECK_RET("empty_group", get(WHO_PGRP, 999999));
    SETUP(write(go[1], "gg", 2));
    SETUP(waitpid(g1, NULL, 0));
    SETUP(waitpid(g2, NULL, 0));

    /* Users: two processes of uid 65533. */
    pid_t u[2];
    for (int i = 0; i < 2; i++) {
        u[i] = fork();
        if (u[i] == 0) {
            if (setgid(65533) || setuid(65533)) _exit(100);
            if (i == 1) {
                long r1 = set(WHO_PROCESS, getppid(), PRIO(BE, 1));
                int e1 = r1 == -1 ? errno : 0;
                long r2 = set(WHO_PROCESS, 0, PRIO(RT, 1));
                int e2 = r2 == -1 ? errno : 0;
                long r3 = set(WHO_PROCESS, 0, PRIO(IDLE, 0));
                long r4 = get(WHO_PROCESS, 0);
                v = (e1 == EPERM) | (e2 == EPERM) << 1 | (r3 == 0) << 2 | (r4 == PRIO(IDLE, 0)) << 3;
            } else {
                v = 15;
            }
            write(res[1], &v, sizeof v);
            char ch;
            read(go[0], &ch, 1);
            _exit(0);
        }
    }
    long r0, r1;
    SETUP(read(res[0], &r0, sizeof r0));
    SETUP(read(res[0], &r1, sizeof r1));
    FACT_INT("user_children_checks", r0 & r1);
    CHECK_RET("user_get", get(WHO_USER, 65533));
    CHECK_RET("user_set", set(WHO_USER, 65533, PRIO(BE, 5)));
    CHECK_RET("user_child", get(WHO_PROCESS, u[0]));
    CHECK_RET("user_get_after", get(WHO_USER, 65533));
    CHECK_RET("user_set_invalid_uid", set(WHO_USER, -1, PRIO(BE, 5)));
    SETUP(write(go[1], "gg", 2));
    SETUP(waitpid(u[0], NULL, 0));
    SETUP(waitpid(u[1], NULL, 0));
    CHECK_RET("user_gone", get(WHO_USER, 65533));
    DONE();
}
