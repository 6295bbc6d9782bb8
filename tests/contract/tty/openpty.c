/* pty(7), posix_openpt(3), devpts: /dev/ptmx allocates a locked /dev/pts/N (136:N, owned
 * by the opener), TIOCGPTN/TIOCSPTLCK/TIOCGPTLCK/TIOCGPTPEER, ptsname/ttyname, isatty on
 * both ends, readdir of /dev/pts, and the node goes with the master's last close. */
#include "pty.h"
#include <dirent.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

static int listed(const char *name)
{
    DIR *d = opendir("/dev/pts");
    struct dirent *e;
    int found = 0;
    if (!d)
        return -1;
    while ((e = readdir(d)))
        if (!strcmp(e->d_name, name))
            found = e->d_type == DT_CHR ? 1 : 2;
    closedir(d);
    return found;
}

int main(void)
{
    struct stat st;
    SETUP(stat("/dev/ptmx", &st));
    FACT("ptmx", "%d:%d mode=%o", major(st.st_rdev), minor(st.st_rdev), st.st_mode);
    SETUP(stat("/dev/pts/ptmx", &st));
    FACT("pts_ptmx", "%d:%d chr=%d", major(st.st_rdev), minor(st.st_rdev), S_ISCHR(st.st_mode));
    struct statfs sfs;
    SETUP(statfs("/dev/pts", &sfs));
    FACT_BOOL("pts_is_devpts", sfs.f_type == 0x1cd1);
    FACT_INT("ptmx_listed", listed("ptmx"));

    int m;
    SETUP(m = open("/dev/ptmx", O_RDWR | O_NOCTTY));
    unsigned n = 12345;
    int lock = -1;
    CHECK_RET("gptn", ioctl(m, TIOCGPTN, &n));
    CHECK_RET("gptlck", ioctl(m, TIOCGPTLCK, &lock));
    FACT_INT("locked", lock);
    char path[64], name[16];
    snprintf(path, sizeof path, "/dev/pts/%u", n);
    snprintf(name, sizeof name, "%u", n);
    FACT_BOOL("ptsname_matches", !strcmp(ptsname(m), path));
    FACT_INT("node_listed", listed(name));
    SETUP(stat(path, &st));
    FACT("node", "chr=%d major=%d minor_is_index=%d ino_is_index_plus_3=%d",
         S_ISCHR(st.st_mode), major(st.st_rdev), minor(st.st_rdev) == n, st.st_ino == n + 3);
    FACT("node_owner", "uid=%d user_rw=%d other=%o", st.st_uid, (st.st_mode & 0600) == 0600,
         st.st_mode & 07);
    CHECK_RET("open_locked", open(path, O_RDWR | O_NOCTTY));
    CHECK_RET("peer_locked", ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY));
    int zero = 0;
    CHECK_RET("unlock", ioctl(m, TIOCSPTLCK, &zero));
    CHECK_RET("gptlck2", ioctl(m, TIOCGPTLCK, &lock));
    FACT_INT("locked2", lock);

    int s;
    SETUP(s = open(path, O_RDWR | O_NOCTTY));
    FACT_BOOL("isatty_master", isatty(m));
    FACT_BOOL("isatty_slave", isatty(s));
    char *tn = ttyname(s);
    FACT_BOOL("ttyname_slave", tn && !strcmp(tn, path));
    struct stat a, b;
    SETUP(fstat(s, &a));
    FACT_BOOL("fstat_slave_is_node", a.st_ino == st.st_ino && a.st_rdev == st.st_rdev);
    SETUP(fstat(m, &a));
    FACT("fstat_master", "%d:%d", major(a.st_rdev), minor(a.st_rdev));
    CHECK_RET("slave_gptn", ioctl(s, TIOCGPTN, &n));
    CHECK_RET("slave_gptpeer", ioctl(s, TIOCGPTPEER, O_RDWR));
    CHECK_RET("unknown_ioctl", ioctl(s, 0x54ff, 0));
    int pa;  /* flags are not checked: O_APPEND is just kept */
    SETUP(pa = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_APPEND));
    FACT_BOOL("peer_append", fcntl(pa, F_GETFL) & O_APPEND);
    close(pa);
    int p;
    SETUP(p = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
    SETUP(fstat(p, &b));
    FACT_BOOL("peer_is_node", b.st_ino == st.st_ino && b.st_rdev == st.st_rdev);
    FACT_INT("peer_cloexec", fcntl(p, F_GETFD));
    tn = ttyname(p);
    FACT_BOOL("ttyname_peer", tn && !strcmp(tn, path));
    CHECK_RET("write_peer", write(p, "x", 1));
    char c;
    CHECK_RET("master_reads_peer", read(m, &c, 1));

    int m2;
    SETUP(m2 = posix_openpt(O_RDWR | O_NOCTTY));
    FACT_BOOL("second_differs", strcmp(ptsname(m2), path) != 0);
    close(m2);

    close(s);
    close(p);
    close(m);
    /* Gone, unless another process got the index since: then it is a new node. */
    struct stat after;
    int gone = stat(path, &after) < 0 ? errno == ENOENT
               : after.st_ctim.tv_sec != st.st_ctim.tv_sec || after.st_ctim.tv_nsec != st.st_ctim.tv_nsec;
    FACT_BOOL("node_gone_after_close", gone);
    CHECK_RET("posix_openpt_badflags", posix_openpt(O_RDWR | O_NOCTTY | O_APPEND) >= 0 ? 0 : -1);
    DONE();
}
