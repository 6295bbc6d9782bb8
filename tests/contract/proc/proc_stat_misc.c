/* proc(5) /proc/stat ("cpu " aggregate line, btime after 2020 and <= now, processes > 0), /proc/filesystems lists proc, /proc/self/oom_score_adj is 0 and writable by root, /proc/version starts with "Linux version". */
#include "../lib/contract.h"

int main(void)
{
    static char buf[65536];
    read_file("/proc/stat", buf, sizeof buf);
    FACT_BOOL("starts_with_cpu", !strncmp(buf, "cpu ", 4));
    char *bt = strstr(buf, "\nbtime ");
    long btime = bt ? atol(bt + 7) : 0;
    FACT_BOOL("btime_after_2020", btime > 1577836800);
    FACT_BOOL("btime_le_now", btime <= time(NULL));
    char *pr = strstr(buf, "\nprocesses ");
    FACT_BOOL("processes_positive", pr && atol(pr + 11) > 0);
    read_file("/proc/filesystems", buf, sizeof buf);
    FACT_BOOL("filesystems_has_proc", strstr(buf, "\tproc\n") != NULL);
    read_file("/proc/self/oom_score_adj", buf, sizeof buf);
    FACT_INT("oom_score_adj", atoi(buf));
    int fd = open("/proc/self/oom_score_adj", O_WRONLY);
    CHECK_RET("write_oom_score_adj", write(fd, "5\n", 2));
    close(fd);
    read_file("/proc/self/oom_score_adj", buf, sizeof buf);
    FACT_INT("oom_score_adj_after", atoi(buf));
    read_file("/proc/version", buf, sizeof buf);
    FACT_BOOL("version_prefix", !strncmp(buf, "Linux version ", 14));
    DONE();
}
