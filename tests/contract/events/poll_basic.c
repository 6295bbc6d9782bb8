/* poll(2): POLLNVAL for a closed fd, negative fds ignored, zero timeout polls once, POLLHUP reported without being requested, /dev/null is POLLIN|POLLOUT. */
#include "../lib/contract.h"
#include <poll.h>

int main(void)
{
    int p[2];
    SETUP(pipe(p));
    struct pollfd pf[4] = {
        { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 }, { 77, POLLIN, 0 }, { -1, POLLIN, 0x7 },
    };
    CHECK_RET("poll_ret", poll(pf, 4, 0));
    FACT("empty_pipe_read_end", "0x%x", pf[0].revents);
    FACT("pipe_write_end", "0x%x", pf[1].revents);
    FACT("closed_fd", "0x%x", pf[2].revents);
    FACT("negative_fd", "0x%x", pf[3].revents);
    SETUP(write(p[1], "x", 1));
    pf[0].revents = 0;
    CHECK_RET("readable", poll(pf, 1, 0));
    FACT("readable_revents", "0x%x", pf[0].revents);
    close(p[1]);
    pf[0].revents = 0;
    poll(pf, 1, 0);
    FACT("data_and_writer_closed", "0x%x", pf[0].revents);
    char c;
    read(p[0], &c, 1);
    pf[0].events = 0;
    poll(pf, 1, 0);
    FACT("hup_with_events_0", "0x%x", pf[0].revents);
    struct pollfd n = { open("/dev/null", O_RDWR), POLLIN | POLLOUT, 0 };
    poll(&n, 1, 0);
    FACT("dev_null", "0x%x", n.revents);
    struct pollfd z = { open("/dev/zero", O_RDONLY), POLLIN | POLLOUT | POLLPRI, 0 };
    poll(&z, 1, 0);
    FACT("dev_zero_rdonly", "0x%x", z.revents);
    struct pollfd f = { open(".", O_RDONLY | O_DIRECTORY), POLLIN | POLLOUT, 0 };
    poll(&f, 1, 0);
    FACT("directory", "0x%x", f.revents);
    long t0 = mono_ms();
    CHECK_RET("nfds0_timeout_20ms", poll(NULL, 0, 20));
    FACT_BOOL("slept_ge_15ms", mono_ms() - t0 >= 15);
    CHECK_RET("bad_pointer", poll((struct pollfd *)8, 1, 0));
    DONE();
}
