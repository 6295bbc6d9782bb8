/* unix(7) SOCK_STREAM socketpair: bidirectional byte stream, writes coalesce, SO_TYPE/SO_DOMAIN/SO_PROTOCOL, SOCK_CLOEXEC|SOCK_NONBLOCK flags, EOF after peer close. */
#include "../lib/contract.h"
#include <sys/socket.h>

int main(void)
{
    int s[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, s));
    FACT_BOOL("cloexec", fcntl(s[0], F_GETFD) & FD_CLOEXEC);
    FACT_BOOL("nonblock", fcntl(s[1], F_GETFL) & O_NONBLOCK);
    int v; socklen_t l = sizeof v;
    getsockopt(s[0], SOL_SOCKET, SO_TYPE, &v, &l); FACT_INT("so_type", v);
    l = sizeof v; getsockopt(s[0], SOL_SOCKET, SO_DOMAIN, &v, &l); FACT_INT("so_domain", v);
    l = sizeof v; getsockopt(s[0], SOL_SOCKET, SO_PROTOCOL, &v, &l); FACT_INT("so_protocol", v);
    CHECK_RET("write_a", write(s[0], "hello ", 6));
    CHECK_RET("write_b", write(s[0], "world", 5));
    char buf[64] = {0};
    CHECK_RET("read_coalesced", read(s[1], buf, sizeof buf - 1));
    FACT_STR("data", buf);
    CHECK_RET("reverse_write", write(s[1], "back", 4));
    memset(buf, 0, sizeof buf);
    CHECK_RET("reverse_read", read(s[0], buf, sizeof buf - 1));
    CHECK_RET("read_empty_nonblock", read(s[0], buf, 1));
    close(s[1]);
    CHECK_RET("read_eof_after_close", read(s[0], buf, 1));
    struct stat st;
    fstat(s[0], &st);
    FACT_BOOL("fstat_is_sock", S_ISSOCK(st.st_mode));
    DONE();
}
