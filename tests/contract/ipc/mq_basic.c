/* mq_overview(7): mq_open name and attribute checks (EACCES, ENOENT, EEXIST, EINVAL), priorities (highest first, FIFO within), EMSGSIZE, EAGAIN with O_NONBLOCK, ETIMEDOUT, mq_getsetattr, read(2) status line, poll readiness, mq_notify (EBUSY, SI_MESGQ signal once), waits handed over across fork, EINTR, mq_unlink while open (ipc/mqueue.c). */
#include "../lib/contract.h"
#include <mqueue.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static char name[64], name2[64];
static volatile sig_atomic_t got_sig, got_code, got_pid_ok, got_value;
static void on_sig(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    got_sig = sig;
    got_code = si->si_code;
    got_pid_ok = si->si_pid == getpid();
    got_value = si->si_value.sival_int;
}
static void on_usr2(int sig) { (void)sig; }


/* Raw calls: musl strips the leading '/' itself. */
static long rawopen(const char *n, int flags, int mode, struct mq_attr *a)
{
    return syscall(SYS_mq_open, n, flags, mode, a);
}

static void recv1(const char *key, mqd_t q, size_t len)
{
    char buf[64];
    unsigned prio = 99;
    ssize_t r = mq_receive(q, buf, len, &prio);
    if (r < 0)
        printf("%s=%s\n", key, errname(errno));
    else
        printf("%s=%zd:%u:%.*s\n", key, r, prio, (int)r, buf);
}

