/* proc(5) /proc/self/limits: has the "Limit Soft Limit Hard Limit Units" header and a "Max open files" row whose soft/hard values equal getrlimit(RLIMIT_NOFILE), also after setrlimit. */
#include "../lib/contract.h"
#include <sys/resource.h>

static int row_matches(const char *name, struct rlimit *rl)
{
    char buf[8192];
    read_file("/proc/self/limits", buf, sizeof buf);
    char *p = strstr(buf, name);
    if (!p) return -1;
    p += 26;
    unsigned long long s, h;
    if (sscanf(p, "%llu %llu", &s, &h) != 2) return -2;
    return s == rl->rlim_cur && h == rl->rlim_max;
}

int main(void)
{
    char buf[8192];
    read_file("/proc/self/limits", buf, sizeof buf);
    FACT_BOOL("header", !strncmp(buf, "Limit", 5) && strstr(buf, "Soft Limit") && strstr(buf, "Hard Limit") && strstr(buf, "Units"));
    FACT_BOOL("has_max_open_files", strstr(buf, "\nMax open files") != NULL);
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    FACT_INT("nofile_row_matches", row_matches("Max open files", &rl));
    rl.rlim_cur = 77;
    setrlimit(RLIMIT_NOFILE, &rl);
    FACT_INT("nofile_row_after_setrlimit", row_matches("Max open files", &rl));
    FACT_BOOL("has_max_stack_size", strstr(buf, "\nMax stack size") != NULL);
    FACT_BOOL("unlimited_word_used", strstr(buf, "unlimited") != NULL);
    DONE();
}
