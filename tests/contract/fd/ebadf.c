/* EBADF paths: read/write/close/fstat on closed, negative and huge fds; write on O_RDONLY and read on O_WRONLY fds; double close. */
#include "../lib/contract.h"

int main(void)
{
    char c = 0;
    struct stat st;
    int fds[3] = { 40, -1, 1 << 30 };
    const char *names[3] = { "closed", "negative", "huge" };
    char key[64];
    for (int i = 0; i < 3; i++) {
        snprintf(key, sizeof key, "read_%s", names[i]);  CHECK_RET(key, read(fds[i], &c, 1));
        snprintf(key, sizeof key, "write_%s", names[i]); CHECK_RET(key, write(fds[i], &c, 1));
        snprintf(key, sizeof key, "close_%s", names[i]); CHECK_RET(key, close(fds[i]));
        snprintf(key, sizeof key, "fstat_%s", names[i]); CHECK_RET(key, fstat(fds[i], &st));
    }
    SETUP(write_file("f", "data"));
    int r = open("f", O_RDONLY), w = open("f", O_WRONLY);
    CHECK_RET("write_on_rdonly", write(r, "x", 1));
    CHECK_RET("read_on_wronly", read(w, &c, 1));
    CHECK_RET("close_ok", close(r));
    CHECK_RET("close_twice", close(r));
    int p[2];
    SETUP(pipe(p));
    CHECK_RET("write_pipe_read_end", write(p[0], "x", 1));
    CHECK_RET("read_pipe_write_end", read(p[1], &c, 1));
    CHECK_RET("fsync_closed", fsync(40));
    CHECK_RET("ftruncate_closed", ftruncate(40, 0));
    CHECK_RET("fchdir_closed", fchdir(40));
    DONE();
}
