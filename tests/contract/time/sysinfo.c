/* sysinfo(2): uptime > 0 and close to CLOCK_BOOTTIME, totalram > 0, freeram <= totalram, mem_unit >= 1, procs >= 1; agrees with /proc/uptime. */
#include "../lib/contract.h"
#include <sys/sysinfo.h>

int main(void)
{
    struct sysinfo si;
    CHECK_RET("sysinfo", sysinfo(&si));
    FACT_BOOL("uptime_positive", si.uptime > 0);
    struct timespec b;
    clock_gettime(CLOCK_BOOTTIME, &b);
    FACT_BOOL("uptime_matches_boottime", labs(si.uptime - b.tv_sec) <= 1);
    FACT_BOOL("totalram_positive", si.totalram > 0);
    FACT_BOOL("freeram_le_total", si.freeram <= si.totalram);
    FACT_BOOL("mem_unit_ge_1", si.mem_unit >= 1);
    FACT_BOOL("procs_ge_1", si.procs >= 1);
    char buf[128];
    read_file("/proc/uptime", buf, sizeof buf);
    double up = atof(buf);
    FACT_BOOL("proc_uptime_agrees", up >= si.uptime - 1 && up <= si.uptime + 2);
    FACT_BOOL("get_nprocs_ge_1", get_nprocs() >= 1);
    DONE();
}
