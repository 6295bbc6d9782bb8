/* uname(2): sysname "Linux", release non-empty and starting with a digit (major >= 3), machine matches the build architecture, nodename equals gethostname, /proc/sys/kernel/osrelease matches release. */
#include "../lib/contract.h"
#include <sys/utsname.h>

int main(void)
{
    struct utsname u;
    CHECK_RET("uname", uname(&u));
    FACT_STR("sysname", u.sysname);
    FACT_BOOL("release_nonempty", u.release[0] != 0);
    FACT_BOOL("release_major_ge_3", atoi(u.release) >= 3);
    FACT_BOOL("version_nonempty", u.version[0] != 0);
#if defined(__x86_64__)
    FACT_BOOL("machine_matches_build", !strcmp(u.machine, "x86_64"));
#elif defined(__aarch64__)
    FACT_BOOL("machine_matches_build", !strcmp(u.machine, "aarch64"));
#endif
    char h[256] = {0};
    gethostname(h, sizeof h);
    FACT_BOOL("nodename_is_hostname", !strcmp(h, u.nodename));
    char buf[256] = {0};
    read_file("/proc/sys/kernel/osrelease", buf, sizeof buf);
    buf[strcspn(buf, "\n")] = 0;
    FACT_BOOL("proc_osrelease_same", !strcmp(buf, u.release));
    read_file("/proc/sys/kernel/ostype", buf, sizeof buf);
    buf[strcspn(buf, "\n")] = 0;
    FACT_STR("proc_ostype", buf);
    DONE();
}
