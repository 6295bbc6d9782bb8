/* proc(5) /proc/PID: io counts read/write calls and bytes (rchar/wchar/syscr/syscw), wchan is "0" for a running task or a reader without ptrace access, loginuid/sessionid (audit_set_loginuid: self only, unset->set free, inherited by fork), coredump_filter (inherited), timerslack_ns (CAP_SYS_NICE for others), attr/ with no LSM (EINVAL, EPERM for others' writes). */
#include "../lib/contract.h"
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

struct io { long rchar, wchar, syscr, syscw; ssize_t len; };

/* One open and exactly one read(2) of /proc/self/io. */
static struct io snap(void)
{
    struct io v = {0};
    char buf[1024];
    int fd = open("/proc/self/io", O_RDONLY);
    if (fd < 0) return v;
    v.len = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[v.len > 0 ? v.len : 0] = 0;
    sscanf(buf, "rchar: %ld wchar: %ld syscr: %ld syscw: %ld", &v.rchar, &v.wchar, &v.syscr, &v.syscw);
    return v;
}

/* The errno of writing s to path (0 on success). */
static int try_write(const char *path, const char *s)
{
    int fd = open(path, O_WRONLY);
    if (fd < 0) return errno;
    ssize_t r = write(fd, s, strlen(s));
    int e = r < 0 ? errno : 0;
    close(fd);
    return e;
}

/* The file's text (without a newline), or the errno name of a failed read. */
static const char *show(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return errname(errno);
    ssize_t r = read(fd, buf, cap - 1);
    int e = errno;
    close(fd);
    if (r < 0) return errname(e);
    buf[r] = 0;
    buf[strcspn(buf, "\n")] = 0;
    return buf;
}

static int sleeping(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    for (int i = 0; i < 200; i++) {
        if (read_file(path, buf, sizeof buf) > 0) {
            char *r = strrchr(buf, ')');
            if (r && r[2] == 'S') return 1;
        }
        sleep_ms(5);
    }
    return 0;
}

