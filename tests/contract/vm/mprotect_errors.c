/* mprotect(2) errors: unaligned address EINVAL, range including unmapped pages ENOMEM, unknown prot bits EINVAL, PROT_WRITE on a MAP_SHARED mapping of an O_RDONLY file EACCES; len 0 succeeds. */
#include "../lib/contract.h"
#include <sys/mman.h>
#include <sys/syscall.h>

/* raw syscall: musl's mprotect() silently page-aligns the range */
#define mprotect(a, l, p) syscall(SYS_mprotect, (a), (l), (p))

int main(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SETUP(munmap(p + 2 * pg, pg));
    CHECK_RET("unaligned", mprotect(p + 1, pg, PROT_READ));
    CHECK_RET("covers_unmapped", mprotect(p, 3 * pg, PROT_READ));
    CHECK_RET("bad_prot_bits", mprotect(p, pg, 0x100));
    CHECK_RET("len_zero", mprotect(p, 0, PROT_READ));
    CHECK_RET("exec_ok", mprotect(p, pg, PROT_READ | PROT_EXEC));
    CHECK_RET("unaligned_len_rounds", mprotect(p, 10, PROT_READ));
    SETUP(write_file("f", "x"));
    int fd = open("f", O_RDONLY);
    char *m = mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, 0);
    CHECK_RET("shared_ro_file_to_write", mprotect(m, pg, PROT_READ | PROT_WRITE));
    char *q = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK_RET("private_ro_file_to_write", mprotect(q, pg, PROT_READ | PROT_WRITE));
    DONE();
}
