/* semget(2)/semop(2)/semctl(2): nsems checks, all-or-nothing operation arrays, wait-for-zero, IPC_NOWAIT, E2BIG/EFBIG/ERANGE/EINVAL order, SEMVMX and SEMAEM bounds, GETVAL/SETVAL/GETALL/SETALL/GETPID, IPC_STAT/IPC_SET/IPC_RMID, SEM_STAT and the info commands (ipc/sem.c). */
#include "../lib/contract.h"
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <time.h>

#ifndef SEM_STAT_ANY
#define SEM_STAT_ANY 20
#endif

struct perm64 { int key; unsigned uid, gid, cuid, cgid, mode; unsigned short seq, pad2; unsigned long u1, u2; };
struct semid64 { struct perm64 perm; long otime; unsigned long u1; long ctime; unsigned long u2, nsems, u3, u4; };

static long ctl(int id, int num, int cmd, unsigned long arg) { return syscall(SYS_semctl, id, num, cmd, arg); }
static long op1(int id, unsigned short num, short op, short flg)
{
    struct sembuf b = { num, op, flg };
    return syscall(SYS_semop, id, &b, 1);
}

static void show(const char *key, int id, int n)
{
    unsigned short v[8];
    ctl(id, 0, GETALL, (unsigned long)v);
    printf("%s=", key);
    for (int i = 0; i < n; i++)
        printf("%s%u", i ? "," : "", v[i]);
    printf("\n");
}

