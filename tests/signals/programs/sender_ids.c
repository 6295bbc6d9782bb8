/* siginfo(2) sender fields as the receiver reads them: kill (SI_USER) and tgkill (SI_TKILL) carry the sender's pid and real uid; sigqueue's SI_QUEUE siginfo arrives as the sender wrote it; a process may queue any si_code to itself and it arrives unchanged (si_pid included); SIGPIPE from a write to a pipe without readers is SI_USER from the writer itself; rt_sigtimedwait sees the same fields. */
#include "../../contract/lib/contract.h"
#include <sys/syscall.h>
#include <sys/wait.h>

static volatile sig_atomic_t code = -99, spid, suid, sval, count;
static void h(int s, siginfo_t *si, void *u)
{
    (void)s; (void)u;
    code = si->si_code; spid = si->si_pid; suid = si->si_uid; sval = si->si_value.sival_int; count++;
}

static void fact3(const char *tag, pid_t want_pid)
{
    char k[64];
    snprintf(k, sizeof k, "%s_code", tag); FACT_INT(k, code);
    snprintf(k, sizeof k, "%s_pid_ok", tag); FACT_BOOL(k, spid == want_pid);
    snprintf(k, sizeof k, "%s_uid", tag); FACT_INT(k, suid);
    code = -99; spid = suid = sval = 0;
}

int main(void)
{
    struct sigaction sa = { .sa_sigaction = h, .sa_flags = SA_SIGINFO | SA_RESTART };
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    sigaction(SIGPIPE, &sa, NULL);
    sigaction(SIGRTMIN + 2, &sa, NULL);
    pid_t me = getpid();

    kill(me, SIGUSR1);
    fact3("kill_self", me);
    syscall(SYS_tgkill, me, gettid(), SIGUSR1);
    fact3("tgkill_self", me);

    /* forged to oneself: any si_code, any si_pid/si_uid */
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = SIGUSR2; si.si_code = SI_USER; si.si_pid = 12345; si.si_uid = 777;
    CHECK_RET("forge_si_user", syscall(SYS_rt_sigqueueinfo, me, SIGUSR2, &si));
    fact3("forged_si_user", 12345);
    si.si_code = SI_TKILL; si.si_pid = me;
    CHECK_RET("forge_si_tkill", syscall(SYS_rt_tgsigqueueinfo, me, gettid(), SIGUSR2, &si));
    fact3("forged_si_tkill", me);
    si.si_code = SI_KERNEL; si.si_pid = 99;
    CHECK_RET("forge_si_kernel", syscall(SYS_rt_sigqueueinfo, me, SIGUSR2, &si));
    fact3("forged_si_kernel", 99);
    si.si_code = SI_QUEUE; si.si_pid = 4242; si.si_uid = 5; si.si_value.sival_int = 31;
    CHECK_RET("queue_self", syscall(SYS_rt_sigqueueinfo, me, SIGRTMIN + 2, &si));
    FACT_INT("queue_value", sval);
    fact3("queue_self", 4242);

    /* a child signals us: kill as root and as nobody (SIGCONT in our session is allowed) */
    sigaction(SIGCONT, &sa, NULL);
    sigset_t m; sigemptyset(&m); sigaddset(&m, SIGUSR1); sigaddset(&m, SIGCONT); sigaddset(&m, SIGRTMIN + 2);
    sigprocmask(SIG_BLOCK, &m, NULL);
    pid_t c = fork();
    if (c == 0) {
        kill(getppid(), SIGUSR1);
        union sigval v = { .sival_int = 77 };
        sigqueue(getppid(), SIGRTMIN + 2, v);
        setuid(65534);
        kill(getppid(), SIGCONT);
        _exit(0);
    }
    waitpid(c, NULL, 0);
    siginfo_t got;
    struct timespec zero = { 0, 0 };
    CHECK_RET("timedwait_first", sigtimedwait(&m, &got, &zero));
    FACT_INT("timedwait_kill_code", got.si_code);
    FACT_BOOL("timedwait_kill_pid_is_child", got.si_pid == c);
    FACT_INT("timedwait_kill_uid", got.si_uid);
    CHECK_RET("timedwait_second", sigtimedwait(&m, &got, &zero));
    FACT_INT("timedwait_cont_code", got.si_code);
    FACT_BOOL("timedwait_cont_pid_is_child", got.si_pid == c);
    FACT_INT("timedwait_cont_uid", got.si_uid);
    sigprocmask(SIG_UNBLOCK, &m, NULL);
    FACT_INT("queued_value", sval);
    fact3("queued_from_child", c);

    /* SIGPIPE from the kernel after EPIPE */
    int p[2];
    SETUP(pipe(p));
    close(p[0]);
    errno = 0;
    CHECK_RET("write_no_reader", write(p[1], "x", 1));
    fact3("sigpipe", me);
    close(p[1]);
    DONE();
}
