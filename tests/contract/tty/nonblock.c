/* pty buffers and readiness: O_NONBLOCK reads are EAGAIN on both empty ends, a master
 * writing into a raw slave nobody reads fills up (EAGAIN, POLLOUT off) and is writable
 * again once the slave reads; epoll sees both ends; a blocked reader wakes for data. */
#include "pty.h"
#include <sys/epoll.h>

int main(void)
{
    int m, s;
    open_pair(&m, &s, O_NONBLOCK);
    SETUP(fcntl(m, F_SETFL, O_NONBLOCK));
    char buf[8192];
    CHECK_RET("master_read_empty", read(m, buf, 1));
    CHECK_RET("slave_read_empty", read(s, buf, 1));
    CHECK_RET("zero_read_master", read(m, buf, 0));
    CHECK_RET("zero_read_slave", read(s, buf, 0));
    CHECK_RET("zero_write_master", write(m, buf, 0));

    int ep;
    SETUP(ep = epoll_create1(0));
    struct epoll_event ev = { EPOLLIN, { .u32 = 1 } };
    SETUP(epoll_ctl(ep, EPOLL_CTL_ADD, m, &ev));
    ev.data.u32 = 2;
    SETUP(epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev));
    struct epoll_event out[4];
    CHECK_RET("epoll_none", epoll_wait(ep, out, 4, 0));
    SETUP(write(s, "x", 1));
    int n = epoll_wait(ep, out, 4, 1000);
    FACT("epoll_master", "%d id=%u in=%d", n, n > 0 ? out[0].data.u32 : 0,
         n > 0 && (out[0].events & EPOLLIN));
    SETUP(read(m, buf, sizeof buf));
    SETUP(write(m, "y\n", 2));
    int slave_ready = 0;  /* the master's echo may or may not be reported with it */
    for (int i = 0; i < 10 && !slave_ready; i++) {
        n = epoll_wait(ep, out, 4, 1000);
        for (int j = 0; j < n; j++)
            slave_ready |= out[j].data.u32 == 2 && (out[j].events & EPOLLIN);
    }
    FACT_INT("epoll_slave", slave_ready);
    SETUP(read(s, buf, sizeof buf));
    /* The slave's echo reached the master too. */
    n = drain(m, buf, sizeof buf);
    fact_bytes("echo", buf, n);

    struct termios t;
    SETUP(tcgetattr(s, &t));
    cfmakeraw(&t);
    SETUP(tcsetattr(s, TCSANOW, &t));
    long total = 0;
    int r, tries = 0;
    memset(buf, 'a', sizeof buf);
    while (tries < 1000) {
        r = write(m, buf, sizeof buf);
        if (r > 0) {
            total += r;
            continue;
        }
        if (errno != EAGAIN)
            break;
        /* Natively the worker may still be moving bytes: full once poll agrees. */
        struct pollfd p = { m, POLLOUT, 0 };
        if (poll(&p, 1, 20) == 0)
            break;
        tries++;
    }
    FACT_ERRNO("fill_stopped_with", errno);
    FACT_BOOL("filled_over_4k", total > 4096);
    FACT_BOOL("filled_under_1m", total < (1 << 20));
    struct pollfd p = { m, POLLOUT, 0 };
    FACT_INT("master_pollout_full", poll(&p, 1, 0));
    int q = 0;
    SETUP(ioctl(s, FIONREAD, &q));
    FACT_BOOL("fionread_positive", q > 0);
    long got = 0;
    while ((r = read(s, buf, sizeof buf)) > 0 || (r < 0 && errno == EAGAIN && wait_in(s)))
        if (r > 0)
            got += r;
    FACT_BOOL("slave_read_all", got == total);
    FACT_INT("master_pollout_drained", poll(&p, 1, 1000));

    /* A blocked reader in a child is woken by data. */
    int fl = fcntl(s, F_GETFL);
    SETUP(fcntl(s, F_SETFL, fl & ~O_NONBLOCK));
    pid_t pid;
    SETUP(pid = fork());
    if (pid == 0) {
        r = read(s, buf, 10);
        _exit(r == 3 && !memcmp(buf, "abc", 3) ? 0 : 1);
    }
    SETUP(write(m, "abc", 3));
    int st;
    SETUP(waitpid(pid, &st, 0));
    FACT("blocked_reader", "exited=%d status=%d", WIFEXITED(st), WEXITSTATUS(st));
    DONE();
}
