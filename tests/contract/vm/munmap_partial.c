/* munmap(2) of the middle page of a 3-page mapping: that page faults with SIGSEGV SEGV_MAPERR (caught via siglongjmp), the outer pages keep their data; unaligned addr EINVAL, len 0 EINVAL, unmapping a hole is fine. */
#include "../lib/contract.h"
#include <sys/mman.h>
#include <setjmp.h>

static sigjmp_buf jb;
static volatile int code;
static void h(int s, siginfo_t *si, void *u) { (void)s; (void)u; code = si->si_code; siglongjmp(jb, 1); }
static int try_read(volatile char *p) { if (sigsetjmp(jb, 1)) return 0; (void)*p; return 1; }

int main(void)
{
    struct sigaction sa = { .sa_sigaction = h, .sa_flags = SA_SIGINFO };
    sigaction(SIGSEGV, &sa, NULL);
    long pg = sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p[0] = 'A'; p[pg] = 'B'; p[2 * pg] = 'C';
    CHECK_RET("munmap_middle", munmap(p + pg, pg));
    FACT_INT("middle_readable", try_read(p + pg));
    FACT_BOOL("si_code_maperr", code == SEGV_MAPERR);
    FACT_INT("first_readable", try_read(p));
    FACT_INT("last_readable", try_read(p + 2 * pg));
    FACT("outer_data", "%c%c", p[0], p[2 * pg]);
    CHECK_RET("munmap_hole_again", munmap(p + pg, pg));
    CHECK_RET("unaligned", munmap(p + 1, pg));
    CHECK_RET("len_zero", munmap(p, 0));
    CHECK_RET("unaligned_len_ok", munmap(p + 2 * pg, 10));
    FACT_INT("last_gone_after_partial_len", try_read(p + 2 * pg));
    CHECK_RET("munmap_all", munmap(p, 3 * pg));
    FACT_INT("first_gone", try_read(p));
    DONE();
}