int main(void)
{
    char buf[256], path[64], out[2048];
    static char data[1024];
    struct stat st;

    /* io: nothing is printed between the two snapshots. */
    struct io a = snap();
    int fd = open("data", O_CREAT | O_RDWR | O_TRUNC, 0644);
    if (fd < 0) return 1;
    ssize_t w1 = write(fd, data, 1000);
    ssize_t w2 = pwrite(fd, data, 24, 1000);
    lseek(fd, 0, SEEK_SET);
    ssize_t r1 = read(fd, data, sizeof data);
    ssize_t r2 = read(fd, data, sizeof data);
    ssize_t bad = read(-1, data, 1);
    close(fd);
    struct io b = snap();
    FACT("io_calls", "%zd %zd %zd %zd %zd", w1, w2, r1, r2, bad);
    FACT_INT("io_rchar_delta", b.rchar - a.rchar - a.len);
    FACT_INT("io_wchar_delta", b.wchar - a.wchar);
    FACT_INT("io_syscr_delta", b.syscr - a.syscr);
    FACT_INT("io_syscw_delta", b.syscw - a.syscw);
    SETUP(stat("/proc/self/io", &st));
    FACT("io_mode", "%o", st.st_mode & 07777);
    read_file("/proc/self/io", out, sizeof out);
    char *rb = strstr(out, "\nread_bytes: ");
    FACT_BOOL("io_has_block_lines", rb && strstr(out, "\nwrite_bytes: ") && strstr(out, "\ncancelled_write_bytes: "));

    /* wchan: our own is "0" (running) */
    FACT_STR("wchan_self", show("/proc/self/wchan", buf, sizeof buf));

    /* coredump_filter and timerslack_ns */
    FACT_STR("coredump_filter", show("/proc/self/coredump_filter", buf, sizeof buf));
    FACT_ERRNO("coredump_filter_set", try_write("/proc/self/coredump_filter", "0x23"));
    FACT_STR("coredump_filter_now", show("/proc/self/coredump_filter", buf, sizeof buf));
    FACT_ERRNO("coredump_filter_bad", try_write("/proc/self/coredump_filter", "zz"));
    FACT_STR("timerslack", show("/proc/self/timerslack_ns", buf, sizeof buf));
    FACT_ERRNO("timerslack_set", try_write("/proc/self/timerslack_ns", "100000"));
    FACT_INT("timerslack_prctl", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
    FACT_ERRNO("timerslack_bad", try_write("/proc/self/timerslack_ns", "x1"));
    SETUP(stat("/proc/self/timerslack_ns", &st));
    FACT("timerslack_mode", "%o", st.st_mode & 07777);

    /* attr/ with no LSM */
    FACT_STR("attr_current", show("/proc/self/attr/current", buf, sizeof buf));
    FACT_STR("attr_prev", show("/proc/self/attr/prev", buf, sizeof buf));
    FACT_STR("attr_exec", show("/proc/self/attr/exec", buf, sizeof buf));
    FACT_ERRNO("attr_current_write", try_write("/proc/self/attr/current", "x"));
    SETUP(stat("/proc/self/attr/prev", &st));
    FACT("attr_prev_mode", "%o", st.st_mode & 07777);
    SETUP(stat("/proc/self/attr/sockcreate", &st));
    FACT("attr_sockcreate_mode", "%o", st.st_mode & 07777);

    /* A child: loginuid, inheritance, non-root views of our files. */
    int p[2];
    SETUP(pipe(p));
    pid_t parent = getpid();
    pid_t c = fork();
    if (c == 0) {
        close(p[0]);
        char v[64];
        size_t n = 0;
#define OUT(...) (n += snprintf(out + n, sizeof out - n, __VA_ARGS__))
        OUT("child_coredump_filter=%s\n", show("/proc/self/coredump_filter", v, sizeof v));
        OUT("loginuid_unset=%d\n", !strcmp(show("/proc/self/loginuid", v, sizeof v), "4294967295"));
        OUT("sessionid_unset=%d\n", !strcmp(show("/proc/self/sessionid", v, sizeof v), "4294967295"));
        OUT("loginuid_bad=%s\n", errname(try_write("/proc/self/loginuid", "abc")));
        OUT("loginuid_range=%s\n", errname(try_write("/proc/self/loginuid", "4294967296")));
        snprintf(path, sizeof path, "/proc/%d/loginuid", (int)parent);
        OUT("loginuid_other=%s\n", errname(try_write(path, "7")));
        OUT("loginuid_set=%s\n", errname(try_write("/proc/self/loginuid", "1000\n")));
        OUT("loginuid_now=%s\n", show("/proc/self/loginuid", v, sizeof v));
        char sess[64];
        snprintf(sess, sizeof sess, "%s", show("/proc/self/sessionid", v, sizeof v));
        OUT("sessionid_set=%d\n", strcmp(sess, "4294967295") != 0);
        int q[2];
        if (pipe(q)) _exit(1);
        pid_t g = fork();
        if (g == 0) {
            char s2[64], l2[64];
            show("/proc/self/sessionid", s2, sizeof s2);
            show("/proc/self/loginuid", l2, sizeof l2);
            char r = (char)(!strcmp(s2, sess) + 2 * !strcmp(l2, "1000"));
            write(q[1], &r, 1);
            _exit(0);
        }
        char r = 0;
        read(q[0], &r, 1);
        waitpid(g, NULL, 0);
        OUT("fork_keeps_session=%d\nfork_keeps_loginuid=%d\n", r & 1, (r >> 1) & 1);
        OUT("loginuid_reset_root=%s\n", errname(try_write("/proc/self/loginuid", "1001")));
        OUT("sessionid_new=%d\n", strcmp(sess, show("/proc/self/sessionid", v, sizeof v)) != 0);
        if (setgid(65534) || setuid(65534)) _exit(1);
        OUT("loginuid_reset_user=%s\n", errname(try_write("/proc/self/loginuid", "5")));
        snprintf(path, sizeof path, "/proc/%d/timerslack_ns", (int)parent);
        OUT("user_parent_timerslack=%s\n", show(path, v, sizeof v));
        OUT("user_parent_timerslack_write=%s\n", errname(try_write(path, "1000")));
        OUT("user_own_timerslack=%s\n", show("/proc/self/timerslack_ns", v, sizeof v));
        snprintf(path, sizeof path, "/proc/%d/wchan", (int)parent);
        OUT("user_parent_wchan=%s\n", show(path, v, sizeof v));
        snprintf(path, sizeof path, "/proc/%d/io", (int)parent);
        OUT("user_parent_io=%s\n", errname(open(path, O_RDONLY) < 0 ? errno : 0));
        snprintf(path, sizeof path, "/proc/%d/attr/current", (int)parent);
        OUT("user_parent_attr_write=%s\n", errname(try_write(path, "x")));
        write(p[1], out, n);
        _exit(0);
    }
    close(p[1]);
    ssize_t got, total = 0;
    while ((got = read(p[0], out + total, sizeof out - 1 - total)) > 0) total += got;
    out[total] = 0;
    waitpid(c, NULL, 0);
    fputs(out, stdout);

    /* A sleeping child's wchan names a kernel function. */
    int s[2];
    SETUP(pipe(s));
    c = fork();
    if (c == 0) { close(s[1]); char x; read(s[0], &x, 1); _exit(0); }
    close(s[0]);
    FACT_BOOL("sleeper_asleep", sleeping(c));
    snprintf(path, sizeof path, "/proc/%d/wchan", (int)c);
    const char *wc = show(path, buf, sizeof buf);
    FACT_BOOL("sleeper_wchan_symbol", strcmp(wc, "0") && strspn(wc, "abcdefghijklmnopqrstuvwxyz_0123456789.") == strlen(wc) && *wc);
    close(s[1]);
    waitpid(c, NULL, 0);

    try_write("/proc/self/coredump_filter", "0x33");
    try_write("/proc/self/timerslack_ns", "0");
    FACT_STR("timerslack_reset", show("/proc/self/timerslack_ns", buf, sizeof buf));
    DONE();
}
