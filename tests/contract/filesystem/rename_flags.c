/* renameat2(2): RENAME_NOREPLACE fails EEXIST on an existing target, RENAME_EXCHANGE swaps two names atomically (ENOENT if either is missing), both flags together are EINVAL. */
#include "../lib/contract.h"
#include <sys/syscall.h>

#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
static long r2(const char *a, const char *b, unsigned f) { return syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, f); }

int main(void)
{
    SETUP(write_file("a", "AAA"));
    SETUP(write_file("b", "BBB"));
    SETUP(mkdir("d", 0755));
    CHECK_RET("noreplace_existing", r2("a", "b", RENAME_NOREPLACE));
    CHECK_RET("noreplace_new", r2("a", "c", RENAME_NOREPLACE));
    CHECK_RET("exchange", r2("c", "b", RENAME_EXCHANGE));
    char buf[8] = {0};
    read_file("b", buf, sizeof buf); FACT_STR("b_now", buf);
    read_file("c", buf, sizeof buf); FACT_STR("c_now", buf);
    CHECK_RET("exchange_file_and_dir", r2("b", "d", RENAME_EXCHANGE));
    struct stat st;
    stat("b", &st); FACT_BOOL("b_is_dir", S_ISDIR(st.st_mode));
    stat("d", &st); FACT_BOOL("d_is_file", S_ISREG(st.st_mode));
    CHECK_RET("exchange_missing_target", r2("c", "zz", RENAME_EXCHANGE));
    CHECK_RET("exchange_missing_source", r2("zz", "c", RENAME_EXCHANGE));
    CHECK_RET("both_flags", r2("c", "d", RENAME_EXCHANGE | RENAME_NOREPLACE));
    CHECK_RET("unknown_flag", r2("c", "d", 1u << 10));
    CHECK_RET("plain_flags0", r2("c", "e", 0));
    DONE();
}
