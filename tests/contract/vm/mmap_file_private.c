/* mmap(2) MAP_PRIVATE file mapping: reads the file bytes, the tail of the last page past EOF is zero, private writes are not visible in the file or to read(2), later file writes show through untouched pages; accessing a page wholly past EOF is SIGBUS. */
#include "../lib/contract.h"
#include <sys/mman.h>
#include <setjmp.h>

static sigjmp_buf jb;
static volatile int sig, code;
static void h(int s, siginfo_t *si, void *u) { (void)u; sig = s; code = si->si_code; siglongjmp(jb, 1); }

int main(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char *data = malloc(pg + 100);
    for (long i = 0; i < pg + 100; i++) data[i] = 'a' + i % 26;
    SETUP(write(fd, data, pg + 100));
    char *m = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    SETUP(m == MAP_FAILED ? -1 : 0);
    FACT_BOOL("reads_file_bytes", memcmp(m, data, pg + 100) == 0);
    FACT_BOOL("tail_past_eof_zero", m[pg + 100] == 0 && m[2 * pg - 1] == 0);
    m[0] = 'Z';
    char c = 0;
    pread(fd, &c, 1, 0);
    FACT("file_byte0_after_private_write", "%c", c);
    pwrite(fd, "Q", 1, pg + 1);
    FACT("untouched_page_sees_file_write", "%c", m[pg + 1]);
    pwrite(fd, "R", 1, 1);
    FACT("cowed_page_keeps_private_copy", "%c", m[1]);
    struct sigaction sa = { .sa_sigaction = h, .sa_flags = SA_SIGINFO };
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    if (sigsetjmp(jb, 1) == 0) { volatile char x = m[2 * pg]; (void)x; FACT_INT("past_eof_page", 0); }
    else { FACT_INT("past_eof_signal", sig); FACT_BOOL("bus_adrerr", code == BUS_ADRERR); }
    DONE();
}
