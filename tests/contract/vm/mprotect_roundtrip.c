/* mprotect(2): a write to a PROT_READ page raises SIGSEGV (si_code SEGV_ACCERR, si_addr = the address) caught via sigsetjmp/siglongjmp; restoring PROT_READ|PROT_WRITE makes it writable again; PROT_NONE blocks reads. */
#include "../lib/contract.h"
#include <sys/mman.h>
#include <setjmp.h>

static sigjmp_buf jb;
static volatile void *fault_addr;
static volatile int fault_code;
static void h(int s, siginfo_t *si, void *u) { (void)s; (void)u; fault_addr = si->si_addr; fault_code = si->si_code; siglongjmp(jb, 1); }

static int try_write(volatile char *p) { if (sigsetjmp(jb, 1)) return 0; *p = 'w'; return 1; }
static int try_read(volatile char *p) { if (sigsetjmp(jb, 1)) return 0; (void)*p; return 1; }

int main(void)
{
    struct sigaction sa = { .sa_sigaction = h, .sa_flags = SA_SIGINFO };
    sigaction(SIGSEGV, &sa, NULL);
    long pg = sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p[0] = 'a';
    CHECK_RET("mprotect_ro", mprotect(p, pg, PROT_READ));
    FACT_INT("write_ro_succeeded", try_write(p + 10));
    FACT_BOOL("si_code_accerr", fault_code == SEGV_ACCERR);
    FACT_BOOL("si_addr_exact", fault_addr == p + 10);
    FACT_INT("read_ro_ok", try_read(p));
    FACT_INT("second_page_still_writable", try_write(p + pg));
    CHECK_RET("mprotect_rw", mprotect(p, pg, PROT_READ | PROT_WRITE));
    FACT_INT("write_after_restore", try_write(p + 10));
    FACT_BOOL("data_kept", p[0] == 'a' && p[10] == 'w');
    CHECK_RET("mprotect_none", mprotect(p, pg, PROT_NONE));
    FACT_INT("read_none", try_read(p));
    FACT_BOOL("none_si_code_accerr", fault_code == SEGV_ACCERR);
    CHECK_RET("mprotect_ro_again", mprotect(p, pg, PROT_READ));
    FACT_INT("write_ro_again_succeeded", try_write(p));
    FACT_BOOL("handler_reentered_after_siglongjmp", fault_addr == p);
    DONE();
}
