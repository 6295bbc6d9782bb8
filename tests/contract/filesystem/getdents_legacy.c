/* getdents(2), the legacy struct linux_dirent (fs/readdir.c filldir): reclen ALIGN(18 + namelen + 2, 8), NUL-terminated name, d_type in the record's last byte, the same d_ino and d_off as getdents64 and one shared position; EBADF, ENOTDIR, EINVAL for a buffer too small for one entry, EFAULT. */
#include "../lib/contract.h"
#include <sys/syscall.h>

struct d { unsigned long ino; unsigned long off; unsigned short reclen; char name[]; };
struct d64 { unsigned long long ino; long long off; unsigned short reclen; unsigned char type; char name[]; };

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void)
{
    SETUP(mkdir("d", 0755));
    SETUP(write_file("d/reg", "x"));
    SETUP(mkdir("d/subdirectory", 0755));
    SETUP(symlink("reg", "d/s"));
    SETUP(mkfifo("d/fifo_with_a_longer_name", 0644));
    int fd = open("d", O_RDONLY | O_DIRECTORY), fd64 = open("d", O_RDONLY | O_DIRECTORY);
    SETUP(fd);
    SETUP(fd64);
    char buf[4096] __attribute__((aligned(8))), buf64[4096] __attribute__((aligned(8)));
    long n = syscall(SYS_getdents, fd, buf, sizeof buf);
    long n64 = syscall(SYS_getdents64, fd64, buf64, sizeof buf64);
    char *names[16];
    int k = 0, same_ids = 1, nul_ok = 1;
    long off64 = 0;
    for (long off = 0; off < n && k < 16; ) {
        struct d *e = (struct d *)(buf + off);
        struct d64 *e64 = (struct d64 *)(buf64 + off64);
        unsigned char type = buf[off + e->reclen - 1];
        size_t len = strlen(e->name);
        if (e->ino != e64->ino || (long long)e->off != e64->off || strcmp(e->name, e64->name) || type != e64->type)
            same_ids = 0;
        if (e->reclen != ((18 + len + 2 + 7) & ~7UL)) nul_ok = 0;
        names[k] = malloc(300);
        snprintf(names[k++], 300, "%s:%d:%d", e->name, type, e->reclen);
        off += e->reclen;
        off64 += e64->reclen;
    }
    FACT_BOOL("same_entries_as_getdents64", same_ids && off64 == n64);
    FACT_BOOL("reclen_rule", nul_ok);
    qsort(names, k, sizeof *names, cmp);
    printf("listing=");
    for (int i = 0; i < k; i++) printf("%s%s", i ? "," : "", names[i]);
    printf("\n");
    CHECK_RET("exhausted", syscall(SYS_getdents, fd, buf, sizeof buf));

    /* One entry at a time, then the rest through getdents64 from the same position. */
    unsigned short first = ((struct d *)buf)->reclen;
    SETUP(lseek(fd, 0, SEEK_SET));
    FACT_BOOL("exactly_one_entry", syscall(SYS_getdents, fd, buf, first) == first);
    long rest = syscall(SYS_getdents64, fd, buf64, sizeof buf64);
    int entries = 0;
    for (long off = 0; off < rest; off += ((struct d64 *)(buf64 + off))->reclen) entries++;
    FACT_INT("rest_via_getdents64", entries);

    SETUP(lseek(fd, 0, SEEK_SET));
    CHECK_RET("too_small", syscall(SYS_getdents, fd, buf, 1));
    CHECK_RET("efault", syscall(SYS_getdents, fd, (void *)8, sizeof buf));
    CHECK_RET("ebadf", syscall(SYS_getdents, 999, buf, sizeof buf));
    int reg = open("d/reg", O_RDONLY);
    SETUP(reg);
    CHECK_RET("enotdir", syscall(SYS_getdents, reg, buf, sizeof buf));
    int opath = open("d", O_PATH);
    SETUP(opath);
    CHECK_RET("o_path", syscall(SYS_getdents, opath, buf, sizeof buf));
    DONE();
}
