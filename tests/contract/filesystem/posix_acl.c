/* acl(5), fs/posix_acl.c: system.posix_acl_access/default are ENODATA when unset; setting checks the format (EINVAL, EOPNOTSUPP for a bad version), the order (EINVAL), default ACLs only on directories (EACCES), drops an ACL equivalent to the mode and syncs the mode's group bits with the mask; chmod rewrites the ACL; new files and directories inherit a directory's default ACL without the umask; non-owners are checked against the ACL. */
#include "../lib/contract.h"
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>

struct e { unsigned short tag, perm; unsigned id; };
#define ACC "system.posix_acl_access"
#define DEF "system.posix_acl_default"

static const char *setacl(const char *p, const char *name, const struct e *es, int n, unsigned ver)
{
    char buf[4 + 8 * 16];
    memcpy(buf, &ver, 4);
    memcpy(buf + 4, es, 8 * n);
    return setxattr(p, name, buf, 4 + 8 * n, 0) ? errname(errno) : "0";
}

static unsigned mode_of(const char *p)
{
    struct stat st;
    return stat(p, &st) ? 0xFFFF : st.st_mode & 07777;
}

/* The ACL as "tag:perm:id,..." or the errno name. */
static const char *show(const char *p, const char *name, char *out, size_t cap)
{
    char b[256];
    ssize_t n = lgetxattr(p, name, b, sizeof b);
    if (n < 0) return errname(errno);
    size_t o = 0;
    o += snprintf(out + o, cap - o, "v%u", *(unsigned *)b);
    for (ssize_t i = 4; i + 8 <= n; i += 8) {
        struct e *x = (struct e *)(b + i);
        o += snprintf(out + o, cap - o, ",%x:%o:%d", x->tag, x->perm, (int)x->id);
    }
    return out;
}

static const char *rc(int r) { return r < 0 ? errname(errno) : "0"; }

