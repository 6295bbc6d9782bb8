/* contract.h - tiny header-only helpers shared by the Kevlar contract tests (see ../README.md). */
#ifndef KEVLAR_CONTRACT_H
#define KEVLAR_CONTRACT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* Symbolic name of an errno value ("ENOENT"); unknown values print as "E<n>". */
static inline const char *errname(int e)
{
    static char buf[24];
    switch (e) {
#define C_(x) case x: return #x;
    C_(EPERM) C_(ENOENT) C_(ESRCH) C_(EINTR) C_(EIO) C_(ENXIO) C_(E2BIG)
    C_(ENOEXEC) C_(EBADF) C_(ECHILD) C_(EAGAIN) C_(ENOMEM) C_(EACCES)
    C_(EFAULT) C_(ENOTBLK) C_(EBUSY) C_(EEXIST) C_(EXDEV) C_(ENODEV)
    C_(ENOTDIR) C_(EISDIR) C_(EINVAL) C_(ENFILE) C_(EMFILE) C_(ENOTTY)
    C_(ETXTBSY) C_(EFBIG) C_(ENOSPC) C_(ESPIPE) C_(EROFS) C_(EMLINK)
    C_(EPIPE) C_(EDOM) C_(ERANGE) C_(EDEADLK) C_(ENAMETOOLONG) C_(ENOLCK)
    C_(ENOSYS) C_(ENOTEMPTY) C_(ELOOP) C_(ENOMSG) C_(EIDRM) C_(ENODATA)
    C_(ETIME) C_(EOVERFLOW) C_(EBADFD) C_(ENOTSOCK) C_(EDESTADDRREQ)
    C_(EMSGSIZE) C_(EPROTOTYPE) C_(ENOPROTOOPT) C_(EPROTONOSUPPORT)
    C_(ESOCKTNOSUPPORT) C_(EOPNOTSUPP) C_(EPFNOSUPPORT) C_(EAFNOSUPPORT)
    C_(EADDRINUSE) C_(EADDRNOTAVAIL) C_(ENETDOWN) C_(ENETUNREACH)
    C_(ECONNABORTED) C_(ECONNRESET) C_(ENOBUFS) C_(EISCONN) C_(ENOTCONN)
    C_(ESHUTDOWN) C_(ETIMEDOUT) C_(ECONNREFUSED) C_(EHOSTUNREACH)
    C_(EALREADY) C_(EINPROGRESS) C_(ESTALE) C_(EDQUOT) C_(ECANCELED)
    C_(EOWNERDEAD) C_(ENOTRECOVERABLE) C_(EKEYEXPIRED)
#undef C_
    case 0: return "0";
    }
    snprintf(buf, sizeof buf, "E%d", e);
    return buf;
}

/* Line-buffer stdout so a fork() never duplicates unflushed output. */
__attribute__((constructor)) static void contract_init_(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
}

/* key=value facts. */
#define FACT(key, fmt, ...) printf("%s=" fmt "\n", (key), __VA_ARGS__)
#define FACT_INT(key, v)    printf("%s=%ld\n", (key), (long)(v))
#define FACT_BOOL(key, c)   printf("%s=%d\n", (key), (c) ? 1 : 0)
#define FACT_STR(key, s)    printf("%s=%s\n", (key), (s))
#define FACT_ERRNO(key, e)  printf("%s=%s\n", (key), errname(e))

/* Syscall-style call (-1 + errno on failure): prints the return value or the errno name. */
#define CHECK_RET(key, expr) do { errno = 0; long r_ = (long)(expr); \
    if (r_ == -1) printf("%s=%s\n", (key), errname(errno)); \
    else printf("%s=%ld\n", (key), r_); } while (0)
/* Same, but prints "ok" instead of a success value that may vary (fds, pids, addresses). */
#define CHECK_OK(key, expr) do { errno = 0; long r_ = (long)(expr); \
    if (r_ == -1) printf("%s=%s\n", (key), errname(errno)); \
    else printf("%s=ok\n", (key)); } while (0)
/* pthread-style call returning 0 or an error number. */
#define CHECK_RC(key, expr) do { int rc_ = (expr); \
    printf("%s=%s\n", (key), rc_ ? errname(rc_) : "0"); } while (0)

/* A setup step that must succeed; on failure print where and stop (exit 1). */
#define SETUP(expr) do { errno = 0; if ((long)(expr) == -1) { \
    printf("setup_failed_line=%d errno=%s\n", __LINE__, errname(errno)); \
    exit(1); } } while (0)

#define DONE() do { printf("done\n"); fflush(stdout); exit(0); } while (0)

/* Small file helpers (relative paths are relative to the scratch cwd). */
static inline __attribute__((unused)) int write_file(const char *path, const char *s)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return -1;
    size_t n = strlen(s);
    ssize_t w = write(fd, s, n);
    close(fd);
    return w == (ssize_t)n ? 0 : -1;
}

/* Reads up to cap-1 bytes, NUL-terminates; returns bytes read or -1. */
static inline __attribute__((unused)) ssize_t read_file(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    size_t off = 0;
    while (off + 1 < cap) {
        ssize_t r = read(fd, buf + off, cap - 1 - off);
        if (r <= 0) break;
        off += (size_t)r;
    }
    buf[off] = 0;
    close(fd);
    return (ssize_t)off;
}

/* Monotonic milliseconds, for coarse elapsed-time facts. */
#include <time.h>
static inline __attribute__((unused)) long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static inline __attribute__((unused)) void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {}
}

/* Wait (bounded) until process pid sleeps (state S in /proc/PID/stat): a blocking call
 * has parked, so a signal or a wake-up sent now meets it there. */
static inline __attribute__((unused)) void wait_sleeping(pid_t pid)
{
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    for (int i = 0; i < 2000; i++) {
        int fd = open(path, O_RDONLY);
        ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
        if (fd >= 0)
            close(fd);
        if (n > 0) {
            buf[n] = 0;
            char *p = strrchr(buf, ')');
            if (p && p[2] == 'S')
                return;
        }
        usleep(1000);
    }
}

#endif
