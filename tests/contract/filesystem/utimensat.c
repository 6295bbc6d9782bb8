/* utimensat(2): explicit times are stored exactly (ns), UTIME_OMIT leaves a field, UTIME_NOW uses the current time, AT_SYMLINK_NOFOLLOW changes the link, futimens via fd, bad tv_nsec EINVAL. */
#include "../lib/contract.h"

int main(void)
{
    SETUP(write_file("f", "x"));
    SETUP(symlink("f", "l"));
    struct timespec ts[2] = { { 1000000000, 123456789 }, { 1100000000, 987654321 } };
    CHECK_RET("set_explicit", utimensat(AT_FDCWD, "f", ts, 0));
    struct stat st;
    stat("f", &st);
    FACT_BOOL("atime_exact", st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 123456789);
    FACT_BOOL("mtime_exact", st.st_mtim.tv_sec == 1100000000 && st.st_mtim.tv_nsec == 987654321);
    FACT_BOOL("ctime_updated_to_now", st.st_ctim.tv_sec > 1577836800);
    struct timespec om[2] = { { 5, UTIME_OMIT }, { 1200000000, 0 } };
    CHECK_RET("omit_atime", utimensat(AT_FDCWD, "f", om, 0));
    stat("f", &st);
    FACT_BOOL("atime_kept", st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 123456789);
    FACT_BOOL("mtime_set", st.st_mtim.tv_sec == 1200000000 && st.st_mtim.tv_nsec == 0);
    struct timespec now[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };
    time_t before = time(NULL);
    CHECK_RET("now_atime", utimensat(AT_FDCWD, "f", now, 0));
    stat("f", &st);
    FACT_BOOL("atime_now", st.st_atim.tv_sec >= before - 1 && st.st_atim.tv_sec <= time(NULL) + 1);
    FACT_BOOL("mtime_still_omitted", st.st_mtim.tv_sec == 1200000000);
    struct timespec lt[2] = { { 300000000, 0 }, { 300000000, 0 } };
    CHECK_RET("nofollow_symlink", utimensat(AT_FDCWD, "l", lt, AT_SYMLINK_NOFOLLOW));
    struct stat ls;
    lstat("l", &ls); stat("f", &st);
    FACT_BOOL("link_mtime_set", ls.st_mtim.tv_sec == 300000000);
    FACT_BOOL("target_untouched", st.st_mtim.tv_sec == 1200000000);
    int fd = open("f", O_RDONLY);
    CHECK_RET("futimens", futimens(fd, ts));
    fstat(fd, &st);
    FACT_BOOL("futimens_applied", st.st_mtim.tv_sec == 1100000000);
    CHECK_RET("null_times_now", utimensat(AT_FDCWD, "f", NULL, 0));
    stat("f", &st);
    FACT_BOOL("null_sets_mtime_now", st.st_mtim.tv_sec >= before - 1);
    struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };
    CHECK_RET("bad_nsec", utimensat(AT_FDCWD, "f", bad, 0));
    CHECK_RET("missing_file", utimensat(AT_FDCWD, "nope", ts, 0));
    CHECK_RET("bad_flags", utimensat(AT_FDCWD, "f", ts, 0x4000));
    DONE();
}
