/* shmget(2)/shmat(2)/shmdt(2)/shmctl(2): size and key checks, attaching (NULL, fixed, SHM_RND, SHM_REMAP, SHM_RDONLY) and shmdt errors, memory shared across fork, shm_nattch counted over fork, exec and exit, shm_cpid/shm_lpid and times, IPC_RMID while attached (SHM_DEST, key IPC_PRIVATE) destroying at the last detach (ipc/shm.c). */
#include "../lib/contract.h"
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef SHM_STAT_ANY
#define SHM_STAT_ANY 15
#endif

static struct shmid_ds stat_of(int id)
{
    struct shmid_ds ds;
    memset(&ds, 0, sizeof ds);
    if (shmctl(id, IPC_STAT, &ds) < 0)
        printf("stat_failed=%s\n", errname(errno));
    return ds;
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "exec-child") == 0) {
        /* Exec'd with the segment attached before: tell the parent, wait for it. */
        int fd = atoi(argv[2]);
        write(fd + 1, "x", 1);
        char c;
        read(fd, &c, 1);
        return 0;
    }
    key_t key = 0x4b580000 + (getpid() & 0xffff);
    while (shmget(key, 0, 0) >= 0 || errno != ENOENT)
        key += 0x10000;
    CHECK_RET("get_size0", shmget(IPC_PRIVATE, 0, 0600));
    CHECK_RET("get_huge", shmget(IPC_PRIVATE, (size_t)-1, 0600));
    CHECK_RET("get_missing", shmget(key, 4096, 0600));
    int id = shmget(key, 10000, IPC_CREAT | IPC_EXCL | 0640);
    FACT_BOOL("get_create", id >= 0);
    CHECK_RET("get_excl", shmget(key, 10000, IPC_CREAT | IPC_EXCL | 0640));
    FACT_BOOL("get_smaller", shmget(key, 100, 0) == id);
    FACT_BOOL("get_size0_existing", shmget(key, 0, 0) == id);
    CHECK_RET("get_bigger", shmget(key, 10001, 0));
    CHECK_RET("get_bigger_excl", shmget(key, 10001, IPC_CREAT | IPC_EXCL));

    struct shmid_ds ds = stat_of(id);
    FACT("stat_new", "%zu:%o:%d:%d:%lu:%d:%d:%d", ds.shm_segsz, ds.shm_perm.mode, ds.shm_cpid == getpid(),
         ds.shm_lpid, (unsigned long)ds.shm_nattch, ds.shm_atime == 0, ds.shm_dtime == 0, ds.shm_ctime > 0);

    /* Attach at an address the kernel picks; the memory starts zeroed. */
    char *p = shmat(id, NULL, 0);
    FACT_BOOL("attach", p != (void *)-1);
    FACT_BOOL("aligned", ((unsigned long)p & 4095) == 0);
    FACT_BOOL("zeroed", p[0] == 0 && p[9999] == 0);
    strcpy(p, "parent");
    /* /proc/self/maps names the segment "/SYSV<key> (deleted)" with the shmid as inode. */
    char maps[65536], want[64], *line;
    int mfd = open("/proc/self/maps", O_RDONLY);
    ssize_t mn = 0, mr;
    while ((mr = read(mfd, maps + mn, sizeof maps - 1 - mn)) > 0)
        mn += mr;
    maps[mn] = 0;
    close(mfd);
    snprintf(want, sizeof want, "%lx-", (unsigned long)p);
    line = strstr(maps, want);
    char *eol = line ? strchr(line, '\n') : NULL;
    if (eol)
        *eol = 0;
    char perms[8] = "", dev[16] = "", mname[64] = "";
    unsigned long moff = 1, mino = 0;
    if (line)
        sscanf(line, "%*s %7s %lx %15s %lu %63[^\n]", perms, &moff, dev, &mino, mname);
    snprintf(want, sizeof want, "/SYSV%08x (deleted)", key);
    FACT("maps_line", "%s:%lu:%s:%d:%d", perms, moff, dev, mino == (unsigned long)id, strcmp(mname, want) == 0);
    ds = stat_of(id);
    FACT("after_attach", "%lu:%d:%d", (unsigned long)ds.shm_nattch, ds.shm_lpid == getpid(), ds.shm_atime > 0);

    /* A child inherits the attachment and shares the memory. */
    int go[2], back[2];
    SETUP(pipe(go));
    SETUP(pipe(back));
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        int ok = strcmp(p, "parent") == 0;
        strcpy(p + 100, "child");
        write(back[1], "x", 1);
        read(go[0], &c, 1);
        _exit(ok ? 0 : 1);
    }
    char c;
    read(back[0], &c, 1);
    ds = stat_of(id);
    FACT("fork_nattch", "%lu:%d", (unsigned long)ds.shm_nattch, ds.shm_lpid == pid);
    FACT_STR("child_wrote", p + 100);
    write(go[1], "x", 1);
    int status;
    waitpid(pid, &status, 0);
    FACT_INT("child_status", WEXITSTATUS(status));
    ds = stat_of(id);
    FACT("exit_nattch", "%lu:%d:%d", (unsigned long)ds.shm_nattch, ds.shm_lpid == pid, ds.shm_dtime > 0);

    /* exec detaches. */
    pid = fork();
    if (pid == 0) {
        char fdarg[16];
        snprintf(fdarg, sizeof fdarg, "%d", 100);
        dup2(go[0], 100);
        dup2(back[1], 101);
        execl("/proc/self/exe", argv[0], "exec-child", fdarg, (char *)NULL);
        _exit(127);
    }
    read(back[0], &c, 1);
    ds = stat_of(id);
    FACT("exec_nattch", "%lu:%d", (unsigned long)ds.shm_nattch, ds.shm_lpid == pid);
    write(go[1], "x", 1);
    waitpid(pid, &status, 0);

    /* Read-only attachments fault on write. */
    char *ro = shmat(id, NULL, SHM_RDONLY);
    FACT_BOOL("ro_reads", strcmp(ro, "parent") == 0);
    pid = fork();
    if (pid == 0) {
        ro[0] = 'X';
        _exit(0);
    }
    waitpid(pid, &status, 0);
    FACT("ro_write", "%d:%d", WIFSIGNALED(status), WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    CHECK_RET("ro_mprotect", mprotect(ro, 4096, PROT_READ | PROT_WRITE));
    ds = stat_of(id);
    FACT("two_attached", "%lu", (unsigned long)ds.shm_nattch);
    CHECK_RET("dt_ro", shmdt(ro));

    /* Fixed addresses. */
    char *area = mmap(NULL, 5 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(area, 5 * 4096);
    char *at = shmat(id, area + 1, 0);
    FACT_ERRNO("at_misaligned", at == (void *)-1 ? errno : 0);
    at = shmat(id, area + 1, SHM_RND);
    FACT("at_rnd", "%d:%s", at == area, at == area ? at : "");
    CHECK_RET("at_in_use", (long)shmat(id, area, 0));
    int huge = shmget(IPC_PRIVATE, 1UL << 46, 0600 | SHM_NORESERVE);
    CHECK_RET("at_in_use_huge", (long)shmat(huge, area, 0));  /* EINVAL before mmap's ENOMEM */
    shmctl(huge, IPC_RMID, NULL);
    CHECK_RET("get_huge_reserved", shmget(IPC_PRIVATE, 1UL << 46, 0600));
    at = shmat(id, area, SHM_REMAP);
    FACT_BOOL("at_remap", at == area);
    CHECK_RET("at_remap_null", (long)shmat(id, NULL, SHM_REMAP));
    CHECK_RET("at_rnd_remap_low", (long)shmat(id, (void *)100, SHM_RND | SHM_REMAP));
    CHECK_RET("at_badid", (long)shmat(id + 32768, NULL, 0));
    CHECK_RET("at_negid", (long)shmat(-1, NULL, 0));
    CHECK_RET("dt_misaligned", shmdt(area + 1));
    CHECK_RET("dt_middle", shmdt(area + 4096));
    CHECK_RET("dt_not_shm", shmdt(main));
    CHECK_RET("dt_area", shmdt(area));
    CHECK_RET("dt_area_again", shmdt(area));

    /* Stat commands and info. */
    FACT_BOOL("shm_stat", shmctl(id & 0x7fff, SHM_STAT, &ds) == id);
    FACT_BOOL("shm_stat_any", shmctl(id & 0x7fff, SHM_STAT_ANY, &ds) == id);
    struct shminfo info;
    FACT_BOOL("ipc_info", shmctl(0, IPC_INFO, (struct shmid_ds *)&info) >= 0);
    FACT("ipc_info_fields", "%lu:%lu:%lu:%lu:%lu", info.shmmax, info.shmmin, info.shmmni, info.shmseg,
         info.shmall);
    struct shm_info sinfo;
    FACT_BOOL("shm_info", shmctl(0, SHM_INFO, (struct shmid_ds *)&sinfo) >= 0);
    CHECK_RET("stat_efault", shmctl(id, IPC_STAT, (void *)8));
    CHECK_RET("set_efault", shmctl(id, IPC_SET, (void *)8));
    CHECK_RET("badcmd", shmctl(id, 99, &ds));
    CHECK_RET("negid", shmctl(-1, IPC_STAT, &ds));
    CHECK_RET("lock", shmctl(id, SHM_LOCK, NULL));
    ds = stat_of(id);
    FACT("locked_mode", "%o", ds.shm_perm.mode);
    CHECK_RET("unlock", shmctl(id, SHM_UNLOCK, NULL));
    ds.shm_perm.mode = 0600;
    CHECK_RET("ipc_set", shmctl(id, IPC_SET, &ds));

    /* IPC_RMID while attached: SHM_DEST, private key; gone at the last detach. */
    CHECK_RET("rmid_attached", shmctl(id, IPC_RMID, NULL));
    ds = stat_of(id);
    FACT("dest", "%o:%d:%lu", ds.shm_perm.mode, ds.shm_perm.__key, (unsigned long)ds.shm_nattch);
    CHECK_RET("get_after_dest", shmget(key, 100, 0));
    char *again = shmat(id, NULL, 0);
    FACT_BOOL("attach_dest", again != (void *)-1 && strcmp(again, "parent") == 0);
    CHECK_RET("dt_again", shmdt(again));
    CHECK_RET("still_there", shmctl(id, IPC_STAT, &ds));
    CHECK_RET("dt_last", shmdt(p));
    CHECK_RET("gone", shmctl(id, IPC_STAT, &ds));
    CHECK_RET("rmid_gone", shmctl(id, IPC_RMID, NULL));
    DONE();
}
