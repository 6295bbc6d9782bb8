/* getdents64(2): a directory listing includes "." and ".." (with DT_DIR), even for an empty directory; "." has the directory's own inode. */
#include "../lib/contract.h"
#include <dirent.h>
#include <sys/syscall.h>

struct d64 { unsigned long long ino; long long off; unsigned short reclen; unsigned char type; char name[]; };

int main(void)
{
    SETUP(mkdir("e", 0755));
    int fd = open("e", O_RDONLY | O_DIRECTORY);
    char buf[4096] __attribute__((aligned(8)));
    long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
    int dot = 0, dotdot = 0, others = 0, dot_ino_ok = 0;
    struct stat st;
    stat("e", &st);
    for (long off = 0; off < n;) {
        struct d64 *d = (struct d64 *)(buf + off);
        if (!strcmp(d->name, ".")) { dot = 1; dot_ino_ok = d->ino == st.st_ino && d->type == DT_DIR; }
        else if (!strcmp(d->name, "..")) dotdot = d->type == DT_DIR ? 1 : 2;
        else others++;
        off += d->reclen;
    }
    FACT_BOOL("getdents_has_dot", dot);
    FACT_INT("getdents_has_dotdot", dotdot);
    FACT_BOOL("dot_inode_and_type", dot_ino_ok);
    FACT_INT("other_entries", others);
    CHECK_RET("second_call_eof", syscall(SYS_getdents64, fd, buf, sizeof buf));
    DONE();
}
