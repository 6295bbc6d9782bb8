/* unix(7) names: pathname sockets are inodes of the file system (mode from the umask,
 * EADDRINUSE for any existing name, symlinks followed by connect, unlink removes the
 * name but not the binding, write permission needed to connect), the 108-byte path
 * limit and getsockname's length, abstract names (their own namespace, per type, any
 * bytes), autobind, getsockname/getpeername of every kind of socket. */
#include "../../contract/lib/contract.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <stddef.h>

static socklen_t mk(struct sockaddr_un *a, const char *p)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    strcpy(a->sun_path, p);
    return offsetof(struct sockaddr_un, sun_path) + strlen(p) + 1;
}

int main(void)
{
    struct sockaddr_un a, n;
    socklen_t al, nl;
    struct stat st;
    umask(022);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    al = mk(&a, "sock1");
    CHECK_RET("bind", bind(s, (struct sockaddr *)&a, al));
    CHECK_RET("stat", stat("sock1", &st));
    FACT("mode", "%o", st.st_mode);
    FACT_INT("size", st.st_size);
    FACT_INT("nlink", st.st_nlink);
    umask(077);
    int s2 = socket(AF_UNIX, SOCK_DGRAM, 0);
    al = mk(&a, "sock2");
    bind(s2, (struct sockaddr *)&a, al);
    stat("sock2", &st);
    FACT("mode_umask077", "%o", st.st_mode);
    umask(022);
    CHECK_RET("open_socket_file", open("sock1", O_RDONLY));
    /* EADDRINUSE for every kind of existing name */
    SETUP(write_file("regular", "x"));
    SETUP(mkdir("dir", 0755));
    SETUP(symlink("nowhere", "dangling"));
    SETUP(symlink("sock1", "link-to-sock"));
    const char *taken[] = { "sock1", "regular", "dir", "dangling", "link-to-sock", ".", "..", "/", "dir/..", "dir/." };
    for (unsigned i = 0; i < sizeof taken / sizeof *taken; i++) {
        char k[64];
        snprintf(k, sizeof k, "bind_existing_%u", i);
        al = mk(&a, taken[i]);
        CHECK_RET(k, bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, al));
    }
    al = mk(&a, "missing/sock");
    CHECK_RET("bind_missing_parent", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, al));
    al = mk(&a, "regular/sock");
    CHECK_RET("bind_parent_not_dir", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, al));
    al = mk(&a, "trailing/");
    CHECK_RET("bind_trailing_slash", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, al));
    al = mk(&a, "dir/inner");
    int s3 = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_RET("bind_in_dir", bind(s3, (struct sockaddr *)&a, al));
    CHECK_RET("rebind_bound", bind(s3, (struct sockaddr *)&a, al));
    al = mk(&a, "other-name");
    CHECK_RET("rebind_bound_new_name", bind(s3, (struct sockaddr *)&a, al));
    CHECK_RET("other_name_not_created", access("other-name", F_OK));
    /* names: exact lengths, no NUL, 108 bytes */
    nl = sizeof n;
    getsockname(s, (struct sockaddr *)&n, &nl);
    FACT_INT("sockname_len", nl);
    FACT_STR("sockname", n.sun_path);
    int t = socket(AF_UNIX, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    memcpy(a.sun_path, "nonul", 5);
    CHECK_RET("bind_no_nul", bind(t, (struct sockaddr *)&a, offsetof(struct sockaddr_un, sun_path) + 5));
    nl = sizeof n;
    getsockname(t, (struct sockaddr *)&n, &nl);
    FACT_INT("no_nul_len", nl);
    FACT_STR("no_nul_name", n.sun_path);
    CHECK_RET("no_nul_exists", access("nonul", F_OK));
    int t2 = socket(AF_UNIX, SOCK_STREAM, 0);
    memset(&a, 'p', sizeof a);
    a.sun_family = AF_UNIX;
    memcpy(a.sun_path, "x108/", 5);
    mkdir("x108", 0755);
    CHECK_RET("bind_108", bind(t2, (struct sockaddr *)&a, sizeof a));
    struct sockaddr_storage ss; nl = sizeof ss;
    memset(&ss, 0x55, sizeof ss);
    getsockname(t2, (struct sockaddr *)&ss, &nl);
    FACT_INT("len_108", nl);
    FACT_INT("byte_110_is_nul", ((unsigned char *)&ss)[110]);
    CHECK_RET("bind_len_111", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, sizeof a + 1));
    CHECK_RET("bind_len_2_nonzero_path_is_autobind", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, 2));
    CHECK_RET("bind_len_3", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, 3));
    CHECK_RET("bind_len_1", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, 1));
    /* connect through a symlink, after unlink, without write permission */
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    al = mk(&a, "listener");
    SETUP(bind(l, (struct sockaddr *)&a, al));
    SETUP(listen(l, 8));
    SETUP(symlink("listener", "ln"));
    al = mk(&a, "ln");
    CHECK_RET("connect_via_symlink", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, al));
    al = mk(&a, "./listener");
    CHECK_RET("connect_dot_path", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, al));
    char cwd[200], abs[300];
    getcwd(cwd, sizeof cwd);
    snprintf(abs, sizeof abs, "%s/listener", cwd);
    al = mk(&a, abs);
    CHECK_RET("connect_absolute", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, al));
    al = mk(&a, "listener/");
    CHECK_RET("connect_trailing_slash", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, al));
    al = mk(&a, "dir");
    CHECK_RET("connect_directory", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, al));
    SETUP(chmod("listener", 0444));
    pid_t c = fork();
    if (c == 0) {
        setgid(65534);
        setuid(65534);
        al = mk(&a, "listener");
        CHECK_RET("nonroot_connect_readonly", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, al));
        al = mk(&a, "sock1");
        CHECK_RET("nonroot_connect_0755", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, al));
        al = mk(&a, "dir/nonroot");
        CHECK_RET("nonroot_bind_in_root_dir", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, al));
        fflush(stdout);
        _exit(0);
    }
    waitpid(c, NULL, 0);
    SETUP(chmod("listener", 0777));
    al = mk(&a, "listener");
    CHECK_RET("connect_root_readonly_ok", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, al));
    CHECK_RET("unlink", unlink("listener"));
    CHECK_RET("connect_after_unlink", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, al));
    nl = sizeof n;
    getsockname(l, (struct sockaddr *)&n, &nl);
    FACT_STR("name_after_unlink", n.sun_path);
    int l2 = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_RET("rebind_same_path_other_socket", bind(l2, (struct sockaddr *)&a, al));
    listen(l2, 1);
    int cc = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_RET("connect_new_listener", connect(cc, (struct sockaddr *)&a, al));
    int acc = accept(l2, NULL, NULL);
    FACT_BOOL("new_listener_accepted", acc >= 0);
    CHECK_RET("rename_socket_file", rename("listener", "renamed"));
    al = mk(&a, "renamed");
    CHECK_RET("connect_renamed", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, al));
    CHECK_RET("link_socket_file", link("renamed", "hardlink"));
    al = mk(&a, "hardlink");
    CHECK_RET("connect_hardlink", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, al));
    /* abstract names: own namespace per type, any bytes, exact length */
    struct sockaddr_un ab = { .sun_family = AF_UNIX };
    memcpy(ab.sun_path, "\0kv\0abs\xff", 8);
    socklen_t abl = offsetof(struct sockaddr_un, sun_path) + 8;
    int as = socket(AF_UNIX, SOCK_STREAM, 0), ad = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK_RET("bind_abstract_stream", bind(as, (struct sockaddr *)&ab, abl));
    CHECK_RET("bind_abstract_dgram_same_name", bind(ad, (struct sockaddr *)&ab, abl));
    CHECK_RET("bind_abstract_stream_again", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&ab, abl));
    CHECK_RET("bind_abstract_seqpacket_same_name", bind(socket(AF_UNIX, SOCK_SEQPACKET, 0), (struct sockaddr *)&ab, abl));
    CHECK_RET("bind_abstract_longer", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&ab, abl + 1));
    listen(as, 1);
    CHECK_RET("connect_abstract", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&ab, abl));
    CHECK_RET("connect_abstract_wrong_len", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&ab, abl - 1));
    CHECK_RET("connect_abstract_seqpacket", connect(socket(AF_UNIX, SOCK_SEQPACKET, 0), (struct sockaddr *)&ab, abl));
    CHECK_RET("sendto_abstract_dgram", sendto(socket(AF_UNIX, SOCK_DGRAM, 0), "x", 1, 0, (struct sockaddr *)&ab, abl));
    struct sockaddr_un empty = { .sun_family = AF_UNIX };
    CHECK_RET("bind_abstract_empty_name", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&empty, 3));
    nl = sizeof n;
    getsockname(ad, (struct sockaddr *)&n, &nl);
    FACT_BOOL("abstract_name_exact", nl == abl && memcmp(&n, &ab, abl) == 0);
    CHECK_RET("abstract_not_a_file", access("kv", F_OK));
    close(as);
    CHECK_RET("rebind_abstract_after_close", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&ab, abl));
    /* autobind */
    int au = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un fam = { .sun_family = AF_UNIX };
    CHECK_RET("autobind", bind(au, (struct sockaddr *)&fam, sizeof(sa_family_t)));
    CHECK_RET("autobind_again", bind(au, (struct sockaddr *)&fam, sizeof(sa_family_t)));
    nl = sizeof n;
    getsockname(au, (struct sockaddr *)&n, &nl);
    FACT_INT("autobind_len", nl);
    CHECK_RET("bind_after_autobind", bind(au, (struct sockaddr *)&ab, abl));
    struct sockaddr_un fam2 = { .sun_family = AF_INET };
    CHECK_RET("autobind_wrong_family", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&fam2, sizeof(sa_family_t)));
    CHECK_RET("autobind_bound", bind(s, (struct sockaddr *)&fam, sizeof(sa_family_t)));
    listen(au, 1);
    int ca = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_RET("connect_to_autobound", connect(ca, (struct sockaddr *)&n, nl));
    /* names of every kind of socket */
    struct sockaddr_un pn; socklen_t pnl = sizeof pn;
    CHECK_RET("peername_client_of_autobound", getpeername(ca, (struct sockaddr *)&pn, &pnl));
    FACT_BOOL("peer_is_autobound_name", pnl == nl && memcmp(&pn, &n, nl) == 0);
    int acc2 = accept(au, (struct sockaddr *)&pn, &pnl);
    FACT_INT("accept_peer_len_unbound", pnl);
    pnl = sizeof pn;
    getsockname(acc2, (struct sockaddr *)&pn, &pnl);
    FACT_BOOL("accepted_sockname_is_listeners", pnl == nl && memcmp(&pn, &n, nl) == 0);
    pnl = 0;
    CHECK_RET("getsockname_len0", getsockname(s, (struct sockaddr *)&pn, &pnl));
    FACT_INT("getsockname_len0_reports", pnl);
    pnl = 3;
    memset(&pn, 0, sizeof pn);
    getsockname(s, (struct sockaddr *)&pn, &pnl);
    FACT_INT("getsockname_len3_reports", pnl);
    FACT_INT("getsockname_len3_byte2", pn.sun_path[0]);
    FACT_INT("getsockname_len3_byte3", pn.sun_path[1]);
    pnl = -1;
    CHECK_RET("getsockname_negative_len", getsockname(s, (struct sockaddr *)&pn, &pnl));
    int ubd = socket(AF_UNIX, SOCK_DGRAM, 0);
    pnl = sizeof pn;
    getsockname(ubd, (struct sockaddr *)&pn, &pnl);
    FACT_INT("unbound_len", pnl);
    FACT_INT("unbound_family", pn.sun_family);
    CHECK_RET("getpeername_unbound", getpeername(ubd, (struct sockaddr *)&pn, &pnl));
    CHECK_RET("getsockname_not_socket", getsockname(open(".", O_RDONLY), (struct sockaddr *)&pn, &pnl));
    DONE();
}
