/* symlink(2)/readlink(2): readlink returns the exact target bytes without a NUL, truncates silently to bufsiz, EINVAL on non-symlinks and bufsiz<=0; dangling links lstat fine but stat ENOENT; empty target ENOENT. */
#include "../lib/contract.h"
#include <sys/syscall.h>

int main(void)
{
    SETUP(symlink("some/target/path", "l"));
    char buf[64];
    memset(buf, 'X', sizeof buf);
    CHECK_RET("readlink_len", readlink("l", buf, sizeof buf));
    FACT_BOOL("no_nul_appended", buf[16] == 'X');
    buf[16] = 0;
    FACT_STR("target", buf);
    memset(buf, 'X', sizeof buf);
    CHECK_RET("readlink_truncated", readlink("l", buf, 4));
    buf[4] = 0;
    FACT_STR("truncated", buf);
    SETUP(write_file("f", "x"));
    CHECK_RET("readlink_regular", readlink("f", buf, sizeof buf));
    CHECK_RET("readlink_missing", readlink("nope", buf, sizeof buf));
    /* raw syscall: musl maps bufsiz 0 to a 1-byte dummy buffer */
    CHECK_RET("readlink_bufsiz0", syscall(SYS_readlink, "l", buf, 0));
    CHECK_RET("readlink_bufsiz_neg", syscall(SYS_readlink, "l", buf, -1));
    /* the size is checked before the path is read (found by the hostile fuzzer) */
    CHECK_RET("readlink_bufsiz0_null_path", syscall(SYS_readlink, NULL, buf, 0));
    static char longpath[6000];
    memset(longpath, 'x', sizeof longpath - 1);
    CHECK_RET("readlink_bufsiz0_long_path", syscall(SYS_readlink, longpath, buf, 0));
    CHECK_RET("readlinkat_bufsiz0_bad_fd", syscall(SYS_readlinkat, 1000, NULL, buf, 0));
    struct stat st;
    CHECK_RET("lstat_dangling", lstat("l", &st));
    FACT_INT("lstat_size", st.st_size);
    FACT("lstat_perm", "0%o", st.st_mode & 07777);
    CHECK_RET("stat_dangling", stat("l", &st));
    CHECK_RET("symlink_empty_target", symlink("", "e"));
    /* the empty target's ENOENT comes before the new name's errors (hostile fuzzer) */
    CHECK_RET("symlink_empty_target_long_name", symlink("", longpath));
    CHECK_RET("symlink_empty_target_null_name", syscall(SYS_symlink, "", NULL));
    CHECK_RET("symlinkat_empty_target_bad_fd", syscall(SYS_symlinkat, "", 1000, longpath));
    CHECK_RET("symlink_existing", symlink("x", "l"));
    CHECK_RET("symlink_abs", symlink("/proc/self", "abs"));
    memset(buf, 0, sizeof buf);
    readlink("abs", buf, sizeof buf - 1);
    FACT_STR("abs_target", buf);
    SETUP(mkdir("d", 0755));
    SETUP(write_file("d/real", "inside"));
    SETUP(symlink("real", "d/rel"));
    memset(buf, 0, sizeof buf);
    read_file("d/rel", buf, sizeof buf);
    FACT_STR("relative_to_link_dir", buf);
    SETUP(symlink("d/rel", "chain"));
    memset(buf, 0, sizeof buf);
    read_file("chain", buf, sizeof buf);
    FACT_STR("chain", buf);
    DONE();
}
