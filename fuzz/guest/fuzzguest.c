/* fuzzguest: runs a generated syscall program (one op per line on stdin) and prints one
 * normalized result per op: the return value or the errno name, the bytes read, the stat
 * fields that are comparable between file systems of the same kind. Built with
 * musl-gcc -static -O1; run natively in a fresh tmpfs directory and under kevlar-trace,
 * and the two outputs are compared by fuzz/ (see fuzz/README.md).
 *
 * Program lines: `op arg...`; an arg is an integer (decimal or 0x hex, may be negative)
 * or, for the `sys` op, a pointer token (@buf+N, @end-N, @ro, @none, @path, @long, @kern)
 * or @self (our pid).
 * Paths are indices into PATHS below (`fuzzguest --paths` prints them for the generator).
 * fds 0-2 are never named by generated programs; results go to stdout.
 */
#include "../../tests/contract/lib/contract.h"
#include <dirent.h>
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>

/* Relative names only, none leaving the scratch directory ("..", absolute names and
 * symlink targets with ".." are deliberately absent: the native side must stay inside). */
static const char *PATHS[] = {
    "a", "b", "c", "d", "e", "d/a", "d/b", "d/f", "d/f/g", "e/a",
    "l", "m", "d/l", "a/x", "d/", "a/", ".", "", "nx/y", "l/a",
    "d/f/../a", "./b", "e/", "d/f/", 
};
#define NPATHS ((int)(sizeof PATHS / sizeof PATHS[0]))

static char cwd0[4096];
static size_t cwd0_len;

static const char *path(long i)
{
    if (i < 0 || i >= NPATHS) return "a";
    return PATHS[i];
}

/* ---- output ------------------------------------------------------------------------- */

static void res(long r)
{
    if (r < 0 && r > -4096) printf(" = %s\n", errname((int)-r));
    else printf(" = %ld\n", r);
}

/* errno-style: -1 + errno -> -errno */
static long E(long r) { return r == -1 ? -errno : r; }

static void print_bytes(const unsigned char *b, long n)
{
    printf(" \"");
    for (long i = 0; i < n; i++) {
        if (b[i] >= 0x20 && b[i] < 0x7f && b[i] != '"' && b[i] != '\\') putchar(b[i]);
        else printf("\\x%02x", b[i]);
    }
    printf("\"");
}

static void print_stat(const struct stat *st)
{
    printf(" mode=0%o nlink=%lu uid=%u gid=%u", st->st_mode, (unsigned long)st->st_nlink,
           st->st_uid, st->st_gid);
    if (!S_ISDIR(st->st_mode)) printf(" size=%lld", (long long)st->st_size);
    if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
        printf(" rdev=%u:%u", major(st->st_rdev), minor(st->st_rdev));
}

/* musl ships no <linux/stat.h>: the statx layout from include/uapi/linux/stat.h. */
struct sx_ts { int64_t tv_sec; uint32_t tv_nsec; int32_t r; };
struct sx {
    uint32_t mask, blksize; uint64_t attributes; uint32_t nlink, uid, gid; uint16_t mode, pad1;
    uint64_t ino, size, blocks, attributes_mask; struct sx_ts atime, btime, ctime, mtime;
    uint32_t rdev_major, rdev_minor, dev_major, dev_minor; uint64_t mnt_id; uint64_t spare[13];
};

/* ---- fd names ------------------------------------------------------------------------ */

/* Data written by `write`/`pwrite`: N bytes of a pattern that depends on the op number. */
static unsigned char pattern[65536];

static void fill_pattern(long opno, long n)
{
    for (long i = 0; i < n && i < (long)sizeof pattern; i++)
        pattern[i] = (unsigned char)('a' + (opno + i) % 26);
}

/* ---- process family ------------------------------------------------------------------ */

#define MAXKIDS 16
static pid_t kids[MAXKIDS];
static int reaped[MAXKIDS];
static int killable[MAXKIDS];   /* not acting on its own: a kill's effect is not a race */
static long kidhow[MAXKIDS];
static int nkids;
static volatile sig_atomic_t counts[65];
static volatile sig_atomic_t alarmed;

static void counter(int sig) { if (sig > 0 && sig < 65) counts[sig]++; }
static void on_alarm(int sig) { (void)sig; alarmed = 1; }

static int kid_index(pid_t p)
{
    for (int i = 0; i < nkids; i++)
        if (kids[i] == p) return i;
    return -1;
}