int main(void)
{
    snprintf(name, sizeof name, "kevlar-contract-%d", getpid());
    snprintf(name2, sizeof name2, "/kevlar-contract-%d-b", getpid());
    struct mq_attr attr = { .mq_maxmsg = 3, .mq_msgsize = 16 };

    CHECK_RET("open_missing", rawopen(name, O_RDWR, 0600, NULL));
    CHECK_RET("open_slash", rawopen("a/b", O_RDWR | O_CREAT, 0600, NULL));
    CHECK_RET("open_dot", rawopen(".", O_RDWR | O_CREAT, 0600, NULL));
    CHECK_RET("open_empty", rawopen("", O_RDWR | O_CREAT, 0600, NULL));
    CHECK_RET("open_efault", rawopen(NULL, O_RDWR | O_CREAT, 0600, NULL));
    CHECK_RET("open_attr_efault", rawopen(name, O_RDWR | O_CREAT, 0600, (void *)8));
    struct mq_attr bad = { .mq_maxmsg = 0, .mq_msgsize = 16 };
    CHECK_RET("open_maxmsg0", rawopen(name, O_RDWR | O_CREAT, 0600, &bad));
    bad.mq_maxmsg = 3; bad.mq_msgsize = -1;
    CHECK_RET("open_msgsize_neg", rawopen(name, O_RDWR | O_CREAT, 0600, &bad));
    bad.mq_msgsize = 1 << 25;
    CHECK_RET("open_msgsize_huge", rawopen(name, O_RDWR | O_CREAT, 0600, &bad));
    long q = rawopen(name, O_RDWR | O_CREAT | O_EXCL, 0640, &attr);
    FACT_BOOL("open_create", q >= 0);
    FACT_BOOL("cloexec", fcntl(q, F_GETFD) == FD_CLOEXEC);
    CHECK_RET("open_excl", rawopen(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr));
    CHECK_RET("open_accmode3", rawopen(name, 3, 0, NULL));
    long ro = rawopen(name, O_RDONLY, 0, NULL);
    long wo = rawopen(name, O_WRONLY | O_NONBLOCK, 0, NULL);
    FACT_BOOL("open_existing", ro >= 0 && wo >= 0);
    struct stat st;
    fstat(q, &st);
    FACT("fstat", "%o:%lld:%d", st.st_mode, (long long)st.st_size, st.st_uid == getuid());

    char path[64], link[128];
    snprintf(path, sizeof path, "/proc/self/fd/%ld", q);
    ssize_t ln = readlink(path, link, sizeof link - 1);
    link[ln > 0 ? ln : 0] = 0;
    FACT_BOOL("fd_link", ln > 0 && link[0] == '/' && strcmp(link + 1, name) == 0);
    struct statfs sfs;
    fstatfs(q, &sfs);
    FACT("f_type", "%lx", (unsigned long)sfs.f_type);
    FACT("getfl", "%o", fcntl(q, F_GETFL));
    FACT("getfl_wo", "%o", fcntl(wo, F_GETFL));
    CHECK_RET("write_fd", write(q, "x", 1));
    int ep = epoll_create1(0);
    struct epoll_event eev = { .events = EPOLLIN };
    CHECK_RET("epoll_add", epoll_ctl(ep, EPOLL_CTL_ADD, q, &eev));
    struct mq_attr got;
    CHECK_RET("getattr", mq_getattr(q, &got));
    FACT("attr", "%ld:%ld:%ld:%ld", got.mq_flags, got.mq_maxmsg, got.mq_msgsize, got.mq_curmsgs);
    CHECK_RET("send_ro", mq_send(ro, "x", 1, 1));
    recv1("recv_wo", wo, 64);
    CHECK_RET("send_badfd", mq_send(0, "x", 1, 1));
    CHECK_RET("send_prio_max", mq_send(q, "x", 1, 32768));
    CHECK_RET("send_toolong", mq_send(q, "0123456789abcdefg", 17, 1));
    CHECK_RET("send_efault", mq_send(q, NULL, 1, 1));
    recv1("recv_small_buf", q, 15);
    struct pollfd pfd = { q, POLLIN | POLLOUT, 0 };
    poll(&pfd, 1, 0);
    FACT("poll_empty", "%x", pfd.revents);
    CHECK_RET("send_a", mq_send(q, "low", 3, 1));
    CHECK_RET("send_b", mq_send(q, "high", 4, 7));
    CHECK_RET("send_c", mq_send(q, "low2", 4, 1));
    FACT_INT("epoll_ready", epoll_wait(ep, &eev, 1, 0));
    FACT("epoll_events", "%x", eev.events);
    close(ep);
    CHECK_RET("send_full_nonblock", mq_send(wo, "x", 1, 1));
    struct timespec past = { 1, 0 };
    CHECK_RET("send_full_timeout", mq_timedsend(q, "x", 1, 1, &past));
    struct timespec badts = { 0, -1 };
    CHECK_RET("send_full_badts", mq_timedsend(q, "x", 1, 1, &badts));
    poll(&pfd, 1, 0);
    FACT("poll_full", "%x", pfd.revents);
    mq_getattr(q, &got);
    FACT_INT("curmsgs", got.mq_curmsgs);
    char status[128] = "";
    ssize_t n = read(q, status, sizeof status - 1);
    FACT("status", "%zd:%s", n, n > 0 ? strtok(status, "\n") : "");
    recv1("recv_1", q, 64);
    recv1("recv_2", q, 64);
    recv1("recv_3", q, 64);
    struct mq_attr nb = { .mq_flags = O_NONBLOCK }, old;
    CHECK_RET("setattr_nonblock", mq_setattr(q, &nb, &old));
    FACT_INT("old_flags", old.mq_flags);
    recv1("recv_empty_nonblock", q, 64);
    nb.mq_flags = O_NONBLOCK | O_APPEND;
    CHECK_RET("setattr_bad", mq_setattr(q, &nb, NULL));
    nb.mq_flags = 0;
    mq_setattr(q, &nb, NULL);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    now.tv_nsec += 30000000;
    if (now.tv_nsec >= 1000000000) { now.tv_sec++; now.tv_nsec -= 1000000000; }
    char buf[64];
    errno = 0;
    ssize_t tr = mq_timedreceive(q, buf, 64, NULL, &now);
    FACT("recv_timeout", "%zd:%s", tr, errname(errno));

    /* Notification: one signal when a message arrives in the empty queue. */
    struct sigaction sa = { .sa_sigaction = on_sig, .sa_flags = SA_SIGINFO };
    sigaction(SIGUSR1, &sa, NULL);
    struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
    ev.sigev_value.sival_int = 42;
    CHECK_RET("notify", mq_notify(q, &ev));
    CHECK_RET("notify_busy", mq_notify(q, &ev));
    lseek(q, 0, SEEK_SET);
    n = read(q, status, sizeof status - 1);
    status[n > 0 ? n : 0] = 0;
    char *pidfield = strstr(status, "NOTIFY_PID:");
    FACT_BOOL("status_pid", pidfield && atoi(pidfield + 11) == getpid());
    if (pidfield)
        *pidfield = 0;
    FACT("status_notify", "%zd:%s", n, status);
    ev.sigev_notify = 99;
    CHECK_RET("notify_bad", mq_notify(q, &ev));
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = 65;
    CHECK_RET("notify_badsig", mq_notify(q, &ev));
    CHECK_RET("notify_efault", syscall(SYS_mq_notify, q, (void *)8));
    mq_send(q, "ping", 4, 1);
    FACT("notified", "%d:%d:%d:%d", got_sig, got_code, got_pid_ok, got_value);
    got_sig = 0;
    mq_send(q, "ping2", 5, 1);
    recv1("drain_1", q, 64);
    recv1("drain_2", q, 64);
    mq_send(q, "ping3", 5, 1);
    FACT_INT("notified_once", got_sig);
    recv1("drain_3", q, 64);
    CHECK_RET("notify_none", mq_notify(q, &(struct sigevent){ .sigev_notify = SIGEV_NONE }));
    CHECK_RET("unnotify", mq_notify(q, NULL));
    CHECK_RET("unnotify_again", mq_notify(q, NULL));

    /* A waiting receiver is handed the message at send time; a waiting sender's message
       enters the queue at receive time. */
    pid_t pid = fork();
    if (pid == 0) {
        char b[64];
        unsigned prio;
        ssize_t r = mq_receive(q, b, 64, &prio);
        _exit(r == 5 && prio == 3 && memcmp(b, "hello", 5) == 0 ? 0 : 1);
    }
    wait_sleeping(pid);
    mq_send(q, "hello", 5, 3);
    mq_getattr(q, &got);
    FACT_INT("handed_curmsgs", got.mq_curmsgs);
    int status_code;
    waitpid(pid, &status_code, 0);
    FACT_INT("receiver_exit", WEXITSTATUS(status_code));
    mq_send(q, "1", 1, 1);
    mq_send(q, "2", 1, 1);
    mq_send(q, "3", 1, 1);
    pid = fork();
    if (pid == 0)
        _exit(mq_send(q, "4", 1, 9) == 0 ? 0 : errno);
    wait_sleeping(pid);
    recv1("made_room", q, 64);
    mq_getattr(q, &got);
    FACT_INT("sender_moved_in", got.mq_curmsgs);
    waitpid(pid, &status_code, 0);
    FACT_INT("sender_exit", WEXITSTATUS(status_code));
    recv1("after_sender", q, 64);
    recv1("after_sender2", q, 64);
    recv1("after_sender3", q, 64);

    /* A caught signal interrupts a wait (no SA_RESTART): EINTR. */
    struct sigaction sb = { .sa_handler = on_usr2 };
    sigaction(SIGUSR2, &sb, NULL);
    pid = fork();
    if (pid == 0) {
        char b[64];
        _exit(mq_receive(q, b, 64, NULL) < 0 ? errno : 0);
    }
    wait_sleeping(pid);
    kill(pid, SIGUSR2);
    waitpid(pid, &status_code, 0);
    FACT_ERRNO("eintr", WEXITSTATUS(status_code));

    /* poll waits for a message. */
    pid = fork();
    if (pid == 0) {
        wait_sleeping(getppid());
        _exit(mq_send(q, "wake", 4, 2) == 0 ? 0 : errno);
    }
    struct pollfd pin = { q, POLLIN, 0 };
    FACT_INT("poll_wait", poll(&pin, 1, 2000));
    FACT("poll_woken", "%x", pin.revents);
    waitpid(pid, &status_code, 0);
    recv1("poll_message", q, 64);

    /* unlink while open: the name goes, the queue stays usable. */
    CHECK_RET("unlink", syscall(SYS_mq_unlink, name));
    CHECK_RET("unlink_again", syscall(SYS_mq_unlink, name));
    CHECK_RET("unlink_slash", syscall(SYS_mq_unlink, "a/b"));
    CHECK_RET("open_after_unlink", rawopen(name, O_RDWR, 0, NULL));
    CHECK_RET("send_after_unlink", mq_send(q, "still", 5, 0));
    recv1("recv_after_unlink", q, 64);
    mqd_t q2 = mq_open(name2, O_RDWR | O_CREAT, 0600, NULL);
    mq_getattr(q2, &got);
    FACT("default_attr", "%ld:%ld", got.mq_maxmsg, got.mq_msgsize);
    CHECK_RET("unlink_musl", mq_unlink(name2));
    /* The defaults are /proc/sys/fs/mqueue's. */
    const char *knobs[] = { "msg_default", "msgsize_default", "msg_max", "msgsize_max", "queues_max" };
    long vals[5];
    for (int i = 0; i < 5; i++) {
        char kp[64], kv[32] = "";
        snprintf(kp, sizeof kp, "/proc/sys/fs/mqueue/%s", knobs[i]);
        int kfd = open(kp, O_RDONLY);
        ssize_t kn = kfd >= 0 ? read(kfd, kv, sizeof kv - 1) : -1;
        kv[kn > 0 ? kn : 0] = 0;
        vals[i] = kn > 0 ? atol(kv) : -1;
        if (kfd >= 0)
            close(kfd);
    }
    FACT("knobs_match", "%d:%d:%d", vals[0] == got.mq_maxmsg, vals[1] == got.mq_msgsize,
         vals[2] >= vals[0] && vals[3] >= vals[1] && vals[4] > 0);
    close(q);
    close(ro);
    close(wo);
    mq_close(q2);
    DONE();
}
