/* getdents64(2): full listing (sorted by the test) with d_type for regular, dir, symlink, fifo and socket entries; lseek(fd,0) rewinds; unlinked entries disappear. */
#include "../lib/contract.h"
#include <dirent.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <stddef.h>

struct d64 { unsigned long long ino; long long off; unsigned short reclen; unsigned char type; char name[]; };

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list(const char *tag)
{
    int fd = open("d", O_RDONLY | O_DIRECTORY);
    char buf[8192] __attribute__((aligned(8)));
    char *names[64]; int k = 0;
    long n;
    while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0)
        for (long off = 0; off < n && k < 64;) {
            struct d64 *d = (struct d64 *)(buf + off);
            names[k] = malloc(300);
            snprintf(names[k++], 300, "%s:%d", d->name, d->type);
            off += d->reclen;
        }
    qsort(names, k, sizeof *names, cmp);
    printf("%s=", tag);
    for (int i = 0; i < k; i++) printf("%s%s", i ? "," : "", names[i]);
    printf("\n");
    close(fd);
}

int main(void)
{
    SETUP(mkdir("d", 0755));
    SETUP(write_file("d/reg", "x"));
    SETUP(mkdir("d/sub", 0755));
    SETUP(symlink("reg", "d/sym"));
    SETUP(mkfifo("d/fifo", 0644));
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    strcpy(a.sun_path, "d/sock");
    SETUP(bind(s, (struct sockaddr *)&a, offsetof(struct sockaddr_un, sun_path) + 7));
    for (int i = 0; i < 20; i++) { char p[32]; snprintf(p, sizeof p, "d/n%02d", i); SETUP(write_file(p, "")); }
    list("listing");
    SETUP(unlink("d/reg"));
    SETUP(rmdir("d/sub"));
    for (int i = 0; i < 20; i++) { char p[32]; snprintf(p, sizeof p, "d/n%02d", i); SETUP(unlink(p)); }
    list("after_unlink");
    int fd = open("d", O_RDONLY | O_DIRECTORY);
    char buf[4096] __attribute__((aligned(8)));
    long first = syscall(SYS_getdents64, fd, buf, sizeof buf);
    CHECK_RET("exhausted", syscall(SYS_getdents64, fd, buf, sizeof buf));
    CHECK_RET("rewind", lseek(fd, 0, SEEK_SET));
    FACT_BOOL("same_after_rewind", syscall(SYS_getdents64, fd, buf, sizeof buf) == first);
    DONE();
}
