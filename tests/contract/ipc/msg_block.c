/* msgsnd(2)/msgrcv(2) waits across fork: a waiting receiver is handed the message at send time (pipelined_send: msg_lrpid, qnum), E2BIG for a too small waiting buffer, senders wait for room, EIDRM when the queue is removed, EINTR for a caught signal even with SA_RESTART, a stop/continue restarts the wait. */
#include "../lib/contract.h"
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/wait.h>

struct msgbuf64 { long mtype; char mtext[64]; };
static volatile sig_atomic_t caught;
static void on_usr1(int sig) { (void)sig; caught = 1; }

/* Wait until pid sleeps (state S in /proc/PID/stat), at most 2 s. */

static int snd(int q, long type, const char *text, int flags)
{
    struct msgbuf64 m = { .mtype = type };
    strcpy(m.mtext, text);
    return msgsnd(q, &m, strlen(text), flags);
}

/* Run fn in a child that reports one line through a pipe; returns the child's pid. */
static int report_fd;
static pid_t child(void (*fn)(int), int q, int *rfd)
{
    int fds[2];
    SETUP(pipe(fds));
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        report_fd = fds[1];
        fn(q);
        _exit(0);
    }
    close(fds[1]);
    *rfd = fds[0];
    return pid;
}

static void report(const char *fmt, long a, const char *s)
{
    char buf[128];
    int n = snprintf(buf, sizeof buf, fmt, a, s);
    write(report_fd, buf, n);
}

static void collect(const char *key, pid_t pid, int rfd)
{
    char buf[128];
    int status;
    waitpid(pid, &status, 0);
    ssize_t n = read(rfd, buf, sizeof buf - 1);
    close(rfd);
    buf[n > 0 ? n : 0] = 0;
    printf("%s=%s\n", key, buf);
}

static void receiver(int q)
{
    struct msgbuf64 m;
    memset(&m, 0, sizeof m);
    long r = msgrcv(q, &m, sizeof m.mtext, 2, 0);
    if (r < 0)
        report("err:%ld:%s", 0, errname(errno));
    else
        report("got:%ld:%s", m.mtype, m.mtext);
}

static void small_receiver(int q)
{
    struct msgbuf64 m;
    long r = msgrcv(q, &m, 2, 0, 0);
    report("r:%ld:%s", r, r < 0 ? errname(errno) : "ok");
}

static void sender(int q)
{
    int r = snd(q, 9, "12345", 0);
    report("s:%ld:%s", r, r < 0 ? errname(errno) : "ok");
}

static void interrupted_receiver(int q)
{
    struct msgbuf64 m;
    long r = msgrcv(q, &m, sizeof m.mtext, 0, 0);
    report("r:%ld:%s", r, r < 0 ? errname(errno) : "ok");
}

int main(void)
{
    int q = msgget(IPC_PRIVATE, 0600);
    struct msqid_ds ds;
    int rfd;

    /* A receiver of type 2 waits; type 1 is queued, type 2 is handed over. */
    pid_t pid = child(receiver, q, &rfd);
    wait_sleeping(pid);
    snd(q, 1, "first", 0);
    snd(q, 2, "second", 0);
    msgctl(q, IPC_STAT, &ds);
    FACT("handed", "%lu:%lu:%d", ds.msg_qnum, ds.__msg_cbytes, ds.msg_lrpid == pid);
    collect("receiver", pid, rfd);

    /* A waiting receiver with a 2-byte buffer gets E2BIG; the message stays queued. */
    struct msgbuf64 m;
    msgrcv(q, &m, sizeof m.mtext, 0, IPC_NOWAIT);
    pid = child(small_receiver, q, &rfd);
    wait_sleeping(pid);
    snd(q, 3, "big one", 0);
    collect("small_receiver", pid, rfd);
    msgctl(q, IPC_STAT, &ds);
    FACT("after_e2big", "%lu", ds.msg_qnum);
    msgrcv(q, &m, sizeof m.mtext, 0, IPC_NOWAIT);

    /* A sender waits for room; a receive makes room. */
    ds.msg_qbytes = 8;
    SETUP(msgctl(q, IPC_SET, &ds));
    snd(q, 1, "1234567", 0);
    pid = child(sender, q, &rfd);
    wait_sleeping(pid);
    msgctl(q, IPC_STAT, &ds);
    FACT("sender_waits", "%lu", ds.msg_qnum);
    long r = msgrcv(q, &m, sizeof m.mtext, 0, 0);
    FACT_INT("made_room", r);
    collect("sender", pid, rfd);
    r = msgrcv(q, &m, sizeof m.mtext, 0, IPC_NOWAIT);
    FACT("sent_after_wait", "%ld:%ld", r, m.mtype);

    /* A caught signal ends the wait with EINTR, with or without SA_RESTART. */
    for (int restart = 0; restart < 2; restart++) {
        struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = restart ? SA_RESTART : 0 };
        sigaction(SIGUSR1, &sa, NULL);
        pid = child(interrupted_receiver, q, &rfd);
        wait_sleeping(pid);
        kill(pid, SIGUSR1);
        collect(restart ? "eintr_sa_restart" : "eintr", pid, rfd);
    }

    /* Stopped and continued while waiting: the wait goes on. */
    pid = child(interrupted_receiver, q, &rfd);
    wait_sleeping(pid);
    kill(pid, SIGSTOP);
    waitpid(pid, NULL, WUNTRACED);
    kill(pid, SIGCONT);
    wait_sleeping(pid);
    snd(q, 4, "cont", 0);
    collect("stop_cont", pid, rfd);

    /* Removing the queue wakes a receiver and a sender with EIDRM. */
    int rfd2;
    pid = child(interrupted_receiver, q, &rfd);
    wait_sleeping(pid);
    snd(q, 1, "1234567", IPC_NOWAIT);  /* goes to the waiting receiver */
    collect("handed_any", pid, rfd);
    snd(q, 1, "1234567", 0);           /* now the queue is full */
    pid_t spid = child(sender, q, &rfd2);
    wait_sleeping(spid);
    pid = child(interrupted_receiver, -1, &rfd);  /* EINVAL: not waiting */
    collect("negid", pid, rfd);
    CHECK_RET("rmid", msgctl(q, IPC_RMID, NULL));
    collect("sender_rmid", spid, rfd2);

    q = msgget(IPC_PRIVATE, 0600);
    pid = child(interrupted_receiver, q, &rfd);
    wait_sleeping(pid);
    CHECK_RET("rmid2", msgctl(q, IPC_RMID, NULL));
    collect("receiver_rmid", pid, rfd);
    DONE();
}
