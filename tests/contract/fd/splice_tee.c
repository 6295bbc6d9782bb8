/* splice(2)/tee(2): file->pipe and pipe->file moves data, tee duplicates without consuming, splice with no pipe end is EINVAL, offset with a pipe end is ESPIPE. */
#define _GNU_SOURCE
#include "../lib/contract.h"

int main(void)
{
    SETUP(write_file("src", "splice-data-0123"));
    int in = open("src", O_RDONLY);
    int out = open("dst", O_RDWR | O_CREAT | O_TRUNC, 0644);
    int p[2], q[2];
    SETUP(in); SETUP(out); SETUP(pipe(p)); SETUP(pipe(q));
    loff_t off = 7;
    CHECK_RET("splice_file_to_pipe", splice(in, &off, p[1], NULL, 4, 0));
    FACT_INT("off_after", off);
    FACT_INT("in_pos_unchanged", lseek(in, 0, SEEK_CUR));
    CHECK_RET("tee_pipe_to_pipe", tee(p[0], q[1], 100, 0));
    char buf[32] = {0};
    CHECK_RET("tee_copy_read", read(q[0], buf, sizeof buf - 1));
    FACT_STR("tee_copy", buf);
    CHECK_RET("splice_pipe_to_file", splice(p[0], NULL, out, NULL, 100, 0));
    memset(buf, 0, sizeof buf);
    pread(out, buf, sizeof buf - 1, 0);
    FACT_STR("dst_after_splice", buf);
    SETUP(fcntl(p[0], F_SETFL, O_NONBLOCK));
    CHECK_RET("pipe_empty_after_splice", read(p[0], buf, 1));
    CHECK_RET("splice_no_pipe", splice(in, NULL, out, NULL, 4, 0));
    loff_t o2 = 0;
    CHECK_RET("splice_offset_on_pipe", splice(p[0], &o2, out, NULL, 4, 0));
    CHECK_RET("tee_non_pipe", tee(in, q[1], 4, 0));
    CHECK_RET("tee_same_pipe", tee(q[0], q[1], 4, 0));
    CHECK_RET("splice_empty_pipe_nonblock", splice(p[0], NULL, out, NULL, 4, SPLICE_F_NONBLOCK));
    DONE();
}
