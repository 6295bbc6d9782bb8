/* proc(5) /proc/self/maps: contains [stack] and the executable's path, a fresh anonymous PROT_READ mapping appears as "r--p", after mprotect RW it appears "rw-p", MAP_SHARED shows "s", unmapped regions disappear. */
#include "../lib/contract.h"
#include <sys/mman.h>
#include <limits.h>

static char *line_for(void *addr, char *out, size_t cap)
{
    static char buf[131072];
    read_file("/proc/self/maps", buf, sizeof buf);
    for (char *l = buf; *l;) {
        char *e = strchr(l, '\n');
        unsigned long lo, hi;
        if (sscanf(l, "%lx-%lx", &lo, &hi) == 2 && (unsigned long)addr >= lo && (unsigned long)addr < hi) {
            size_t k = e ? (size_t)(e - l) : strlen(l);
            if (k >= cap) k = cap - 1;
            memcpy(out, l, k); out[k] = 0;
            return out;
        }
        if (!e) break;
        l = e + 1;
    }
    return NULL;
}

static const char *perms(void *a) { static char l[512]; if (!line_for(a, l, sizeof l)) return "none"; char *s = strchr(l, ' '); if (!s) return "?"; s[5] = 0; return s + 1; }

int main(void)
{
    static char all[131072];
    read_file("/proc/self/maps", all, sizeof all);
    FACT_BOOL("has_stack", strstr(all, "[stack]") != NULL);
    char exe[PATH_MAX] = {0};
    readlink("/proc/self/exe", exe, sizeof exe - 1);
    FACT_BOOL("has_exe_path", strstr(all, exe) != NULL);
    int local;
    char l[512];
    FACT_BOOL("local_var_in_stack_line", line_for(&local, l, sizeof l) && strstr(l, "[stack]"));
    long pg = sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    FACT_STR("anon_ro_perms", perms(p));
    mprotect(p, pg, PROT_READ | PROT_WRITE);
    FACT_STR("after_mprotect_rw", perms(p));
    char *s = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    FACT_STR("shared_perms", perms(s));
    FACT_STR("code_perms", perms((void *)main));
    munmap(p, pg);
    FACT_STR("after_munmap", perms(p));
    SETUP(write_file("mapped_file", "abc"));
    int fd = open("mapped_file", O_RDONLY);
    char *fm = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 0);
    FACT_BOOL("file_mapping_names_file", line_for(fm, l, sizeof l) && strstr(l, "/mapped_file") != NULL);
    DONE();
}
