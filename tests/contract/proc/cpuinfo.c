/* proc(5) /proc/cpuinfo: one "processor" line per online CPU (>= 1, equal to sysconf(_SC_NPROCESSORS_ONLN)), numbered from 0, each with a "model name"/flags section on x86. */
#include "../lib/contract.h"

int main(void)
{
    static char buf[1 << 20];
    ssize_t n = read_file("/proc/cpuinfo", buf, sizeof buf);
    FACT_BOOL("read_ok", n > 0);
    int procs = 0, first_is_0 = 0;
    for (char *l = buf; l && *l;) {
        if (!strncmp(l, "processor", 9)) {
            char *c = strchr(l, ':');
            if (procs == 0 && c && atoi(c + 1) == 0) first_is_0 = 1;
            procs++;
        }
        l = strchr(l, '\n');
        if (l) l++;
    }
    FACT_BOOL("has_processor", procs >= 1);
    FACT_BOOL("count_matches_nprocessors_onln", procs == sysconf(_SC_NPROCESSORS_ONLN));
    FACT_BOOL("first_is_0", first_is_0);
#if defined(__x86_64__)
    FACT_BOOL("has_flags", strstr(buf, "\nflags") != NULL);
    FACT_BOOL("has_vendor_id", strstr(buf, "vendor_id") != NULL);
#endif
    DONE();
}
