/* Waits in threads: a thread blocked in epoll_wait(-1) wakes when another thread writes an eventfd; a thread blocked reading a signalfd gets a signal tgkill'ed to it and a process-wide kill (the other threads block the signal); a signal tgkill'ed to a thread that is not reading stays pending for that thread only (signalfd reads the caller's queue); two threads in epoll_wait on one level-triggered item both see it. */
#include "../../contract/lib/contract.h"
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <stdint.h>

static int ep, efd, sfd;
static volatile long tid_reader;
static int results[8];

static void *epoll_waiter(void *arg)
{
    struct epoll_event out[1];
    results[(long)arg] = epoll_wait(ep, out, 1, -1);
    return NULL;
}

static void *sfd_reader(void *arg)
{
    (void)arg;
    tid_reader = syscall(SYS_gettid);
    struct signalfd_siginfo si;
    results[3] = read(sfd, &si, sizeof si) == sizeof si ? (int)si.ssi_signo : -errno;
    results[4] = read(sfd, &si, sizeof si) == sizeof si ? (int)si.ssi_code : -errno;
    return NULL;
}

int main(void)
{
    sigset_t m;
    sigemptyset(&m); sigaddset(&m, SIGUSR1); sigaddset(&m, SIGUSR2);
    SETUP(sigprocmask(SIG_BLOCK, &m, NULL));
    ep = epoll_create1(0);
    efd = eventfd(0, 0);
    struct epoll_event ev = { .events = EPOLLIN };
    SETUP(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev));
    pthread_t t[3];
    pthread_create(&t[0], NULL, epoll_waiter, (void *)0);
    pthread_create(&t[1], NULL, epoll_waiter, (void *)1);
    sleep_ms(50);
    uint64_t one = 1;
    SETUP(write(efd, &one, 8));
    pthread_join(t[0], NULL);
    pthread_join(t[1], NULL);
    FACT_INT("waiter0", results[0]);
    FACT_INT("waiter1", results[1]);

    sfd = signalfd(-1, &m, 0);
    pthread_create(&t[2], NULL, sfd_reader, NULL);
    while (!tid_reader) sleep_ms(5);
    sleep_ms(30);
    SETUP(syscall(SYS_tgkill, getpid(), tid_reader, SIGUSR1));
    sleep_ms(30);
    SETUP(kill(getpid(), SIGUSR2));
    pthread_join(t[2], NULL);
    FACT_INT("reader_first_signo", results[3]);
    FACT_INT("reader_second_code", results[4]);

    /* a signal for this (main) thread is not another thread's to read */
    SETUP(syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR2));
    sigset_t pend;
    sigpending(&pend);
    FACT_BOOL("main_pending", sigismember(&pend, SIGUSR2));
    struct signalfd_siginfo si;
    CHECK_RET("main_reads_own", read(sfd, &si, sizeof si));
    FACT_INT("main_signo", si.ssi_signo);
    DONE();
}
