/* signal(7) group stop in a multithreaded process: SIGSTOP stops every thread (a counter bumped by a second thread stops moving), waitpid(WUNTRACED) reports it once, SIGCONT resumes all of them and WCONTINUED reports it once; SIGTSTP with a handler runs the handler instead; a thread blocked in a pipe read is not disturbed by the stop. */
#include "../../contract/lib/contract.h"
#include <pthread.h>
#include <sys/mman.h>
#include <sys/wait.h>

static volatile long *counter;
static int p[2];
static void *spin(void *a) { (void)a; for (;;) { (*counter)++; sleep_ms(1); } return NULL; }
static void *reader(void *a) { (void)a; char b; read(p[0], &b, 1); counter[1] = b; return NULL; }
static volatile sig_atomic_t tstp;
static void h(int s) { (void)s; tstp++; }

int main(void)
{
    counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    SETUP(pipe(p));
    pid_t c = fork();
    if (c == 0) {
        struct sigaction sa = { .sa_handler = h, .sa_flags = SA_RESTART };
        sigaction(SIGTSTP, &sa, NULL);
        pthread_t t1, t2;
        pthread_create(&t1, NULL, spin, NULL);
        pthread_create(&t2, NULL, reader, NULL);
        for (;;) { counter[2] = tstp; sleep_ms(5); }
    }
    sleep_ms(100);
    int st;
    kill(c, SIGSTOP);
    CHECK_RET("stopped", waitpid(c, &st, WUNTRACED) == c ? WSTOPSIG(st) : -1);
    sleep_ms(20);
    long a = counter[0];
    sleep_ms(100);
    FACT_BOOL("counter_frozen", counter[0] == a);
    CHECK_RET("stop_reported_once", waitpid(c, &st, WUNTRACED | WNOHANG));
    kill(c, SIGCONT);
    CHECK_RET("continued", waitpid(c, &st, WCONTINUED) == c && WIFCONTINUED(st) ? 0 : -1);
    CHECK_RET("cont_reported_once", waitpid(c, &st, WCONTINUED | WNOHANG));
    sleep_ms(100);
    FACT_BOOL("counter_moves_again", counter[0] > a);
    kill(c, SIGTSTP);
    sleep_ms(100);
    CHECK_RET("tstp_with_handler_no_stop", waitpid(c, &st, WUNTRACED | WNOHANG));
    FACT_INT("tstp_handler_ran", counter[2]);
    write(p[1], "z", 1);
    sleep_ms(50);
    FACT_INT("reader_got_byte", counter[1]);
    kill(c, SIGKILL);
    waitpid(c, &st, 0);
    FACT_INT("killed", WTERMSIG(st));
    DONE();
}
