/* flock(2): locks belong to open file descriptions; a second open of the same file conflicts (EWOULDBLOCK with LOCK_NB), dup shares the lock, LOCK_UN releases. */
#include "../lib/contract.h"
#include <sys/file.h>

int main(void)
{
    int a = open("f", O_RDWR | O_CREAT, 0644);
    int b = open("f", O_RDWR);
    SETUP(a); SETUP(b);
    CHECK_RET("lock_ex_a", flock(a, LOCK_EX | LOCK_NB));
    CHECK_RET("lock_ex_b_conflict", flock(b, LOCK_EX | LOCK_NB));
    CHECK_RET("lock_sh_b_conflict", flock(b, LOCK_SH | LOCK_NB));
    int d = dup(a);
    CHECK_RET("lock_ex_via_dup", flock(d, LOCK_EX | LOCK_NB));
    CHECK_RET("unlock_a", flock(a, LOCK_UN));
    CHECK_RET("lock_sh_b", flock(b, LOCK_SH | LOCK_NB));
    CHECK_RET("lock_sh_a", flock(a, LOCK_SH | LOCK_NB));
    CHECK_RET("upgrade_a_conflict", flock(a, LOCK_EX | LOCK_NB));
    CHECK_RET("bad_op", flock(a, 0));
    CHECK_RET("bad_fd", flock(99, LOCK_SH));
    close(b);
    CHECK_RET("upgrade_after_close", flock(a, LOCK_EX | LOCK_NB));
    DONE();
}
