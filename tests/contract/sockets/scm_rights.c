/* unix(7) SCM_RIGHTS: passing a pipe write end over a socketpair yields a new fd for the same pipe (data written through it arrives), MSG_CMSG_CLOEXEC sets FD_CLOEXEC. */
#include "../lib/contract.h"
#include <sys/socket.h>

int main(void)
{
    int s[2], p[2];
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
    SETUP(pipe(p));
    char cbuf[CMSG_SPACE(sizeof(int))];
    memset(cbuf, 0, sizeof cbuf);
    struct iovec iov = { "F", 1 };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
    struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
    cm->cmsg_level = SOL_SOCKET; cm->cmsg_type = SCM_RIGHTS; cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &p[1], sizeof(int));
    CHECK_RET("sendmsg", sendmsg(s[0], &mh, 0));
    close(p[1]);
    char rcv[CMSG_SPACE(sizeof(int))], b;
    struct iovec riov = { &b, 1 };
    struct msghdr rh = { .msg_iov = &riov, .msg_iovlen = 1, .msg_control = rcv, .msg_controllen = sizeof rcv };
    CHECK_RET("recvmsg", recvmsg(s[1], &rh, MSG_CMSG_CLOEXEC));
    struct cmsghdr *rc = CMSG_FIRSTHDR(&rh);
    FACT_BOOL("have_cmsg", rc != NULL);
    int nfd = -1;
    if (rc) {
        FACT_BOOL("cmsg_level_socket", rc->cmsg_level == SOL_SOCKET);
        FACT_BOOL("cmsg_type_rights", rc->cmsg_type == SCM_RIGHTS);
        FACT_BOOL("cmsg_len_one_fd", rc->cmsg_len == CMSG_LEN(sizeof(int)));
        memcpy(&nfd, CMSG_DATA(rc), sizeof(int));
    }
    FACT_BOOL("new_fd_cloexec", fcntl(nfd, F_GETFD) & FD_CLOEXEC);
    FACT_BOOL("new_fd_wronly", (fcntl(nfd, F_GETFL) & O_ACCMODE) == O_WRONLY);
    CHECK_RET("write_via_passed_fd", write(nfd, "via-scm", 7));
    char buf[16] = {0};
    CHECK_RET("read_pipe", read(p[0], buf, sizeof buf - 1));
    FACT_STR("pipe_data", buf);
    close(nfd);
    CHECK_RET("eof_after_passed_closed", read(p[0], buf, 1));
    /* no control data: msg_controllen becomes 0 */
    SETUP(write(s[0], "y", 1));
    rh.msg_control = rcv; rh.msg_controllen = sizeof rcv;
    recvmsg(s[1], &rh, 0);
    FACT_INT("controllen_without_fds", rh.msg_controllen);
    /* passing a bad fd fails EBADF */
    int bad = 99;
    memcpy(CMSG_DATA(cm), &bad, sizeof(int));
    mh.msg_control = cbuf; mh.msg_controllen = sizeof cbuf;
    CHECK_RET("sendmsg_bad_fd", sendmsg(s[0], &mh, 0));
    DONE();
}