int main(void)
{
    key_t key = 0x4b570000 + (getpid() & 0xffff);
    while (semget(key, 0, 0) >= 0 || errno != ENOENT)
        key += 0x10000;
    CHECK_RET("get_neg", semget(IPC_PRIVATE, -1, 0600));
    CHECK_RET("get_zero_private", semget(IPC_PRIVATE, 0, 0600));
    CHECK_RET("get_too_many", semget(IPC_PRIVATE, 32001, 0600));
    CHECK_RET("get_zero_missing", semget(key, 0, 0600));
    CHECK_RET("get_zero_create", semget(key, 0, IPC_CREAT | 0600));
    int s = semget(key, 3, IPC_CREAT | IPC_EXCL | 0640);
    FACT_BOOL("get_create", s >= 0);
    FACT_BOOL("get_zero_existing", semget(key, 0, 0) == s);
    FACT_BOOL("get_fewer", semget(key, 2, 0) == s);
    CHECK_RET("get_more", semget(key, 4, 0));
    CHECK_RET("get_more_excl", semget(key, 4, IPC_CREAT | IPC_EXCL));
    CHECK_RET("get_neg_existing", semget(key, -1, 0));

    struct semid64 ds;
    CHECK_RET("stat", ctl(s, 0, IPC_STAT, (unsigned long)&ds));
    FACT("stat_fields", "%o:%lu:%d:%d:%d", ds.perm.mode, ds.nsems, ds.perm.key == key, ds.otime == 0,
         ds.ctime > 0);
    show("initial", s, 3);

    /* semop argument order. */
    struct sembuf ops[600];
    memset(ops, 0, sizeof ops);
    CHECK_RET("op_nsops0", syscall(SYS_semop, s, ops, 0));
    CHECK_RET("op_e2big", syscall(SYS_semop, s, ops, 501));
    CHECK_RET("op_e2big_efault", syscall(SYS_semop, s, NULL, 501));
    CHECK_RET("op_efault", syscall(SYS_semop, s, NULL, 1));
    CHECK_RET("op_negid_efault", syscall(SYS_semop, -1, NULL, 1));
    CHECK_RET("op_negid", syscall(SYS_semop, -1, ops, 1));
    CHECK_RET("op_badid", syscall(SYS_semop, s + 32768, ops, 1));
    ops[0].sem_num = 3;
    CHECK_RET("op_efbig", syscall(SYS_semop, s, ops, 1));
    CHECK_RET("op_efbig_badid", syscall(SYS_semop, s + 32768, ops, 1));
    struct timespec bad = { 0, 1000000000 };
    CHECK_RET("op_badtimeout", syscall(SYS_semtimedop, s, ops, 1, &bad));
    CHECK_RET("op_timeout_efault", syscall(SYS_semtimedop, s, ops, 0, (void *)8));

    /* Wait-for-zero succeeds at 0; changes are all or nothing. */
    CHECK_RET("zero_ok", op1(s, 0, 0, 0));
    CHECK_RET("inc", op1(s, 0, 5, 0));
    CHECK_RET("zero_nowait", op1(s, 0, 0, IPC_NOWAIT));
    CHECK_RET("dec_nowait", op1(s, 1, -1, IPC_NOWAIT));
    struct sembuf multi[3] = { { 1, 2, 0 }, { 0, -3, 0 }, { 2, -1, IPC_NOWAIT } };
    CHECK_RET("multi_fail", syscall(SYS_semop, s, multi, 3));
    show("after_multi_fail", s, 3);
    multi[2].sem_op = 4;
    CHECK_RET("multi_ok", syscall(SYS_semop, s, multi, 3));
    show("after_multi_ok", s, 3);
    /* The same semaphore twice: operations apply in order. */
    struct sembuf twice[3] = { { 0, -2, IPC_NOWAIT }, { 0, 0, IPC_NOWAIT }, { 2, 1, 0 } };
    CHECK_RET("twice_zero_after_dec", syscall(SYS_semop, s, twice, 3));
    struct sembuf twice2[2] = { { 1, -2, IPC_NOWAIT }, { 1, 3, 0 } };
    CHECK_RET("twice_dec_inc", syscall(SYS_semop, s, twice2, 2));
    show("after_twice", s, 3);

    /* SEMVMX 32767. */
    CHECK_RET("setval_max", ctl(s, 2, SETVAL, 32767));
    CHECK_RET("op_erange", op1(s, 2, 1, 0));
    CHECK_RET("op_erange_nowait", op1(s, 2, 1, IPC_NOWAIT));
    CHECK_RET("setval_over", ctl(s, 2, SETVAL, 32768));
    CHECK_RET("setval_neg", ctl(s, 2, SETVAL, (unsigned long)-1));
    CHECK_RET("setval_over_badid", ctl(s + 32768, 2, SETVAL, 32768));
    CHECK_RET("setval_badnum", ctl(s, 3, SETVAL, 1));
    CHECK_RET("setval_negnum", ctl(s, -1, SETVAL, 1));
    CHECK_RET("setval_badid", ctl(s + 32768, 0, SETVAL, 1));
    CHECK_RET("setval_hi_bits", ctl(s, 2, SETVAL, 0x100000007UL));
    CHECK_RET("getval", ctl(s, 2, GETVAL, 0));
    CHECK_RET("getval_badnum", ctl(s, 3, GETVAL, 0));
    CHECK_RET("getval_negnum", ctl(s, -1, GETVAL, 0));
    CHECK_RET("getpid_is_me", ctl(s, 2, GETPID, 0) == getpid());
    CHECK_RET("getncnt", ctl(s, 0, GETNCNT, 0));
    CHECK_RET("getzcnt", ctl(s, 0, GETZCNT, 0));

    /* SEM_UNDO adjustments are bounded by SEMAEM. */
    CHECK_RET("setval_0", ctl(s, 1, SETVAL, 0));
    CHECK_RET("undo_inc", op1(s, 1, 32767, SEM_UNDO));
    CHECK_RET("undo_dec", op1(s, 1, -32767, SEM_UNDO));
    CHECK_RET("undo_inc_again", op1(s, 1, 32767, SEM_UNDO));
    CHECK_RET("undo_dec_plain", op1(s, 1, -32767, 0));
    CHECK_RET("undo_inc_limit", op1(s, 1, 1, SEM_UNDO));
    CHECK_RET("undo_inc_over", op1(s, 1, 1, SEM_UNDO));
    CHECK_RET("undo_inc_over_nowait", op1(s, 1, 1, SEM_UNDO | IPC_NOWAIT));
    CHECK_RET("setval_resets_undo", ctl(s, 1, SETVAL, 1));
    CHECK_RET("undo_inc_after_reset", op1(s, 1, 1, SEM_UNDO));

    unsigned short all[3] = { 7, 8, 32768 };
    CHECK_RET("setall_erange", ctl(s, 0, SETALL, (unsigned long)all));
    all[2] = 9;
    CHECK_RET("setall", ctl(s, 99, SETALL, (unsigned long)all));
    show("after_setall", s, 3);
    CHECK_RET("setall_efault", ctl(s, 0, SETALL, 8));
    CHECK_RET("getall_efault", ctl(s, 0, GETALL, 8));
    CHECK_RET("getall_badid", ctl(s + 32768, 0, GETALL, 8));

    CHECK_RET("stat_after_ops", ctl(s, 0, IPC_STAT, (unsigned long)&ds));
    FACT_BOOL("otime_set", ds.otime > 0);
    ds.perm.mode = 0604;
    ds.perm.gid = 5;
    CHECK_RET("ipc_set", ctl(s, 0, IPC_SET, (unsigned long)&ds));
    ctl(s, 0, IPC_STAT, (unsigned long)&ds);
    FACT("after_set", "%o:%u:%u", ds.perm.mode, ds.perm.gid, ds.perm.cgid);
    CHECK_RET("ipc_set_efault", ctl(s, 0, IPC_SET, 8));
    CHECK_RET("ipc_stat_efault", ctl(s, 0, IPC_STAT, 8));
    CHECK_RET("badcmd", ctl(s, 0, 99, 0));
    CHECK_RET("negid", ctl(-1, 0, GETVAL, 0));
    FACT_BOOL("sem_stat", ctl(s & 0x7fff, 0, SEM_STAT, (unsigned long)&ds) == s);
    FACT_BOOL("sem_stat_any", ctl(s & 0x7fff, 0, SEM_STAT_ANY, (unsigned long)&ds) == s);
    struct seminfo info;
    FACT_BOOL("ipc_info", ctl(0, 0, IPC_INFO, (unsigned long)&info) >= 0);
    FACT("ipc_info_fields", "%d:%d:%d:%d:%d:%d:%d:%d:%d:%d", info.semmap, info.semmni, info.semmns,
         info.semmnu, info.semmsl, info.semopm, info.semume, info.semusz, info.semvmx, info.semaem);
    FACT_BOOL("sem_info", ctl(0, 0, SEM_INFO, (unsigned long)&info) >= 0);
    CHECK_RET("info_efault", ctl(0, 0, IPC_INFO, 8));

    CHECK_RET("rmid", ctl(s, 0, IPC_RMID, 0));
    CHECK_RET("rmid_again", ctl(s, 0, IPC_RMID, 0));
    CHECK_RET("op_removed", op1(s, 0, 1, 0));
    CHECK_RET("get_removed", semget(key, 1, 0));
    DONE();
}
