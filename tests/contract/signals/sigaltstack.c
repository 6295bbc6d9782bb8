/* sigaltstack(2): an SA_ONSTACK handler runs on the alternate stack (a local's address lies inside it) and sees SS_ONSTACK; changing the stack while on it is EPERM; too small a stack is ENOMEM. */
#include "../lib/contract.h"

static char altstack[65536] __attribute__((aligned(16)));
static volatile int on_alt, ss_onstack, change_err;
static void h(int s)
{
    (void)s;
    int local;
    on_alt = (char *)&local >= altstack && (char *)&local < altstack + sizeof altstack;
    stack_t cur;
    sigaltstack(NULL, &cur);
    ss_onstack = (cur.ss_flags & SS_ONSTACK) != 0;
    stack_t n = { .ss_sp = altstack, .ss_size = sizeof altstack };
    change_err = sigaltstack(&n, NULL) == -1 ? errno : 0;
}

int main(void)
{
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack }, old;
    CHECK_RET("sigaltstack", sigaltstack(&ss, &old));
    FACT_BOOL("old_disabled", old.ss_flags & SS_DISABLE);
    struct sigaction sa = { .sa_handler = h, .sa_flags = SA_ONSTACK };
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    FACT_INT("handler_on_altstack", on_alt);
    FACT_INT("ss_onstack_in_handler", ss_onstack);
    FACT_ERRNO("change_while_on_stack", change_err);
    stack_t cur;
    sigaltstack(NULL, &cur);
    FACT_BOOL("not_onstack_outside", !(cur.ss_flags & SS_ONSTACK));
    sa.sa_flags = 0;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    FACT_INT("without_sa_onstack", on_alt);
    stack_t small = { .ss_sp = altstack, .ss_size = 512 };
    CHECK_RET("too_small", sigaltstack(&small, NULL));
    stack_t bad = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0x42 };
    CHECK_RET("bad_flags", sigaltstack(&bad, NULL));
    stack_t dis = { .ss_flags = SS_DISABLE };
    CHECK_RET("disable", sigaltstack(&dis, NULL));
    DONE();
}
