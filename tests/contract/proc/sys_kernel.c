/* proc(5) /proc/sys/kernel: ostype "Linux", osrelease equals uname release, hostname equals uname nodename, pid_max > 0; /proc/sys files end with a newline and reject writes from non-root (EACCES). */
#include "../lib/contract.h"
#include <sys/utsname.h>
#include <sys/wait.h>

static void rd(const char *p, char *buf, size_t cap) { read_file(p, buf, cap); buf[strcspn(buf, "\n")] = 0; }

int main(void)
{
    struct utsname u;
    uname(&u);
    char buf[256];
    ssize_t n = read_file("/proc/sys/kernel/ostype", buf, sizeof buf);
    FACT_BOOL("ostype_newline", n > 0 && buf[n - 1] == '\n');
    rd("/proc/sys/kernel/ostype", buf, sizeof buf); FACT_STR("ostype", buf);
    rd("/proc/sys/kernel/osrelease", buf, sizeof buf); FACT_BOOL("osrelease_same", !strcmp(buf, u.release));
    rd("/proc/sys/kernel/hostname", buf, sizeof buf); FACT_BOOL("hostname_same", !strcmp(buf, u.nodename));
    rd("/proc/sys/kernel/pid_max", buf, sizeof buf); FACT_BOOL("pid_max_positive", atol(buf) > 0);
    rd("/proc/sys/fs/nr_open", buf, sizeof buf); FACT_BOOL("nr_open_positive", atol(buf) > 0);
    pid_t c = fork();
    if (c == 0) {
        if (setuid(65534)) _exit(99);
        int fd = open("/proc/sys/kernel/hostname", O_WRONLY);
        _exit(fd < 0 && errno == EACCES ? 0 : 1);
    }
    int st;
    waitpid(c, &st, 0);
    FACT_BOOL("nonroot_write_eacces", WEXITSTATUS(st) == 0);
    CHECK_RET("missing_sysctl", open("/proc/sys/kernel/no_such_knob", O_RDONLY));
    DONE();
}
