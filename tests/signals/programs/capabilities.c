/* capget(2)/capset(2) and capabilities(7): the v1/v2/v3 headers (v1 carries 32 bits), an unknown version is EINVAL with the preferred version written back (a NULL data pointer makes that a probe), bad pids and pointers; capset only shrinks the sets (EPERM to raise, effective within permitted, only the caller), setuid away from root clears them unless PR_SET_KEEPCAPS, exec restores root's, ambient and bounding-set prctls, securebits. */
#include "../../contract/lib/contract.h"
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <stdint.h>

struct hdr { uint32_t version; int pid; };
struct data { uint32_t effective, permitted, inheritable; };
#define V1 0x19980330
#define V2 0x20071026
#define V3 0x20080522
#define CAP_CHOWN 0
#define CAP_KILL 5
#define CAP_SETPCAP 8
#define CAP_NET_RAW 13
#define CAP_SYS_ADMIN 21

static uint64_t bset(void)
{
    uint64_t b = 0;
    for (int c = 0; c < 64; c++) if (prctl(PR_CAPBSET_READ, c) == 1) b |= 1ULL << c;
    return b;
}

static int get3(uint64_t *e, uint64_t *p, uint64_t *i)
{
    struct hdr h = { V3, 0 };
    struct data d[2];
    memset(d, 0, sizeof d);
    if (syscall(SYS_capget, &h, d)) return -1;
    *e = d[0].effective | (uint64_t)d[1].effective << 32;
    *p = d[0].permitted | (uint64_t)d[1].permitted << 32;
    *i = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
    return 0;
}

static int set3(uint64_t e, uint64_t p, uint64_t i)
{
    struct hdr h = { V3, 0 };
    struct data d[2] = { { (uint32_t)e, (uint32_t)p, (uint32_t)i }, { (uint32_t)(e >> 32), (uint32_t)(p >> 32), (uint32_t)(i >> 32) } };
    return syscall(SYS_capset, &h, d);
}

static void child_facts(int fd, const char *mode, char **argv)
{
    /* runs in a child: report over fd as "key=value\n" lines */
    char buf[256];
    uint64_t e, p, i;
    if (!strcmp(mode, "setuid")) {
        setuid(65534);
        get3(&e, &p, &i);
        snprintf(buf, sizeof buf, "setuid_eff=%d\nsetuid_perm=%d\n", e != 0, p != 0);
    } else if (!strcmp(mode, "keepcaps")) {
        prctl(PR_SET_KEEPCAPS, 1);
        setresuid(65534, 65534, 65534);
        get3(&e, &p, &i);
        int kc = prctl(PR_GET_KEEPCAPS);
        snprintf(buf, sizeof buf, "keepcaps_eff=%d\nkeepcaps_perm_is_bset=%d\nkeepcaps_still=%d\n", e != 0, p == bset(), kc);
    } else if (!strcmp(mode, "seteuid")) {
        seteuid(65534);
        get3(&e, &p, &i);
        int a = e != 0, b = p == bset();
        seteuid(0);
        get3(&e, &p, &i);
        snprintf(buf, sizeof buf, "seteuid_eff=%d\nseteuid_perm_kept=%d\nback_to_root_eff_is_perm=%d\n", a, b, e == p);
    } else if (!strcmp(mode, "fsuid")) {
        setfsuid(65534);
        get3(&e, &p, &i);
        snprintf(buf, sizeof buf, "fsuid_drops_chown=%d\nfsuid_keeps_kill=%d\n", !(e & (1 << CAP_CHOWN)), !!(e & (1 << CAP_KILL)));
    } else if (!strcmp(mode, "drop_exec")) {
        set3(0, 0, 0);
        fflush(stdout);
        char fdarg[16];
        snprintf(fdarg, sizeof fdarg, "%d", fd);
        char *args[] = { argv[0], "after_exec", fdarg, NULL };
        execv("/proc/self/exe", args);
        snprintf(buf, sizeof buf, "exec_failed=%d\n", errno);
    } else if (!strcmp(mode, "ambient")) {
        int r1 = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0) == -1 ? errno : 0;
        get3(&e, &p, &i);
        set3(e, p, i | (1ULL << CAP_NET_RAW));
        int r2 = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0) == -1 ? errno : 0;
        int is = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW, 0, 0);
        prctl(PR_SET_KEEPCAPS, 1);
        setresuid(65534, 65534, 65534);
        get3(&e, &p, &i);
        int after = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW, 0, 0);
        snprintf(buf, sizeof buf, "ambient_raise_without_inh=%s\nambient_raise=%s\nambient_is_set=%d\n"
                 "ambient_after_setuid=%d\n", errname(r1), errname(r2), is, after);
    } else if (!strcmp(mode, "bset")) {
        int r = prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN) == -1 ? errno : 0;
        int rd = prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN);
        int bad = prctl(PR_CAPBSET_DROP, 99) == -1 ? errno : 0;
        uint64_t before_i;
        get3(&e, &p, &before_i);
        int inh = set3(e, p, 1ULL << CAP_SYS_ADMIN) == -1 ? errno : 0;
        setuid(65534);
        int nobody = prctl(PR_CAPBSET_DROP, CAP_CHOWN) == -1 ? errno : 0;
        snprintf(buf, sizeof buf, "bset_drop=%s\nbset_read_after=%d\nbset_drop_bad=%s\n"
                 "inheritable_outside_bset=%s\nbset_drop_nobody=%s\n",
                 errname(r), rd, errname(bad), errname(inh), errname(nobody));
    } else {
        snprintf(buf, sizeof buf, "unknown_mode=1\n");
    }
    write(fd, buf, strlen(buf));
}

