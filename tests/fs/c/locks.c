/* Advisory locks: POSIX record locks split and merge (F_GETLK reports what blocks),
 * any close of the file drops the process's POSIX locks, F_SETLKW waits for the holder,
 * EDEADLK for a two-process cycle, OFD locks (l_pid -1, conflict with POSIX locks, EINVAL
 * for a non-zero l_pid), flock shared through fork, blocking flock, bad arguments. */
#include "fs.h"
#include <sys/file.h>

static int fd;
static struct flock mk(int type, long start, long len) { struct flock f = {0}; f.l_type = type; f.l_whence = SEEK_SET; f.l_start = start; f.l_len = len; return f; }
static void show(const char *key, struct flock f) { printf("%s=type%d start%ld len%ld\n", key, f.l_type, (long)f.l_start, (long)f.l_len); }

int main(void)
{
    enter_tmpfs("size=16m");
    fd = open("f", O_RDWR | O_CREAT, 0644);
    SETUP(fd);
    SETUP(ftruncate(fd, 100));
    struct flock f;
    f = mk(F_WRLCK, 10, 10); CHECK_RET("lock_10_20", fcntl(fd, F_SETLK, &f));
    f = mk(F_WRLCK, 20, 10); CHECK_RET("lock_20_30_merges", fcntl(fd, F_SETLK, &f));
    f = mk(F_UNLCK, 14, 2); CHECK_RET("unlock_middle_splits", fcntl(fd, F_SETLK, &f));
    f = mk(F_RDLCK, 50, 0); CHECK_RET("read_lock_to_eof", fcntl(fd, F_SETLK, &f));
    int sync[2], back[2];
    SETUP(pipe(sync)); SETUP(pipe(back));
    pid_t c = fork();
    if (c == 0) {
        int cfd = open("f", O_RDWR);
        struct flock q;
        q = mk(F_WRLCK, 0, 0); fcntl(cfd, F_GETLK, &q); show("child_getlk_whole", q);
        q = mk(F_WRLCK, 14, 2); fcntl(cfd, F_GETLK, &q); show("child_getlk_hole", q);
        q = mk(F_WRLCK, 16, 1); fcntl(cfd, F_GETLK, &q); show("child_getlk_after_hole", q);
        q = mk(F_RDLCK, 60, 5); fcntl(cfd, F_GETLK, &q); show("child_getlk_read_on_read", q);
        q = mk(F_WRLCK, 60, 5); fcntl(cfd, F_GETLK, &q); show("child_getlk_write_on_read", q);
        q = mk(F_RDLCK, 60, 5); printf("child_shared_read=%d\n", fcntl(cfd, F_SETLK, &q));
        /* wait for the parent's lock on 10..13 with F_SETLKW */
        write(back[1], "r", 1);
        long t0 = mono_ms();
        q = mk(F_WRLCK, 10, 1);
        int rc = fcntl(cfd, F_SETLKW, &q);
        printf("child_setlkw=%d waited=%d\n", rc, mono_ms() - t0 >= 80);
        fflush(stdout);
        _exit(0);
    }
    char ch;
    read(back[0], &ch, 1);
    sleep_ms(100);
    /* closing another fd of the same file drops all of this process's POSIX locks */
    int other = open("f", O_RDONLY);
    close(other);
    int st;
    waitpid(c, &st, 0);
    /* deadlock: parent holds A (0), child holds B (1); child waits for A, parent asks for B */
    f = mk(F_WRLCK, 0, 1); SETUP(fcntl(fd, F_SETLK, &f));
    c = fork();
    if (c == 0) {
        int cfd = open("f", O_RDWR);
        struct flock q = mk(F_WRLCK, 1, 1);
        fcntl(cfd, F_SETLK, &q);
        write(back[1], "b", 1);
        q = mk(F_WRLCK, 0, 1);
        int rc = fcntl(cfd, F_SETLKW, &q);
        printf("child_got_a=%d\n", rc);
        fflush(stdout);
        _exit(0);
    }
    read(back[0], &ch, 1);
    sleep_ms(100);
    f = mk(F_WRLCK, 1, 1);
    CHECK_RET("parent_deadlock", fcntl(fd, F_SETLKW, &f));
    f = mk(F_UNLCK, 0, 1); SETUP(fcntl(fd, F_SETLK, &f));
    waitpid(c, &st, 0);
    /* OFD locks */
    int o1 = open("f", O_RDWR), o2 = open("f", O_RDWR);
    f = mk(F_WRLCK, 200, 10); CHECK_RET("ofd_lock", fcntl(o1, F_OFD_SETLK, &f));
    f = mk(F_WRLCK, 205, 1); CHECK_RET("ofd_conflict_same_process", fcntl(o2, F_OFD_SETLK, &f));
    f = mk(F_WRLCK, 205, 1); fcntl(o2, F_OFD_GETLK, &f); printf("ofd_getlk_pid=%d\n", f.l_pid); show("ofd_getlk", f);
    f = mk(F_WRLCK, 205, 1); CHECK_RET("posix_vs_ofd", fcntl(fd, F_SETLK, &f));
    f = mk(F_WRLCK, 205, 1); f.l_pid = 1; CHECK_RET("ofd_nonzero_pid", fcntl(o2, F_OFD_SETLK, &f));
    close(o1);
    f = mk(F_WRLCK, 205, 1); CHECK_RET("ofd_released_by_close", fcntl(o2, F_OFD_SETLK, &f));
    /* bad arguments */
    f = mk(42, 0, 1); CHECK_RET("bad_type", fcntl(fd, F_SETLK, &f));
    f = mk(F_UNLCK, 0, 1); CHECK_RET("getlk_unlck", fcntl(fd, F_GETLK, &f));
    f = mk(F_WRLCK, 0, 1); f.l_whence = 9; CHECK_RET("bad_whence", fcntl(fd, F_SETLK, &f));
    f = mk(F_WRLCK, -5, 1); CHECK_RET("negative_start", fcntl(fd, F_SETLK, &f));
    f = mk(F_WRLCK, 5, -10); CHECK_RET("negative_len_before_zero", fcntl(fd, F_SETLK, &f));
    f = mk(F_WRLCK, 10, -5); CHECK_RET("negative_len", fcntl(fd, F_SETLK, &f));
    f = mk(F_WRLCK, 0x7fffffffffffffffL, 2); CHECK_RET("overflow", fcntl(fd, F_SETLK, &f));
    int ro = open("f", O_RDONLY);
    f = mk(F_WRLCK, 0, 1); CHECK_RET("write_lock_readonly_fd", fcntl(ro, F_SETLK, &f));
    CHECK_RET("getlk_bad_ptr", fcntl(fd, F_GETLK, (void *)8));
    CHECK_RET("setlk_bad_fd", fcntl(999, F_SETLK, &f));
    /* flock: shared through fork (same description), blocking until released */
    int fl = open("f", O_RDWR);
    CHECK_RET("flock_ex", flock(fl, LOCK_EX));
    c = fork();
    if (c == 0) {
        printf("child_flock_inherited=%d\n", flock(fl, LOCK_EX | LOCK_NB));
        int mine = open("f", O_RDWR);
        long t0 = mono_ms();
        write(back[1], "c", 1);
        int rc = flock(mine, LOCK_SH);
        printf("child_flock_blocking=%d waited=%d\n", rc, mono_ms() - t0 >= 80);
        fflush(stdout);
        _exit(0);
    }
    read(back[0], &ch, 1);
    sleep_ms(100);
    close(fl);  /* the child still holds the description: the lock stays */
    sleep_ms(50);
    FACT_INT("child_still_blocked", waitpid(c, &st, WNOHANG));
    kill(c, SIGKILL);
    waitpid(c, &st, 0);
    CHECK_RET("flock_bad_op", flock(fd, LOCK_SH | LOCK_EX));
    CHECK_RET("flock_bad_fd", flock(-1, LOCK_SH));
    DONE();
}
