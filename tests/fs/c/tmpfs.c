/* tmpfs: holes (SEEK_DATA/SEEK_HOLE, st_blocks), truncate grow/shrink with zero fill,
 * O_APPEND (and pwrite with O_APPEND appending), hard links and st_nlink, reading an
 * unlinked open file, rename/renameat2 (NOREPLACE, EXCHANGE, WHITEOUT, into its own
 * subtree, over an empty and a non-empty directory, file over dir and dir over file),
 * rmdir ENOTEMPTY, getdents64 offsets stable while entries are removed, fallocate modes,
 * statfs's magic and the size= option. */
#include "fs.h"
#include <dirent.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#undef FALLOC_FL_KEEP_SIZE
#undef FALLOC_FL_PUNCH_HOLE
#define FALLOC_FL_KEEP_SIZE 0x01
#define FALLOC_FL_PUNCH_HOLE 0x02
#define FALLOC_FL_COLLAPSE_RANGE 0x08
#define FALLOC_FL_ZERO_RANGE 0x10
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#define RENAME_WHITEOUT 4
#endif

struct linux_dirent64 { unsigned long long d_ino; long long d_off; unsigned short d_reclen; unsigned char d_type; char d_name[]; };

int main(void)
{
    enter_tmpfs("size=32m,nr_inodes=1000");
    struct statfs sfs;
    CHECK_RET("statfs", statfs(".", &sfs));
    FACT("f_type", "0x%lx", (unsigned long)sfs.f_type);
    FACT_INT("f_blocks", sfs.f_blocks);
    FACT_INT("f_bsize", sfs.f_bsize);
    FACT_INT("f_files", sfs.f_files);
    FACT_INT("f_namelen", sfs.f_namelen);
    /* sparse */
    int fd = open("sparse", O_RDWR | O_CREAT, 0644);
    SETUP(fd);
    SETUP(pwrite(fd, "x", 1, 1 << 20));
    struct stat st;
    fstat(fd, &st);
    FACT_INT("sparse_size", st.st_size);
    FACT_INT("sparse_blocks", st.st_blocks);
    CHECK_RET("seek_data_0", lseek(fd, 0, SEEK_DATA));
    CHECK_RET("seek_hole_0", lseek(fd, 0, SEEK_HOLE));
    CHECK_RET("seek_hole_in_data", lseek(fd, (1 << 20) + 0, SEEK_HOLE));
    CHECK_RET("seek_data_past_end", lseek(fd, (1 << 20) + 1, SEEK_DATA));
    CHECK_RET("seek_hole_past_end", lseek(fd, (1 << 20) + 5, SEEK_HOLE));
    CHECK_RET("seek_negative", lseek(fd, -1, SEEK_SET));
    CHECK_RET("seek_bad_whence", lseek(fd, 0, 7));
    char buf[64] = {1};
    CHECK_RET("read_hole", pread(fd, buf, 8, 4096));
    FACT_BOOL("hole_zeroes", buf[0] == 0 && buf[7] == 0);
    /* truncate */
    SETUP(write_file("tr", "abcdefghij"));
    CHECK_RET("truncate_shrink", truncate("tr", 4));
    CHECK_RET("truncate_grow", truncate("tr", 8));
    memset(buf, 'Z', sizeof buf);
    int t = open("tr", O_RDONLY);
    CHECK_RET("read_after_grow", read(t, buf, sizeof buf));
    FACT("grown", "%.4s|%d%d%d%d", buf, buf[4], buf[5], buf[6], buf[7]);
    CHECK_RET("truncate_negative", truncate("tr", -1));
    CHECK_RET("ftruncate_rdonly", ftruncate(t, 0));
    CHECK_RET("truncate_dir", truncate(".", 0));
    /* O_APPEND */
    int a = open("ap", O_WRONLY | O_CREAT | O_APPEND, 0644);
    SETUP(write(a, "one", 3));
    lseek(a, 0, SEEK_SET);
    SETUP(write(a, "two", 3));
    CHECK_RET("append_pos", lseek(a, 0, SEEK_CUR));
    CHECK_RET("pwrite_append", pwrite(a, "3", 1, 0));
    memset(buf, 0, sizeof buf);
    read_file("ap", buf, sizeof buf);
    FACT_STR("append_content", buf);
    CHECK_RET("fcntl_clear_append", fcntl(a, F_SETFL, 0));
    CHECK_RET("pwrite_no_append", pwrite(a, "X", 1, 0));
    memset(buf, 0, sizeof buf);
    read_file("ap", buf, sizeof buf);
    FACT_STR("after_clear", buf);
    /* links */
    SETUP(write_file("orig", "linked"));
    CHECK_RET("link", link("orig", "alias"));
    stat("orig", &st);
    FACT_INT("nlink_2", st.st_nlink);
    CHECK_RET("link_existing", link("orig", "alias"));
    CHECK_RET("link_dir", link(".", "dirlink"));
    CHECK_RET("link_missing", link("missing", "x"));
    int o = open("orig", O_RDONLY);
    CHECK_RET("unlink_orig", unlink("orig"));
    CHECK_RET("unlink_alias", unlink("alias"));
    fstat(o, &st);
    FACT_INT("nlink_open_unlinked", st.st_nlink);
    memset(buf, 0, sizeof buf);
    CHECK_RET("read_unlinked", read(o, buf, sizeof buf));
    FACT_STR("unlinked_data", buf);
    CHECK_RET("write_unlinked_rdonly", write(o, "x", 1));
    mkdir("sub", 0755);
    stat(".", &st);
    FACT_INT("dir_nlink_with_sub", st.st_nlink);
    /* rename */
    SETUP(write_file("r1", "1")); SETUP(write_file("r2", "2"));
    CHECK_RET("noreplace_existing", syscall(SYS_renameat2, AT_FDCWD, "r1", AT_FDCWD, "r2", RENAME_NOREPLACE));
    CHECK_RET("exchange", syscall(SYS_renameat2, AT_FDCWD, "r1", AT_FDCWD, "r2", RENAME_EXCHANGE));
    memset(buf, 0, sizeof buf); read_file("r1", buf, sizeof buf);
    FACT_STR("exchanged_r1", buf);
    CHECK_RET("exchange_missing", syscall(SYS_renameat2, AT_FDCWD, "r1", AT_FDCWD, "none", RENAME_EXCHANGE));
    CHECK_RET("exchange_and_noreplace", syscall(SYS_renameat2, AT_FDCWD, "r1", AT_FDCWD, "r2", RENAME_EXCHANGE | RENAME_NOREPLACE));
    CHECK_RET("bad_rename_flag", syscall(SYS_renameat2, AT_FDCWD, "r1", AT_FDCWD, "r2", 8));
    CHECK_RET("whiteout", syscall(SYS_renameat2, AT_FDCWD, "r1", AT_FDCWD, "r3", RENAME_WHITEOUT));
    CHECK_RET("whiteout_lstat", lstat("r1", &st));
    FACT_BOOL("whiteout_is_chr_0_0", S_ISCHR(st.st_mode) && st.st_rdev == 0);
    SETUP(mkdir("a", 0755)); SETUP(mkdir("a/b", 0755)); SETUP(mkdir("empty", 0755));
    SETUP(mkdir("full", 0755)); SETUP(write_file("full/x", "x"));
    CHECK_RET("dir_into_own_subtree", rename("a", "a/b/c"));
    CHECK_RET("dir_into_itself", rename("a", "a/c"));
    CHECK_RET("parent_over_child", rename("a/b", "a"));
    CHECK_RET("dir_over_empty_dir", rename("a", "empty"));
    CHECK_RET("dir_over_full_dir", rename("empty", "full"));
    CHECK_RET("file_over_dir", rename("r2", "full"));
    CHECK_RET("dir_over_file", rename("full", "r2"));
    CHECK_RET("rename_same_file", rename("r2", "r2"));
    SETUP(link("r2", "r2hard"));
    CHECK_RET("rename_hardlink_same_inode", rename("r2", "r2hard"));
    CHECK_RET("both_names_remain", access("r2", F_OK));
    CHECK_RET("rmdir_full", rmdir("full"));
    CHECK_RET("rmdir_file", rmdir("r2"));
    CHECK_RET("rmdir_missing", rmdir("nope"));
    /* getdents offsets survive unlinks */
    SETUP(mkdir("list", 0755));
    for (int i = 0; i < 30; i++) { char n[32]; snprintf(n, sizeof n, "list/e%02d", i); SETUP(write_file(n, "")); }
    int dfd = open("list", O_RDONLY | O_DIRECTORY);
    char dbuf[256];
    long n = syscall(SYS_getdents64, dfd, dbuf, sizeof dbuf);
    int seen = 0, dots = 0;
    char names[64][32]; int count = 0;
    for (long off = 0; off < n;) {
        struct linux_dirent64 *e = (void *)(dbuf + off);
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) dots++; else strcpy(names[count++], e->d_name);
        off += e->d_reclen; seen++;
    }
    FACT_INT("first_batch_has_dots", dots);
    for (int i = 0; i < 30; i += 2) { char p[32]; snprintf(p, sizeof p, "list/e%02d", i); unlink(p); }
    int rest = 0, dup = 0;
    while ((n = syscall(SYS_getdents64, dfd, dbuf, sizeof dbuf)) > 0) {
        for (long off = 0; off < n;) {
            struct linux_dirent64 *e = (void *)(dbuf + off);
            for (int k = 0; k < count; k++) if (!strcmp(names[k], e->d_name)) dup++;
            int idx = atoi(e->d_name + 1);
            if (idx % 2 == 0) dup += 100; /* a removed entry came back */
            rest++;
            off += e->d_reclen;
        }
    }
    FACT_INT("total_unique_odd_left", count + rest - (count - 0));
    FACT_INT("duplicates_or_ghosts", dup);
    CHECK_RET("getdents_small_buf", syscall(SYS_getdents64, open("list", O_RDONLY), dbuf, 8));
    CHECK_RET("getdents_on_file", syscall(SYS_getdents64, open("r2", O_RDONLY), dbuf, sizeof dbuf));
    /* fallocate */
    int fa = open("fa", O_RDWR | O_CREAT, 0644);
    CHECK_RET("fallocate", fallocate(fa, 0, 0, 8192));
    fstat(fa, &st); FACT_INT("fallocate_size", st.st_size); FACT_INT("fallocate_blocks", st.st_blocks);
    CHECK_RET("fallocate_keep_size", fallocate(fa, FALLOC_FL_KEEP_SIZE, 8192, 8192));
    fstat(fa, &st); FACT_INT("keep_size_size", st.st_size); FACT_INT("keep_size_blocks", st.st_blocks);
    CHECK_RET("punch_hole", fallocate(fa, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 4096));
    fstat(fa, &st); FACT_INT("punch_size", st.st_size); FACT_INT("punch_blocks", st.st_blocks);
    CHECK_RET("punch_without_keep", fallocate(fa, FALLOC_FL_PUNCH_HOLE, 0, 4096));
    CHECK_RET("zero_range", fallocate(fa, FALLOC_FL_ZERO_RANGE, 0, 4096));
    CHECK_RET("collapse_range", fallocate(fa, FALLOC_FL_COLLAPSE_RANGE, 0, 4096));
    CHECK_RET("fallocate_zero_len", fallocate(fa, 0, 0, 0));
    CHECK_RET("fallocate_negative", fallocate(fa, 0, -1, 10));
    CHECK_RET("fallocate_rdonly", fallocate(t, 0, 0, 10));
    CHECK_RET("fallocate_dir", fallocate(dfd, 0, 0, 10));
    int pp[2]; SETUP(pipe(pp));
    CHECK_RET("fallocate_pipe", fallocate(pp[1], 0, 0, 10));
    /* ENOSPC on a full tmpfs */
    int big = open("big", O_WRONLY | O_CREAT, 0644);
    CHECK_RET("fallocate_too_big", fallocate(big, 0, 0, 64 << 20));
    DONE();
}