/* Signals a generated program may send or handle (never SIGALRM: the wait bound). */
static int safe_sig(long s)
{
    switch (s) {
    case 0: case SIGHUP: case SIGINT: case SIGUSR1: case SIGUSR2: case SIGTERM: case SIGCHLD:
    case SIGCONT: case SIGSTOP: case SIGKILL: case SIGTSTP: case SIGPIPE: case SIGWINCH:
        return 1;
    }
    return 0;
}

static void child_body(long how, long arg)
{
    char c = 'x';
    long r;
    if ((how == 2 || how == 4) && arg < 3) arg += 3;   /* never the output fds */
    switch (how) {
    case 0: _exit((int)arg & 0xff);
    case 1: for (;;) pause();
    case 2: r = read((int)arg, &c, 1); _exit(r < 0 ? 100 + errno % 100 : (int)r + 10);
    case 3: _exit(0);   /* (was: signal the parent; its wait raced with the signal) */
    case 4: r = write((int)arg, &c, 1); _exit(r < 0 ? 100 + errno % 100 : (int)r + 10);
    case 5: raise(safe_sig(arg) ? (int)arg : 0); _exit(3);
    case 6: raise(SIGSTOP); _exit(4);
    default: _exit(99);
    }
}

static void print_status(int st)
{
    if (WIFEXITED(st)) printf(" exited=%d", WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) printf(" signaled=%d", WTERMSIG(st));
    else if (WIFSTOPPED(st)) printf(" stopped=%d", WSTOPSIG(st));
    else if (WIFCONTINUED(st)) printf(" continued");
    else printf(" status=0x%x", st);
}

/* ---- hostile family ------------------------------------------------------------------ */

static unsigned char *arena;        /* [rw 64K][ro 4K][none 4K] */
#define RW_SIZE 65536
static char longpath[6000];

/* Syscalls the hostile family may call with random arguments: harmless natively as root
 * whatever the arguments, given that fds 0-2 and pids are never generated and path
 * arguments are only the @path/@long/@none/... tokens. Left out: kill, reboot, mount,
 * ptrace, mmap/mprotect, prlimit64, set*id (the host); mknod (a device node opened for
 * writing is the host's disk); fallocate, copy_file_range, sendfile, splice, tee (gigabytes
 * of tmpfs memory from one call); the sleeping calls and sigmask changers (hangs); the
 * ones whose success value differs by nature (time, times, getpid, getgroups, getcwd). */
static const long HOSTILE_OK[] = {
    SYS_read, SYS_write, SYS_open, SYS_close, SYS_stat, SYS_fstat, SYS_lstat, SYS_lseek,
    SYS_pread64, SYS_pwrite64, SYS_readv, SYS_writev, SYS_access, SYS_pipe, SYS_dup,
    SYS_dup2, SYS_socketpair, SYS_uname, SYS_fcntl, SYS_flock, SYS_fsync, SYS_fdatasync,
    SYS_truncate, SYS_ftruncate, SYS_getdents, SYS_chdir, SYS_fchdir, SYS_rename,
    SYS_mkdir, SYS_rmdir, SYS_creat, SYS_link, SYS_unlink, SYS_symlink, SYS_readlink,
    SYS_chmod, SYS_fchmod, SYS_umask, SYS_gettimeofday, SYS_getrlimit, SYS_sysinfo,
    SYS_getuid, SYS_getgid, SYS_geteuid, SYS_getegid, SYS_rt_sigpending, SYS_statfs,
    SYS_fstatfs, SYS_getdents64, SYS_clock_gettime, SYS_clock_getres, SYS_epoll_ctl,
    SYS_openat, SYS_mkdirat, SYS_newfstatat, SYS_unlinkat, SYS_renameat, SYS_linkat,
    SYS_symlinkat, SYS_readlinkat, SYS_fchmodat, SYS_faccessat, SYS_utimensat,
    SYS_timerfd_create, SYS_eventfd, SYS_timerfd_settime, SYS_timerfd_gettime,
    SYS_eventfd2, SYS_epoll_create1, SYS_dup3, SYS_pipe2, SYS_preadv, SYS_pwritev,
    SYS_renameat2, SYS_getrandom, SYS_memfd_create, SYS_statx, SYS_preadv2, SYS_pwritev2,
    SYS_faccessat2, SYS_epoll_create, SYS_wait4, SYS_readahead, SYS_fadvise64,
    SYS_sync_file_range, SYS_inotify_init1, SYS_inotify_add_watch, SYS_inotify_rm_watch,
    SYS_signalfd4, SYS_getxattr, SYS_lgetxattr, SYS_fgetxattr, SYS_listxattr,
    SYS_flistxattr, SYS_utime, SYS_utimes, SYS_futimesat, SYS_openat2, 452 /* fchmodat2 */,
    SYS_llistxattr, SYS_setxattr, SYS_lsetxattr, SYS_fsetxattr, SYS_removexattr,
    SYS_lremovexattr, SYS_fremovexattr, 463, 464, 465, 466 /* *xattrat */, 451 /* cachestat */,
    SYS_kcmp, SYS_ioprio_get, SYS_ioprio_set, 434 /* pidfd_open */, 424 /* pidfd_send_signal */,
    438 /* pidfd_getfd */, SYS_process_vm_readv, SYS_process_vm_writev,
};

