/* proc(5) /proc/uptime ("up idle" two floats, up > 0) and /proc/loadavg ("a b c running/total lastpid", 5 fields, running <= total, total >= 1). */
#include "../lib/contract.h"

int main(void)
{
    char buf[256];
    read_file("/proc/uptime", buf, sizeof buf);
    double up = -1, idle = -1;
    int n = sscanf(buf, "%lf %lf", &up, &idle);
    FACT_INT("uptime_fields", n);
    FACT_BOOL("uptime_positive", up > 0);
    FACT_BOOL("idle_nonneg", idle >= 0);
    FACT_BOOL("two_decimals", strchr(buf, '.') && strchr(buf, '.')[3] == ' ');
    read_file("/proc/loadavg", buf, sizeof buf);
    double a, b, c;
    int run, tot, last;
    n = sscanf(buf, "%lf %lf %lf %d/%d %d", &a, &b, &c, &run, &tot, &last);
    FACT_INT("loadavg_fields", n);
    FACT_BOOL("loads_nonneg", a >= 0 && b >= 0 && c >= 0);
    FACT_BOOL("running_le_total", run >= 1 && run <= tot);
    FACT_BOOL("lastpid_positive", last > 0);
    DONE();
}
