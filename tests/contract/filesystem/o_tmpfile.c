/* open(2) O_TMPFILE: an unnamed regular file in a directory, invisible in listings, nlink 0, linkable with linkat via /proc/self/fd; O_TMPFILE|O_EXCL cannot be linked; needs write access mode (EINVAL with O_RDONLY). */
#define _GNU_SOURCE
#include "../lib/contract.h"

int main(void)
{
    SETUP(mkdir("d", 0755));
    int fd = open("d", O_TMPFILE | O_RDWR, 0600);
    SETUP(fd);
    SETUP(write(fd, "tmp", 3));
    struct stat st;
    fstat(fd, &st);
    FACT_BOOL("is_regular", S_ISREG(st.st_mode));
    FACT_INT("nlink", st.st_nlink);
    char p[64];
    snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
    CHECK_RET("linkat_proc", linkat(AT_FDCWD, p, AT_FDCWD, "d/named", AT_SYMLINK_FOLLOW));
    char buf[8] = {0};
    read_file("d/named", buf, sizeof buf);
    FACT_STR("named_content", buf);
    fstat(fd, &st);
    FACT_INT("nlink_after_link", st.st_nlink);
    int ex = open("d", O_TMPFILE | O_RDWR | O_EXCL, 0600);
    snprintf(p, sizeof p, "/proc/self/fd/%d", ex);
    CHECK_RET("linkat_excl", linkat(AT_FDCWD, p, AT_FDCWD, "d/named2", AT_SYMLINK_FOLLOW));
    CHECK_RET("tmpfile_rdonly", open("d", O_TMPFILE | O_RDONLY, 0600));
    SETUP(write_file("file", ""));
    CHECK_RET("tmpfile_on_file", open("file", O_TMPFILE | O_RDWR, 0600));
    DONE();
}
