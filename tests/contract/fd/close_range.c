/* close_range(2): closes [first,last], CLOSE_RANGE_CLOEXEC only sets FD_CLOEXEC, first>last or unknown flags are EINVAL, ~0U as last is fine. */
#include "../lib/contract.h"
#include <sys/syscall.h>

#define CLOSE_RANGE_CLOEXEC (1U << 2)

static int is_open(int fd) { return fcntl(fd, F_GETFD) != -1; }

int main(void)
{
    int nul = open("/dev/null", O_RDONLY);
    SETUP(nul);
    for (int i = 10; i <= 15; i++) SETUP(dup2(nul, i));
    CHECK_RET("close_range_11_12", syscall(SYS_close_range, 11, 12, 0));
    FACT("open_10_11_12_13", "%d%d%d%d", is_open(10), is_open(11), is_open(12), is_open(13));
    CHECK_RET("cloexec_13_14", syscall(SYS_close_range, 13, 14, CLOSE_RANGE_CLOEXEC));
    FACT("still_open_13_14", "%d%d", is_open(13), is_open(14));
    FACT("cloexec_13_14_15", "%d%d%d", !!(fcntl(13, F_GETFD) & FD_CLOEXEC),
         !!(fcntl(14, F_GETFD) & FD_CLOEXEC), !!(fcntl(15, F_GETFD) & FD_CLOEXEC));
    CHECK_RET("first_gt_last", syscall(SYS_close_range, 20, 10, 0));
    CHECK_RET("unknown_flag", syscall(SYS_close_range, 10, 20, 1U << 10));
    CHECK_RET("range_of_closed_fds", syscall(SYS_close_range, 100, 200, 0));
    CHECK_RET("to_uint_max", syscall(SYS_close_range, 14, ~0U, 0));
    FACT("open_10_13_14_15", "%d%d%d%d", is_open(10), is_open(13), is_open(14), is_open(15));
    DONE();
}
