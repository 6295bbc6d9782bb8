/* proc(5)/sysctl: knobs programs read to learn how the machine treats them (core_pattern for crash handlers, randomize_va_space and mmap_min_addr for JITs and debuggers, perf_event_paranoid for perf, tainted, swappiness, overcommit_ratio, file-nr) exist, are regular files of the right mode and hold one newline-terminated line of numbers (core_pattern: any text). */
#include "../lib/contract.h"

static void knob(const char *name, int numeric)
{
    char path[128], buf[512], key[64];
    snprintf(path, sizeof path, "/proc/sys/%s", name);
    struct stat st;
    snprintf(key, sizeof key, "%s", name);
    for (char *p = key; *p; p++) if (*p == '/' || *p == '-') *p = '_';
    if (stat(path, &st) < 0) { FACT_ERRNO(key, errno); return; }
    ssize_t n = read_file(path, buf, sizeof buf);
    int ok = n > 0 && buf[n - 1] == '\n' && memchr(buf, '\n', n) == buf + n - 1;
    if (numeric && ok)
        ok = strspn(buf, "0123456789 \t-\n") == (size_t)n;
    printf("%s=0%o %d\n", key, st.st_mode, ok);
}

int main(void)
{
    knob("kernel/core_pattern", 0);
    knob("kernel/core_uses_pid", 1);
    knob("kernel/randomize_va_space", 1);
    knob("kernel/perf_event_paranoid", 1);
    knob("kernel/tainted", 1);
    knob("vm/mmap_min_addr", 1);
    knob("vm/swappiness", 1);
    knob("vm/overcommit_ratio", 1);
    knob("fs/file-nr", 1);
    DONE();
}
