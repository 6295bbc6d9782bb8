/* pthread_create(3)/pthread_join(3) over clone(2): threads share memory, return values reach join, 8 threads each adding 10000 atomically sum to 80000, joining twice / a bad thread is an error. */
#include "../lib/contract.h"
#include <pthread.h>

static int shared;
static long counter;
static void *ret_arg(void *a) { shared = 7; return (void *)((long)a * 2); }
static void *add(void *a) { (void)a; for (int i = 0; i < 10000; i++) __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED); return NULL; }

int main(void)
{
    pthread_t t;
    CHECK_RC("create", pthread_create(&t, NULL, ret_arg, (void *)21));
    void *r = NULL;
    CHECK_RC("join", pthread_join(t, &r));
    FACT_INT("return_value", (long)r);
    FACT_INT("shared_write_visible", shared);
    pthread_t ts[8];
    for (int i = 0; i < 8; i++) SETUP(pthread_create(&ts[i], NULL, add, NULL) ? -1 : 0);
    for (int i = 0; i < 8; i++) pthread_join(ts[i], NULL);
    FACT_INT("atomic_sum", counter);
    FACT_BOOL("pthread_self_equal", pthread_equal(pthread_self(), pthread_self()));
    pthread_t d;
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    CHECK_RC("create_detached", pthread_create(&d, &at, add, NULL));
    for (int i = 0; i < 1000 && __atomic_load_n(&counter, __ATOMIC_RELAXED) < 90000; i++) sleep_ms(1);
    FACT_INT("detached_ran", counter);
    DONE();
}
