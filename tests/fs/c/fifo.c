/* FIFOs (fs/pipe.c fifo_open): a non-blocking reader opens alone, a non-blocking writer
 * alone is ENXIO, a blocking reader waits for a writer and a blocking writer for a reader,
 * O_RDWR never waits, a writer may write at once after a waiting reader's open, data left
 * when everyone closed is gone, POLLHUP needs a writer that came after the reader. */
#include "fs.h"
#include <poll.h>

int main(void)
{
    enter_tmpfs("size=16m");
    SETUP(mkfifo("ff", 0644));
    struct stat st;
    stat("ff", &st);
    FACT_BOOL("is_fifo", S_ISFIFO(st.st_mode));
    CHECK_RET("mkfifo_exists", mkfifo("ff", 0644));
    int r = open("ff", O_RDONLY | O_NONBLOCK);
    FACT_BOOL("nonblock_reader_alone", r >= 0);
    char buf[64] = {0};
    CHECK_RET("read_no_writer_ever", read(r, buf, sizeof buf));
    struct pollfd p = {r, POLLIN, 0};
    poll(&p, 1, 0);
    FACT("poll_reader_no_writer_yet", "0x%x", p.revents);
    close(r);
    CHECK_RET("nonblock_writer_alone", open("ff", O_WRONLY | O_NONBLOCK));
    int rw = open("ff", O_RDWR);
    FACT_BOOL("rdwr_never_waits", rw >= 0);
    CHECK_RET("rdwr_write", write(rw, "kept?", 5));
    close(rw);
    int r2 = open("ff", O_RDONLY | O_NONBLOCK);
    CHECK_RET("data_gone_after_all_closed", read(r2, buf, sizeof buf));
    close(r2);
    CHECK_RET("mode3_open", open("ff", 3));
    /* blocking reader, then the writer in a child writes at once and closes */
    int sync[2];
    SETUP(pipe(sync));
    pid_t c = fork();
    if (c == 0) {
        char go;
        read(sync[0], &go, 1);
        sleep_ms(100);
        int w = open("ff", O_WRONLY);
        if (w < 0) _exit(1);
        if (write(w, "through-fifo", 12) != 12) _exit(2);
        close(w);
        _exit(0);
    }
    write(sync[1], "g", 1);
    long t0 = mono_ms();
    int rb = open("ff", O_RDONLY);
    FACT_BOOL("blocking_reader_waited", mono_ms() - t0 >= 50);
    int n = 0, got;
    memset(buf, 0, sizeof buf);
    while ((got = read(rb, buf + n, sizeof buf - 1 - n)) > 0) n += got;
    FACT_STR("reader_got", buf);
    FACT_INT("reader_eof", got);
    int status;
    waitpid(c, &status, 0);
    FACT_INT("writer_status", WEXITSTATUS(status));
    p.fd = rb; p.events = POLLIN; p.revents = 0;
    poll(&p, 1, 0);
    FACT("poll_reader_after_writer_left", "0x%x", p.revents);
    close(rb);
    /* blocking writer waits for a reader */
    c = fork();
    if (c == 0) {
        sleep_ms(100);
        int rr = open("ff", O_RDONLY);
        char b[16] = {0};
        int k = read(rr, b, sizeof b - 1);
        _exit(k == 5 && !memcmp(b, "hello", 5) ? 0 : 3);
    }
    t0 = mono_ms();
    int wb = open("ff", O_WRONLY);
    FACT_BOOL("blocking_writer_waited", mono_ms() - t0 >= 50);
    CHECK_RET("writer_write", write(wb, "hello", 5));
    close(wb);
    waitpid(c, &status, 0);
    FACT_INT("reader_child_status", WEXITSTATUS(status));
    /* writer with no reader left: EPIPE */
    c = fork();
    if (c == 0) { int rr = open("ff", O_RDONLY); sleep_ms(50); close(rr); _exit(0); }
    int w2 = open("ff", O_WRONLY);
    waitpid(c, &status, 0);
    signal(SIGPIPE, SIG_IGN);
    CHECK_RET("write_after_reader_left", write(w2, "x", 1));
    CHECK_RET("lseek_fifo", lseek(w2, 0, SEEK_SET));
    CHECK_RET("pwrite_fifo", pwrite(w2, "x", 1, 0));
    DONE();
}
