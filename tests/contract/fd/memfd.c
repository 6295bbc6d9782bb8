/* memfd_create(2): anonymous file readable/writable/truncatable, /proc/self/fd link is "/memfd:<name> (deleted)", seals block writes/shrink with EPERM. */
#define _GNU_SOURCE
#include "../lib/contract.h"
#include <sys/mman.h>
#include <sys/syscall.h>

int main(void)
{
    int fd = syscall(SYS_memfd_create, "contract", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    SETUP(fd);
    FACT_BOOL("cloexec", fcntl(fd, F_GETFD) & FD_CLOEXEC);
    CHECK_RET("write", write(fd, "memfd!", 6));
    char buf[64] = {0};
    CHECK_RET("pread", pread(fd, buf, 10, 0));
    FACT_STR("data", buf);
    struct stat st;
    fstat(fd, &st);
    FACT_BOOL("is_reg", S_ISREG(st.st_mode));
    FACT_INT("nlink", st.st_nlink);
    char path[64], link[128] = {0};
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    readlink(path, link, sizeof link - 1);
    FACT_STR("proc_link", link);
    CHECK_RET("ftruncate_grow", ftruncate(fd, 4096));
    CHECK_RET("get_seals", fcntl(fd, F_GET_SEALS));
    CHECK_RET("add_seal_write_shrink", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK));
    CHECK_RET("get_seals_after", fcntl(fd, F_GET_SEALS));
    CHECK_RET("write_sealed", write(fd, "x", 1));
    CHECK_RET("shrink_sealed", ftruncate(fd, 10));
    CHECK_RET("grow_allowed", ftruncate(fd, 8192));
    int nos = syscall(SYS_memfd_create, "nos", 0);
    CHECK_RET("seal_without_allow_sealing", fcntl(nos, F_ADD_SEALS, F_SEAL_WRITE));
    CHECK_RET("bad_flags", syscall(SYS_memfd_create, "x", 0x1000));
    DONE();
}
