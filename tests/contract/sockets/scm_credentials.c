/* unix(7) SO_PASSCRED/SCM_CREDENTIALS: the receiver gets the sender's pid/uid/gid even when the sender attaches none; explicit credentials are checked: root may send its own, a nonexistent pid is ESRCH. */
#include "../lib/contract.h"
#include <sys/socket.h>

int main(void)
{
    int s[2];
    SETUP(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
    int on = 1;
    CHECK_RET("set_passcred", setsockopt(s[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
    int v = 0; socklen_t l = sizeof v;
    getsockopt(s[1], SOL_SOCKET, SO_PASSCRED, &v, &l);
    FACT_INT("get_passcred", v);
    SETUP(write(s[0], "c", 1));
    char cbuf[CMSG_SPACE(sizeof(struct ucred))], b;
    struct iovec iov = { &b, 1 };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
    CHECK_RET("recvmsg", recvmsg(s[1], &mh, 0));
    struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
    FACT_BOOL("have_cmsg", cm != NULL);
    if (cm) {
        FACT_BOOL("type_credentials", cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_CREDENTIALS);
        struct ucred uc;
        memcpy(&uc, CMSG_DATA(cm), sizeof uc);
        FACT_BOOL("pid_same", uc.pid == getpid());
        FACT_INT("uid", uc.uid);
        FACT_INT("gid", uc.gid);
    }
    /* explicit credentials */
    struct ucred mine = { getpid(), getuid(), getgid() };
    char sbuf[CMSG_SPACE(sizeof(struct ucred))];
    memset(sbuf, 0, sizeof sbuf);
    struct iovec siov = { "e", 1 };
    struct msghdr sm = { .msg_iov = &siov, .msg_iovlen = 1, .msg_control = sbuf, .msg_controllen = sizeof sbuf };
    struct cmsghdr *sc = CMSG_FIRSTHDR(&sm);
    sc->cmsg_level = SOL_SOCKET; sc->cmsg_type = SCM_CREDENTIALS; sc->cmsg_len = CMSG_LEN(sizeof mine);
    memcpy(CMSG_DATA(sc), &mine, sizeof mine);
    CHECK_RET("sendmsg_explicit_creds", sendmsg(s[0], &sm, 0));
    mh.msg_controllen = sizeof cbuf;
    CHECK_RET("recvmsg_explicit", recvmsg(s[1], &mh, 0));
    cm = CMSG_FIRSTHDR(&mh);
    if (cm) { struct ucred uc; memcpy(&uc, CMSG_DATA(cm), sizeof uc); FACT_BOOL("explicit_pid_same", uc.pid == getpid()); }
    mine.pid = 0x3fffffff;
    memcpy(CMSG_DATA(sc), &mine, sizeof mine);
    CHECK_RET("sendmsg_nonexistent_pid", sendmsg(s[0], &sm, 0));
    DONE();
}
