/* cachestat(2) (Linux 6.5, mm/filemap.c) on tmpfs (/dev/shm): written pages count as cached,
 * holes do not, none are dirty; a range selects pages; len 0 means to the end; pipes report
 * zeros; EBADF for bad and O_PATH fds, EFAULT for bad pointers, EINVAL for flags (after the
 * range is read), EPERM for a read-only fd on a file the caller may not write. */
#include "../lib/contract.h"
#include <sys/wait.h>

#define NR_cachestat 451
struct cs_range { unsigned long long off, len; };
struct cs { unsigned long long cache, dirty, writeback, evicted, recently_evicted; };

static void report(const char *key, int fd, unsigned long long off, unsigned long long len)
{
    struct cs_range r = {off, len};
    struct cs s;
    memset(&s, 0xff, sizeof s);
    errno = 0;
    long ret = syscall(NR_cachestat, fd, &r, &s, 0);
    if (ret < 0) { printf("%s=%s\n", key, errname(errno)); return; }
    printf("%s=cache:%llu dirty:%llu writeback:%llu evicted:%llu recent:%llu\n", key, s.cache,
           s.dirty, s.writeback, s.evicted, s.recently_evicted);
}

int main(void)
{
    char path[64];
    snprintf(path, sizeof path, "/dev/shm/contract-cachestat-%d", getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) { FACT_ERRNO("open", errno); DONE(); }
    char page[4096];
    memset(page, 7, sizeof page);
    pwrite(fd, page, sizeof page, 0);
    pwrite(fd, page, sizeof page, 2 * 4096);
    pwrite(fd, page, 100, 5 * 4096);
    report("whole", fd, 0, 0);
    report("middle", fd, 4096, 8192);
    report("from_page2", fd, 2 * 4096, 0);
    report("past_end", fd, 100 * 4096, 4096);
    report("unaligned", fd, 4095, 2);
    int p[2];
    SETUP(pipe(p));
    report("pipe", p[0], 0, 0);
    report("bad_fd", 999, 0, 0);
    int opath = open(path, O_PATH);
    report("o_path", opath, 0, 0);
    struct cs s;
    CHECK_RET("bad_range_ptr", syscall(NR_cachestat, fd, (void *)8, &s, 0));
    struct cs_range r = {0, 0};
    CHECK_RET("bad_stat_ptr", syscall(NR_cachestat, fd, &r, (void *)8, 0));
    CHECK_RET("flags", syscall(NR_cachestat, fd, &r, &s, 1));
    CHECK_RET("flags_and_bad_range", syscall(NR_cachestat, fd, (void *)8, &s, 1));
    CHECK_RET("bad_fd_and_bad_range", syscall(NR_cachestat, 999, (void *)8, &s, 0));
    SETUP(fchmod(fd, 0644));
    pid_t c = fork();
    if (c == 0) {
        if (setgid(65534) || setuid(65534)) _exit(99);
        int ro = open(path, O_RDONLY);
        if (ro < 0) _exit(98);
        errno = 0;
        long ret = syscall(NR_cachestat, ro, &r, &s, 0);
        _exit(ret == -1 && errno == EPERM ? 1 : ret == 0 ? 2 : 3);
    }
    int st;
    waitpid(c, &st, 0);
    FACT_INT("nonroot_readonly_fd", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    unlink(path);
    DONE();
}
