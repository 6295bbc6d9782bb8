/* mmap(2) MAP_SHARED file mapping: stores are visible to read(2) immediately, write(2) is visible through the mapping, msync(MS_SYNC) succeeds, ftruncate growth becomes accessible, msync errors EINVAL/ENOMEM. */
#include "../lib/contract.h"
#include <sys/mman.h>

int main(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
    SETUP(ftruncate(fd, pg));
    char *m = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    SETUP(m == MAP_FAILED ? -1 : 0);
    memcpy(m, "via-mapping", 11);
    char buf[16] = {0};
    pread(fd, buf, 11, 0);
    FACT_STR("read_sees_store", buf);
    pwrite(fd, "via-write", 9, 100);
    FACT("mapping_sees_write", "%.9s", m + 100);
    CHECK_RET("msync_sync", msync(m, pg, MS_SYNC));
    CHECK_RET("msync_async", msync(m, pg, MS_ASYNC));
    CHECK_RET("msync_invalidate", msync(m, pg, MS_INVALIDATE));
    CHECK_RET("msync_unaligned", msync(m + 1, pg, MS_SYNC));
    CHECK_RET("msync_both_sync_async", msync(m, pg, MS_SYNC | MS_ASYNC));
    CHECK_RET("msync_bad_flag", msync(m, pg, 0x100));
    SETUP(ftruncate(fd, 2 * pg));
    m[pg + 5] = 'G';
    char c = 0;
    pread(fd, &c, 1, pg + 5);
    FACT("grown_page_shared", "%c", c);
    munmap(m, 2 * pg);
    CHECK_RET("msync_unmapped", msync(m, pg, MS_SYNC));
    memset(buf, 0, sizeof buf);
    pread(fd, buf, 11, 0);
    FACT_STR("data_persists_after_munmap", buf);
    DONE();
}
