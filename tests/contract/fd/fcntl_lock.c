/* fcntl(2) record locks: F_GETLK from another process reports the conflicting lock and its owner; F_SETLK conflict is EAGAIN; locks are released when the owner exits. */
#include "../lib/contract.h"
#include <sys/wait.h>

int main(void)
{
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
    SETUP(fd);
    SETUP(write(fd, "0123456789", 10));
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 5 };
    CHECK_RET("setlk_parent", fcntl(fd, F_SETLK, &fl));
    pid_t parent = getpid();
    int p[2];
    SETUP(pipe(p));
    pid_t c = fork();
    if (c == 0) {
        int code = 0;
        int f2 = open("f", O_RDWR);
        struct flock q = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 2, .l_len = 1 };
        if (fcntl(f2, F_GETLK, &q) == 0 && q.l_type == F_WRLCK && q.l_pid == parent && q.l_start == 0 && q.l_len == 5) code |= 1;
        struct flock s = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 2, .l_len = 1 };
        if (fcntl(f2, F_SETLK, &s) == -1 && (errno == EAGAIN || errno == EACCES)) code |= 2;
        if (errno == EAGAIN) code |= 4;
        struct flock t = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 5, .l_len = 5 };
        if (fcntl(f2, F_SETLK, &t) == 0) code |= 8;
        char cc = (char)code;
        write(p[1], &cc, 1);
        sleep_ms(2000);
        _exit(0);
    }
    char ch = 0;
    read(p[0], &ch, 1);
    FACT_BOOL("child_getlk_sees_parent_lock", ch & 1);
    FACT_BOOL("child_setlk_conflict", ch & 2);
    FACT_BOOL("child_setlk_conflict_is_eagain", ch & 4);
    FACT_BOOL("child_nonoverlapping_lock_ok", ch & 8);
    struct flock q = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 7, .l_len = 1 };
    CHECK_RET("parent_getlk", fcntl(fd, F_GETLK, &q));
    FACT_BOOL("parent_sees_child_lock", q.l_type == F_WRLCK && q.l_pid == c);
    q.l_type = F_RDLCK; q.l_start = 0; q.l_len = 5;
    CHECK_RET("own_lock_no_conflict", fcntl(fd, F_GETLK, &q));
    FACT_BOOL("own_lock_unlck", q.l_type == F_UNLCK);
    kill(c, SIGKILL);
    int st;
    waitpid(c, &st, 0);
    struct flock r = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 5, .l_len = 5 };
    CHECK_RET("lock_after_child_death", fcntl(fd, F_SETLK, &r));
    struct flock bad = { .l_type = 42, .l_whence = SEEK_SET };
    CHECK_RET("bad_lock_type", fcntl(fd, F_SETLK, &bad));
    DONE();
}
