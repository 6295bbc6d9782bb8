/* mmap of Kevlar files: MAP_SHARED visible across fork and to read(2), write(2) visible
 * through private and shared mappings (untouched private pages follow the file), a private
 * store stays private, SIGBUS past the end, msync, mprotect PROT_WRITE on a shared mapping
 * of a read-only fd (EACCES), mapping a write-only fd, a directory or /dev/null, /dev/zero
 * shared across fork, the path in /proc/self/maps, O_TMPFILE and memfd mappings. */
#include "fs.h"
#include <setjmp.h>
#include <sys/mman.h>
#include <sys/syscall.h>

static sigjmp_buf jb;
static volatile int got_sig;
static void on_bus(int s) { got_sig = s; siglongjmp(jb, 1); }

static int maps_has(const char *needle)
{
    char buf[65536];
    return read_file("/proc/self/maps", buf, sizeof buf) > 0 && strstr(buf, needle) != NULL;
}

int main(void)
{
    enter_tmpfs("size=16m");
    long pg = sysconf(_SC_PAGESIZE);
    int fd = open("shared-file", O_RDWR | O_CREAT, 0644);
    SETUP(ftruncate(fd, 2 * pg));
    char *s = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    SETUP(s == MAP_FAILED ? -1 : 0);
    char *p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    SETUP(p == MAP_FAILED ? -1 : 0);
    pid_t c = fork();
    if (c == 0) { memcpy(s, "from-child", 10); _exit(0); }
    int st;
    waitpid(c, &st, 0);
    FACT("parent_sees_child_store", "%.10s", s);
    char buf[32] = {0};
    pread(fd, buf, 10, 0);
    FACT_STR("read_sees_child_store", buf);
    FACT("private_untouched_follows", "%.10s", p);
    pwrite(fd, "written", 7, pg);
    FACT("shared_sees_write", "%.7s", s + pg);
    FACT("private_sees_write_untouched_page", "%.7s", p + pg);
    p[0] = 'P';
    memset(buf, 0, sizeof buf); pread(fd, buf, 1, 0);
    FACT_STR("private_store_not_in_file", buf);
    pwrite(fd, "Z", 1, 0);
    FACT("private_touched_page_keeps_copy", "%c", p[0]);
    CHECK_RET("msync", msync(s, pg, MS_SYNC));
    FACT_BOOL("maps_names_file", maps_has("/t/shared-file"));
    /* SIGBUS past the end of the file */
    SETUP(ftruncate(fd, pg));
    signal(SIGBUS, on_bus);
    if (sigsetjmp(jb, 1) == 0) { volatile char x = s[pg + 1]; (void)x; got_sig = 0; }
    FACT_INT("past_eof_signal", got_sig);
    SETUP(ftruncate(fd, 2 * pg));
    /* modes */
    int ro = open("shared-file", O_RDONLY);
    char *rs = mmap(NULL, pg, PROT_READ, MAP_SHARED, ro, 0);
    FACT_BOOL("shared_ro_map_ok", rs != MAP_FAILED);
    CHECK_RET("mprotect_write_on_ro_shared", mprotect(rs, pg, PROT_READ | PROT_WRITE));
    CHECK_RET("map_shared_write_ro_fd", (long)mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0) == -1 ? -1 : 0);
    char *rp = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
    FACT_BOOL("private_write_ro_fd_ok", rp != MAP_FAILED);
    int wo = open("shared-file", O_WRONLY);
    CHECK_RET("map_write_only_fd", (long)mmap(NULL, pg, PROT_WRITE, MAP_SHARED, wo, 0) == -1 ? -1 : 0);
    int dir = open(".", O_RDONLY);
    CHECK_RET("map_directory", (long)mmap(NULL, pg, PROT_READ, MAP_PRIVATE, dir, 0) == -1 ? -1 : 0);
    int nul = open("/dev/null", O_RDWR);
    CHECK_RET("map_dev_null", (long)mmap(NULL, pg, PROT_READ, MAP_PRIVATE, nul, 0) == -1 ? -1 : 0);
    CHECK_RET("map_bad_fd", (long)mmap(NULL, pg, PROT_READ, MAP_PRIVATE, 999, 0) == -1 ? -1 : 0);
    CHECK_RET("map_unaligned_offset", (long)mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 5) == -1 ? -1 : 0);
    CHECK_RET("map_zero_length", (long)mmap(NULL, 0, PROT_READ, MAP_PRIVATE, fd, 0) == -1 ? -1 : 0);
    CHECK_RET("map_bad_type", (long)mmap(NULL, pg, PROT_READ, 0, fd, 0) == -1 ? -1 : 0);
    int pp[2]; SETUP(pipe(pp));
    CHECK_RET("map_pipe", (long)mmap(NULL, pg, PROT_READ, MAP_PRIVATE, pp[0], 0) == -1 ? -1 : 0);
    /* /dev/zero shared across fork */
    int z = open("/dev/zero", O_RDWR);
    char *zs = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, z, 0);
    SETUP(zs == MAP_FAILED ? -1 : 0);
    c = fork();
    if (c == 0) { strcpy(zs, "zero-shared"); _exit(0); }
    waitpid(c, &st, 0);
    FACT_STR("dev_zero_shared", zs);
    /* O_TMPFILE and memfd */
    int t = open(".", O_TMPFILE | O_RDWR, 0600);
    SETUP(ftruncate(t, pg));
    char *tm = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, t, 0);
    strcpy(tm, "tmpfile-map");
    memset(buf, 0, sizeof buf); pread(t, buf, 11, 0);
    FACT_STR("tmpfile_shared", buf);
    int m = syscall(SYS_memfd_create, "mapped", 0);
    SETUP(write(m, "memfd-bytes", 11));
    char *mm = mmap(NULL, pg, PROT_READ, MAP_SHARED, m, 0);
    FACT("memfd_map", "%.11s", mm);
    FACT_BOOL("maps_names_memfd", maps_has("/memfd:mapped (deleted)"));
    munmap(s, 2 * pg);
    CHECK_RET("munmap_then_read_file", pread(fd, buf, 4, 0));
    DONE();
}