/* Calls that could reach past the program itself, whatever the generator sends: a pid
 * other than our own (0 is "self" for these), a signal that is delivered, an I/O priority
 * of a user's processes (set: the host's; get: an answer made of the host's other
 * processes, not of Linux's rules). */
static int beyond_self(long nr, const long *x)
{
    int me = getpid(), a0 = (int)x[0], a1 = (int)x[1];   /* the kernel's int arguments */
    switch (nr) {
    case SYS_kcmp: return (a0 != me && a0 > 0) || (a1 != me && a1 > 0);
    case SYS_process_vm_readv: case SYS_process_vm_writev: case 434:
        return a0 != me && a0 > 0 && a0 != 0x7ffffff0;
    case SYS_ioprio_get: case SYS_ioprio_set:
        return a0 >= 1 && a0 <= 3 && !((a0 == 1 || a0 == 2) && (a1 == 0 || a1 == me));
    case 424: return a1 > 0 && a1 <= 64;
    }
    return 0;
}

static int hostile_ok(long nr)
{
    for (size_t i = 0; i < sizeof HOSTILE_OK / sizeof HOSTILE_OK[0]; i++)
        if (HOSTILE_OK[i] == nr) return 1;
    return 0;
}

static int low_fd(long v) { return v >= 0 && v <= 2; }

/* Syscalls whose argument `i` is an fd (that must never be 0-2) or a range of fds. */
static int names_low_fd(long nr, const long *a)
{
    switch (nr) {
    case SYS_close: case SYS_fstat: case SYS_lseek: case SYS_fcntl: case SYS_flock:
    case SYS_fsync: case SYS_fdatasync: case SYS_ftruncate: case SYS_getdents:
    case SYS_fchdir: case SYS_fchmod: case SYS_fstatfs: case SYS_getdents64:
    case SYS_fallocate: case SYS_timerfd_settime: case SYS_timerfd_gettime:
    case SYS_fgetxattr: case SYS_flistxattr: case SYS_fsetxattr: case SYS_fremovexattr:
    case 451: case 424: case SYS_readahead: case SYS_fadvise64:
    case SYS_sync_file_range: case SYS_inotify_add_watch: case SYS_inotify_rm_watch:
    case SYS_epoll_wait: case SYS_epoll_pwait: case SYS_read: case SYS_write:
    case SYS_pread64: case SYS_pwrite64: case SYS_readv: case SYS_writev: case SYS_preadv:
    case SYS_pwritev: case SYS_preadv2: case SYS_pwritev2:
        return low_fd(a[0]);
    case SYS_dup: return low_fd(a[0]);
    case SYS_dup2: case SYS_dup3: case 438: return low_fd(a[0]) || low_fd(a[1]);
    case SYS_epoll_ctl: return low_fd(a[0]) || low_fd(a[2]);
    case SYS_copy_file_range: case SYS_tee: case SYS_splice:
        return low_fd(a[0]) || low_fd(a[2]);
    case SYS_sendfile: return low_fd(a[0]) || low_fd(a[1]);
    case SYS_signalfd4: return low_fd(a[0]) && a[0] != -1;
    case SYS_close_range: return (unsigned long)a[0] <= 2;
    case SYS_poll: case SYS_ppoll: case SYS_select: case SYS_pselect6: return 0;
    }
    return 0;
}

