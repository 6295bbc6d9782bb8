/* stat(2) fields: st_mode type+permission bits after umask, st_nlink of files (1) and dirs (2 + subdirs), st_size, st_blocks*512 covers the data, st_blksize>0, st_uid/gid of root, lstat vs stat on symlinks (st_size = target length). */
#include "../lib/contract.h"

int main(void)
{
    umask(022);
    int fd = open("f", O_CREAT | O_WRONLY, 0666);
    SETUP(fd);
    char data[5000];
    memset(data, 'z', sizeof data);
    SETUP(write(fd, data, sizeof data));
    fsync(fd);
    struct stat st;
    SETUP(stat("f", &st));
    FACT("file_mode", "0%o", st.st_mode);
    FACT_INT("file_nlink", st.st_nlink);
    FACT_INT("file_size", st.st_size);
    FACT_BOOL("blocks_cover_size", st.st_blocks * 512 >= st.st_size);
    FACT_BOOL("blksize_positive", st.st_blksize > 0);
    FACT_INT("uid", st.st_uid);
    FACT_INT("gid", st.st_gid);
    FACT_BOOL("mtime_recent", st.st_mtime > 1577836800);
    SETUP(mkdir("d", 0777));
    stat("d", &st);
    FACT("dir_mode", "0%o", st.st_mode);
    FACT_INT("dir_nlink", st.st_nlink);
    SETUP(mkdir("d/s1", 0755));
    SETUP(mkdir("d/s2", 0755));
    SETUP(write_file("d/file", "x"));
    stat("d", &st);
    FACT_INT("dir_nlink_2_subdirs", st.st_nlink);
    SETUP(symlink("f", "l"));
    lstat("l", &st);
    FACT("lstat_mode", "0%o", st.st_mode);
    FACT_INT("lstat_size", st.st_size);
    stat("l", &st);
    FACT_INT("stat_follows_size", st.st_size);
    SETUP(mkfifo("p", 0640));
    stat("p", &st);
    FACT("fifo_mode", "0%o", st.st_mode);
    FACT_INT("fifo_size", st.st_size);
    struct stat a, b;
    fstat(fd, &a); stat("f", &b);
    FACT_BOOL("fstat_matches_stat", a.st_ino == b.st_ino && a.st_dev == b.st_dev && a.st_size == b.st_size);
    DONE();
}
