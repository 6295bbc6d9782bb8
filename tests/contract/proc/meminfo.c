/* proc(5) /proc/meminfo: first line is MemTotal in kB (> 0), MemFree and MemAvailable <= MemTotal, every line is "Key: value [kB]". */
#include "../lib/contract.h"

static long get(const char *buf, const char *k)
{
    const char *p = strstr(buf, k);
    return p ? atol(p + strlen(k)) : -1;
}

int main(void)
{
    char buf[16384];
    read_file("/proc/meminfo", buf, sizeof buf);
    FACT_BOOL("starts_with_memtotal", !strncmp(buf, "MemTotal:", 9));
    long total = get(buf, "MemTotal:"), fr = get(buf, "MemFree:"), av = get(buf, "MemAvailable:");
    FACT_BOOL("memtotal_positive", total > 0);
    FACT_BOOL("memfree_le_total", fr >= 0 && fr <= total);
    FACT_BOOL("memavailable_le_total", av >= 0 && av <= total);
    char *nl = strchr(buf, '\n');
    FACT_BOOL("first_line_kb", nl && nl - buf > 3 && !strncmp(nl - 3, " kB", 3));
    int ok = 1;
    for (char *l = buf; *l;) {
        char *e = strchr(l, '\n');
        if (!e) break;
        char *c = memchr(l, ':', e - l);
        if (!c) ok = 0;
        l = e + 1;
    }
    FACT_BOOL("all_lines_key_colon", ok);
    FACT_BOOL("has_swaptotal", strstr(buf, "\nSwapTotal:") != NULL);
    DONE();
}
