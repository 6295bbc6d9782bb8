/* unix(7) listen/accept ordering: connections are accepted in FIFO order, connect succeeds before accept, data written before accept is readable after; closing the listener resets pending clients (ECONNRESET). */
#include "../lib/contract.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <stddef.h>

int main(void)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    strcpy(a.sun_path, "L");
    socklen_t al = offsetof(struct sockaddr_un, sun_path) + 2;
    int srv = socket(AF_UNIX, SOCK_STREAM, 0);
    SETUP(bind(srv, (struct sockaddr *)&a, al));
    SETUP(listen(srv, 8));
    int c[3];
    for (int i = 0; i < 3; i++) {
        c[i] = socket(AF_UNIX, SOCK_STREAM, 0);
        SETUP(connect(c[i], (struct sockaddr *)&a, al));
        char m = '0' + i;
        SETUP(write(c[i], &m, 1));
    }
    char order[4] = {0};
    for (int i = 0; i < 2; i++) {
        int acc = accept(srv, NULL, NULL);
        read(acc, &order[i], 1);
        close(acc);
    }
    FACT_STR("accept_order", order);
    close(srv);
    char b;
    CHECK_RET("pending_client_after_listener_close", read(c[2], &b, 1));
    CHECK_RET("accepted_client_after_server_close", read(c[0], &b, 1));
    DONE();
}
