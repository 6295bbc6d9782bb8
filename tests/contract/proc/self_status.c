/* proc(5) /proc/self/status: Name matches comm, Pid/Tgid equal getpid, PPid equals getppid, Uid/Gid lines have 4 zero fields for root, Threads 1, State "R (running)". */
#include "../lib/contract.h"

static const char *field(char *buf, const char *name, char *out, size_t cap)
{
    char *p = strstr(buf, name);
    if (!p) return NULL;
    p += strlen(name);
    while (*p == ' ' || *p == '\t') p++;
    size_t k = strcspn(p, "\n");
    if (k >= cap) k = cap - 1;
    memcpy(out, p, k); out[k] = 0;
    return out;
}

int main(void)
{
    char buf[8192], v[256], comm[64];
    read_file("/proc/self/status", buf, sizeof buf);
    read_file("/proc/self/comm", comm, sizeof comm);
    comm[strcspn(comm, "\n")] = 0;
    FACT_BOOL("starts_with_name", !strncmp(buf, "Name:\t", 6));
    FACT_BOOL("name_matches_comm", field(buf, "Name:", v, sizeof v) && !strcmp(v, comm));
    FACT_BOOL("pid_same", field(buf, "\nPid:", v, sizeof v) && atoi(v) == getpid());
    FACT_BOOL("tgid_same", field(buf, "\nTgid:", v, sizeof v) && atoi(v) == getpid());
    FACT_BOOL("ppid_same", field(buf, "\nPPid:", v, sizeof v) && atoi(v) == getppid());
    FACT_STR("uid_line", field(buf, "\nUid:", v, sizeof v) ? v : "missing");
    FACT_STR("gid_line", field(buf, "\nGid:", v, sizeof v) ? v : "missing");
    FACT_STR("threads", field(buf, "\nThreads:", v, sizeof v) ? v : "missing");
    FACT_STR("state", field(buf, "\nState:", v, sizeof v) ? v : "missing");
    FACT_BOOL("has_vmrss", strstr(buf, "\nVmRSS:") != NULL);
    FACT_BOOL("has_sigblk", strstr(buf, "\nSigBlk:") != NULL);
    FACT_BOOL("has_capeff", strstr(buf, "\nCapEff:") != NULL);
    FACT_STR("nonewprivs", field(buf, "\nNoNewPrivs:", v, sizeof v) ? v : "missing");
    DONE();
}
