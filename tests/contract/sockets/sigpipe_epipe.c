/* unix(7)/send(2): writing to a stream socket whose peer closed raises SIGPIPE (default action kills) and fails EPIPE; MSG_NOSIGNAL suppresses the signal. */
#include "../lib/contract.h"
#include <sys/socket.h>
#include <sys/wait.h>

static volatile sig_atomic_t pipes;
static void h(int s) { (void)s; pipes++; }

int main(void)
{
    int s[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
    close(s[1]);
    pid_t c = fork();
    if (c == 0) { write(s[0], "x", 1); _exit(0); }
    int st;
    waitpid(c, &st, 0);
    FACT_BOOL("default_killed_by_signal", WIFSIGNALED(st));
    FACT_INT("default_termsig", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    signal(SIGPIPE, h);
    CHECK_RET("write_with_handler", write(s[0], "x", 1));
    FACT_INT("sigpipe_count", pipes);
    CHECK_RET("send_nosignal", send(s[0], "x", 1, MSG_NOSIGNAL));
    FACT_INT("sigpipe_count_after_nosignal", pipes);
    signal(SIGPIPE, SIG_IGN);
    CHECK_RET("write_ignored", write(s[0], "x", 1));
    int p[2];
    SETUP(pipe(p));
    close(p[0]);
    signal(SIGPIPE, h);
    CHECK_RET("pipe_write_handler", write(p[1], "x", 1));
    FACT_INT("sigpipe_count_pipe", pipes);
    DONE();
}
