/* inode timestamps (inode(7)): write(2) updates mtime and ctime, chmod(2) updates only ctime, rename updates the parent dir's mtime, link(2) updates the target's ctime; reading leaves mtime/ctime alone. Times are set to the past first, so only "moved forward" is checked. */
#include "../lib/contract.h"

static struct timespec old = { 1000000000, 0 };

static void age(const char *p) { struct timespec t[2] = { old, old }; utimensat(AT_FDCWD, p, t, 0); }
static int fwd(struct timespec t) { return t.tv_sec > old.tv_sec; }

int main(void)
{
    SETUP(mkdir("d", 0755));
    SETUP(write_file("d/f", "x"));
    struct stat st;
    age("d/f");
    int fd = open("d/f", O_WRONLY | O_APPEND);
    SETUP(write(fd, "y", 1));
    close(fd);
    stat("d/f", &st);
    FACT_BOOL("write_moves_mtime", fwd(st.st_mtim));
    FACT_BOOL("write_moves_ctime", fwd(st.st_ctim));
    age("d/f");
    SETUP(chmod("d/f", 0600));
    stat("d/f", &st);
    FACT_BOOL("chmod_keeps_mtime", !fwd(st.st_mtim));
    FACT_BOOL("chmod_moves_ctime", fwd(st.st_ctim));
    age("d/f");
    char b[4];
    int r = open("d/f", O_RDONLY);
    read(r, b, 1);
    close(r);
    stat("d/f", &st);
    FACT_BOOL("read_keeps_mtime", !fwd(st.st_mtim));
    age("d");
    SETUP(rename("d/f", "d/g"));
    stat("d", &st);
    FACT_BOOL("rename_moves_dir_mtime", fwd(st.st_mtim));
    struct stat before;
    stat("d/g", &before);
    sleep_ms(20);
    SETUP(link("d/g", "d/h"));
    stat("d/g", &st);
    FACT_BOOL("link_moves_ctime", st.st_ctim.tv_sec > before.st_ctim.tv_sec || (st.st_ctim.tv_sec == before.st_ctim.tv_sec && st.st_ctim.tv_nsec > before.st_ctim.tv_nsec));
    age("d/g");
    SETUP(truncate("d/g", 0));
    stat("d/g", &st);
    FACT_BOOL("truncate_moves_mtime", fwd(st.st_mtim));
    DONE();
}
