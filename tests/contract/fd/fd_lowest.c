/* open(2)/pipe(2)/socket(2): new fds always take the lowest-numbered free slot, including slots below 3 (POSIX). */
#include "../lib/contract.h"
#include <sys/socket.h>

int main(void)
{
    int base = open("/dev/null", O_RDONLY);
    SETUP(base);
    int a = open("/dev/null", O_RDONLY), b = open("/dev/null", O_RDONLY);
    FACT_INT("second_minus_base", a - base);
    FACT_INT("third_minus_base", b - base);
    close(a);
    int p[2];
    SETUP(pipe(p));
    FACT_BOOL("pipe_read_end_fills_gap", p[0] == a);
    FACT_INT("pipe_write_end_minus_base", p[1] - base);
    close(base);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    FACT_BOOL("socket_fills_gap", s == base);
    int saved = dup(0);
    close(0);
    int z = open("/dev/null", O_RDONLY);
    FACT_INT("fd_after_closing_stdin", z);
    dup2(saved, 0);
    DONE();
}
