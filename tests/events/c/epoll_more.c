/* epoll(7) beyond the contract suite: nesting limits (ELOOP past a chain of five epolls, either direction, and for cycles), EPOLLEXCLUSIVE wakes one of two blocked waiters, an epoll shared across fork, maxevents smaller than the ready set (round robin), EPOLLET woken by each new write while blocked, EPOLLONESHOT re-armed by MOD, epoll_pwait2 timespec timeouts, closing the epoll fd while items remain, EFAULT only when no event could be stored, poll() on an epoll fd. */
#include "../../contract/lib/contract.h"
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <stdint.h>

/* the stable lines of /proc/self/fdinfo/FD: the type-specific ones, with inode numbers,
   devices, times and ids cut off */
static void fdinfo(const char *tag, int fd)
{
    char path[64], buf[2048];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    if (read_file(path, buf, sizeof buf) < 0) { printf("%s=unreadable\n", tag); return; }
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strncmp(line, "pos:", 4) || !strncmp(line, "mnt_id:", 7) || !strncmp(line, "ino:", 4)
            || !strncmp(line, "eventfd-id:", 11) || !strncmp(line, "it_value:", 9))
            continue;
        char *cut = strstr(line, "  pos:");
        if (!cut) cut = strstr(line, " ino:");
        if (cut) *cut = 0;
        printf("%s_fdinfo=%s\n", tag, line);
    }
}

static int chain_add(int outer, int inner)
{
    struct epoll_event ev = { .events = EPOLLIN };
    errno = 0;
    return epoll_ctl(outer, EPOLL_CTL_ADD, inner, &ev) == 0 ? 0 : errno;
}

