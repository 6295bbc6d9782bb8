/* getrandom(2): returns the requested length (16, 256, 4096), two draws differ, GRND_NONBLOCK and GRND_RANDOM are accepted, unknown flags EINVAL, bad buffer EFAULT, length 0 returns 0. */
#include "../lib/contract.h"
#include <sys/syscall.h>
#include <sys/random.h>

static long gr(void *b, size_t n, unsigned f) { return syscall(SYS_getrandom, b, n, f); }

int main(void)
{
    static unsigned char a[4096], b[4096];
    CHECK_RET("len16", gr(a, 16, 0));
    CHECK_RET("len256", gr(a, 256, 0));
    CHECK_RET("len4096", gr(a, 4096, 0));
    gr(b, 4096, 0);
    FACT_BOOL("two_draws_differ", memcmp(a, b, 64) != 0);
    int zeros = 0;
    for (int i = 0; i < 4096; i++) zeros += a[i] == 0;
    FACT_BOOL("not_mostly_zero", zeros < 100);
    CHECK_RET("nonblock", gr(a, 32, GRND_NONBLOCK));
    CHECK_RET("random_flag", gr(a, 32, GRND_RANDOM | GRND_NONBLOCK));
    CHECK_RET("len0", gr(a, 0, 0));
    CHECK_RET("bad_flags", gr(a, 16, 0x40));
    CHECK_RET("bad_buffer", gr((void *)8, 16, 0));
    CHECK_RET("insecure_and_random", gr(a, 16, 0x4 | GRND_RANDOM));
    DONE();
}
