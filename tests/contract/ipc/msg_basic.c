/* msgget(2)/msgsnd(2)/msgrcv(2)/msgctl(2): keys (IPC_PRIVATE, IPC_CREAT, IPC_EXCL), type selection (0, >0, <0, MSG_EXCEPT), MSG_NOERROR/E2BIG, IPC_NOWAIT, MSG_COPY, IPC_STAT/IPC_SET/IPC_RMID fields and ipc/msg.c's errno order. */
#include "../lib/contract.h"
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#ifndef MSG_COPY
#define MSG_COPY 040000
#endif
#ifndef MSG_STAT_ANY
#define MSG_STAT_ANY 13
#endif

struct msgbuf64 { long mtype; char mtext[64]; };

/* The kernel's struct msqid64_ds on x86_64 (the raw syscall ABI). */
struct perm64 { int key; unsigned uid, gid, cuid, cgid, mode; unsigned short seq, pad2; unsigned long u1, u2; };
struct msqid64 { struct perm64 perm; long stime, rtime, ctime; unsigned long cbytes, qnum, qbytes; int lspid, lrpid; unsigned long u4, u5; };

static long rawctl(int id, int cmd, void *buf) { return syscall(SYS_msgctl, id, cmd, buf); }

static int snd(int q, long type, const char *text, int flags)
{
    struct msgbuf64 m = { .mtype = type };
    strcpy(m.mtext, text);
    return msgsnd(q, &m, strlen(text), flags);
}

static void rcv(const char *key, int q, size_t size, long type, int flags)
{
    struct msgbuf64 m;
    memset(&m, 0, sizeof m);
    errno = 0;
    long r = msgrcv(q, &m, size, type, flags);
    if (r < 0)
        printf("%s=%s\n", key, errname(errno));
    else
        printf("%s=%ld:%ld:%.*s\n", key, r, m.mtype, (int)r, m.mtext);
}

