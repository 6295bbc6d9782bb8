/* semop(2)/semtimedop(2) waits across fork: the operation that makes a waiter's operations possible performs them at once (update_queue: GETVAL and GETPID right after), GETNCNT/GETZCNT count waiters, a timeout is EAGAIN, a caught signal EINTR even with SA_RESTART, IPC_RMID wakes waiters with EIDRM, SEM_UNDO is applied (clamped) when a process exits. */
#include "../lib/contract.h"
#include <sched.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static void on_usr1(int sig) { (void)sig; }


static long op1(int id, unsigned short num, short op, short flg)
{
    struct sembuf b = { num, op, flg };
    return syscall(SYS_semop, id, &b, 1);
}

static long ctl(int id, int num, int cmd, unsigned long arg) { return syscall(SYS_semctl, id, num, cmd, arg); }

/* A child that runs one semop and exits with 0 or its errno. */
static pid_t waiter(int id, unsigned short num, short op, short flg)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(op1(id, num, op, flg) < 0 ? errno : 0);
    wait_sleeping(pid);
    return pid;
}

static const char *result(pid_t pid)
{
    int status;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status))
        return "killed";
    return errname(WEXITSTATUS(status));
}

int main(void)
{
    int s = semget(IPC_PRIVATE, 2, 0600);
    int status_code;

    /* Two decrementers and a zero-waiter. */
    ctl(s, 1, SETVAL, 1);
    pid_t a = waiter(s, 0, -1, 0);
    pid_t b = waiter(s, 0, -2, 0);
    pid_t z = waiter(s, 1, 0, 0);
    FACT("counts_before", "%ld:%ld:%ld:%ld", ctl(s, 0, GETNCNT, 0), ctl(s, 0, GETZCNT, 0),
         ctl(s, 1, GETNCNT, 0), ctl(s, 1, GETZCNT, 0));
    CHECK_RET("inc1", op1(s, 0, 1, 0));
    FACT("after_inc1", "%ld:%d:%ld", ctl(s, 0, GETVAL, 0), ctl(s, 0, GETPID, 0) == a,
         ctl(s, 0, GETNCNT, 0));
    FACT_STR("a", result(a));
    CHECK_RET("inc3", op1(s, 0, 3, 0));
    FACT("after_inc3", "%ld:%d:%ld", ctl(s, 0, GETVAL, 0), ctl(s, 0, GETPID, 0) == b,
         ctl(s, 0, GETNCNT, 0));
    FACT_STR("b", result(b));
    FACT("zero_waiter_still", "%ld", ctl(s, 1, GETZCNT, 0));
    CHECK_RET("set1", ctl(s, 1, SETVAL, 1));
    CHECK_RET("set0", ctl(s, 1, SETVAL, 0));
    FACT_STR("z", result(z));
    FACT_BOOL("z_pid", ctl(s, 1, GETPID, 0) == z);

    /* An array operation waits as a whole; SETALL completes it. */
    pid_t pid = fork();
    if (pid == 0) {
        struct sembuf two[2] = { { 0, -1, 0 }, { 1, -1, 0 } };
        _exit(syscall(SYS_semop, s, two, 2) < 0 ? errno : 0);
    }
    wait_sleeping(pid);
    FACT("array_counts", "%ld:%ld", ctl(s, 0, GETNCNT, 0), ctl(s, 1, GETNCNT, 0));
    CHECK_RET("inc_one_of_two", op1(s, 0, 1, 0));
    FACT("array_counts2", "%ld:%ld:%ld", ctl(s, 0, GETNCNT, 0), ctl(s, 1, GETNCNT, 0),
         ctl(s, 0, GETVAL, 0));
    unsigned short all[2] = { 1, 1 };
    CHECK_RET("setall", ctl(s, 0, SETALL, (unsigned long)all));
    FACT("after_setall", "%ld:%ld", ctl(s, 0, GETVAL, 0), ctl(s, 1, GETVAL, 0));
    FACT_STR("array_waiter", result(pid));

    /* semtimedop: EAGAIN after the timeout; a zero timeout is an immediate EAGAIN. */
    struct timespec ts = { 0, 30 * 1000000 };
    struct sembuf dec = { 0, -1, 0 };
    ctl(s, 0, SETVAL, 0);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK_RET("timedop", syscall(SYS_semtimedop, s, &dec, 1, &ts));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    FACT_BOOL("timed_ge_30ms", ms >= 29);
    struct timespec zero = { 0, 0 };
    CHECK_RET("timedop_zero", syscall(SYS_semtimedop, s, &dec, 1, &zero));
    FACT("after_timeouts", "%ld", ctl(s, 0, GETNCNT, 0));

    /* A caught signal: EINTR, with or without SA_RESTART. */
    for (int restart = 0; restart < 2; restart++) {
        struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = restart ? SA_RESTART : 0 };
        sigaction(SIGUSR1, &sa, NULL);
        pid = waiter(s, 0, -1, 0);
        kill(pid, SIGUSR1);
        FACT_STR(restart ? "eintr_sa_restart" : "eintr", result(pid));
    }
    FACT("after_eintr", "%ld", ctl(s, 0, GETNCNT, 0));

    /* SEM_UNDO at exit: a child's +2 and -1 are undone, clamped at 0, waking a waiter. */
    ctl(s, 0, SETVAL, 0);
    ctl(s, 1, SETVAL, 1);
    pid = fork();
    if (pid == 0) {
        op1(s, 0, 2, SEM_UNDO);
        op1(s, 1, -1, SEM_UNDO);  /* value 1 (SETALL above) */
        _exit(0);
    }
    FACT_STR("undo_child", result(pid));
    FACT("after_undo", "%ld:%ld:%d", ctl(s, 0, GETVAL, 0), ctl(s, 1, GETVAL, 0),
         ctl(s, 0, GETPID, 0) == pid);
    pid = fork();
    if (pid == 0) {
        op1(s, 0, 5, SEM_UNDO);
        op1(s, 0, -5, 0);  /* the undo of +5 would go below 0: clamped */
        op1(s, 1, 1, 0);
        _exit(0);
    }
    FACT_STR("clamp_child", result(pid));
    FACT("after_clamp", "%ld:%ld", ctl(s, 0, GETVAL, 0), ctl(s, 1, GETVAL, 0));
    pid_t w = waiter(s, 1, 0, 0);  /* waits for semaphore 1 to be 0 */
    pid = fork();
    if (pid == 0) {
        op1(s, 1, -2, SEM_UNDO);
        op1(s, 1, 2, 0);
        _exit(0);
    }
    FACT_STR("undo_waker", result(pid));
    FACT_STR("woken_by_exit", result(w));
    FACT("after_exit_wake", "%ld:%d", ctl(s, 1, GETVAL, 0), ctl(s, 1, GETPID, 0) == w);

    /* unshare(CLONE_SYSVSEM) applies the adjustments as exit would. */
    ctl(s, 0, SETVAL, 0);
    pid = fork();
    if (pid == 0) {
        op1(s, 0, 3, SEM_UNDO);
        long before = ctl(s, 0, GETVAL, 0);
        if (syscall(SYS_unshare, CLONE_SYSVSEM) != 0)
            _exit(100);
        long after = ctl(s, 0, GETVAL, 0);
        op1(s, 0, 1, 0);
        _exit(before * 10 + after);
    }
    waitpid(pid, &status_code, 0);
    FACT("unshare_sysvsem", "%d:%ld", WEXITSTATUS(status_code), ctl(s, 0, GETVAL, 0));

    /* IPC_RMID wakes waiters with EIDRM. */
    pid_t d = waiter(s, 0, -1, 0);
    CHECK_RET("zero_now", op1(s, 1, 0, IPC_NOWAIT));
    CHECK_RET("rmid", ctl(s, 0, IPC_RMID, 0));
    FACT_STR("eidrm", result(d));
    DONE();
}
