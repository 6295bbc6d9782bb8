/* proc(5) /proc/self/mounts and mountinfo: every line has 6 fields ("dev dir type opts 0 0"), a proc filesystem is mounted on /proc, and mountinfo lines contain the " - " separator. */
#include "../lib/contract.h"

int main(void)
{
    static char buf[65536];
    read_file("/proc/self/mounts", buf, sizeof buf);
    int lines = 0, ok = 1, has_proc = 0;
    for (char *l = buf; *l;) {
        char *e = strchr(l, '\n');
        if (!e) break;
        *e = 0;
        char a[512], d[512], t[64], o[1024];
        int x, y;
        if (sscanf(l, "%511s %511s %63s %1023s %d %d", a, d, t, o, &x, &y) != 6) ok = 0;
        else if (!strcmp(d, "/proc") && !strcmp(t, "proc")) has_proc = 1;
        lines++;
        l = e + 1;
    }
    FACT_BOOL("has_lines", lines > 0);
    FACT_BOOL("six_fields_each", ok);
    FACT_BOOL("proc_on_slash_proc", has_proc);
    static char mi[65536];
    read_file("/proc/self/mountinfo", mi, sizeof mi);
    FACT_BOOL("mountinfo_separator", strstr(mi, " - ") != NULL);
    char mnt[65536];
    read_file("/proc/mounts", mnt, sizeof mnt);
    read_file("/proc/self/mounts", buf, sizeof buf);
    FACT_BOOL("proc_mounts_same_as_self", !strcmp(mnt, buf));
    DONE();
}
