/* sendfile, splice, tee and copy_file_range beyond the seed's tests: sendfile to an
 * O_APPEND file (EINVAL), from a pipe (EINVAL), to a full non-blocking pipe (EAGAIN);
 * splice pipe to pipe, with SPLICE_F_NONBLOCK on an empty pipe, into a pipe with no
 * reader (EPIPE); tee of an empty pipe with no writer (0); copy_file_range across two
 * tmpfs mounts (EXDEV), onto a directory (EISDIR), with O_APPEND (EBADF), past EOF. */
#include "fs.h"
#include <sys/sendfile.h>
#include <sys/syscall.h>

static long cfr(int in, off_t *io, int out, off_t *oo, size_t n, unsigned f) { return syscall(SYS_copy_file_range, in, io, out, oo, n, f); }

int main(void)
{
    enter_tmpfs("size=16m");
    signal(SIGPIPE, SIG_IGN);
    SETUP(write_file("src", "0123456789abcdefghij"));
    int in = open("src", O_RDONLY);
    int app = open("app", O_WRONLY | O_CREAT | O_APPEND, 0644);
    CHECK_RET("sendfile_to_append", sendfile(app, in, NULL, 4));
    int p[2], q[2];
    SETUP(pipe(p)); SETUP(pipe(q));
    SETUP(write(p[1], "pipe-data", 9));
    int out = open("out", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK_RET("sendfile_from_pipe", sendfile(out, p[0], NULL, 4));
    CHECK_RET("sendfile_to_file", sendfile(out, in, NULL, 20));
    CHECK_RET("sendfile_zero", sendfile(out, in, NULL, 0));
    CHECK_RET("sendfile_count_past_eof", sendfile(out, in, NULL, 10));
    CHECK_RET("sendfile_bad_out", sendfile(999, in, NULL, 1));
    off_t off = 0;
    CHECK_RET("sendfile_bad_offptr", sendfile(out, in, (off_t *)8, 1));
    CHECK_RET("sendfile_offset_on_pipe", sendfile(out, p[0], &off, 1));
    /* a full non-blocking pipe */
    int full[2];
    SETUP(pipe2(full, O_NONBLOCK));
    char chunk[4096];
    memset(chunk, 'z', sizeof chunk);
    while (write(full[1], chunk, sizeof chunk) > 0) {}
    off = 0;
    CHECK_RET("sendfile_full_pipe", sendfile(full[1], in, &off, 4));
    CHECK_RET("splice_into_full_pipe_nonblock", splice(in, &off, full[1], NULL, 4, SPLICE_F_NONBLOCK));
    /* pipe to pipe */
    CHECK_RET("splice_pipe_to_pipe", splice(p[0], NULL, q[1], NULL, 100, 0));
    char buf[64] = {0};
    CHECK_RET("read_moved", read(q[0], buf, sizeof buf - 1));
    FACT_STR("moved", buf);
    CHECK_RET("splice_same_pipe", splice(p[0], NULL, p[1], NULL, 4, 0));
    CHECK_RET("splice_empty_nonblock", splice(p[0], NULL, q[1], NULL, 4, SPLICE_F_NONBLOCK));
    CHECK_RET("splice_zero_len", splice(p[0], NULL, q[1], NULL, 0, 0));
    CHECK_RET("splice_bad_flags", splice(p[0], NULL, q[1], NULL, 4, 0x100));
    CHECK_RET("tee_bad_flags", tee(p[0], q[1], 4, 0x100));
    close(p[1]);
    CHECK_RET("splice_eof", splice(p[0], NULL, q[1], NULL, 4, 0));
    CHECK_RET("tee_eof", tee(p[0], q[1], 4, 0));
    close(q[0]);
    SETUP(write(full[0] > 0 ? q[1] : q[1], "", 0));
    int r[2]; SETUP(pipe(r)); SETUP(write(r[1], "abc", 3));
    CHECK_RET("splice_no_reader", splice(r[0], NULL, q[1], NULL, 3, 0));
    CHECK_RET("sendfile_no_reader", sendfile(q[1], in, &off, 3));
    CHECK_RET("splice_wronly_in", splice(r[1], NULL, out, NULL, 3, 0));
    /* copy_file_range */
    SETUP(mkdir("m2", 0755));
    SETUP(mount("tmpfs", "m2", "tmpfs", 0, "size=1m"));
    int other = open("m2/x", O_RDWR | O_CREAT, 0644);
    off_t io = 0;
    CHECK_RET("cfr_cross_fs", cfr(in, &io, other, NULL, 4, 0));
    io = 100;
    CHECK_RET("cfr_past_eof_cross_fs", cfr(in, &io, other, NULL, 4, 0));
    int dir = open(".", O_RDONLY);
    CHECK_RET("cfr_dir", cfr(in, NULL, dir, NULL, 4, 0));
    CHECK_RET("cfr_append", cfr(in, NULL, app, NULL, 4, 0));
    CHECK_RET("cfr_pipe_in", cfr(r[0], NULL, out, NULL, 4, 0));
    io = -1;
    CHECK_RET("cfr_negative", cfr(in, &io, out, NULL, 4, 0));
    CHECK_RET("cfr_bad_ptr", cfr(in, (off_t *)8, out, NULL, 4, 0));
    io = 0; off_t oo = 0;
    CHECK_RET("cfr_same_fd_overlap", cfr(out, &io, out, &oo, 4, 0));
    io = 0; oo = 100;
    CHECK_RET("cfr_same_fd_apart", cfr(out, &io, out, &oo, 4, 0));
    umount2("m2", MNT_DETACH);
    DONE();
}
