/* xattr(7), fs/xattr.c: get/set/list/remove by path, link and fd; XATTR_CREATE/REPLACE,
 * ERANGE for short buffers and bad names, ENODATA, EOPNOTSUPP for an unknown namespace,
 * E2BIG past 64 KiB, user.* refused on symlinks, trusted.* and permissions for non-root. */
#include "../lib/contract.h"
#include <sys/wait.h>
#include <sys/syscall.h>
#include <sys/xattr.h>

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void)
{
    SETUP(chmod(".", 0755)); /* the non-root child below must reach the files */
    SETUP(write_file("f", "data"));
    CHECK_RET("set_user_a", setxattr("f", "user.a", "v1", 2, 0));
    CHECK_RET("get_size", getxattr("f", "user.a", NULL, 0));
    char buf[128] = {0};
    CHECK_RET("get_value_len", getxattr("f", "user.a", buf, sizeof buf));
    FACT_STR("get_value", buf);
    CHECK_RET("get_short_buffer", getxattr("f", "user.a", buf, 1));
    CHECK_RET("create_existing", setxattr("f", "user.a", "x", 1, XATTR_CREATE));
    CHECK_RET("replace_missing", setxattr("f", "user.b", "x", 1, XATTR_REPLACE));
    CHECK_RET("both_flags", setxattr("f", "user.b", "x", 1, XATTR_CREATE | XATTR_REPLACE));
    CHECK_RET("replace_existing", setxattr("f", "user.a", "v22", 3, XATTR_REPLACE));
    memset(buf, 0, sizeof buf);
    getxattr("f", "user.a", buf, sizeof buf);
    FACT_STR("after_replace", buf);
    CHECK_RET("empty_value", setxattr("f", "user.empty", "", 0, 0));
    CHECK_RET("get_empty", getxattr("f", "user.empty", buf, sizeof buf));
    CHECK_RET("get_missing", getxattr("f", "user.nope", buf, sizeof buf));
    CHECK_RET("empty_name", setxattr("f", "", "x", 1, 0));
    char longname[300];
    memset(longname, 'n', sizeof longname);
    memcpy(longname, "user.", 5);
    longname[256] = 0;
    CHECK_RET("name_256", setxattr("f", longname, "x", 1, 0));
    /* setxattr_copy checks the flags before the name (found by the hostile fuzzer) */
    CHECK_RET("bad_flags_long_name", setxattr("f", longname, "x", 1, 4));
    CHECK_RET("bad_flags_null_name", syscall(SYS_lsetxattr, "f", NULL, "x", 1, 4));
    CHECK_RET("long_name_big_value", setxattr("f", longname, "x", 70000, 0));
    longname[255] = 0;
    CHECK_RET("name_255_get", getxattr("f", longname, buf, sizeof buf));
    CHECK_RET("unknown_namespace", setxattr("f", "foo.bar", "x", 1, 0));
    static char big[70000];
    CHECK_RET("value_too_big", setxattr("f", "user.big", big, sizeof big, 0));
    CHECK_RET("trusted_as_root", setxattr("f", "trusted.t", "tv", 2, 0));
    CHECK_RET("fset", ({ int fd = open("f", O_RDONLY); long r = fsetxattr(fd, "user.f", "fv", 2, 0); close(fd); r; }));
    char list[512];
    ssize_t n = listxattr("f", list, sizeof list);
    FACT_BOOL("list_ok", n > 0);
    char *names[16];
    int count = 0;
    for (char *p = list; p < list + n && count < 16; p += strlen(p) + 1) names[count++] = p;
    qsort(names, count, sizeof *names, cmp);
    for (int i = 0; i < count; i++) FACT_STR("name", names[i]);
    CHECK_RET("list_size_query_matches", listxattr("f", NULL, 0) == n);
    CHECK_RET("list_short", listxattr("f", list, 3));
    CHECK_RET("remove", removexattr("f", "user.a"));
    CHECK_RET("remove_again", removexattr("f", "user.a"));
    SETUP(symlink("f", "l"));
    CHECK_RET("lset_user_on_symlink", lsetxattr("l", "user.x", "x", 1, 0));
    CHECK_RET("lget_user_on_symlink", lgetxattr("l", "user.x", buf, sizeof buf));
    CHECK_RET("get_through_symlink", getxattr("l", "user.f", buf, sizeof buf));
    CHECK_RET("missing_file", getxattr("nofile", "user.a", buf, sizeof buf));
    SETUP(chmod("f", 0644));
    pid_t c = fork();
    if (c == 0) {
        if (setgid(65534) || setuid(65534)) _exit(99);
        int code = 0;
        errno = 0;
        if (setxattr("f", "user.n", "x", 1, 0) == -1 && errno == EACCES) code |= 1;
        errno = 0;
        if (getxattr("f", "user.f", buf, sizeof buf) == 2) code |= 2;
        errno = 0;
        if (getxattr("f", "trusted.t", buf, sizeof buf) == -1 && errno == ENODATA) code |= 4;
        errno = 0;
        if (setxattr("f", "trusted.u", "x", 1, 0) == -1 && errno == EPERM) code |= 8;
        n = listxattr("f", list, sizeof list);
        int has_trusted = 0;
        for (char *p = list; n > 0 && p < list + n; p += strlen(p) + 1) if (!strncmp(p, "trusted.", 8)) has_trusted = 1;
        if (!has_trusted) code |= 16;
        _exit(code);
    }
    int st;
    waitpid(c, &st, 0);
    FACT_INT("nonroot_code", WEXITSTATUS(st));
    DONE();
}
