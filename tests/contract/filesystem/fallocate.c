/* fallocate(2)/posix_fallocate(3): mode 0 extends st_size and reads zeros, FALLOC_FL_KEEP_SIZE keeps st_size, len 0 EINVAL, pipes ESPIPE, O_RDONLY fd EBADF, negative offset EINVAL. */
#define _GNU_SOURCE
#include "../lib/contract.h"

int main(void)
{
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
    SETUP(fd);
    SETUP(write(fd, "ab", 2));
    CHECK_RET("fallocate_extend", fallocate(fd, 0, 0, 8192));
    struct stat st;
    fstat(fd, &st);
    FACT_INT("size_after", st.st_size);
    char buf[4] = { 1, 1, 1, 1 };
    pread(fd, buf, 4, 4000);
    FACT_BOOL("reads_zero", !buf[0] && !buf[3]);
    pread(fd, buf, 2, 0);
    FACT_BOOL("data_kept", buf[0] == 'a' && buf[1] == 'b');
    CHECK_RET("keep_size", fallocate(fd, FALLOC_FL_KEEP_SIZE, 8192, 8192));
    fstat(fd, &st);
    FACT_INT("size_keep_size", st.st_size);
    CHECK_RET("len_zero", fallocate(fd, 0, 0, 0));
    CHECK_RET("negative_offset", fallocate(fd, 0, -1, 10));
    int p[2];
    SETUP(pipe(p));
    CHECK_RET("pipe", fallocate(p[1], 0, 0, 10));
    int ro = open("f", O_RDONLY);
    CHECK_RET("rdonly_fd", fallocate(ro, 0, 0, 10));
    CHECK_RC("posix_fallocate", posix_fallocate(fd, 0, 16384));
    fstat(fd, &st);
    FACT_INT("size_posix", st.st_size);
    SETUP(mkdir("d", 0755));
    int dfd = open("d", O_RDONLY);
    CHECK_RET("directory", fallocate(dfd, 0, 0, 10));
    DONE();
}
