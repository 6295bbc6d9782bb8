/* Directory scalability: 600 files created in one directory are all listed exactly once by getdents64 (including after deleting every other one), and rmdir succeeds once empty. */
#include "../lib/contract.h"
#include <dirent.h>

static int count(int *dups)
{
    static unsigned char seen[600];
    memset(seen, 0, sizeof seen);
    DIR *d = opendir("d");
    struct dirent *e;
    int n = 0;
    *dups = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        int i = atoi(e->d_name + 1);
        if (i >= 0 && i < 600) { if (seen[i]) (*dups)++; seen[i] = 1; }
        n++;
    }
    closedir(d);
    return n;
}

int main(void)
{
    SETUP(mkdir("d", 0755));
    char p[64];
    for (int i = 0; i < 600; i++) { snprintf(p, sizeof p, "d/f%d", i); SETUP(write_file(p, "")); }
    int dups;
    FACT_INT("entries", count(&dups));
    FACT_INT("duplicates", dups);
    for (int i = 0; i < 600; i += 2) { snprintf(p, sizeof p, "d/f%d", i); SETUP(unlink(p)); }
    FACT_INT("entries_after_half_deleted", count(&dups));
    FACT_INT("duplicates_after", dups);
    CHECK_RET("rmdir_nonempty", rmdir("d"));
    for (int i = 1; i < 600; i += 2) { snprintf(p, sizeof p, "d/f%d", i); SETUP(unlink(p)); }
    CHECK_RET("rmdir_empty", rmdir("d"));
    DONE();
}
