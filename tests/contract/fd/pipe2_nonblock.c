/* pipe(7)/pipe2(2): O_NONBLOCK read on an empty pipe is EAGAIN, 0 (EOF) once the writer is closed; write to a full nonblocking pipe is EAGAIN. */
#include "../lib/contract.h"

int main(void)
{
    int p[2];
    char buf[16];
    SETUP(pipe2(p, O_NONBLOCK));
    FACT_BOOL("read_end_nonblock", fcntl(p[0], F_GETFL) & O_NONBLOCK);
    FACT_BOOL("write_end_nonblock", fcntl(p[1], F_GETFL) & O_NONBLOCK);
    CHECK_RET("read_empty_nonblock", read(p[0], buf, sizeof buf));
    CHECK_RET("write_small", write(p[1], "abc", 3));
    CHECK_RET("read_data", read(p[0], buf, sizeof buf));
    CHECK_RET("read_empty_again", read(p[0], buf, sizeof buf));
    CHECK_RET("write_more", write(p[1], "xy", 2));
    close(p[1]);
    CHECK_RET("read_remaining_after_close", read(p[0], buf, sizeof buf));
    CHECK_RET("read_eof_after_writer_closed", read(p[0], buf, sizeof buf));
    close(p[0]);

    SETUP(pipe2(p, O_NONBLOCK | O_CLOEXEC));
    FACT_BOOL("pipe2_cloexec", fcntl(p[0], F_GETFD) & FD_CLOEXEC);
    static char big[4096];
    long total = 0;
    for (;;) {
        ssize_t w = write(p[1], big, sizeof big);
        if (w < 0) { FACT_ERRNO("write_full_pipe", errno); break; }
        total += w;
        if (total > (1 << 24)) break;
    }
    FACT_INT("default_pipe_capacity", total);
    FACT_INT("f_getpipe_sz", fcntl(p[1], F_GETPIPE_SZ));
    CHECK_RET("pipe2_bad_flags", pipe2(p, O_APPEND));
    DONE();
}
