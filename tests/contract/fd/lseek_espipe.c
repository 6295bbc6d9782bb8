/* lseek(2): ESPIPE on pipes, sockets and FIFOs; regular files accept SET/CUR/END, beyond-EOF offsets, reject negative results and bad whence with EINVAL. */
#include "../lib/contract.h"
#include <sys/socket.h>

int main(void)
{
    int p[2], s[2];
    SETUP(pipe(p));
    SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
    CHECK_RET("lseek_pipe_read_end", lseek(p[0], 0, SEEK_CUR));
    CHECK_RET("lseek_pipe_write_end", lseek(p[1], 0, SEEK_SET));
    CHECK_RET("lseek_socket", lseek(s[0], 0, SEEK_CUR));
    SETUP(mkfifo("fifo", 0644));
    int f = open("fifo", O_RDONLY | O_NONBLOCK);
    CHECK_RET("lseek_fifo", lseek(f, 0, SEEK_CUR));
    SETUP(write_file("file", "hello world"));
    int fd = open("file", O_RDWR);
    CHECK_RET("seek_set_3", lseek(fd, 3, SEEK_SET));
    CHECK_RET("seek_cur_plus2", lseek(fd, 2, SEEK_CUR));
    CHECK_RET("seek_end_0", lseek(fd, 0, SEEK_END));
    CHECK_RET("seek_end_minus5", lseek(fd, -5, SEEK_END));
    CHECK_RET("seek_beyond_eof", lseek(fd, 100, SEEK_SET));
    char c;
    CHECK_RET("read_beyond_eof", read(fd, &c, 1));
    CHECK_RET("seek_negative", lseek(fd, -1, SEEK_SET));
    CHECK_RET("pos_unchanged_after_einval", lseek(fd, 0, SEEK_CUR));
    CHECK_RET("seek_bad_whence", lseek(fd, 0, 42));
    CHECK_RET("seek_closed_fd", lseek(77, 0, SEEK_SET));
    int dfd = open(".", O_RDONLY | O_DIRECTORY);
    CHECK_RET("seek_dir_to_0", lseek(dfd, 0, SEEK_SET));
    CHECK_RET("lseek_dev_null", lseek(open("/dev/null", O_RDONLY), 123, SEEK_SET));
    DONE();
}
