/* Threads of one process sharing sockets: one blocks in accept/recv/send while another
 * connects, sends, drains or closes; the blocked thread wakes with the right result. */
#include "../../contract/lib/contract.h"
#include <pthread.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <stddef.h>

static struct sockaddr_un addr;
static socklen_t alen;
static int pair[2];

static void *connector(void *arg)
{
    (void)arg;
    sleep_ms(30);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&addr, alen);
    write(c, "from-thread", 11);
    return (void *)(long)c;
}

static void *drainer(void *arg)
{
    (void)arg;
    sleep_ms(30);
    static char sink[1 << 20];
    long total = 0;
    for (;;) { ssize_t r = read(pair[1], sink, sizeof sink); if (r <= 0) break; total += r; }
    return (void *)total;
}

static void *closer(void *arg)
{
    sleep_ms(30);
    close((int)(long)arg);
    return NULL;
}

int main(void)
{
    addr.sun_family = AF_UNIX;
    strcpy(addr.sun_path, "thr-sock");
    alen = offsetof(struct sockaddr_un, sun_path) + 9;
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    SETUP(bind(l, (struct sockaddr *)&addr, alen));
    SETUP(listen(l, 4));
    pthread_t t;
    pthread_create(&t, NULL, connector, NULL);
    int s = accept(l, NULL, NULL);
    FACT_BOOL("accepted_from_thread", s >= 0);
    char buf[32] = {0};
    CHECK_RET("recv_from_thread", recv(s, buf, 11, MSG_WAITALL));
    void *ret;
    pthread_join(t, &ret);
    FACT_STR("data", buf);
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, pair));
    pthread_create(&t, NULL, drainer, NULL);
    static char big[1 << 20];
    memset(big, 'b', sizeof big);
    CHECK_RET("big_write_while_thread_drains", write(pair[0], big, sizeof big));
    close(pair[0]);
    pthread_join(t, &ret);
    FACT_INT("thread_drained", (long)ret);
    int q[2];
    SETUP(socketpair(AF_UNIX, SOCK_DGRAM, 0, q));
    pthread_create(&t, NULL, closer, (void *)(long)q[0]);
    CHECK_RET("recv_while_peer_closed_by_thread", recv(q[1], buf, sizeof buf, MSG_DONTWAIT));
    pthread_join(t, NULL);
    CHECK_RET("send_after_peer_closed", send(q[1], "x", 1, 0));
    DONE();
}
