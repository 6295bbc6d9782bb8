/* ipcperms() and ipcctl_obtain_check() for a non-root process: EACCES for get, send, receive, semop, semctl, shmat and IPC_STAT without the mode bits (the group class, the others class), *_STAT_ANY without them, EPERM for IPC_SET/IPC_RMID unless owner or creator, msg_qbytes above msgmnb, SHM_LOCK (ipc/util.c, msg.c, sem.c, shm.c). */
#include "../lib/contract.h"
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef MSG_STAT_ANY
#define MSG_STAT_ANY 13
#define SEM_STAT_ANY 20
#define SHM_STAT_ANY 15
#endif

static char out[4096];
static size_t used;

/* The child collects its facts here; the parent prints them. */
#define C_RET(key, expr) do { errno = 0; long r_ = (long)(expr); \
    used += snprintf(out + used, sizeof out - used, "%s=%s\n", (key), \
                     r_ == -1 ? errname(errno) : (r_ >= 0 ? "ok" : "neg")); } while (0)

struct msgbuf64 { long mtype; char mtext[8]; };

int main(void)
{
    key_t key = 0x4b590000 + (getpid() & 0xffff);
    while (msgget(key, 0) >= 0 || semget(key, 0, 0) >= 0 || shmget(key, 0, 0) >= 0)
        key += 0x10000;
    /* Objects owned by root: private to the owner (0600), group readable (0640, group 65534),
       open to all (0666), and one handed to 65534 by IPC_SET. */
    int q600 = msgget(key, IPC_CREAT | 0600);
    int q666 = msgget(IPC_PRIVATE, 0666);
    int q640 = msgget(IPC_PRIVATE, 0640);
    int qown = msgget(IPC_PRIVATE, 0600);
    int s600 = semget(key, 1, IPC_CREAT | 0600);
    int s666 = semget(IPC_PRIVATE, 1, 0666);
    int s644 = semget(IPC_PRIVATE, 1, 0644);
    int m600 = shmget(key, 4096, IPC_CREAT | 0600);
    int m666 = shmget(IPC_PRIVATE, 4096, 0666);
    int m644 = shmget(IPC_PRIVATE, 4096, 0644);
    struct msqid_ds mds;
    msgctl(q640, IPC_STAT, &mds);
    mds.msg_perm.gid = 65534;
    SETUP(msgctl(q640, IPC_SET, &mds));
    msgctl(qown, IPC_STAT, &mds);
    mds.msg_perm.uid = 65534;
    SETUP(msgctl(qown, IPC_SET, &mds));
    struct msgbuf64 m = { 1, "hi" };
    msgsnd(q600, &m, 2, 0);
    msgsnd(q640, &m, 2, 0);

    int fds[2];
    SETUP(pipe(fds));
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        if (setgid(65534) || setuid(65534))
            _exit(2);
        struct msqid_ds ds;
        struct semid_ds sds;
        struct shmid_ds hds;
        C_RET("msgget_600", msgget(key, 0));
        C_RET("msgget_600_mode0", msgget(key, 0));
        C_RET("msgget_600_w", msgget(key, 0200));
        C_RET("msgget_excl", msgget(key, IPC_CREAT | IPC_EXCL | 0600));
        C_RET("msgsnd_600", msgsnd(q600, &m, 2, IPC_NOWAIT));
        C_RET("msgrcv_600", msgrcv(q600, &m, 8, 0, IPC_NOWAIT));
        C_RET("msgstat_600", msgctl(q600, IPC_STAT, &ds));
        C_RET("msgstat_any_600", msgctl(q600 & 0x7fff, MSG_STAT_ANY, &ds));
        C_RET("msgstat_idx_600", msgctl(q600 & 0x7fff, MSG_STAT, &ds));
        C_RET("msgrmid_600", msgctl(q600, IPC_RMID, NULL));
        C_RET("msgset_600", msgctl(q600, IPC_SET, &ds));
        C_RET("msgsnd_666", msgsnd(q666, &m, 2, IPC_NOWAIT));
        C_RET("msgrcv_666", msgrcv(q666, &m, 8, 0, IPC_NOWAIT));
        C_RET("msgrcv_640", msgrcv(q640, &m, 8, 0, IPC_NOWAIT));
        C_RET("msgsnd_640", msgsnd(q640, &m, 2, IPC_NOWAIT));
        C_RET("msgrmid_666", msgctl(q666, IPC_RMID, NULL));
        msgctl(qown, IPC_STAT, &ds);
        ds.msg_qbytes = 1 << 20;
        C_RET("msgset_own_qbytes", msgctl(qown, IPC_SET, &ds));
        ds.msg_qbytes = 100;
        ds.msg_perm.mode = 0606;
        C_RET("msgset_own", msgctl(qown, IPC_SET, &ds));
        C_RET("msgsnd_own_after_mode", msgsnd(qown, &m, 2, IPC_NOWAIT));
        C_RET("msgrmid_own", msgctl(qown, IPC_RMID, NULL));

        struct sembuf op = { 0, 1, IPC_NOWAIT }, zero = { 0, 0, IPC_NOWAIT };
        C_RET("semget_600", semget(key, 0, 0));
        C_RET("semop_600", semop(s600, &op, 1));
        C_RET("semop_644_alter", semop(s644, &op, 1));
        C_RET("semop_644_zero", semop(s644, &zero, 1));
        C_RET("semop_666", semop(s666, &op, 1));
        C_RET("getval_600", semctl(s600, 0, GETVAL));
        C_RET("getval_644", semctl(s644, 0, GETVAL));
        C_RET("setval_644", semctl(s644, 0, SETVAL, 3));
        C_RET("setval_badnum_644", semctl(s644, 5, SETVAL, 3));
        C_RET("getall_600", semctl(s600, 0, GETALL, (unsigned short[1]){0}));
        C_RET("semstat_600", semctl(s600, 0, IPC_STAT, &sds));
        C_RET("semstat_any_600", semctl(s600 & 0x7fff, 0, SEM_STAT_ANY, &sds));
        C_RET("semrmid_666", semctl(s666, 0, IPC_RMID));
        C_RET("semset_666", semctl(s666, 0, IPC_SET, &sds));

        C_RET("shmget_600", shmget(key, 0, 0));
        C_RET("shmat_600", (long)shmat(m600, NULL, 0));
        C_RET("shmat_644", (long)shmat(m644, NULL, 0));
        void *ro = shmat(m644, NULL, SHM_RDONLY);
        C_RET("shmat_644_ro", (long)ro);
        C_RET("shmat_666_exec", (long)shmat(m666, NULL, SHM_EXEC));
        C_RET("shmstat_600", shmctl(m600, IPC_STAT, &hds));
        C_RET("shmstat_any_600", shmctl(m600 & 0x7fff, SHM_STAT_ANY, &hds));
        C_RET("shmrmid_666", shmctl(m666, IPC_RMID, NULL));
        C_RET("shmlock_666", shmctl(m666, SHM_LOCK, NULL));
        C_RET("shmlock_badid", shmctl(m666 + 32768, SHM_LOCK, NULL));
        write(fds[1], out, used);
        _exit(0);
    }
    close(fds[1]);
    char buf[4096];
    size_t n = 0;
    ssize_t r;
    while ((r = read(fds[0], buf + n, sizeof buf - 1 - n)) > 0)
        n += r;
    buf[n] = 0;
    int status;
    waitpid(pid, &status, 0);
    fputs(buf, stdout);
    FACT_INT("child_exit", WEXITSTATUS(status));
    CHECK_RET("qown_gone", msgctl(qown, IPC_STAT, &mds));
    msgctl(q600, IPC_RMID, NULL);
    msgctl(q666, IPC_RMID, NULL);
    msgctl(q640, IPC_RMID, NULL);
    semctl(s600, 0, IPC_RMID);
    semctl(s666, 0, IPC_RMID);
    semctl(s644, 0, IPC_RMID);
    shmctl(m600, IPC_RMID, NULL);
    shmctl(m666, IPC_RMID, NULL);
    shmctl(m644, IPC_RMID, NULL);
    DONE();
}
