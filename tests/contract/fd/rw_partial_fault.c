/* read/write/pread/pwrite/readv/writev of a regular file with a buffer that runs into an
 * inaccessible page copy up to the fault and return that short count (generic_perform_write,
 * filemap_read); EFAULT only when nothing was copied. A pipe keeps the whole pages before
 * the fault. Found by the hostile fuzzer. */
#include "../lib/contract.h"
#include <sys/mman.h>
#include <sys/uio.h>

int main(void)
{
    long pg = 4096;
    /* [rw page][read-only page][PROT_NONE page] */
    char *m = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return 1;
    memset(m, 'x', 2 * pg);
    SETUP(mprotect(m + pg, pg, PROT_READ));
    SETUP(mprotect(m + 2 * pg, pg, PROT_NONE));
    int f = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
    SETUP(f);
    char *ro_end = m + 2 * pg - 8, *rw_end = m + pg - 8;

    CHECK_RET("write_into_none", write(f, ro_end, 100));
    CHECK_RET("write_all_none", write(f, m + 2 * pg, 100));
    CHECK_RET("size_after_write", lseek(f, 0, SEEK_END));
    CHECK_RET("pwrite_into_none", pwrite(f, ro_end, 100, 1000));
    CHECK_RET("size_after_pwrite", lseek(f, 0, SEEK_END));
    struct iovec wv[2] = {{m, 16}, {ro_end, 100}};
    CHECK_RET("writev_into_none", writev(f, wv, 2));
    struct iovec wv_bad_first[2] = {{m + 2 * pg, 16}, {m, 16}};
    CHECK_RET("writev_first_bad", writev(f, wv_bad_first, 2));

    CHECK_RET("seek0", lseek(f, 0, SEEK_SET));
    CHECK_RET("read_into_ro", read(f, rw_end, 100));
    CHECK_RET("pos_after_short_read", lseek(f, 0, SEEK_CUR));
    CHECK_RET("read_all_ro", read(f, m + pg, 100));
    CHECK_RET("pos_after_efault", lseek(f, 0, SEEK_CUR));
    CHECK_RET("pread_into_ro", pread(f, rw_end, 100, 0));
    struct iovec rv[2] = {{m, 16}, {m + pg, 16}};
    CHECK_RET("readv_second_ro", readv(f, rv, 2));
    CHECK_RET("pos_after_readv", lseek(f, 0, SEEK_CUR));

    /* pipe_write copies the source a page at a time and drops the page that faults */
    int p[2];
    SETUP(pipe(p));
    CHECK_RET("pipe_write_whole_pages", write(p[1], m + 8, 3 * pg));
    CHECK_RET("pipe_write_fault_first_page", write(p[1], ro_end, 100));
    static char sink[65536];
    CHECK_RET("pipe_holds", read(p[0], sink, sizeof sink));
    DONE();
}
