/* futex(2): FUTEX_WAIT with a stale value fails EAGAIN, with a timeout ETIMEDOUT, FUTEX_WAKE with no waiters returns 0, a waiting thread is woken (wake returns 1), FUTEX_WAIT_BITSET absolute timeout, bitset 0 EINVAL. */
#include "../lib/contract.h"
#include <pthread.h>
#include <sys/syscall.h>
#include <stdint.h>
#include <limits.h>

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_WAIT_BITSET 9
#define FUTEX_PRIVATE_FLAG 128
static long fx(uint32_t *u, int op, uint32_t v, const struct timespec *t, uint32_t v3)
{ return syscall(SYS_futex, u, op, v, t, NULL, v3); }

static uint32_t word;
static volatile int woke;
static void *waiter(void *a)
{
    (void)a;
    long r = fx(&word, FUTEX_WAIT, 0, NULL, 0);
    woke = r == 0 ? 1 : -errno;
    return NULL;
}

int main(void)
{
    word = 1;
    CHECK_RET("wait_value_mismatch", fx(&word, FUTEX_WAIT, 0, NULL, 0));
    struct timespec ts = { 0, 20000000 };
    long t0 = mono_ms();
    CHECK_RET("wait_timeout", fx(&word, FUTEX_WAIT, 1, &ts, 0));
    FACT_BOOL("waited_ge_15ms", mono_ms() - t0 >= 15);
    CHECK_RET("wake_no_waiters", fx(&word, FUTEX_WAKE, 1, NULL, 0));
    word = 0;
    pthread_t t;
    pthread_create(&t, NULL, waiter, NULL);
    long n = 0;
    for (int i = 0; i < 200 && n == 0; i++) { sleep_ms(2); n = fx(&word, FUTEX_WAKE, INT_MAX, NULL, 0); }
    FACT_INT("wake_returned", n);
    pthread_join(t, NULL);
    FACT_INT("waiter_woke", woke);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    now.tv_nsec += 10000000;
    if (now.tv_nsec >= 1000000000) { now.tv_sec++; now.tv_nsec -= 1000000000; }
    word = 5;
    CHECK_RET("wait_bitset_abs_timeout", fx(&word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 5, &now, 0xffffffff));
    CHECK_RET("wait_bitset_zero", fx(&word, FUTEX_WAIT_BITSET, 5, &now, 0));
    CHECK_RET("bad_op", fx(&word, 99, 0, NULL, 0));
    struct timespec bad = { 0, 1000000000 };
    CHECK_RET("bad_timeout", fx(&word, FUTEX_WAIT, 5, &bad, 0));
    CHECK_RET("unaligned", fx((uint32_t *)((char *)&word + 1), FUTEX_WAIT, 5, &ts, 0));
    DONE();
}
