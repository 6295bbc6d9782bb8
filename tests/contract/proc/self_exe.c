/* proc(5) /proc/self/exe: readlink gives an absolute path to the running binary (same file as realpath(argv[0]) when argv[0] has a slash), opening it yields the same inode, stat via the link works. */
#include "../lib/contract.h"
#include <limits.h>

int main(int argc, char **argv)
{
    (void)argc;
    char link[PATH_MAX + 1] = {0};
    ssize_t n = readlink("/proc/self/exe", link, PATH_MAX);
    FACT_BOOL("readlink_ok", n > 0);
    FACT_BOOL("absolute", link[0] == '/');
    struct stat a, b;
    stat("/proc/self/exe", &a);
    stat(link, &b);
    FACT_BOOL("same_inode_as_target", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
    if (strchr(argv[0], '/')) {
        char rp[PATH_MAX];
        FACT_BOOL("same_as_realpath_argv0", realpath(argv[0], rp) && !strcmp(rp, link));
    } else {
        const char *base = strrchr(link, '/');
        FACT_BOOL("same_as_realpath_argv0", base && !strcmp(base + 1, argv[0]));
    }
    int fd = open("/proc/self/exe", O_RDONLY);
    char hdr[4] = {0};
    read(fd, hdr, 4);
    FACT_BOOL("elf_magic", !memcmp(hdr, "\x7f" "ELF", 4));
    struct stat l;
    lstat("/proc/self/exe", &l);
    FACT_BOOL("is_symlink", S_ISLNK(l.st_mode));
    DONE();
}
