/* signalfd(2) + poll(2): a SIGCHLD that is blocked and watched by a signalfd stays pending
 * for the signalfd even when it arrives just as poll returns for another fd (the child
 * writes to a pipe, then exits). It must never be delivered (and lost to the default
 * disposition). Util-linux script(1) waits this way. Repeated to catch the race. */
#include "../lib/contract.h"
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

static int round_trip(int sfd)
{
    int fds[2];
    if (pipe(fds)) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        char b[200];
        memset(b, 'x', sizeof b);
        for (int i = 0; i < 5; i++) write(fds[1], b, sizeof b);
        _exit(0);
    }
    close(fds[1]);
    int hup = 0, chld = 0, bytes = 0;
    while (!(hup && chld)) {
        struct pollfd p[2] = {{hup ? -1 : fds[0], POLLIN, 0}, {sfd, POLLIN, 0}};
        if (poll(p, 2, 1500) == 0) break;
        if (p[0].revents & POLLIN) {
            char b[4096];
            ssize_t n = read(fds[0], b, sizeof b);
            if (n <= 0) hup = 1; else bytes += n;
        } else if (p[0].revents & POLLHUP) {
            hup = 1;
        }
        if (p[1].revents & POLLIN) {
            struct signalfd_siginfo si;
            if (read(sfd, &si, sizeof si) == sizeof si && si.ssi_signo == SIGCHLD) chld = 1;
        }
    }
    close(fds[0]);
    waitpid(pid, NULL, 0);
    return hup && chld && bytes == 1000;
}

int main(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int sfd = signalfd(-1, &set, SFD_CLOEXEC);
    int good = 0;
    for (int i = 0; i < 15; i++) {
        if (round_trip(sfd) != 1) break;
        good++;
    }
    FACT_INT("rounds_with_data_hup_and_sigchld", good);
    DONE();
}
