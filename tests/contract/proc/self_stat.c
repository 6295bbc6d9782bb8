/* proc(5) /proc/self/stat: field 1 is the pid, field 2 the comm in parentheses (first 15 bytes of the executable name), field 3 state R, field 4 ppid, field 5 pgrp, field 6 session, field 20 num_threads=1, 52 fields in total. */
#include "../lib/contract.h"

int main(int argc, char **argv)
{
    (void)argc;
    char buf[4096];
    ssize_t n = read_file("/proc/self/stat", buf, sizeof buf);
    FACT_BOOL("read_ok", n > 0);
    FACT_BOOL("ends_with_newline", n > 0 && buf[n - 1] == '\n');
    FACT_BOOL("field1_is_getpid", atoi(buf) == getpid());
    char *l = strchr(buf, '('), *r = strrchr(buf, ')');
    const char *base = strrchr(argv[0], '/');
    base = base ? base + 1 : argv[0];
    char comm[16];
    snprintf(comm, sizeof comm, "%s", base);
    FACT_BOOL("comm_is_exe_basename_15", l && r && (size_t)(r - l - 1) == strlen(comm) && !strncmp(l + 1, comm, r - l - 1));
    char state;
    int ppid, pgrp, sid;
    sscanf(r + 2, "%c %d %d %d", &state, &ppid, &pgrp, &sid);
    FACT("state", "%c", state);
    FACT_BOOL("ppid_same", ppid == getppid());
    FACT_BOOL("pgrp_same", pgrp == getpgrp());
    FACT_BOOL("session_same", sid == getsid(0));
    int fields = 2;
    long threads = -1;
    char *tok = strtok(r + 2, " \n");
    int idx = 3;
    while (tok) { if (idx == 20) threads = atol(tok); fields++; idx++; tok = strtok(NULL, " \n"); }
    FACT_INT("field_count", fields);
    FACT_INT("num_threads", threads);
    DONE();
}
