/* fs/pidfs.c pidfs_poll: a pidfd is not ready while its process runs, POLLIN|POLLRDNORM once it has exited (a zombie), POLLIN|POLLRDNORM|POLLHUP once reaped; a thread pidfd hangs up when the thread exits. poll and epoll_wait sleeping on a pidfd wake at the exit. */
#include "../lib/contract.h"
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define PIDFD_THREAD O_EXCL

static int pidfd_open(pid_t pid, unsigned flags) { return syscall(SYS_pidfd_open, pid, flags); }

static int revents(int fd, short events, int timeout)
{
    struct pollfd p = {fd, events, 0};
    int n = poll(&p, 1, timeout);
    return n < 0 ? -1 : p.revents;
}

static int gate[2];
static volatile int thread_tid;
static void *thread_main(void *arg)
{
    char c;
    (void)arg;
    thread_tid = syscall(SYS_gettid);
    read(gate[0], &c, 1);
    return NULL;
}

int main(void)
{
    int p[2];
    SETUP(pipe(p));
    pid_t c = fork();
    if (c == 0) { char ch; read(p[0], &ch, 1); sleep_ms(20); _exit(0); }
    int fd = pidfd_open(c, 0);
    SETUP(fd);
    FACT("running", "%x", revents(fd, POLLIN | POLLRDNORM | POLLOUT, 0));
    SETUP(write(p[1], "x", 1));
    FACT("poll_wakes_at_exit", "%x", revents(fd, POLLIN, 5000));
    FACT("zombie", "%x", revents(fd, POLLIN | POLLRDNORM | POLLOUT, 0));
    SETUP(waitpid(c, NULL, 0));
    FACT("reaped", "%x", revents(fd, POLLIN | POLLRDNORM, 0));
    FACT("reaped_no_events", "%x", revents(fd, 0, 0));

    int ep = epoll_create1(0);
    SETUP(ep);
    c = fork();
    if (c == 0) { char ch; read(p[0], &ch, 1); sleep_ms(20); _exit(0); }
    int fd2 = pidfd_open(c, 0);
    SETUP(fd2);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 42}, out[2];
    CHECK_RET("epoll_add", epoll_ctl(ep, EPOLL_CTL_ADD, fd2, &ev));
    CHECK_RET("epoll_running", epoll_wait(ep, out, 2, 0));
    SETUP(write(p[1], "x", 1));
    int n = epoll_wait(ep, out, 2, 5000);
    FACT_INT("epoll_wakes_at_exit", n);
    FACT("epoll_events", "%x", n == 1 ? out[0].events : 0);
    FACT_INT("epoll_data", n == 1 ? out[0].data.u32 : 0);
    SETUP(waitpid(c, NULL, 0));
    n = epoll_wait(ep, out, 2, 0);
    FACT("epoll_reaped_events", "%x", n == 1 ? out[0].events : 0);

    SETUP(pipe(gate));
    pthread_t t;
    if (pthread_create(&t, NULL, thread_main, NULL)) return 1;
    while (!thread_tid) sleep_ms(1);
    int tfd = pidfd_open(thread_tid, PIDFD_THREAD);
    SETUP(tfd);
    FACT("thread_running", "%x", revents(tfd, POLLIN, 0));
    SETUP(write(gate[1], "x", 1));
    pthread_join(t, NULL);
    FACT("thread_exited", "%x", revents(tfd, POLLIN, 5000));
    DONE();
}
