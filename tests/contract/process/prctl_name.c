/* prctl(2) PR_SET_NAME/PR_GET_NAME: the name is truncated to 15 bytes + NUL and shows in /proc/self/comm and /proc/self/stat; writing /proc/self/comm changes it too. */
#include "../lib/contract.h"
#include <sys/prctl.h>

int main(void)
{
    CHECK_RET("set_name", prctl(PR_SET_NAME, "contract-name-that-is-long"));
    char name[32] = {0};
    CHECK_RET("get_name", prctl(PR_GET_NAME, name));
    FACT_STR("get_name_value", name);
    FACT_INT("name_len", strlen(name));
    char buf[256] = {0};
    read_file("/proc/self/comm", buf, sizeof buf);
    FACT("proc_comm", "%.*s", (int)strcspn(buf, "\n"), buf);
    read_file("/proc/self/stat", buf, sizeof buf);
    char *l = strchr(buf, '('), *r = strrchr(buf, ')');
    if (l && r) FACT("proc_stat_comm", "%.*s", (int)(r - l - 1), l + 1);
    int fd = open("/proc/self/comm", O_WRONLY);
    CHECK_RET("write_comm", write(fd, "viaproc", 7));
    close(fd);
    memset(name, 0, sizeof name);
    prctl(PR_GET_NAME, name);
    FACT_STR("name_after_comm_write", name);
    CHECK_RET("bad_option", prctl(0x7fff0000, 0));
    DONE();
}
