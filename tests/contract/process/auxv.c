/* getauxval(3)/ELF auxv: AT_PAGESZ 4096, AT_UID/AT_EUID/AT_GID 0, AT_SECURE 0, AT_RANDOM points at 16 bytes, AT_PHDR/AT_ENTRY present, AT_EXECFN a string; /proc/self/auxv matches getauxval. */
#include "../lib/contract.h"
#include <sys/auxv.h>
#include <elf.h>

int main(void)
{
    FACT_INT("at_pagesz", getauxval(AT_PAGESZ));
    FACT_INT("sysconf_pagesize", sysconf(_SC_PAGESIZE));
    FACT_INT("at_uid", getauxval(AT_UID));
    FACT_INT("at_euid", getauxval(AT_EUID));
    FACT_INT("at_gid", getauxval(AT_GID));
    FACT_INT("at_secure", getauxval(AT_SECURE));
    FACT_BOOL("at_random_nonnull", getauxval(AT_RANDOM) != 0);
    FACT_BOOL("at_phdr_nonnull", getauxval(AT_PHDR) != 0);
    FACT_BOOL("at_entry_nonnull", getauxval(AT_ENTRY) != 0);
    FACT_INT("at_phent", getauxval(AT_PHENT));
    FACT_BOOL("at_execfn_nonnull", getauxval(AT_EXECFN) != 0);
    FACT_BOOL("at_clktck_100", getauxval(AT_CLKTCK) == 100);
    unsigned long buf[128];
    int fd = open("/proc/self/auxv", O_RDONLY);
    ssize_t n = read(fd, buf, sizeof buf);
    int match = n > 0, seen_null = 0;
    for (int i = 0; i + 1 < n / 8; i += 2) {
        if (buf[i] == AT_NULL) { seen_null = 1; break; }
        if (buf[i] == AT_PAGESZ || buf[i] == AT_UID || buf[i] == AT_ENTRY || buf[i] == AT_RANDOM)
            if (getauxval(buf[i]) != buf[i + 1]) match = 0;
    }
    FACT_BOOL("proc_auxv_matches", match);
    FACT_BOOL("proc_auxv_terminated", seen_null);
    DONE();
}