static void in_child(const char *mode, char **argv)
{
    int p[2];
    SETUP(pipe(p));
    pid_t c = fork();
    if (c == 0) { close(p[0]); child_facts(p[1], mode, argv); _exit(0); }
    close(p[1]);
    char buf[512];
    ssize_t n, off = 0;
    while ((n = read(p[0], buf + off, sizeof buf - 1 - off)) > 0) off += n;
    buf[off] = 0;
    fputs(buf, stdout);
    close(p[0]);
    waitpid(c, NULL, 0);
}

int main(int argc, char **argv)
{
    uint64_t e, p, i;
    if (argc == 3 && !strcmp(argv[1], "after_exec")) {
        get3(&e, &p, &i);
        char buf[128];
        snprintf(buf, sizeof buf, "exec_restores_eff=%d\nexec_restores_perm=%d\n", e == bset(), p == bset());
        write(atoi(argv[2]), buf, strlen(buf));
        _exit(0);
    }
    SETUP(get3(&e, &p, &i));
    FACT_BOOL("root_eff_is_bset", e == bset());
    FACT_BOOL("root_perm_is_bset", p == bset());
    FACT_INT("root_inheritable", i);
    FACT_BOOL("bset_has_sys_admin", bset() >> CAP_SYS_ADMIN & 1);

    struct hdr h = { V1, 0 };
    struct data d[2];
    memset(d, 0xff, sizeof d);
    CHECK_RET("v1", syscall(SYS_capget, &h, d));
    FACT_BOOL("v1_low_word", d[0].effective == (uint32_t)e);
    FACT_BOOL("v1_leaves_second", d[1].effective == 0xffffffff);
    h.version = V2;
    memset(d, 0, sizeof d);
    CHECK_RET("v2", syscall(SYS_capget, &h, d));
    FACT_BOOL("v2_high_word", d[1].permitted == (uint32_t)(p >> 32));
    h.version = 0x12345678;
    CHECK_RET("bad_version", syscall(SYS_capget, &h, d));
    FACT("bad_version_written_back", "%#x", h.version);
    h.version = 0x12345678;
    CHECK_RET("bad_version_null_data_probe", syscall(SYS_capget, &h, NULL));
    FACT("probe_written_back", "%#x", h.version);
    h.version = V3;
    CHECK_RET("good_version_null_data", syscall(SYS_capget, &h, NULL));
    h.pid = -1;
    CHECK_RET("negative_pid", syscall(SYS_capget, &h, d));
    h.pid = 0x3ffffff0;
    CHECK_RET("missing_pid", syscall(SYS_capget, &h, d));
    h.pid = getpid();
    CHECK_RET("own_pid", syscall(SYS_capget, &h, d));
    h.pid = 0;
    CHECK_RET("bad_header", syscall(SYS_capget, (void *)8, d));
    CHECK_RET("bad_data", syscall(SYS_capget, &h, (void *)8));
    CHECK_RET("set_bad_header", syscall(SYS_capset, (void *)8, d));
    h.version = 0x12345678;
    CHECK_RET("set_bad_version", syscall(SYS_capset, &h, d));
    h.version = V3; h.pid = 1 == getpid() ? 2 : 1;
    CHECK_RET("set_other_pid", syscall(SYS_capset, &h, d));
    h.pid = 0;
    CHECK_RET("set_bad_data", syscall(SYS_capset, &h, (void *)8));

    in_child("setuid", argv);
    in_child("keepcaps", argv);
    in_child("seteuid", argv);
    in_child("fsuid", argv);
    in_child("drop_exec", argv);
    in_child("ambient", argv);
    in_child("bset", argv);

    /* shrinking is allowed, raising is not; effective must stay within permitted */
    uint64_t kill_bit = 1ULL << CAP_KILL;
    CHECK_RET("drop_kill_eff", set3(e & ~kill_bit, p, 0));
    CHECK_RET("eff_outside_perm", set3(e, p & ~kill_bit, 0));
    CHECK_RET("drop_kill_perm", set3(e & ~kill_bit, p & ~kill_bit, 0));
    CHECK_RET("raise_kill_again", set3(e, p, 0));
    uint64_t e2, p2, i2;
    get3(&e2, &p2, &i2);
    FACT_BOOL("kill_gone", !(e2 & kill_bit) && !(p2 & kill_bit));
    h.version = V1; h.pid = 0;
    struct data one = { (uint32_t)e2, (uint32_t)p2, 0 };
    CHECK_RET("v1_set_clears_high", syscall(SYS_capset, &h, &one));
    get3(&e2, &p2, &i2);
    FACT_BOOL("v1_high_cleared", (p2 >> 32) == 0);
    CHECK_RET("restore_fails", set3(e, p, 0));

    FACT_INT("keepcaps", prctl(PR_GET_KEEPCAPS));
    CHECK_RET("keepcaps_2", prctl(PR_SET_KEEPCAPS, 2));
    CHECK_RET("securebits", prctl(PR_GET_SECUREBITS));
    CHECK_RET("set_securebits_keep_caps", prctl(PR_SET_SECUREBITS, 0x10));
    CHECK_RET("keepcaps_via_securebits", prctl(PR_GET_KEEPCAPS));
    CHECK_RET("set_securebits_lock_keep_caps", prctl(PR_SET_SECUREBITS, 0x30));
    CHECK_RET("keepcaps_locked", prctl(PR_SET_KEEPCAPS, 0));
    CHECK_RET("unlock_refused", prctl(PR_SET_SECUREBITS, 0x10));
    CHECK_RET("unknown_bit", prctl(PR_SET_SECUREBITS, 0x30 | 0x100000));
    CHECK_RET("ambient_bad_cap", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 99, 0, 0));
    CHECK_RET("ambient_bad_op", prctl(PR_CAP_AMBIENT, 9, 0, 0, 0));
    CHECK_RET("ambient_clear_args", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 1, 0, 0));
    CHECK_RET("ambient_clear", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0));
    DONE();
}
