/* prctl(2): PR_SET_NAME copies at most 15 bytes and stops at a fault only before them; PR_GET_NAME/PR_GET_PDEATHSIG/PR_GET_CHILD_SUBREAPER fault on bad pointers; argument checks of PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS/GET; dumpable drops on a uid change and comes back on exec; the parent-death signal is cleared by a uid change; thread-local options run as natively (timer slack, THP, MCE, speculation); unknown options are EINVAL. */
#include "../../contract/lib/contract.h"
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#define PR_SET_VMA_ANON_NAME 0
#endif

static int child_exit(void (*fn)(void))
{
    pid_t c = fork();
    if (c == 0) { fn(); _exit(0); }
    int st;
    waitpid(c, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 200 + WTERMSIG(st);
}

static void setuid_then_dumpable(void) { setuid(65534); _exit(prctl(PR_GET_DUMPABLE)); }
static void setuid_then_pdeath(void)
{
    prctl(PR_SET_PDEATHSIG, SIGUSR1);
    setresuid(65534, 65534, 65534);
    int v = -1;
    prctl(PR_GET_PDEATHSIG, &v);
    _exit(v);
}
static void same_uid_keeps_pdeath(void)
{
    prctl(PR_SET_PDEATHSIG, SIGUSR1);
    setuid(0);
    int v = -1;
    prctl(PR_GET_PDEATHSIG, &v);
    _exit(v);
}
static char **g_argv;
static void dumpable0_then_exec(void)
{
    prctl(PR_SET_DUMPABLE, 0);
    char *args[] = { g_argv[0], "dumpable", NULL };
    execv("/proc/self/exe", args);
    _exit(99);
}

int main(int argc, char **argv)
{
    g_argv = argv;
    if (argc == 2 && !strcmp(argv[1], "dumpable")) _exit(prctl(PR_GET_DUMPABLE));
    char name[32];
    CHECK_RET("set_name_long", prctl(PR_SET_NAME, "abcdefghijklmnopqrstuvwxyz"));
    memset(name, 'X', sizeof name);
    CHECK_RET("get_name", prctl(PR_GET_NAME, name));
    FACT_STR("name", name);
    FACT_INT("name_byte_15_is_nul", name[15] == 0);
    FACT_INT("name_byte_16_untouched", name[16] == 'X');
    CHECK_RET("set_name_empty", prctl(PR_SET_NAME, ""));
    prctl(PR_GET_NAME, name);
    FACT_INT("empty_name_len", strlen(name));
    CHECK_RET("set_name_null", prctl(PR_SET_NAME, NULL));
    CHECK_RET("get_name_null", prctl(PR_GET_NAME, NULL));
    /* a name ending right at an unreadable page */
    char *pg = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SETUP(mprotect(pg + 4096, 4096, PROT_NONE));
    memcpy(pg + 4096 - 15, "fifteen-bytes!!", 15);
    CHECK_RET("name_15_before_fault", prctl(PR_SET_NAME, pg + 4096 - 15));
    prctl(PR_GET_NAME, name);
    FACT_STR("name_15", name);
    memcpy(pg + 4096 - 5, "short", 5);
    CHECK_RET("name_5_then_fault", prctl(PR_SET_NAME, pg + 4096 - 5));
    memcpy(pg + 4096 - 5, "shrt", 5);
    CHECK_RET("name_nul_before_fault", prctl(PR_SET_NAME, pg + 4096 - 5));
    prctl(PR_GET_NAME, name);
    FACT_STR("name_short", name);
    char comm[32] = {0};
    read_file("/proc/self/comm", comm, sizeof comm);
    FACT("proc_comm", "%s", comm);

    CHECK_RET("pdeathsig_65", prctl(PR_SET_PDEATHSIG, 65));
    CHECK_RET("pdeathsig_neg", prctl(PR_SET_PDEATHSIG, -1L));
    CHECK_RET("pdeathsig_64", prctl(PR_SET_PDEATHSIG, 64));
    int v = -1;
    CHECK_RET("get_pdeathsig", prctl(PR_GET_PDEATHSIG, &v));
    FACT_INT("pdeathsig", v);
    CHECK_RET("get_pdeathsig_bad", prctl(PR_GET_PDEATHSIG, (void *)8));
    CHECK_RET("pdeathsig_0", prctl(PR_SET_PDEATHSIG, 0));
    CHECK_RET("get_subreaper_bad", prctl(PR_GET_CHILD_SUBREAPER, (void *)8));
    CHECK_RET("subreaper_any_value", prctl(PR_SET_CHILD_SUBREAPER, 42));
    prctl(PR_GET_CHILD_SUBREAPER, &v);
    FACT_INT("subreaper", v);
    prctl(PR_SET_CHILD_SUBREAPER, 0);

    CHECK_RET("dumpable", prctl(PR_GET_DUMPABLE));
    CHECK_RET("set_dumpable_2", prctl(PR_SET_DUMPABLE, 2));
    CHECK_RET("set_dumpable_0", prctl(PR_SET_DUMPABLE, 0));
    CHECK_RET("dumpable_now", prctl(PR_GET_DUMPABLE));
    prctl(PR_SET_DUMPABLE, 1);
    FACT_INT("setuid_makes_undumpable", child_exit(setuid_then_dumpable));
    FACT_INT("exec_makes_dumpable", child_exit(dumpable0_then_exec));
    FACT_INT("uid_change_clears_pdeathsig", child_exit(setuid_then_pdeath));
    FACT_INT("same_uid_keeps_pdeathsig", child_exit(same_uid_keeps_pdeath));

    CHECK_RET("get_nnp", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    CHECK_RET("get_nnp_args", prctl(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0));
    CHECK_RET("set_nnp_2", prctl(PR_SET_NO_NEW_PRIVS, 2, 0, 0, 0));
    CHECK_RET("set_nnp_args", prctl(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0));
    CHECK_RET("set_nnp", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    CHECK_RET("get_nnp_after", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    CHECK_RET("get_seccomp", prctl(PR_GET_SECCOMP));

    CHECK_RET("set_timerslack", prctl(PR_SET_TIMERSLACK, 123456));
    CHECK_RET("get_timerslack", prctl(PR_GET_TIMERSLACK));
    CHECK_RET("set_thp", prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0));
    CHECK_RET("get_thp", prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0));
    CHECK_RET("mce_get", prctl(PR_MCE_KILL_GET, 0, 0, 0, 0));
    CHECK_RET("spec_get", prctl(PR_GET_SPECULATION_CTRL, 0, 0, 0, 0) >= 0 ? 0 : -1);
    CHECK_RET("vma_name", prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, (unsigned long)pg, 4096, (unsigned long)"buf"));
    CHECK_RET("unaligned_x86", prctl(PR_GET_UNALIGN, &v));
    CHECK_RET("fpexc_x86", prctl(PR_GET_FPEXC, &v));
    CHECK_RET("endian_x86", prctl(PR_GET_ENDIAN, &v));
    CHECK_RET("tid_address", prctl(PR_GET_TID_ADDRESS, &name) == 0 ? 0 : -1);
    CHECK_RET("capbset_read_bad", prctl(PR_CAPBSET_READ, 4096));
    CHECK_RET("unknown_option", prctl(9999, 0, 0, 0, 0));
    CHECK_RET("negative_option", prctl(-1, 0, 0, 0, 0));
    DONE();
}
