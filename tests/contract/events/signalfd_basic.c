/* signalfd(2): a blocked SIGUSR1 is read as a signalfd_siginfo with ssi_signo=10, ssi_code=SI_USER, ssi_pid/uid of the sender; consuming it clears it from pending. */
#include "../lib/contract.h"
#include <sys/signalfd.h>
#include <poll.h>

int main(void)
{
    sigset_t m;
    sigemptyset(&m); sigaddset(&m, SIGUSR1); sigaddset(&m, SIGUSR2);
    SETUP(sigprocmask(SIG_BLOCK, &m, NULL));
    int fd = signalfd(-1, &m, SFD_NONBLOCK | SFD_CLOEXEC);
    SETUP(fd);
    struct signalfd_siginfo si;
    CHECK_RET("read_nothing_pending", read(fd, &si, sizeof si));
    struct pollfd pf = { fd, POLLIN, 0 };
    CHECK_RET("poll_idle", poll(&pf, 1, 0));
    kill(getpid(), SIGUSR1);
    CHECK_RET("poll_pending", poll(&pf, 1, 0));
    CHECK_RET("read_size", read(fd, &si, sizeof si));
    FACT_INT("ssi_signo", si.ssi_signo);
    FACT_INT("ssi_code", si.ssi_code);
    FACT_BOOL("ssi_pid_is_self", si.ssi_pid == (unsigned)getpid());
    FACT_INT("ssi_uid", si.ssi_uid);
    sigset_t pend;
    sigpending(&pend);
    FACT_BOOL("no_longer_pending", !sigismember(&pend, SIGUSR1));
    union sigval sv = { .sival_int = 1234 };
    sigqueue(getpid(), SIGUSR2, sv);
    CHECK_RET("read_sigqueue", read(fd, &si, sizeof si));
    FACT_INT("sigqueue_signo", si.ssi_signo);
    FACT_INT("sigqueue_code", si.ssi_code);
    FACT_INT("sigqueue_int", si.ssi_int);
    CHECK_RET("read_short_buf", read(fd, &si, 16));
    /* update the mask of an existing signalfd */
    sigset_t only2;
    sigemptyset(&only2); sigaddset(&only2, SIGUSR2);
    CHECK_RET("update_mask_same_fd", signalfd(fd, &only2, 0) == fd ? 0 : -1);
    kill(getpid(), SIGUSR1);
    CHECK_RET("read_masked_out", read(fd, &si, sizeof si));
    CHECK_RET("signalfd_on_non_signalfd", signalfd(0 + open("/dev/null", O_RDONLY), &m, 0));
    CHECK_RET("bad_flags", signalfd(-1, &m, 0x4242));
    DONE();
}
