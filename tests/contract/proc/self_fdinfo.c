/* proc(5) /proc/self/fdinfo/N: "pos:" is the file offset, "flags:" is octal with the access mode, O_APPEND (02000), O_CLOEXEC (02000000) and O_LARGEFILE (0100000, forced on 64-bit); eventfd shows eventfd-count. */
#include "../lib/contract.h"
#include <sys/eventfd.h>

static long fd_field(int fd, const char *name, int base)
{
    char p[64], buf[1024];
    snprintf(p, sizeof p, "/proc/self/fdinfo/%d", fd);
    if (read_file(p, buf, sizeof buf) < 0) return -1;
    char *s = strstr(buf, name);
    return s ? strtol(s + strlen(name), NULL, base) : -2;
}

int main(void)
{
    SETUP(write_file("f", "0123456789"));
    int fd = open("f", O_RDWR | O_APPEND | O_CLOEXEC);
    char b[5];
    SETUP(read(fd, b, 5));
    FACT_INT("pos_after_read5", fd_field(fd, "pos:", 10));
    long fl = fd_field(fd, "flags:", 8);
    FACT_INT("accmode", fl & 3);
    FACT_BOOL("append_bit", fl & 02000);
    FACT_BOOL("cloexec_bit", fl & 02000000);
    FACT_BOOL("largefile_bit", fl & 0100000);
    int r = open("f", O_RDONLY);
    FACT("rdonly_flags", "0%lo", fd_field(r, "flags:", 8));
    lseek(r, 7, SEEK_SET);
    FACT_INT("pos_after_lseek", fd_field(r, "pos:", 10));
    int e = eventfd(5, 0);
    FACT("eventfd_count", "%lx", fd_field(e, "eventfd-count:", 16));
    CHECK_RET("missing_fd", open("/proc/self/fdinfo/99", O_RDONLY));
    DONE();
}
