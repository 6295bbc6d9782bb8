/* chdir(2)/fchdir(2)/getcwd(3): relative chdir, "..", getcwd ends with the new component, ERANGE for a too-small buffer, ENOTDIR/ENOENT errors; getcwd of a removed cwd is ENOENT and creating files there fails ENOENT. */
#include "../lib/contract.h"
#include <sys/syscall.h>

static const char *tail(const char *p) { const char *s = strrchr(p, '/'); return s ? s + 1 : p; }

int main(void)
{
    char start[4096], buf[4096];
    SETUP(getcwd(start, sizeof start) ? 0 : -1);
    SETUP(mkdir("sub", 0755));
    SETUP(mkdir("sub/deeper", 0755));
    CHECK_RET("chdir_sub", chdir("sub/deeper"));
    getcwd(buf, sizeof buf);
    FACT_STR("cwd_tail", tail(buf));
    FACT_BOOL("cwd_prefix_is_start", strncmp(buf, start, strlen(start)) == 0);
    CHECK_RET("chdir_dotdot", chdir(".."));
    getcwd(buf, sizeof buf);
    FACT_STR("cwd_tail_after_dotdot", tail(buf));
    int fd = open("deeper", O_RDONLY | O_DIRECTORY);
    CHECK_RET("fchdir", fchdir(fd));
    getcwd(buf, sizeof buf);
    FACT_STR("cwd_after_fchdir", tail(buf));
    CHECK_RET("getcwd_raw_len_matches", syscall(SYS_getcwd, buf, sizeof buf) == (long)strlen(buf) + 1 ? 1 : 0);
    CHECK_RET("getcwd_small_buf", syscall(SYS_getcwd, buf, 2));
    CHECK_RET("chdir_missing", chdir("nope"));
    SETUP(write_file("file", "x"));
    CHECK_RET("chdir_file", chdir("file"));
    int ff = open("file", O_RDONLY);
    CHECK_RET("fchdir_file", fchdir(ff));
    CHECK_RET("chdir_empty", chdir(""));
    SETUP(chdir(start));
    SETUP(mkdir("gone", 0755));
    SETUP(chdir("gone"));
    SETUP(rmdir("../gone"));
    CHECK_RET("getcwd_removed_dir", syscall(SYS_getcwd, buf, sizeof buf));
    CHECK_RET("create_in_removed_cwd", open("x", O_CREAT | O_WRONLY, 0644));
    SETUP(chdir(start));
    CHECK_RET("chdir_root", chdir("/"));
    getcwd(buf, sizeof buf);
    FACT_STR("root_cwd", buf);
    DONE();
}