int main(void)
{
    /* nesting: bottom-up and top-down chains */
    int e[8];
    for (int i = 0; i < 8; i++) e[i] = epoll_create1(0);
    for (int i = 1; i < 8; i++) {
        char key[32];
        snprintf(key, sizeof key, "up_e%d_holds_e%d", i, i - 1);
        FACT_ERRNO(key, chain_add(e[i], e[i - 1]));
    }
    int t[8];
    for (int i = 0; i < 8; i++) t[i] = epoll_create1(0);
    for (int i = 1; i < 8; i++) {
        char key[32];
        snprintf(key, sizeof key, "down_t%d_into_t%d", i, i - 1);
        FACT_ERRNO(key, chain_add(t[i - 1], t[i]));
    }
    int a = epoll_create1(0), b = epoll_create1(0), c = epoll_create1(0);
    FACT_ERRNO("a_holds_b", chain_add(a, b));
    FACT_ERRNO("b_holds_c", chain_add(b, c));
    FACT_ERRNO("c_holds_a_cycle", chain_add(c, a));
    FACT_ERRNO("a_holds_c_diamond", chain_add(a, c));
    struct epoll_event ex = { .events = EPOLLIN | EPOLLEXCLUSIVE };
    CHECK_RET("exclusive_epoll_target", epoll_ctl(a, EPOLL_CTL_ADD, e[0], &ex));
    ex.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT;
    int efd0 = eventfd(0, 0);
    CHECK_RET("exclusive_with_oneshot", epoll_ctl(a, EPOLL_CTL_ADD, efd0, &ex));

    /* EPOLLEXCLUSIVE: two processes, each blocked on its own epoll with an exclusive
       item on one eventfd; one write wakes one of them */
    int efd = eventfd(0, EFD_NONBLOCK);
    int *woke = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int go[2];
    SETUP(pipe(go));
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        if (kids[k] == 0) {
            int ep = epoll_create1(0);
            struct epoll_event x = { .events = EPOLLIN | EPOLLEXCLUSIVE }, out[1];
            epoll_ctl(ep, EPOLL_CTL_ADD, efd, &x);
            write(go[1], "r", 1);
            int n = epoll_wait(ep, out, 1, 400);
            __atomic_add_fetch(woke, n == 1, __ATOMIC_SEQ_CST);
            _exit(0);
        }
    }
    char r2[2];
    SETUP(read(go[0], r2, 1)); SETUP(read(go[0], r2 + 1, 1));
    sleep_ms(60);
    uint64_t one = 1;
    SETUP(write(efd, &one, 8));
    waitpid(kids[0], NULL, 0); waitpid(kids[1], NULL, 0);
    FACT_INT("exclusive_woken", *woke);

    /* shared across fork: the child closing its copy does not remove the item */
    int p[2];
    SETUP(pipe(p));
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 5 }, out[4];
    SETUP(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    pid_t k = fork();
    if (k == 0) { close(p[0]); write(p[1], "x", 1); _exit(0); }
    waitpid(k, NULL, 0);
    CHECK_RET("fork_child_closed_copy", epoll_wait(ep, out, 4, 1000));
    FACT_INT("fork_data", out[0].data.u32);
    char ch;
    SETUP(read(p[0], &ch, 1));

    /* round robin: three ready items, maxevents 2 */
    int q[3][2];
    int ep3 = epoll_create1(0);
    for (int i = 0; i < 3; i++) {
        SETUP(pipe(q[i]));
        SETUP(write(q[i][1], "y", 1));
        struct epoll_event x = { .events = EPOLLIN, .data.u32 = i };
        SETUP(epoll_ctl(ep3, EPOLL_CTL_ADD, q[i][0], &x));
    }
    for (int round = 0; round < 3; round++) {
        int n = epoll_wait(ep3, out, 2, 0);
        printf("rr%d=%d:", round, n);
        for (int i = 0; i < n; i++) printf("%u", out[i].data.u32);
        printf("\n");
    }

    /* EPOLLET while blocked: each write from a child wakes the waiter */
    int w[2];
    SETUP(pipe(w));
    int epe = epoll_create1(0);
    struct epoll_event et = { .events = EPOLLIN | EPOLLET };
    SETUP(epoll_ctl(epe, EPOLL_CTL_ADD, w[0], &et));
    k = fork();
    if (k == 0) { for (int i = 0; i < 3; i++) { sleep_ms(20); write(w[1], "z", 1); } _exit(0); }
    int wakes = 0;
    for (int i = 0; i < 3; i++) wakes += epoll_wait(epe, out, 4, 2000);
    waitpid(k, NULL, 0);
    FACT_INT("edge_wakes", wakes);
    CHECK_RET("edge_quiet_after", epoll_wait(epe, out, 4, 0));

    /* ONESHOT + MOD while blocked in another process */
    int o[2];
    SETUP(pipe(o));
    int epo = epoll_create1(0);
    struct epoll_event os = { .events = EPOLLIN | EPOLLONESHOT, .data.u32 = 9 };
    SETUP(epoll_ctl(epo, EPOLL_CTL_ADD, o[0], &os));
    SETUP(write(o[1], "1", 1));
    CHECK_RET("oneshot_fires", epoll_wait(epo, out, 4, 0));
    CHECK_RET("oneshot_then_blocks", epoll_wait(epo, out, 4, 30));
    SETUP(epoll_ctl(epo, EPOLL_CTL_MOD, o[0], &os));
    CHECK_RET("oneshot_rearmed", epoll_wait(epo, out, 4, 0));

    /* epoll_pwait2 */
    struct timespec ts = { 0, 20000000 };
    long t0 = mono_ms();
    CHECK_RET("pwait2_timeout", syscall(SYS_epoll_pwait2, epe, out, 4, &ts, NULL, 8));
    FACT_BOOL("pwait2_waited", mono_ms() - t0 >= 15);
    struct timespec zero = { 0, 0 }, bad = { 0, 1000000000 }, neg = { -1, 0 };
    CHECK_RET("pwait2_zero", syscall(SYS_epoll_pwait2, epe, out, 4, &zero, NULL, 8));
    CHECK_RET("pwait2_bad_nsec", syscall(SYS_epoll_pwait2, epe, out, 4, &bad, NULL, 8));
    CHECK_RET("pwait2_negative", syscall(SYS_epoll_pwait2, epe, out, 4, &neg, NULL, 8));
    CHECK_RET("pwait2_bad_ptr", syscall(SYS_epoll_pwait2, epe, out, 4, (void *)8, NULL, 8));
    SETUP(write(w[1], "z", 1));
    CHECK_RET("pwait2_null_forever_ready", syscall(SYS_epoll_pwait2, epe, out, 4, NULL, NULL, 8));

    /* EFAULT only when nothing could be stored; a partly valid buffer gets what fits */
    char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(page + 4096, 4096);
    for (int i = 0; i < 3; i++) SETUP(write(q[i][1], "y", 1));
    struct epoll_event *edge = (struct epoll_event *)(page + 4096 - 12);
    CHECK_RET("partial_buffer", epoll_wait(ep3, edge, 3, 0));
    CHECK_RET("unmapped_buffer", epoll_wait(ep3, (struct epoll_event *)(page + 4096), 3, 0));
    CHECK_RET("null_buffer", epoll_wait(ep3, NULL, 3, 0));

    /* every poll bit asked: each file type reports only the bits its poll method sets */
    {
        int ev0 = eventfd(0, 0), tf = timerfd_create(CLOCK_MONOTONIC, 0);
        sigset_t sm; sigemptyset(&sm); sigaddset(&sm, SIGUSR2);
        sigprocmask(SIG_BLOCK, &sm, NULL);
        int sf = signalfd(-1, &sm, 0), ino = inotify_init();
        struct itimerspec past = { { 0, 0 }, { 0, 1 } };
        timerfd_settime(tf, 0, &past, NULL);
        uint64_t v1 = 1;
        write(ev0, &v1, 8);
        raise(SIGUSR2);
        mkdir("pb", 0755);
        inotify_add_watch(ino, "pb", IN_CREATE);
        mkdir("pb/x", 0755);
        int pp[2];
        pipe(pp);
        write(pp[1], "x", 1);
        struct pollfd all[7] = { { ev0, 0x7fff, 0 }, { tf, 0x7fff, 0 }, { sf, 0x7fff, 0 },
            { ino, 0x7fff, 0 }, { pp[0], 0x7fff, 0 }, { pp[1], 0x7fff, 0 }, { ep, 0x7fff, 0 } };
        sleep_ms(2);
        CHECK_RET("poll_all_bits", poll(all, 7, 0));
        printf("all_bits=");
        for (int i = 0; i < 7; i++) printf("%s0x%x", i ? "," : "", all[i].revents);
        printf("\n");
    }

    /* a blocked outer epoll wakes through an inner one */
    {
        int np[2];
        SETUP(pipe(np));
        int inner = epoll_create1(0), outer = epoll_create1(0);
        struct epoll_event iev = { .events = EPOLLIN }, oev = { .events = EPOLLIN, .data.u32 = 42 };
        SETUP(epoll_ctl(inner, EPOLL_CTL_ADD, np[0], &iev));
        SETUP(epoll_ctl(outer, EPOLL_CTL_ADD, inner, &oev));
        pid_t nk = fork();
        if (nk == 0) { sleep_ms(30); write(np[1], "n", 1); _exit(0); }
        CHECK_RET("nested_blocking_wake", epoll_wait(outer, out, 4, 5000));
        FACT_INT("nested_data", out[0].data.u32);
        waitpid(nk, NULL, 0);
        CHECK_RET("nested_inner_ready", epoll_wait(inner, out, 4, 0));
    }

    /* fdinfo of the event files */
    {
        int fp[2];
        SETUP(pipe(fp));
        int fe = epoll_create1(EPOLL_CLOEXEC);
        struct epoll_event fev = { .events = EPOLLIN | EPOLLET, .data.u64 = 0x1234 };
        SETUP(epoll_ctl(fe, EPOLL_CTL_ADD, fp[0], &fev));
        fdinfo("epoll", fe);
        sigset_t fm; sigemptyset(&fm); sigaddset(&fm, SIGUSR1); sigaddset(&fm, SIGTERM);
        int fs = signalfd(-1, &fm, SFD_NONBLOCK);
        fdinfo("signalfd", fs);
        int ft = timerfd_create(CLOCK_MONOTONIC, 0);
        struct itimerspec fit = { { 1, 0 }, { 5, 0 } };
        SETUP(timerfd_settime(ft, 0, &fit, NULL));
        fdinfo("timerfd", ft);
        int fv = eventfd(7, EFD_SEMAPHORE);
        fdinfo("eventfd", fv);
    }

    /* poll() on an epoll fd, and closing it with items */
    struct pollfd pf = { ep3, POLLIN | POLLOUT, 0 };
    CHECK_RET("poll_epoll_fd", poll(&pf, 1, 0));
    FACT("poll_epoll_revents", "0x%x", pf.revents);
    CHECK_RET("close_epoll_with_items", close(ep3));
    CHECK_RET("read_epoll_fd", read(epo, &ch, 1));
    CHECK_RET("write_epoll_fd", write(epo, &ch, 1));
    DONE();
}
