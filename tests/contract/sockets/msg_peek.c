/* recv(2) MSG_PEEK: data is returned without being consumed (stream and dgram), MSG_WAITALL waits for the full count. */
#include "../lib/contract.h"
#include <sys/socket.h>
#include <sys/wait.h>

int main(void)
{
    int s[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
    SETUP(write(s[0], "peekaboo", 8));
    char buf[16] = {0};
    CHECK_RET("peek", recv(s[1], buf, 4, MSG_PEEK));
    FACT_STR("peeked", buf);
    memset(buf, 0, sizeof buf);
    CHECK_RET("peek_again", recv(s[1], buf, sizeof buf - 1, MSG_PEEK));
    FACT_STR("peeked_all", buf);
    memset(buf, 0, sizeof buf);
    CHECK_RET("read", read(s[1], buf, sizeof buf - 1));
    FACT_STR("read_data", buf);
    int d[2];
    SETUP(socketpair(AF_UNIX, SOCK_DGRAM, 0, d));
    SETUP(write(d[0], "m1", 2));
    SETUP(write(d[0], "m2", 2));
    memset(buf, 0, sizeof buf);
    CHECK_RET("dgram_peek", recv(d[1], buf, sizeof buf, MSG_PEEK));
    FACT_STR("dgram_peeked", buf);
    memset(buf, 0, sizeof buf);
    CHECK_RET("dgram_recv", recv(d[1], buf, sizeof buf, 0));
    FACT_STR("dgram_first", buf);
    pid_t c = fork();
    if (c == 0) { write(s[0], "ab", 2); sleep_ms(20); write(s[0], "cd", 2); _exit(0); }
    memset(buf, 0, sizeof buf);
    CHECK_RET("waitall", recv(s[1], buf, 4, MSG_WAITALL));
    FACT_STR("waitall_data", buf);
    waitpid(c, NULL, 0);
    DONE();
}