int main(void)
{
    key_t key = 0x4b560000 + (getpid() & 0xffff);
    /* A unique key the host does not use (ENOENT, then create, EEXIST, the same id). */
    int q0 = msgget(key, 0600);
    while (q0 >= 0 || errno != ENOENT) { key += 0x10000; q0 = msgget(key, 0600); }
    FACT_ERRNO("get_missing", errno);
    int q = msgget(key, IPC_CREAT | IPC_EXCL | 0640);
    FACT_BOOL("get_create", q >= 0);
    CHECK_RET("get_excl", msgget(key, IPC_CREAT | IPC_EXCL | 0600));
    FACT_BOOL("get_same", msgget(key, 0) == q);
    FACT_BOOL("get_creat_same", msgget(key, IPC_CREAT | 0777) == q);
    int p = msgget(IPC_PRIVATE, 0600);
    FACT_BOOL("private_new", p >= 0 && p != q);
    int p2 = msgget(IPC_PRIVATE, 0600);
    FACT_BOOL("private_again_new", p2 >= 0 && p2 != p);
    rawctl(p2, IPC_RMID, NULL);

    struct msqid64 ds;
    memset(&ds, 0, sizeof ds);
    CHECK_RET("stat_new", rawctl(q, IPC_STAT, &ds));
    FACT_BOOL("stat_key", ds.perm.key == key);
    FACT("stat_mode", "%o", ds.perm.mode);
    FACT("stat_ids", "%u:%u:%u:%u", ds.perm.uid, ds.perm.gid, ds.perm.cuid, ds.perm.cgid);
    FACT("stat_counts", "%lu:%lu:%lu", ds.cbytes, ds.qnum, ds.qbytes);
    FACT("stat_pids", "%d:%d", ds.lspid, ds.lrpid);
    FACT("stat_times", "%d:%d:%d", ds.stime == 0, ds.rtime == 0, ds.ctime > 0);
    FACT_BOOL("stat_seq", (unsigned)q >> 15 == ds.perm.seq);

    /* Sending: bad mtype, bad size, bad id. */
    CHECK_RET("snd_type0", snd(q, 0, "x", 0));
    CHECK_RET("snd_typeneg", snd(q, -5, "x", 0));
    CHECK_RET("snd_badid", snd(q + 32768, 1, "x", 0));
    CHECK_RET("snd_negid", snd(-1, 1, "x", 0));
    struct msgbuf64 m = { .mtype = 1 };
    CHECK_RET("snd_toobig", msgsnd(q, &m, 8193, 0));
    CHECK_RET("snd_efault", msgsnd(q, (void *)8, 1, 0));
    char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(page + 4096, 4096);
    *(long *)(page + 4096 - 8) = 1;  /* mtype readable, the text is not */
    CHECK_RET("snd_efault_text", msgsnd(q, page + 4096 - 8, 1, 0));

    CHECK_RET("snd_a", snd(q, 3, "three", 0));
    CHECK_RET("snd_b", snd(q, 1, "one", 0));
    CHECK_RET("snd_c", snd(q, 2, "two", 0));
    CHECK_RET("snd_d", snd(q, 5, "five", 0));
    CHECK_RET("snd_e", snd(q, 1, "uno", 0));
    CHECK_RET("snd_empty", snd(q, 7, "", 0));
    rawctl(q, IPC_STAT, &ds);
    FACT("after_send", "%lu:%lu:%d", ds.cbytes, ds.qnum, ds.lspid == getpid());
    FACT_BOOL("stime_set", ds.stime > 0);

    /* MSG_COPY peeks by position (IPC_NOWAIT only, not with MSG_EXCEPT). */
    rcv("copy_1", q, 64, 1, IPC_NOWAIT | MSG_COPY);
    rcv("copy_9", q, 64, 9, IPC_NOWAIT | MSG_COPY);
    rcv("copy_wait", q, 64, 0, MSG_COPY);
    rcv("copy_except", q, 64, 0, IPC_NOWAIT | MSG_COPY | MSG_EXCEPT);
    rcv("copy_small", q, 2, 0, IPC_NOWAIT | MSG_COPY);

    rcv("rcv_e2big", q, 2, 0, IPC_NOWAIT);
    rcv("rcv_noerror", q, 2, 0, IPC_NOWAIT | MSG_NOERROR);   /* takes "three", cut */
    rcv("rcv_type2", q, 64, 2, IPC_NOWAIT);
    rcv("rcv_except1", q, 64, 1, IPC_NOWAIT | MSG_EXCEPT);  /* five */
    rcv("rcv_lowest", q, 64, -7, IPC_NOWAIT);  /* one (lowest type, first of them) */
    rcv("rcv_type9", q, 64, 9, IPC_NOWAIT);
    rcv("rcv_le0", q, 64, -1, IPC_NOWAIT);     /* uno */
    rcv("rcv_empty", q, 64, 0, IPC_NOWAIT);    /* the empty type 7 */
    rcv("rcv_none", q, 64, 0, IPC_NOWAIT);
    rcv("rcv_badid", q + 32768, 64, 0, IPC_NOWAIT);
    rcv("rcv_negid", -3, 64, 0, IPC_NOWAIT);
    rcv("rcv_negsize", q, (size_t)-1, 0, IPC_NOWAIT);
    snd(q, 4, "four", 0);
    CHECK_RET("rcv_efault", msgrcv(q, (void *)8, 64, 0, IPC_NOWAIT));
    rcv("rcv_after_efault", q, 64, 0, IPC_NOWAIT);  /* the message was consumed */
    rawctl(q, IPC_STAT, &ds);
    FACT("after_rcv", "%lu:%lu:%d:%d", ds.cbytes, ds.qnum, ds.lrpid == getpid(), ds.rtime > 0);

    /* A full queue: msg_qbytes bounds bytes (and the message count). */
    ds.qbytes = 10;
    CHECK_RET("set_qbytes", rawctl(q, IPC_SET, &ds));
    CHECK_RET("fill_1", snd(q, 1, "12345678", 0));
    CHECK_RET("fill_2", snd(q, 1, "123", IPC_NOWAIT));
    CHECK_RET("fill_3", snd(q, 1, "12", IPC_NOWAIT));
    CHECK_RET("fill_4", snd(q, 1, "", IPC_NOWAIT));
    rawctl(q, IPC_STAT, &ds);
    FACT("full", "%lu:%lu:%lu", ds.cbytes, ds.qnum, ds.qbytes);
    ds.qbytes = 1000000;
    CHECK_RET("set_qbytes_big", rawctl(q, IPC_SET, &ds));  /* root: CAP_SYS_RESOURCE */
    ds.qbytes = 10;
    ds.perm.mode = 0123 | 01000;
    ds.perm.uid = 77;
    CHECK_RET("set_mode", rawctl(q, IPC_SET, &ds));
    rawctl(q, IPC_STAT, &ds);
    FACT("set_result", "%o:%u:%u:%lu", ds.perm.mode, ds.perm.uid, ds.perm.cuid, ds.qbytes);
    ds.perm.uid = (unsigned)-1;
    CHECK_RET("set_baduid", rawctl(q, IPC_SET, &ds));
    CHECK_RET("set_efault", rawctl(q, IPC_SET, (void *)8));
    CHECK_RET("stat_efault", rawctl(q, IPC_STAT, (void *)8));
    CHECK_RET("stat_badid_efault", rawctl(q + 32768, IPC_STAT, (void *)8));
    CHECK_RET("set_badid_efault", rawctl(q + 32768, IPC_SET, (void *)8));
    CHECK_RET("ctl_badcmd", rawctl(q, 99, &ds));
    CHECK_RET("ctl_ipc64", rawctl(q, IPC_STAT | 0x100, &ds));
    CHECK_RET("ctl_negcmd", rawctl(q, -1, &ds));
    CHECK_RET("ctl_negid", rawctl(-1, IPC_STAT, &ds));

    /* MSG_STAT takes an index and returns the id; MSG_STAT_ANY too. */
    int idx = q & 0x7fff;
    FACT_BOOL("msg_stat", rawctl(idx, MSG_STAT, &ds) == q);
    FACT_BOOL("msg_stat_any", rawctl(idx, MSG_STAT_ANY, &ds) == q);
    struct msginfo info;
    FACT_BOOL("ipc_info", rawctl(0, IPC_INFO, &info) >= 0);
    FACT("ipc_info_limits", "%d:%d:%d:%d:%d:%d", info.msgmax, info.msgmnb, info.msgmni, info.msgssz,
         info.msgseg, info.msgtql);
    FACT_BOOL("msg_info", rawctl(0, MSG_INFO, &info) >= 0);
    CHECK_RET("info_efault", rawctl(0, IPC_INFO, (void *)8));

    CHECK_RET("rmid", rawctl(q, IPC_RMID, NULL));
    CHECK_RET("rmid_again", rawctl(q, IPC_RMID, NULL));
    CHECK_RET("stat_removed", rawctl(q, IPC_STAT, &ds));
    CHECK_RET("snd_removed", snd(q, 1, "x", 0));
    CHECK_RET("get_removed", msgget(key, 0));
    CHECK_RET("rmid_p", rawctl(p, IPC_RMID, NULL));
    DONE();
}
