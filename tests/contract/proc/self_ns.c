/* /proc/PID/ns (fs/proc/namespaces.c, fs/nsfs.c): a dr-x--x--x directory of links "TYPE:[INUM]" in the kernel's order, each leading to an nsfs inode whose st_ino is INUM (mode 0444 regular, read EINVAL); *_for_children name the same namespaces; a child shares them; unshare(CLONE_NEWUTS) gives a new uts number and keeps the others. */
#include "../lib/contract.h"
#include <dirent.h>
#include <sched.h>
#include <sys/wait.h>

static unsigned long inum_of(const char *name, char *type, size_t tsize)
{
    char path[64], link[64];
    snprintf(path, sizeof path, "/proc/self/ns/%s", name);
    ssize_t n = readlink(path, link, sizeof link - 1);
    if (n < 0) return 0;
    link[n] = 0;
    char *open = strchr(link, '[');
    if (!open || link[n - 1] != ']') return 0;
    snprintf(type, tsize, "%.*s", (int)(open - link - 1), link);
    return strtoul(open + 1, NULL, 10);
}

int main(void)
{
    struct stat st;
    SETUP(stat("/proc/self/ns", &st));
    FACT("dir_mode", "0%o", st.st_mode);
    DIR *d = opendir("/proc/self/ns");
    struct dirent *e;
    char order[256] = "";
    while ((e = readdir(d)) != NULL) {
        strcat(order, e->d_name);
        strcat(order, ",");
    }
    closedir(d);
    FACT_STR("order", order);
    const char *names[] = { "net", "uts", "ipc", "pid", "pid_for_children", "user", "mnt", "cgroup",
                            "time", "time_for_children" };
    unsigned long inums[10];
    for (int i = 0; i < 10; i++) {
        char type[32] = "", key[64], path[64];
        inums[i] = inum_of(names[i], type, sizeof type);
        snprintf(key, sizeof key, "%s_type", names[i]);
        FACT_STR(key, type);
        snprintf(path, sizeof path, "/proc/self/ns/%s", names[i]);
        snprintf(key, sizeof key, "%s_stat", names[i]);
        if (stat(path, &st) < 0) { FACT_ERRNO(key, errno); continue; }
        printf("%s=0%o %d %d\n", key, st.st_mode, st.st_ino == inums[i], (int)st.st_nlink);
    }
    FACT_BOOL("pid_for_children_same", inums[3] == inums[4]);
    FACT_BOOL("time_for_children_same", inums[8] == inums[9]);
    int fd = open("/proc/self/ns/uts", O_RDONLY);
    char buf[8];
    CHECK_RET("read_ns", read(fd, buf, sizeof buf));
    CHECK_RET("lseek_ns", lseek(fd, 0, SEEK_SET));
    char path[64], link[64], want[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(path, link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    snprintf(want, sizeof want, "uts:[%lu]", inums[1]);
    FACT_BOOL("fd_link_same", !strcmp(link, want));
    close(fd);
    int p[2];
    SETUP(pipe(p));
    pid_t c = fork();
    if (c == 0) {
        char type[32];
        unsigned long before[10];
        for (int i = 0; i < 10; i++) before[i] = inum_of(names[i], type, sizeof type);
        int shared = 1;
        for (int i = 0; i < 10; i++) shared &= before[i] == inums[i];
        int unshared = unshare(CLONE_NEWUTS) == 0;
        int changed = inum_of("uts", type, sizeof type) != inums[1];
        int others = inum_of("pid", type, sizeof type) == inums[3] && inum_of("mnt", type, sizeof type) == inums[6];
        _exit(shared | unshared << 1 | changed << 2 | others << 3);
    }
    int status;
    SETUP(waitpid(c, &status, 0));
    FACT_INT("child_bits", WEXITSTATUS(status));
    CHECK_RET("missing_ns", readlink("/proc/self/ns/nosuch", link, sizeof link));
    DONE();
}
