/* process_vm_readv(2)/process_vm_writev(2) (mm/process_vm_access.c): flags EINVAL, iovec checks (IOV_MAX, negative lengths, EFAULT for the arrays and local ranges), zero-length sides return 0 before the pid is looked up, ESRCH for no process and for a zombie, EPERM for another user, a partial copy returns the bytes done (remote or local fault at a page), EFAULT when nothing moved, read-only remote pages refuse writes; copies between two processes, scattered over several iovecs. */
#include "../lib/contract.h"
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

static long vm_read(pid_t pid, struct iovec *l, unsigned long ln, struct iovec *r, unsigned long rn, unsigned long flags)
{
    return syscall(SYS_process_vm_readv, pid, l, ln, r, rn, flags);
}
static long vm_write(pid_t pid, struct iovec *l, unsigned long ln, struct iovec *r, unsigned long rn, unsigned long flags)
{
    return syscall(SYS_process_vm_writev, pid, l, ln, r, rn, flags);
}

static char shared_src[64] = "abcdefghijklmnopqrstuvwxyz";
static char child_buf[64];

int main(void)
{
    pid_t me = getpid();
    char buf[64], dst[64];
    memset(dst, 0, sizeof dst);
    struct iovec l = {dst, 8}, r = {shared_src, 8};
    CHECK_RET("flags", vm_read(me, &l, 1, &r, 1, 1));
    CHECK_RET("self_read", vm_read(me, &l, 1, &r, 1, 0));
    FACT("self_data", "%.8s", dst);
    CHECK_RET("local_zero_bad_pid", vm_read(999999, &l, 0, &r, 1, 0));
    struct iovec rz = {shared_src, 0};
    CHECK_RET("remote_zero_bad_pid", vm_read(999999, &l, 1, &rz, 1, 0));
    CHECK_RET("remote_null_zero", vm_read(999999, &l, 1, NULL, 0, 0));
    CHECK_RET("bad_pid", vm_read(999999, &l, 1, &r, 1, 0));
    CHECK_RET("pid_zero", vm_read(0, &l, 1, &r, 1, 0));
    CHECK_RET("local_too_many", vm_read(me, &l, 1025, &r, 1, 0));
    CHECK_RET("remote_too_many", vm_read(me, &l, 1, &r, 1025, 0));
    CHECK_RET("local_array_efault", vm_read(me, (struct iovec *)8, 1, &r, 1, 0));
    CHECK_RET("remote_array_efault", vm_read(999999, &l, 1, (struct iovec *)8, 1, 0));
    struct iovec neg = {dst, (size_t)-1};
    CHECK_RET("local_negative", vm_read(me, &neg, 1, &r, 1, 0));
    CHECK_RET("remote_negative", vm_read(me, &l, 1, &neg, 1, 0));
    struct iovec kern = {(void *)0xffffffffffff0000UL, 8};
    CHECK_RET("local_kernel_range", vm_read(me, &kern, 1, &r, 1, 0));
    CHECK_RET("remote_kernel_range", vm_read(me, &l, 1, &kern, 1, 0));
    CHECK_RET("remote_kernel_bad_pid", vm_read(999999, &l, 1, &kern, 1, 0));
    struct iovec low = {(void *)4096, 8};
    CHECK_RET("remote_unmapped", vm_read(me, &l, 1, &low, 1, 0));

    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return 1;
    memset(m, 'm', 4096);
    SETUP(munmap(m + 4096, 4096));
    char big[8192];
    struct iovec lb = {big, sizeof big}, rtail = {m + 4000, 200};
    CHECK_RET("partial_remote", vm_read(me, &lb, 1, &rtail, 1, 0));
    struct iovec rtwo[2] = {{m, 10}, {m + 4096, 10}};
    CHECK_RET("partial_second_remote_vec", vm_read(me, &lb, 1, rtwo, 2, 0));
    struct iovec ltail = {m + 4000, 200}, rbig = {big, sizeof big};
    CHECK_RET("partial_local_read", vm_read(me, &ltail, 1, &rbig, 1, 0));
    CHECK_RET("partial_local_write", vm_write(me, &ltail, 1, &rbig, 1, 0));
    size_t large = (3 << 20) + 4321;
    char *src = mmap(NULL, large, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *dstl = mmap(NULL, large, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (src == MAP_FAILED || dstl == MAP_FAILED) return 1;
    for (size_t i = 0; i < large; i++) src[i] = (char)(i * 7 + i / 4096);
    struct iovec lbig = {dstl, large}, rbig2 = {src, large};
    CHECK_RET("large_copy", vm_read(me, &lbig, 1, &rbig2, 1, 0));
    FACT_BOOL("large_copy_same", memcmp(src, dstl, large) == 0);
    SETUP(mprotect(m, 4096, PROT_READ));
    struct iovec ro = {m, 8};
    CHECK_RET("write_read_only", vm_write(me, &l, 1, &ro, 1, 0));
    CHECK_RET("read_read_only", vm_read(me, &l, 1, &ro, 1, 0));

    int ready[2], go[2];
    SETUP(pipe(ready));
    SETUP(pipe(go));
    pid_t c = fork();
    if (c == 0) {
        strcpy(shared_src, "child's own copy of the data");
        write(ready[1], "r", 1);
        char ch;
        read(go[0], &ch, 1);
        write(ready[1], child_buf, 16);
        read(go[0], &ch, 1);
        _exit(0);
    }
    char ch;
    SETUP(read(ready[0], &ch, 1));
    memset(buf, 0, sizeof buf);
    struct iovec lsplit[3] = {{buf, 3}, {buf + 10, 0}, {buf + 20, 20}};
    struct iovec rsplit[2] = {{shared_src, 5}, {shared_src + 8, 30}};
    CHECK_RET("child_read_scattered", vm_read(c, lsplit, 3, rsplit, 2, 0));
    FACT("child_read_a", "%.3s", buf);
    FACT("child_read_b", "%.20s", buf + 20);
    struct iovec lw[2] = {{"hello ", 6}, {"child!!!!!", 10}};
    struct iovec rw = {child_buf, 16};
    CHECK_RET("child_write", vm_write(c, lw, 2, &rw, 1, 0));
    SETUP(write(go[1], "g", 1));
    memset(buf, 0, sizeof buf);
    SETUP(read(ready[0], buf, 16));
    FACT("child_saw", "%.16s", buf);

    pid_t u = fork();
    if (u == 0) {
        if (setgid(65534) || setuid(65534)) _exit(100);
        char tmp[8];
        struct iovec ul = {tmp, 8}, ur = {shared_src, 8};
        long rc = vm_read(me, &ul, 1, &ur, 1, 0);
        _exit(rc == -1 ? errno : 0);
    }
    int status;
    SETUP(waitpid(u, &status, 0));
    FACT_ERRNO("other_user", WEXITSTATUS(status));

    SETUP(write(go[1], "g", 1));
    siginfo_t si;
    SETUP(waitid(P_PID, c, &si, WEXITED | WNOWAIT));
    CHECK_RET("zombie", vm_read(c, &l, 1, &r, 1, 0));
    SETUP(waitpid(c, NULL, 0));
    CHECK_RET("reaped", vm_read(c, &l, 1, &r, 1, 0));
    DONE();
}
