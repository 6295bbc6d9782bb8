/* set_robust_list(2)/get_robust_list(2): len must be sizeof(struct robust_list_head)=24 (else EINVAL); get returns the registered head and len; unknown pid ESRCH. */
#include "../lib/contract.h"
#include <sys/syscall.h>

struct rlh { void *next; long off; void *pending; };

int main(void)
{
    static struct rlh head = { &head, 0, NULL };
    CHECK_RET("bad_size", syscall(SYS_set_robust_list, &head, 23));
    CHECK_RET("bad_size_big", syscall(SYS_set_robust_list, &head, 48));
    CHECK_RET("set", syscall(SYS_set_robust_list, &head, sizeof head));
    void *got = NULL;
    size_t len = 0;
    CHECK_RET("get_self", syscall(SYS_get_robust_list, 0, &got, &len));
    FACT_BOOL("head_matches", got == &head);
    FACT_INT("len", len);
    CHECK_RET("get_missing_pid", syscall(SYS_get_robust_list, 0x3ffffff0, &got, &len));
    DONE();
}