int main(void)
{
    char s[512];
    umask(022);
    SETUP(mkdir("w", 0777));
    SETUP(chmod("w", 0777));
    int fd = open("w/f", O_CREAT | O_WRONLY, 0644);
    SETUP(fd);
    close(fd);
    SETUP(mkdir("w/d", 0755));
    SETUP(symlink("f", "w/ln"));

    FACT_STR("get_unset", show("w/f", ACC, s, sizeof s));
    FACT_STR("get_default_unset", show("w/d", DEF, s, sizeof s));
    FACT_STR("remove_unset", rc(removexattr("w/f", ACC)));
    FACT_STR("remove_default_file", rc(removexattr("w/f", DEF)));
    FACT_STR("other_system_name", rc(getxattr("w/f", "system.foo", s, sizeof s)));
    FACT_STR("symlink_get", show("w/ln", ACC, s, sizeof s));
    FACT_STR("symlink_remove", rc(lremovexattr("w/ln", ACC)));

    static const struct e equiv[] = {{1, 7, -1}, {4, 5, -1}, {0x20, 1, -1}};
    FACT_STR("set_equiv", setacl("w/f", ACC, equiv, 3, 2));
    FACT("equiv_mode", "%o", mode_of("w/f"));
    FACT_STR("equiv_kept", show("w/f", ACC, s, sizeof s));

    static const struct e full[] = {{1, 6, -1}, {2, 4, 65534}, {4, 4, -1}, {0x10, 7, -1}, {0x20, 0, -1}};
    FACT_STR("set_full", setacl("w/f", ACC, full, 5, 2));
    FACT("full_mode", "%o", mode_of("w/f"));
    FACT_STR("full_acl", show("w/f", ACC, s, sizeof s));
    ssize_t n = listxattr("w/f", s, sizeof s);
    FACT_BOOL("listed", n > 0 && !strcmp(s, ACC));
    SETUP(chmod("w/f", 0640));
    FACT("chmod_mode", "%o", mode_of("w/f"));
    FACT_STR("chmod_acl", show("w/f", ACC, s, sizeof s));

    /* Non-owners: the named user entry, under the mask. */
    SETUP(chmod("w/f", 0660));
    int p[2];
    SETUP(pipe(p));
    pid_t c = fork();
    if (c == 0) {
        close(p[0]);
        if (chdir("w") || setgid(65534) || setuid(65534)) _exit(1);
        char r[3];
        int a = open("f", O_RDONLY), b = open("f", O_WRONLY);
        r[0] = a >= 0 ? 'r' : '-';
        r[1] = b >= 0 ? 'w' : '-';
        r[2] = setacl("f", ACC, full, 5, 2)[0];  /* not the owner: EPERM */
        write(p[1], r, 3);
        _exit(0);
    }
    close(p[1]);
    char r[4] = {0};
    read(p[0], r, 3);
    waitpid(c, NULL, 0);
    FACT("user_entry_access", "%c%c", r[0], r[1]);
    FACT_BOOL("user_set_eperm", r[2] == 'E');
    SETUP(chmod("w/f", 0600));  /* mask --- */
    c = fork();
    if (c == 0) {
        if (chdir("w") || setgid(65534) || setuid(65534)) _exit(1);
        _exit(open("f", O_RDONLY) >= 0 ? 0 : errno);
    }
    int status;
    waitpid(c, &status, 0);
    FACT_STR("masked_out", errname(WEXITSTATUS(status)));

    /* Bad input. */
    FACT_STR("bad_version", setacl("w/f", ACC, equiv, 3, 1));
    FACT_STR("default_on_file", setacl("w/f", DEF, equiv, 3, 2));
    static const struct e order[] = {{4, 5, -1}, {1, 7, -1}, {0x20, 1, -1}};
    FACT_STR("bad_order", setacl("w/f", ACC, order, 3, 2));
    static const struct e nomask[] = {{1, 7, -1}, {2, 7, 5}, {4, 5, -1}, {0x20, 1, -1}};
    FACT_STR("named_without_mask", setacl("w/f", ACC, nomask, 4, 2));
    static const struct e perm[] = {{1, 8, -1}, {4, 5, -1}, {0x20, 1, -1}};
    FACT_STR("bad_perm", setacl("w/f", ACC, perm, 3, 2));
    static const struct e tag[] = {{1, 7, -1}, {0x40, 5, -1}, {0x20, 1, -1}};
    FACT_STR("bad_tag", setacl("w/f", ACC, tag, 3, 2));
    static const struct e id[] = {{1, 6, -1}, {2, 7, -1}, {4, 4, -1}, {0x10, 7, -1}, {0x20, 0, -1}};
    FACT_STR("bad_id", setacl("w/f", ACC, id, 5, 2));
    FACT_STR("short", rc(setxattr("w/f", ACC, "ab", 2, 0)));
    FACT_STR("ragged", rc(setxattr("w/f", ACC, "\2\0\0\0abc", 7, 0)));
    FACT_STR("create_flag_ignored", rc(setxattr("w/f", ACC, "\2\0\0\0", 4, XATTR_CREATE)));
    FACT_STR("header_only_removes", show("w/f", ACC, s, sizeof s));
    FACT("after_remove_mode", "%o", mode_of("w/f"));

    /* Inheritance. */
    static const struct e def[] = {{1, 7, -1}, {2, 6, 65534}, {4, 5, -1}, {0x10, 5, -1}, {0x20, 0, -1}};
    FACT_STR("set_default", setacl("w/d", DEF, def, 5, 2));
    FACT_STR("default_acl", show("w/d", DEF, s, sizeof s));
    umask(077);
    fd = open("w/d/nf", O_CREAT | O_WRONLY, 0666);
    SETUP(fd);
    close(fd);
    FACT("new_file_mode", "%o", mode_of("w/d/nf"));
    FACT_STR("new_file_acl", show("w/d/nf", ACC, s, sizeof s));
    FACT_STR("new_file_default", show("w/d/nf", DEF, s, sizeof s));
    SETUP(mkdir("w/d/sd", 0777));
    FACT("new_dir_mode", "%o", mode_of("w/d/sd"));
    FACT_STR("new_dir_acl", show("w/d/sd", ACC, s, sizeof s));
    FACT_STR("new_dir_default", show("w/d/sd", DEF, s, sizeof s));
    SETUP(symlink("nf", "w/d/ln"));
    FACT_STR("new_symlink_acl", show("w/d/ln", ACC, s, sizeof s));
    FACT_STR("remove_default", rc(removexattr("w/d", DEF)));
    fd = open("w/d/nf2", O_CREAT | O_WRONLY, 0666);
    SETUP(fd);
    close(fd);
    FACT("umask_again_mode", "%o", mode_of("w/d/nf2"));
    DONE();
}