static long token(const char *t)
{
    if (t[0] != '@') return (long)strtoull(t, NULL, 0);
    long off = 0;
    const char *p = strpbrk(t, "+-");
    if (p) off = strtol(p, NULL, 0);
    size_t n = p ? (size_t)(p - t) : strlen(t);
    if (!strncmp(t, "@buf", n)) return (long)(arena + off);
    if (!strncmp(t, "@end", n)) return (long)(arena + RW_SIZE + off);   /* off usually <0 */
    if (!strncmp(t, "@ro", n)) return (long)(arena + RW_SIZE + off);
    if (!strncmp(t, "@none", n)) return (long)(arena + RW_SIZE + 4096 + off);
    if (!strncmp(t, "@path", n)) return (long)(arena + 60000);          /* "a\0" */
    if (!strncmp(t, "@long", n)) return (long)longpath;
    if (!strncmp(t, "@kern", n)) return (long)(0xffff800000000000UL + off);
    if (!strncmp(t, "@self", n)) return (long)getpid();
    return 0;
}

/* ---- the interpreter ----------------------------------------------------------------- */

#define MAXARGS 8

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--paths")) {
        for (int i = 0; i < NPATHS; i++) printf("%s\n", PATHS[i]);
        return 0;
    }
    umask(022);
    if (!getcwd(cwd0, sizeof cwd0)) return 2;
    cwd0_len = strlen(cwd0);
    arena = mmap(NULL, RW_SIZE + 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                 -1, 0);
    if (arena == MAP_FAILED) return 2;
    mprotect(arena + RW_SIZE, 4096, PROT_READ);
    mprotect(arena + RW_SIZE + 4096, 4096, PROT_NONE);
    strcpy((char *)arena + 60000, "a");
    memset(longpath, 'x', sizeof longpath - 1);
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;                       /* no SA_RESTART: bounds blocking waits */
    sigaction(SIGALRM, &sa, NULL);

    static char line[4096];
    static unsigned char buf[65536];
    long opno = 0;
    while (fgets(line, sizeof line, stdin)) {
        struct itimerval disarm = {{0, 0}, {0, 0}};
        setitimer(ITIMER_REAL, &disarm, NULL);
        char *tok[MAXARGS + 1];
        int nt = 0;
        for (char *s = strtok(line, " \t\n"); s && nt <= MAXARGS; s = strtok(NULL, " \t\n"))
            tok[nt++] = s;
        if (nt == 0) continue;
        long a[MAXARGS] = {0};
        for (int i = 1; i < nt; i++) a[i - 1] = token(tok[i]);
        const char *op = tok[0];
#define IS(name) (!strcmp(op, name))
        opno++;
        printf("%ld %s", opno, op);
        errno = 0;
        long n = a[1] < 0 ? 0 : a[1] > (long)sizeof buf ? (long)sizeof buf : a[1];
        /* Calls that may block (a read of an empty pipe, a wait) end with EINTR after
         * 250 ms: ITIMER_REAL and a SIGALRM handler without SA_RESTART. */
        struct itimerval bound = {{0, 0}, {0, 250000}}, unbound = {{0, 0}, {0, 0}};
        int bounded = IS("read") || IS("write") || IS("pread") || IS("pwrite") || IS("sys")
                      || IS("wait") || IS("efd_write");
        if (bounded) setitimer(ITIMER_REAL, &bound, NULL);
        if (IS("open")) res(E(open(path(a[0]), (int)a[1], (mode_t)a[2])));
        else if (IS("openat")) res(E(openat((int)a[0], path(a[1]), (int)a[2], (mode_t)a[3])));
        else if (IS("creat")) res(E(creat(path(a[0]), (mode_t)a[1])));
        else if (IS("close")) res(E(close((int)a[0])));
        else if (IS("read")) {
            long r = E(read((int)a[0], buf, (size_t)n));
            if (r > 0) { printf(" = %ld", r); print_bytes(buf, r); printf("\n"); } else res(r);
        } else if (IS("pread")) {
            long r = E(pread((int)a[0], buf, (size_t)n, (off_t)a[2]));
            if (r > 0) { printf(" = %ld", r); print_bytes(buf, r); printf("\n"); } else res(r);
        } else if (IS("write")) { fill_pattern(opno, n); res(E(write((int)a[0], pattern, (size_t)n))); }
        else if (IS("pwrite")) {
            fill_pattern(opno, n);
            res(E(pwrite((int)a[0], pattern, (size_t)n, (off_t)a[2])));
        } else if (IS("lseek")) res(E(lseek((int)a[0], (off_t)a[1], (int)a[2])));
        else if (IS("ftruncate")) res(E(ftruncate((int)a[0], (off_t)a[1])));
        else if (IS("truncate")) res(E(truncate(path(a[0]), (off_t)a[1])));
        else if (IS("dup")) res(E(dup((int)a[0])));
        else if (IS("dup2")) res(E(dup2((int)a[0], (int)a[1])));
        else if (IS("dup3")) res(E(syscall(SYS_dup3, (int)a[0], (int)a[1], (int)a[2])));
        else if (IS("pipe2")) {
            int p[2];
            long r = E(pipe2(p, (int)a[0]));
            if (r == 0) printf(" = 0 [%d %d]\n", p[0], p[1]); else res(r);
        } else if (IS("mkdir")) res(E(mkdir(path(a[0]), (mode_t)a[1])));
        else if (IS("rmdir")) res(E(rmdir(path(a[0]))));
        else if (IS("unlink")) res(E(unlink(path(a[0]))));
        else if (IS("unlinkat")) res(E(unlinkat((int)a[0], path(a[1]), (int)a[2])));
        else if (IS("rename")) res(E(rename(path(a[0]), path(a[1]))));
        else if (IS("renameat2"))
            res(E(syscall(SYS_renameat2, AT_FDCWD, path(a[0]), AT_FDCWD, path(a[1]), (unsigned)a[2])));
        else if (IS("link")) res(E(link(path(a[0]), path(a[1]))));
        else if (IS("linkat")) res(E(linkat(AT_FDCWD, path(a[0]), AT_FDCWD, path(a[1]), (int)a[2])));
        else if (IS("symlink")) res(E(symlink(path(a[0]), path(a[1]))));
        else if (IS("readlink")) {
            long r = E(syscall(SYS_readlink, path(a[0]), buf, (size_t)n));
            if (r > 0) { printf(" = %ld", r); print_bytes(buf, r); printf("\n"); } else res(r);
        } else if (IS("getdents")) {
            long r = E(syscall(SYS_getdents64, (int)a[0], buf, (size_t)(n ? n : 4096)));
            if (r <= 0) { res(r); continue; }
            /* entries sorted by name: the order of a directory is not specified */
            char names[256][64];
            int k = 0;
            for (long off = 0; off < r && k < 256;) {
                struct { uint64_t ino; int64_t off; unsigned short reclen; unsigned char type;
                         char name[]; } *d = (void *)(buf + off);
                snprintf(names[k++], sizeof names[0], "%s:%d", d->name, d->type);
                off += d->reclen;
            }
            qsort(names, (size_t)k, sizeof names[0], (int (*)(const void *, const void *))strcmp);
            printf(" = n%d", k);
            for (int i = 0; i < k; i++) printf(" %s", names[i]);
            printf("\n");
        } else if (IS("stat") || IS("lstat") || IS("fstat")) {
            struct stat st;
            long r = IS("stat") ? E(stat(path(a[0]), &st)) : IS("lstat") ? E(lstat(path(a[0]), &st))
                   : E(fstat((int)a[0], &st));
            if (r == 0) { printf(" = 0"); print_stat(&st); printf("\n"); } else res(r);
        } else if (IS("statx")) {
            struct sx x;
            memset(&x, 0xee, sizeof x);
            long r = E(syscall(SYS_statx, (int)a[0], path(a[1]), (int)a[2], (unsigned)a[3], &x));
            if (r) { res(r); continue; }
            printf(" = 0 mask=0x%x mode=0%o", x.mask & 0x7ff, x.mode);
            if (x.mask & 0x4) printf(" nlink=%u", x.nlink);
            if ((x.mask & 0x200) && !S_ISDIR(x.mode)) printf(" size=%llu", (unsigned long long)x.size);
            printf("\n");
        } else if (IS("fcntl")) res(E(fcntl((int)a[0], (int)a[1], a[2])));
        else if (IS("chdir")) res(E(chdir(path(a[0]))));
        else if (IS("fchdir")) res(E(fchdir((int)a[0])));
        else if (IS("getcwd")) {
            char c[4096];
            if (!getcwd(c, sizeof c)) { res(-errno); continue; }
            printf(" = .%s\n", strncmp(c, cwd0, cwd0_len) ? c : c + cwd0_len);
        } else if (IS("access")) res(E(access(path(a[0]), (int)a[1])));
        else if (IS("chmod")) res(E(chmod(path(a[0]), (mode_t)a[1])));
        else if (IS("fchmod")) res(E(fchmod((int)a[0], (mode_t)a[1])));
        else if (IS("fsync")) res(E(fsync((int)a[0])));
        /* ---- process family ---- */
        else if (IS("fork")) {
            if (nkids >= MAXKIDS) { printf(" = skip\n"); continue; }
            fflush(stdout);
            pid_t p = fork();
            if (p == 0) child_body(a[0], a[1]);
            if (p < 0) { res(-errno); continue; }
            killable[nkids] = a[0] == 1;
            kidhow[nkids] = a[0];
            kids[nkids++] = p;
            printf(" = kid%d\n", nkids - 1);
        } else if (IS("kill")) {
            /* a[0]: kid index, or -1 for self; never another pid (the native side is real) */
            if (!safe_sig(a[1]) || a[0] >= nkids || a[0] < -1 ||
                (a[0] >= 0 && (reaped[a[0]] || !killable[a[0]]))) {
                printf(" = skip\n");
                continue;
            }
            if (a[0] == -1 && (a[1] == SIGKILL || a[1] == SIGSTOP || a[1] == SIGTSTP)) {
                printf(" = skip\n");
                continue;
            }
            long r = E(kill(a[0] == -1 ? getpid() : kids[a[0]], (int)a[1]));
            /* a continued self-stopper goes on to exit by itself */
            if (a[0] >= 0 && a[1] == SIGCONT && kidhow[a[0]] == 6) killable[a[0]] = 0;
            res(r);
        } else if (IS("wait")) {
            /* a[0]: kid index or -1 (any); a[1]: WUNTRACED|WCONTINUED|WNOHANG bits.
             * Blocking waits are bounded (250 ms, then EINTR). */
            pid_t who = a[0] == -1 ? -1 : (a[0] >= 0 && a[0] < nkids) ? kids[a[0]] : 0x7ffffff0;
            int st = 0;
            long r = E(waitpid(who, &st, (int)a[1] & (WUNTRACED | WCONTINUED | WNOHANG)));
            if (r > 0) {
                int k = kid_index((pid_t)r);
                if (k >= 0 && (WIFEXITED(st) || WIFSIGNALED(st))) reaped[k] = 1;
                if (k >= 0 && WIFSTOPPED(st)) killable[k] = 1;   /* a stopped child waits */
                printf(" = kid%d", k);
                print_status(st);
                printf("\n");
            } else res(r);
        } else if (IS("signal")) {
            /* a[1]: 0 default, 1 ignore, 2 counting handler (SA_RESTART), 3 without */
            if (!safe_sig(a[0]) || a[0] == 0) { printf(" = skip\n"); continue; }
            struct sigaction s = {0};
            s.sa_handler = a[1] == 0 ? SIG_DFL : a[1] == 1 ? SIG_IGN : counter;
            s.sa_flags = a[1] == 2 ? SA_RESTART : 0;
            res(E(sigaction((int)a[0], &s, NULL)));
        } else if (IS("sigmask")) {
            sigset_t set;
            sigemptyset(&set);
            if (safe_sig(a[1]) && a[1]) sigaddset(&set, (int)a[1]);
            res(E(sigprocmask(a[0] ? SIG_UNBLOCK : SIG_BLOCK, &set, NULL)));
        } else if (IS("sigcount")) {
            printf(" =");
            for (int s = 1; s < 32; s++)
                if (counts[s] && s != SIGCHLD) printf(" %d:%d", s, (int)counts[s]);
            printf("\n");
        } else if (IS("sigpending")) {
            sigset_t set;
            sigpending(&set);
            printf(" =");
            for (int s = 1; s < 32; s++)
                if (s != SIGALRM && s != SIGCHLD && sigismember(&set, s)) printf(" %d", s);
            printf("\n");
        }
        /* ---- events family (zero timeouts only) ---- */
        else if (IS("epoll_create")) res(E(epoll_create1((int)a[0])));
        else if (IS("epoll_ctl")) {
            struct epoll_event ev = { .events = (uint32_t)a[3], .data.u64 = (uint64_t)a[2] };
            res(E(epoll_ctl((int)a[0], (int)a[1], (int)a[2], a[4] ? NULL : &ev)));
        } else if (IS("epoll_wait")) {
            struct epoll_event evs[16];
            int max = a[1] > 16 ? 16 : (int)a[1];
            long r = E(epoll_wait((int)a[0], evs, max, 0));
            if (r <= 0) { res(r); continue; }
            /* sorted by fd: the order of the ready list is not specified */
            for (int i = 0; i < r; i++)
                for (int j = i + 1; j < r; j++)
                    if (evs[j].data.u64 < evs[i].data.u64) {
                        struct epoll_event t = evs[i]; evs[i] = evs[j]; evs[j] = t;
                    }
            printf(" = %ld", r);
            for (int i = 0; i < r; i++)
                printf(" %llu:0x%x", (unsigned long long)evs[i].data.u64, evs[i].events);
            printf("\n");
        } else if (IS("eventfd")) res(E(eventfd((unsigned)a[0], (int)a[1])));
        else if (IS("efd_write")) {
            uint64_t v = (uint64_t)a[1];
            res(E(write((int)a[0], &v, sizeof v)));
        } else if (IS("inotify_init")) res(E(inotify_init1((int)a[0])));
        else if (IS("inotify_add")) res(E(inotify_add_watch((int)a[0], path(a[1]), (uint32_t)a[2])));
        else if (IS("timerfd_create")) res(E(timerfd_create((int)a[0], (int)a[1])));
        else if (IS("timerfd_settime")) {
            /* a[2]: value in ms (0 disarms; -1 = absolute time 1 ns, long past); a[3]: interval ms */
            struct itimerspec its = {{a[3] / 1000, (a[3] % 1000) * 1000000L},
                                     {a[2] / 1000, (a[2] % 1000) * 1000000L}};
            int flags = (int)a[1];
            if (a[2] == -1) { its.it_value.tv_sec = 0; its.it_value.tv_nsec = 1; flags |= TFD_TIMER_ABSTIME; }
            res(E(timerfd_settime((int)a[0], flags, &its, NULL)));
        } else if (IS("timerfd_gettime")) {
            struct itimerspec its;
            long r = E(timerfd_gettime((int)a[0], &its));
            if (r) { res(r); continue; }
            printf(" = 0 armed=%d interval_ms=%ld\n", its.it_value.tv_sec || its.it_value.tv_nsec,
                   its.it_interval.tv_sec * 1000 + its.it_interval.tv_nsec / 1000000);
        } else if (IS("poll")) {
            struct pollfd p[3];
            int k = 0;
            for (int i = 0; i + 1 < nt - 1 && k < 3; i += 2, k++) {
                p[k].fd = (int)a[i]; p[k].events = (short)a[i + 1]; p[k].revents = 0;
            }
            long r = E(poll(p, (nfds_t)k, 0));
            if (r < 0) { res(r); continue; }
            printf(" = %ld", r);
            for (int i = 0; i < k; i++) printf(" 0x%x", p[i].revents);
            printf("\n");
        }
        /* ---- hostile family: a raw syscall with generated arguments ---- */
        else if (IS("sys")) {
            long nr = a[0], *x = a + 1;
            /* F_SETOWN, F_SETSIG, F_SETOWN_EX, F_SETLEASE, F_NOTIFY would aim SIGIO at a pid */
            int owner = nr == SYS_fcntl && (x[1] == 8 || x[1] == 10 || x[1] == 15 ||
                                            x[1] == 1024 || x[1] == 1026);
            if (!hostile_ok(nr) || names_low_fd(nr, x) || owner || beyond_self(nr, x)) { printf(" = skip\n"); continue; }
            printf(" %ld", nr);
            /* the buffers start each call with the same contents on both sides */
            memset(arena, 0, RW_SIZE);
            /* MFD_HUGETLB's answer depends on the host's hugetlbfs, not on Linux's rules */
            if (nr == SYS_memfd_create) x[1] &= ~(4L | (0x3fL << 26));
            strcpy((char *)arena + 60000, "a");
            res(E(syscall(nr, x[0], x[1], x[2], x[3], x[4], x[5])));
        } else printf(" = unknown-op\n");
        if (bounded) setitimer(ITIMER_REAL, &unbound, NULL);
    }
    /* Children left over: kill and reap them quietly. */
    for (int i = 0; i < nkids; i++)
        if (!reaped[i]) kill(kids[i], SIGKILL);
    while (waitpid(-1, NULL, __WALL) > 0) {}
    printf("end\n");
    return 0;
}
