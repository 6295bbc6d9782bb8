/* prctl(2) PR_SET_PDEATHSIG: "the parent" is the thread that created the child: when that thread exits the child gets its signal (si_pid = the parent process) although the process lives on, and again when the whole process dies; a child whose creating thread lives gets nothing until the process exits. */
#include "../../contract/lib/contract.h"
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/wait.h>

static int rep[2];
static volatile sig_atomic_t got, got_pid, got_code;
static void h(int s, siginfo_t *si, void *u) { (void)s; (void)u; got++; got_pid = si->si_pid; got_code = si->si_code; }

static pid_t spawn_watcher(pid_t parent)
{
    int ready[2];
    if (pipe(ready)) return -1;
    pid_t c = fork();
    if (c == 0) {
        struct sigaction sa = { .sa_sigaction = h, .sa_flags = SA_SIGINFO };
        sigaction(SIGUSR1, &sa, NULL);
        prctl(PR_SET_PDEATHSIG, SIGUSR1);
        write(ready[1], "r", 1);
        for (int i = 0; i < 400 && !got; i++) sleep_ms(5);
        int r[3] = { got, got_pid == parent, got_code };
        write(rep[1], r, sizeof r);
        _exit(0);
    }
    char x;
    read(ready[0], &x, 1);
    close(ready[0]); close(ready[1]);
    return c;
}

static void *thread_main(void *arg)
{
    *(pid_t *)arg = spawn_watcher(getpid());
    return NULL;
}

int main(void)
{
    SETUP(pipe(rep));
    pid_t from_thread = 0;
    pthread_t t;
    pthread_create(&t, NULL, thread_main, &from_thread);
    pthread_join(t, NULL);
    int r[3];
    read(rep[0], r, sizeof r);
    FACT_INT("thread_exit_signals_child", r[0]);
    FACT_INT("si_pid_is_parent_process", r[1]);
    FACT_INT("si_code", r[2]);
    waitpid(from_thread, NULL, 0);
    FACT_BOOL("child_was_ours", from_thread > 0);
    /* created by the main thread, which lives: no signal */
    pid_t from_main = spawn_watcher(getpid());
    sleep_ms(100);
    int st;
    FACT_INT("main_thread_child_alive", waitpid(from_main, &st, WNOHANG) == 0);
    kill(from_main, SIGKILL);
    waitpid(from_main, NULL, 0);
    DONE();
}
