/* /proc/sysvipc/{msg,sem,shm} (ipc/util.c sysvipc_proc_show and the kinds' rows) and the IPC sysctls in /proc/sys/kernel: headers verbatim, each object's row with its fields (ids, pids and times compared, not printed), the limits agreeing with IPC_INFO. */
#include "../lib/contract.h"
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

static char text[65536];

static void load(const char *path)
{
    int fd = open(path, O_RDONLY);
    ssize_t n = 0, r;
    while (fd >= 0 && (r = read(fd, text + n, sizeof text - 1 - n)) > 0)
        n += r;
    text[n > 0 ? n : 0] = 0;
    if (fd >= 0)
        close(fd);
}

/* The header line, and the row whose second field is id split into fields. */
static int row(const char *path, const char *name, int id, unsigned long long *f, int max)
{
    load(path);
    char *nl = strchr(text, '\n');
    printf("%s_header=%.*s\n", name, nl ? (int)(nl - text) : 0, text);
    for (char *line = nl ? nl + 1 : text + strlen(text); *line; ) {
        char *end = strchr(line, '\n');
        int n = 0;
        char *p = line;
        while (n < max && p < (end ? end : line + strlen(line))) {
            char *q;
            f[n] = strtoull(p, &q, n == 2 ? 8 : 10);
            if (q == p)
                break;
            p = q;
            n++;
        }
        if (n >= 2 && (int)f[1] == id)
            return n;
        if (!end)
            break;
        line = end + 1;
    }
    return 0;
}

static long knob(const char *name)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/sys/kernel/%s", name);
    load(path);
    return atol(text);
}

struct msgbuf64 { long mtype; char mtext[8]; };

int main(void)
{
    key_t key = 0x4b5a0000 + (getpid() & 0xffff);
    while (msgget(key, 0) >= 0 || semget(key, 0, 0) >= 0 || shmget(key, 0, 0) >= 0)
        key += 0x10000;
    unsigned long long f[20];
    pid_t me = getpid();

    int q = msgget(key, IPC_CREAT | 0640);
    struct msgbuf64 m = { 1, "hello" };
    msgsnd(q, &m, 5, 0);
    msgsnd(q, &m, 3, 0);
    msgrcv(q, &m, 8, 0, 0);
    int n = row("/proc/sysvipc/msg", "msg", q, f, 14);
    FACT("msg_row", "%d:%d:%llo:%llu:%llu:%d:%d:%llu:%llu:%llu:%llu:%d:%d:%d", n, (key_t)f[0] == key, f[2],
         f[3], f[4], f[5] == (unsigned long long)me, f[6] == (unsigned long long)me, f[7], f[8], f[9],
         f[10], f[11] > 0, f[12] > 0, f[13] > 0);

    int s = semget(key, 4, IPC_CREAT | 0604);
    n = row("/proc/sysvipc/sem", "sem", s, f, 10);
    FACT("sem_row", "%d:%d:%llo:%llu:%llu:%llu:%d:%d", n, (key_t)f[0] == key, f[2], f[3], f[4], f[7],
         f[8] == 0, f[9] > 0);
    struct sembuf op = { 1, 1, 0 };
    semop(s, &op, 1);
    n = row("/proc/sysvipc/sem", "sem_again", s, f, 10);
    FACT("sem_otime", "%d:%d", n, f[8] > 0);

    int h = shmget(key, 12345, IPC_CREAT | 0600);
    char *p = shmat(h, NULL, 0);
    memset(p, 1, 8192);
    n = row("/proc/sysvipc/shm", "shm", h, f, 16);
    FACT("shm_row", "%d:%d:%llo:%llu:%d:%d:%llu:%llu:%d:%d:%d:%llu:%llu", n, (key_t)f[0] == key, f[2], f[3],
         f[4] == (unsigned long long)me, f[5] == (unsigned long long)me, f[6], f[7], f[11] > 0, f[12] == 0,
         f[13] > 0, f[14], f[15]);
    shmctl(h, IPC_RMID, NULL);
    n = row("/proc/sysvipc/shm", "shm_dest", h, f, 16);
    FACT("shm_dest_row", "%d:%llu:%llo:%llu", n, f[0], f[2], f[6]);
    shmdt(p);
    n = row("/proc/sysvipc/shm", "shm_gone", h, f, 16);
    FACT_INT("shm_gone_row", n);

    struct msginfo mi;
    msgctl(0, IPC_INFO, (struct msqid_ds *)&mi);
    FACT("msg_knobs", "%d:%d:%d", knob("msgmax") == mi.msgmax, knob("msgmnb") == mi.msgmnb,
         knob("msgmni") == mi.msgmni);
    struct seminfo si;
    semctl(0, 0, IPC_INFO, &si);
    load("/proc/sys/kernel/sem");
    int a, b, c, d;
    int got = sscanf(text, "%d %d %d %d", &a, &b, &c, &d);
    FACT("sem_knob", "%d:%d:%d:%d:%d", got, a == si.semmsl,
         b == si.semmns, c == si.semopm, d == si.semmni);
    FACT_BOOL("sem_knob_tabs", strchr(text, '\t') != NULL);
    struct shminfo hi;
    shmctl(0, IPC_INFO, (struct shmid_ds *)&hi);
    load("/proc/sys/kernel/shmmax");
    FACT_BOOL("shmmax_knob", strtoul(text, NULL, 10) == hi.shmmax);
    FACT_BOOL("shmmni_knob", knob("shmmni") == (long)hi.shmmni);

    msgctl(q, IPC_RMID, NULL);
    semctl(s, 0, IPC_RMID);
    DONE();
}
