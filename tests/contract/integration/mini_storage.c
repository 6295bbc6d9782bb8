/* Integration (seed 000, Kevlar M5 mini_storage): an ext2 disk mounted at argv[1] (default /mnt/disk0) holding greeting.txt ("hello from ext2\n"), subdir/nested.txt, link.txt -> greeting.txt and an executable "hello"; a tmpfs at argv[2] (default /tmp). Prints TEST_PASS/TEST_FAIL per check. */
#include "../lib/contract.h"
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/sendfile.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <stdint.h>
#include <limits.h>

#define EXT2_SUPER_MAGIC 0xEF53
#define TMPFS_MAGIC 0x01021994

static const char *mnt = "/mnt/disk0", *tmp = "/tmp";
static char scratch[PATH_MAX];   /* writable scratch dir on the disk */
static int passed, failed;

static void report(const char *name, int ok)
{
    printf("%s %s\n", ok ? "TEST_PASS" : "TEST_FAIL", name);
    if (ok) passed++; else failed++;
}

static char *on_disk(const char *rel)
{
    static char p[4][PATH_MAX + 64];
    static int k;
    k = (k + 1) & 3;
    snprintf(p[k], sizeof p[k], "%s/%s", mnt, rel);
    return p[k];
}

static int t_statfs_ext2(void)
{
    struct statfs sf;
    return statfs(mnt, &sf) == 0 && sf.f_type == EXT2_SUPER_MAGIC;
}

static int t_statfs_tmpfs(void)
{
    struct statfs sf;
    return statfs(tmp, &sf) == 0 && sf.f_type == TMPFS_MAGIC;
}

struct sx_ts { int64_t tv_sec; uint32_t tv_nsec; int32_t r; };
struct sx {
    uint32_t mask, blksize; uint64_t attributes; uint32_t nlink, uid, gid; uint16_t mode, pad1;
    uint64_t ino, size, blocks, attributes_mask; struct sx_ts atime, btime, ctime, mtime;
    uint32_t rdev_major, rdev_minor, dev_major, dev_minor; uint64_t mnt_id; uint64_t spare[13];
};

static int t_statx_size(void)
{
    struct sx b;
    memset(&b, 0, sizeof b);
    if (syscall(SYS_statx, AT_FDCWD, on_disk("greeting.txt"), 0, 0x7ff, &b)) return 0;
    char buf[64] = {0};
    read_file(on_disk("greeting.txt"), buf, sizeof buf);
    char nested[64] = {0};
    read_file(on_disk("subdir/nested.txt"), nested, sizeof nested);
    char lnk[64] = {0};
    readlink(on_disk("link.txt"), lnk, sizeof lnk - 1);
    return b.size == 16 && (b.mask & 0x200) && S_ISREG(b.mode) && !strcmp(buf, "hello from ext2\n") &&
           !strcmp(nested, "nested file\n") && !strcmp(lnk, "greeting.txt");
}

static int t_utimensat(void)
{
    char p[PATH_MAX + 64];
    snprintf(p, sizeof p, "%s/utime", scratch);
    if (write_file(p, "t")) return 0;
    struct timespec ts[2] = { { 1000000000, 0 }, { 1100000000, 0 } };
    if (utimensat(AT_FDCWD, p, ts, 0)) return 0;
    struct stat st;
    if (stat(p, &st)) return 0;
    return st.st_atim.tv_sec == 1000000000 && st.st_mtim.tv_sec == 1100000000;
}

static int t_inotify_epoll(void)
{
    int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    int wd = inotify_add_watch(in, scratch, IN_CREATE);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = in }, out[1];
    if (in < 0 || wd < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, in, &ev)) return 0;
    char p[PATH_MAX + 64];
    snprintf(p, sizeof p, "%s/created", scratch);
    int fd = open(p, O_CREAT | O_WRONLY, 0644);
    if (fd < 0) return 0;
    close(fd);
    int n = epoll_wait(ep, out, 1, 1000);
    char buf[4096] __attribute__((aligned(8)));
    ssize_t r = read(in, buf, sizeof buf);
    struct inotify_event *e = (struct inotify_event *)buf;
    int ok = n == 1 && r > 0 && (e->mask & IN_CREATE) && e->len && !strcmp(e->name, "created");
    close(ep); close(in);
    return ok;
}

static int t_sendfile_ext2(void)
{
    char dir[PATH_MAX], dst[PATH_MAX + 64];
    snprintf(dir, sizeof dir, "%s/kevlar-contract-XXXXXX", tmp);
    if (!mkdtemp(dir)) return 0;
    snprintf(dst, sizeof dst, "%s/copy", dir);
    int in = open(on_disk("greeting.txt"), O_RDONLY);
    int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ssize_t n = (in >= 0 && out >= 0) ? sendfile(out, in, NULL, 4096) : -1;
    close(in); close(out);
    char buf[64] = {0};
    read_file(dst, buf, sizeof buf);
    unlink(dst);
    rmdir(dir);
    return n == 16 && !strcmp(buf, "hello from ext2\n");
}

static int t_exec_disk(void)
{
    int p[2];
    if (pipe(p)) return 0;
    pid_t c = fork();
    if (c == 0) {
        dup2(p[1], 1);
        close(p[0]); close(p[1]);
        char *args[] = { on_disk("hello"), NULL }, *env[] = { NULL };
        execve(args[0], args, env);
        _exit(127);
    }
    close(p[1]);
    char buf[64] = {0};
    size_t got = 0;
    for (;;) { ssize_t r = read(p[0], buf + got, sizeof buf - 1 - got); if (r <= 0) break; got += r; }
    close(p[0]);
    int st = 0;
    return waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0 && !strcmp(buf, "hello from disk!\n");
}

static int t_proc_maps(void)
{
    static char buf[65536];
    return read_file("/proc/self/maps", buf, sizeof buf) > 0 && strstr(buf, "[stack]");
}

static int t_proc_cpuinfo(void)
{
    static char buf[1 << 18];
    return read_file("/proc/cpuinfo", buf, sizeof buf) > 0 && strstr(buf, "processor");
}

static void rm_scratch(void)
{
    char p[PATH_MAX + 64];
    const char *names[] = { "utime", "created" };
    for (int i = 0; i < 2; i++) { snprintf(p, sizeof p, "%s/%s", scratch, names[i]); unlink(p); }
    rmdir(scratch);
}

int main(int argc, char **argv)
{
    if (argc > 1) mnt = argv[1];
    if (argc > 2) tmp = argv[2];
    snprintf(scratch, sizeof scratch, "%s/.contract-XXXXXX", mnt);
    int have_scratch = mkdtemp(scratch) != NULL;
    report("statfs_ext2", t_statfs_ext2());
    report("statfs_tmpfs", t_statfs_tmpfs());
    report("statx_size", t_statx_size());
    report("utimensat", have_scratch && t_utimensat());
    report("inotify_epoll", have_scratch && t_inotify_epoll());
    report("sendfile_ext2", t_sendfile_ext2());
    report("exec_disk", t_exec_disk());
    report("proc_maps", t_proc_maps());
    report("proc_cpuinfo", t_proc_cpuinfo());
    if (have_scratch) rm_scratch();
    int np = passed, nf = failed;
    report("mini_storage_all", nf == 0);
    FACT("summary", "%d_passed_%d_failed", np, nf);
    DONE();
}
