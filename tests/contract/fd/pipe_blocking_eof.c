/* pipe(7): blocking read returns data written by a forked child, then 0 when every write end is closed; write with no reader is EPIPE (SIGPIPE ignored). */
#include "../lib/contract.h"
#include <sys/wait.h>

int main(void)
{
    int p[2];
    char buf[32] = {0};
    SETUP(pipe(p));
    pid_t c = fork();
    if (c == 0) {
        close(p[0]);
        sleep_ms(20);
        write(p[1], "from-child", 10);
        _exit(0);
    }
    close(p[1]);
    CHECK_RET("blocking_read_len", read(p[0], buf, sizeof buf - 1));
    FACT_STR("blocking_read_data", buf);
    CHECK_RET("read_after_all_writers_gone", read(p[0], buf, sizeof buf));
    waitpid(c, NULL, 0);
    close(p[0]);

    signal(SIGPIPE, SIG_IGN);
    SETUP(pipe(p));
    close(p[0]);
    CHECK_RET("write_no_reader", write(p[1], "x", 1));
    close(p[1]);

    /* a write end held open by a dup keeps the reader blocking-capable: no EOF */
    SETUP(pipe(p));
    int d = dup(p[1]);
    close(p[1]);
    SETUP(fcntl(p[0], F_SETFL, O_NONBLOCK));
    CHECK_RET("read_with_dup_writer_open", read(p[0], buf, 1));
    close(d);
    CHECK_RET("read_after_dup_writer_closed", read(p[0], buf, 1));
    DONE();
}
