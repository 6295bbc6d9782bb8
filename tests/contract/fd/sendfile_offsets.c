/* sendfile(2): with an offset pointer the offset advances and the file position does not; with NULL the position advances; short count at EOF; works file->pipe and file->file. */
#include "../lib/contract.h"
#include <sys/sendfile.h>

int main(void)
{
    SETUP(write_file("src", "abcdefghijklmnopqrstuvwxyz"));
    int in = open("src", O_RDONLY);
    int p[2];
    SETUP(in); SETUP(pipe(p));
    off_t off = 5;
    CHECK_RET("sendfile_off_ret", sendfile(p[1], in, &off, 4));
    FACT_INT("offset_advanced_to", off);
    FACT_INT("file_pos_unchanged", lseek(in, 0, SEEK_CUR));
    char buf[64] = {0};
    SETUP(read(p[0], buf, sizeof buf - 1));
    FACT_STR("pipe_got", buf);
    CHECK_RET("sendfile_null_off", sendfile(p[1], in, NULL, 3));
    FACT_INT("file_pos_advanced", lseek(in, 0, SEEK_CUR));
    memset(buf, 0, sizeof buf);
    SETUP(read(p[0], buf, sizeof buf - 1));
    FACT_STR("pipe_got2", buf);
    off = 20;
    CHECK_RET("sendfile_short_at_eof", sendfile(p[1], in, &off, 100));
    CHECK_RET("sendfile_at_eof", sendfile(p[1], in, &off, 100));
    SETUP(read(p[0], buf, sizeof buf - 1));
    int out = open("dst", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    off = 0;
    CHECK_RET("sendfile_file_to_file", sendfile(out, in, &off, 26));
    close(out);
    memset(buf, 0, sizeof buf);
    read_file("dst", buf, sizeof buf);
    FACT_STR("dst_content", buf);
    CHECK_RET("sendfile_bad_in", sendfile(p[1], 99, NULL, 1));
    int wr = open("src", O_WRONLY);
    CHECK_RET("sendfile_in_not_readable", sendfile(p[1], wr, NULL, 1));
    off = -1;
    CHECK_RET("sendfile_negative_off", sendfile(p[1], in, &off, 1));
    DONE();
}
