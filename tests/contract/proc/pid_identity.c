/* /proc/PID/personality, sessionid, uid_map, gid_map, setgroups (fs/proc/base.c, kernel/user_namespace.c): modes, the personality as personality(2) set it, an initial-namespace identity map that cannot be rewritten (EPERM), setgroups "allow" accepted, "deny" EPERM, anything else EINVAL. */
#include "../lib/contract.h"
#include <sys/personality.h>

static int slurp(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -errno;
    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    if (n < 0) return -errno;
    buf[n] = 0;
    return (int)n;
}

static void mode_of(const char *key, const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0) FACT_ERRNO(key, errno);
    else FACT(key, "0%o", st.st_mode);
}

static void try_write(const char *key, const char *path, const char *text)
{
    int fd = open(path, O_WRONLY);
    if (fd < 0) { FACT_ERRNO(key, errno); return; }
    CHECK_RET(key, write(fd, text, strlen(text)));
    close(fd);
}

int main(void)
{
    char buf[256];
    const char *names[] = { "personality", "sessionid", "uid_map", "gid_map", "setgroups" };
    for (unsigned i = 0; i < sizeof names / sizeof *names; i++) {
        char path[64], key[32];
        snprintf(path, sizeof path, "/proc/self/%s", names[i]);
        snprintf(key, sizeof key, "mode_%s", names[i]);
        mode_of(key, path);
    }
    personality(PER_LINUX | ADDR_NO_RANDOMIZE);
    slurp("/proc/self/personality", buf, sizeof buf);
    FACT_STR("personality", strtok(buf, "\n"));
    personality(PER_LINUX);
    slurp("/proc/self/personality", buf, sizeof buf);
    FACT_STR("personality_reset", strtok(buf, "\n"));
    int n = slurp("/proc/self/sessionid", buf, sizeof buf);
    FACT_BOOL("sessionid_no_newline", n > 0 && buf[n - 1] != '\n');
    FACT_BOOL("sessionid_number", n > 0 && strspn(buf, "0123456789") == (size_t)n);
    unsigned a, b, c;
    slurp("/proc/self/uid_map", buf, sizeof buf);
    FACT_INT("uid_map_fields", sscanf(buf, "%u %u %u", &a, &b, &c));
    FACT_BOOL("uid_map_width", strlen(buf) == 33);
    slurp("/proc/self/gid_map", buf, sizeof buf);
    FACT_INT("gid_map_fields", sscanf(buf, "%u %u %u", &a, &b, &c));
    slurp("/proc/self/setgroups", buf, sizeof buf);
    FACT_STR("setgroups", strtok(buf, "\n"));
    try_write("write_uid_map", "/proc/self/uid_map", "0 0 1\n");
    try_write("write_gid_map", "/proc/self/gid_map", "0 0 1\n");
    try_write("write_setgroups_allow", "/proc/self/setgroups", "allow\n");
    try_write("write_setgroups_deny", "/proc/self/setgroups", "deny\n");
    try_write("write_setgroups_bad", "/proc/self/setgroups", "maybe\n");
    try_write("write_personality", "/proc/self/personality", "0\n");
    DONE();
}
