/* Differential IPC calls: seeded random System V IPC syscalls with bad ids, commands, flags,
   sizes and pointers (NULL, low, read-only, a page before PROT_NONE), printed with their
   results. Run natively in a fresh IPC namespace and under Kevlar; the outputs must match.
   Blocking calls are bounded by a 20 ms ITIMER_REAL (EINTR). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

static unsigned long long seed;
static unsigned long long rnd(void) { seed = seed * 6364136223846793005ULL + 1442695040888963407ULL; return seed >> 17; }
static long pick(const long *v, int n) { return v[rnd() % n]; }
static void on_alarm(int s) { (void)s; }

int main(int argc, char **argv)
{
    seed = argc > 1 ? strtoull(argv[1], 0, 10) : 1;
    struct sigaction sa = { .sa_handler = on_alarm };
    sigaction(SIGALRM, &sa, NULL);
    char *page = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(page + 8192, 4096, PROT_NONE);  /* a hole nothing else can be mapped into */
    mprotect(page + 4096, 4096, PROT_READ);
    memset(page, 0, 4096);
    long ptrs[] = { 0, 8, (long)page, (long)page + 4096, (long)page + 4096 - 8, (long)page + 8192 - 4, (long)page + 100 };
    long ids[] = { 0, 1, 2, 32768, -1, 65536, 3, 0x7fffffff };
    long keys[] = { 0, 0x1234, 0x1235, -1 };
    long flags[] = { 0, 0600, 01600, 03600, 04000, 010000, 020000, 040000, 0x1000, 0777, -1, 04600 | 010000 };
    long cmds[] = { 0, 1, 2, 3, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 99, -1, 0x102 };
    long sizes[] = { 0, 1, 8, 16, 4096, 8193, 1L << 40, -1, 100 };
    long nrs[] = { SYS_msgget, SYS_msgsnd, SYS_msgrcv, SYS_msgctl, SYS_semget, SYS_semop, SYS_semtimedop,
                   SYS_semctl, SYS_shmget, SYS_shmat, SYS_shmdt, SYS_shmctl };
    for (int i = 0; i < 400; i++) {
        int which = rnd() % 12;
        long nr = nrs[which], a[5] = { 0 };
        switch (which) {
        case 0: a[0] = pick(keys, 4); a[1] = pick(flags, 12); break;
        case 1: a[0] = pick(ids, 8); a[1] = pick(ptrs, 7); a[2] = pick(sizes, 9); a[3] = pick(flags, 12) | 04000; break;
        case 2: a[0] = pick(ids, 8); a[1] = pick(ptrs, 7); a[2] = pick(sizes, 9); a[3] = (long)(rnd() % 7) - 3; a[4] = pick(flags, 12) | 04000; break;
        case 3: a[0] = pick(ids, 8); a[1] = pick(cmds, 17); a[2] = pick(ptrs, 7); if (a[1] == 0) a[1] = 2; break;
        case 4: a[0] = pick(keys, 4); a[1] = pick(sizes, 9) % 40; a[2] = pick(flags, 12); break;
        case 5: case 6:
            *(short *)(page + 100) = rnd() % 4; *(short *)(page + 102) = (short)((long)(rnd() % 5) - 2);
            *(short *)(page + 104) = (short)(pick(flags, 12) | 04000);
            a[0] = pick(ids, 8); a[1] = pick(ptrs, 7); a[2] = pick(sizes, 9) % 600; a[3] = pick(ptrs, 7); break;
        case 7: a[0] = pick(ids, 8); a[1] = (long)(rnd() % 5) - 1; a[2] = pick(cmds, 17); a[3] = rnd() % 2 ? pick(ptrs, 7) : (long)(rnd() % 40000); if (a[2] == 0) a[2] = 2; break;
        case 8: a[0] = pick(keys, 4); a[1] = pick(sizes, 9); a[2] = pick(flags, 12) & ~04000; break;
        case 9: a[0] = pick(ids, 8); a[1] = rnd() % 3 ? 0 : pick(ptrs, 7); a[2] = pick(flags, 12) & ~040000; break;
        case 10: a[0] = pick(ptrs, 7); break;
        case 11: a[0] = pick(ids, 8); a[1] = pick(cmds, 17); a[2] = pick(ptrs, 7); if (a[1] == 0) a[1] = 2; break;
        }
        struct itimerval it = { { 0, 0 }, { 0, 20000 } };
        setitimer(ITIMER_REAL, &it, NULL);
        errno = 0;
        long r = syscall(nr, a[0], a[1], a[2], a[3], a[4]);
        int e = errno;
        struct itimerval off = { { 0, 0 }, { 0, 0 } };
        setitimer(ITIMER_REAL, &off, NULL);
        if ((which == 9 && r != -1) || (which == 7 && a[2] == 11 && r > 0))
            r = 1;  /* an address, a pid */
        printf("%d", which);
        for (int k = 0; k < 5; k++) {
            int pi = -1;
            for (int j = 1; j < 7; j++)
                if (a[k] == ptrs[j])
                    pi = j;
            if (pi >= 0)
                printf(" P%d", pi);
            else
                printf(" %ld", a[k]);
        }
        printf(" -> %ld %d\n", r, r == -1 ? e : 0);
    }
    return 0;
}
