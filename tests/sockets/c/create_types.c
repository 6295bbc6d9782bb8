/* socket(2)/socketpair(2): every type and flag combination in AF_UNIX, the errno of
 * each bad family/type/protocol/flag, SO_TYPE/SO_DOMAIN/SO_PROTOCOL of what was made,
 * file status flags and close-on-exec, fd numbering. (AF_INET and friends are a
 * deliberate divergence and are tested in test_sockets_python.py.) */
#include "../../contract/lib/contract.h"
#include <sys/socket.h>
#include <sys/un.h>

static void *volatile bad_ptr = (void *)8;

static void facts(const char *tag, int fd)
{
    char k[64];
    int v = -1; socklen_t l = sizeof v;
    snprintf(k, sizeof k, "%s_so_type", tag);
    getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &l); FACT_INT(k, v);
    l = sizeof v; snprintf(k, sizeof k, "%s_so_domain", tag);
    getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &l); FACT_INT(k, v);
    l = sizeof v; snprintf(k, sizeof k, "%s_so_protocol", tag);
    getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &l); FACT_INT(k, v);
    snprintf(k, sizeof k, "%s_getfl", tag);
    FACT(k, "%o", fcntl(fd, F_GETFL));
    snprintf(k, sizeof k, "%s_cloexec", tag);
    FACT_INT(k, fcntl(fd, F_GETFD));
}

int main(void)
{
    int types[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_RAW };
    const char *names[] = { "stream", "dgram", "seqpacket", "raw" };
    for (int i = 0; i < 4; i++) {
        char tag[64];
        int fd = socket(AF_UNIX, types[i], 0);
        snprintf(tag, sizeof tag, "%s_plain", names[i]);
        facts(tag, fd);
        close(fd);
        fd = socket(AF_UNIX, types[i] | SOCK_NONBLOCK | SOCK_CLOEXEC, PF_UNIX);
        snprintf(tag, sizeof tag, "%s_flags", names[i]);
        facts(tag, fd);
        close(fd);
        int s[2];
        snprintf(tag, sizeof tag, "%s_pair", names[i]);
        CHECK_RET(tag, socketpair(AF_UNIX, types[i] | SOCK_NONBLOCK, 0, s));
        FACT_INT("pair_fds_consecutive", s[1] - s[0]);
        facts(tag, s[1]);
        close(s[0]); close(s[1]);
    }
    /* errors */
    int bad_types[] = { 0, 4, 6, 7, 8, 9, 10, 11, 12, 15, -1, 16, 0x10 | SOCK_STREAM };
    for (unsigned i = 0; i < sizeof bad_types / sizeof *bad_types; i++) {
        char k[48];
        snprintf(k, sizeof k, "type_%d", bad_types[i]);
        CHECK_RET(k, socket(AF_UNIX, bad_types[i], 0));
    }
    int bad_fams[] = { 0, -1, 46, 47, 255, 65536, 12 /* AF_DECnet */, 3, 4, 45 };
    for (unsigned i = 0; i < sizeof bad_fams / sizeof *bad_fams; i++) {
        char k[48];
        snprintf(k, sizeof k, "family_%d", bad_fams[i]);
        CHECK_RET(k, socket(bad_fams[i], SOCK_STREAM, 0));
        snprintf(k, sizeof k, "family_%d_badtype", bad_fams[i]);
        CHECK_RET(k, socket(bad_fams[i], 12, 0));
        snprintf(k, sizeof k, "family_%d_badflag", bad_fams[i]);
        CHECK_RET(k, socket(bad_fams[i], SOCK_STREAM | 0x100, 0));
    }
    int protos[] = { -1, 2, 3, 17, 255, 0x10000 };
    for (unsigned i = 0; i < sizeof protos / sizeof *protos; i++) {
        char k[48];
        snprintf(k, sizeof k, "protocol_%d", protos[i]);
        CHECK_RET(k, socket(AF_UNIX, SOCK_STREAM, protos[i]));
        snprintf(k, sizeof k, "protocol_%d_rdm", protos[i]);
        CHECK_RET(k, socket(AF_UNIX, SOCK_RDM, protos[i]));
    }
    int flagbits[] = { 0x10, 0x20, 0x40, 0x100, 0x1000, O_APPEND, O_DIRECT, 0x40000000, (int)0x80000000 };
    for (unsigned i = 0; i < sizeof flagbits / sizeof *flagbits; i++) {
        char k[48];
        snprintf(k, sizeof k, "flag_%x", flagbits[i]);
        CHECK_RET(k, socket(AF_UNIX, SOCK_DGRAM | flagbits[i], 0));
        int s[2];
        snprintf(k, sizeof k, "pair_flag_%x", flagbits[i]);
        CHECK_RET(k, socketpair(AF_UNIX, SOCK_DGRAM | flagbits[i], 0, s));
    }
    int s[2] = { -7, -7 };
    CHECK_RET("pair_unknown_family", socketpair(77, SOCK_STREAM, 0, s));
    FACT_BOOL("pair_fds_written_anyway", s[0] >= 0 && s[1] == s[0] + 1);
    s[0] = s[1] = -7;
    CHECK_RET("pair_bad_protocol", socketpair(AF_UNIX, SOCK_STREAM, 9, s));
    CHECK_RET("pair_rdm", socketpair(AF_UNIX, SOCK_RDM, 0, s));
    CHECK_RET("pair_null_vector", socketpair(AF_UNIX, SOCK_STREAM, 0, NULL));
    CHECK_RET("pair_null_vector_bad_family", socketpair(77, SOCK_STREAM, 0, NULL));
    CHECK_RET("pair_bad_vector", socketpair(AF_UNIX, SOCK_STREAM, 0, (int *)bad_ptr));
    /* the lowest fds are used */
    int a = socket(AF_UNIX, SOCK_STREAM, 0), b = socket(AF_UNIX, SOCK_STREAM, 0);
    close(a);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    FACT_BOOL("lowest_fd_reused", c == a);
    close(b); close(c);
    DONE();
}
