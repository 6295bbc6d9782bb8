/* pthread mutex/condvar (futex based): a producer/consumer pair hands over 2000 items in order through a one-slot buffer; pthread_mutex_trylock on a held mutex is EBUSY; timedwait times out ETIMEDOUT. */
#include "../lib/contract.h"
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int slot = -1, inorder = 1;

static void *consumer(void *a)
{
    (void)a;
    for (int i = 0; i < 2000; i++) {
        pthread_mutex_lock(&m);
        while (slot < 0) pthread_cond_wait(&cv, &m);
        if (slot != i) inorder = 0;
        slot = -1;
        pthread_cond_broadcast(&cv);
        pthread_mutex_unlock(&m);
    }
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, consumer, NULL);
    for (int i = 0; i < 2000; i++) {
        pthread_mutex_lock(&m);
        while (slot >= 0) pthread_cond_wait(&cv, &m);
        slot = i;
        pthread_cond_broadcast(&cv);
        pthread_mutex_unlock(&m);
    }
    pthread_join(t, NULL);
    FACT_INT("handed_over_in_order", inorder);
    pthread_mutex_lock(&m);
    CHECK_RC("trylock_held", pthread_mutex_trylock(&m));
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 20000000;
    if (ts.tv_nsec >= 1000000000) { ts.tv_sec++; ts.tv_nsec -= 1000000000; }
    CHECK_RC("timedwait", pthread_cond_timedwait(&cv, &m, &ts));
    pthread_mutex_unlock(&m);
    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_t em;
    pthread_mutex_init(&em, &ma);
    pthread_mutex_lock(&em);
    CHECK_RC("errorcheck_relock", pthread_mutex_lock(&em));
    DONE();
}
