/* madvise(2) MADV_DONTNEED: private anonymous pages read back as zero afterwards; on a MAP_PRIVATE file mapping the file contents come back; on MAP_SHARED anonymous memory the data survives; bad advice/unaligned EINVAL. */
#include "../lib/contract.h"
#include <sys/mman.h>

int main(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SETUP(p == MAP_FAILED ? -1 : 0);
    memset(p, 0xAB, 4 * pg);
    CHECK_RET("dontneed_anon", madvise(p + pg, 2 * pg, MADV_DONTNEED));
    FACT_BOOL("page0_kept", (unsigned char)p[0] == 0xAB);
    FACT_BOOL("page1_zeroed", p[pg] == 0 && p[2 * pg - 1] == 0);
    FACT_BOOL("page2_zeroed", p[2 * pg] == 0);
    FACT_BOOL("page3_kept", (unsigned char)p[3 * pg] == 0xAB);
    SETUP(write_file("f", "file-contents"));
    int fd = open("f", O_RDONLY);
    char *f = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    memcpy(f, "PRIVATE", 7);
    CHECK_RET("dontneed_file_private", madvise(f, pg, MADV_DONTNEED));
    FACT("file_private_after", "%.13s", f);
    char *s = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    memcpy(s, "shared", 7);
    CHECK_RET("dontneed_shared_anon", madvise(s, pg, MADV_DONTNEED));
    FACT_STR("shared_anon_after", s);
    CHECK_RET("bad_advice", madvise(p, pg, 12345));
    CHECK_RET("unaligned", madvise(p + 1, pg, MADV_DONTNEED));
    CHECK_RET("willneed", madvise(p, pg, MADV_WILLNEED));
    CHECK_RET("len_zero", madvise(p, 0, MADV_DONTNEED));
    munmap(p + 2 * pg, pg);
    CHECK_RET("range_with_hole", madvise(p, 4 * pg, MADV_WILLNEED));
    DONE();
}
