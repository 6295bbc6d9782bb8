/* Thread-local storage via arch_prctl(ARCH_SET_FS) in clone(CLONE_SETTLS): each thread sees its own __thread variable, initialised from the TLS image; ARCH_GET_FS differs per thread. */
#include "../lib/contract.h"
#include <pthread.h>
#include <sys/syscall.h>

static __thread int tv = 5;
static __thread char tbuf[32] = "init";
static int seen_init[4], final_vals[4];
static unsigned long fsbase[4];
static pthread_barrier_t bar;

static void *w(void *a)
{
    long i = (long)a;
    seen_init[i] = tv == 5 && !strcmp(tbuf, "init");
    tv = 100 + (int)i;
    snprintf(tbuf, sizeof tbuf, "t%ld", i);
    syscall(SYS_arch_prctl, 0x1003 /* ARCH_GET_FS */, &fsbase[i]);
    pthread_barrier_wait(&bar);
    final_vals[i] = tv;
    return NULL;
}

int main(void)
{
    pthread_barrier_init(&bar, NULL, 4);
    pthread_t t[4];
    for (long i = 0; i < 4; i++) pthread_create(&t[i], NULL, w, (void *)i);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    FACT("threads_saw_initial_value", "%d%d%d%d", seen_init[0], seen_init[1], seen_init[2], seen_init[3]);
    FACT("thread_final_values", "%d,%d,%d,%d", final_vals[0], final_vals[1], final_vals[2], final_vals[3]);
    FACT_INT("main_value_untouched", tv);
    FACT_STR("main_buf_untouched", tbuf);
    int distinct = 1;
    for (int i = 0; i < 4; i++) for (int j = i + 1; j < 4; j++) if (fsbase[i] == fsbase[j]) distinct = 0;
    FACT_BOOL("fs_bases_distinct", distinct);
    DONE();
}
