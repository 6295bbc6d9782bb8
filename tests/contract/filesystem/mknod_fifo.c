/* mknod(2)/fifo(7): S_IFIFO node via mknod, open for read blocks until a writer (forked child) opens, data flows, EOF after the writer exits; O_WRONLY|O_NONBLOCK without reader is ENXIO; mknod S_IFREG works; existing path EEXIST. */
#include "../lib/contract.h"
#include <sys/wait.h>
#include <sys/sysmacros.h>

int main(void)
{
    CHECK_RET("mknod_fifo", mknod("fifo", S_IFIFO | 0644, 0));
    struct stat st;
    stat("fifo", &st);
    FACT_BOOL("is_fifo", S_ISFIFO(st.st_mode));
    CHECK_RET("wronly_nonblock_no_reader", open("fifo", O_WRONLY | O_NONBLOCK));
    int rn = open("fifo", O_RDONLY | O_NONBLOCK);
    FACT_BOOL("rdonly_nonblock_ok", rn >= 0);
    char c;
    CHECK_RET("read_nonblock_no_writer", read(rn, &c, 1));
    close(rn);
    pid_t k = fork();
    if (k == 0) {
        int w = open("fifo", O_WRONLY);
        write(w, "through-fifo", 12);
        _exit(0);
    }
    int r = open("fifo", O_RDONLY);
    char buf[32] = {0};
    int got = 0;
    for (;;) { ssize_t n = read(r, buf + got, sizeof buf - 1 - got); if (n <= 0) break; got += n; }
    FACT_STR("data", buf);
    waitpid(k, NULL, 0);
    CHECK_RET("read_eof", read(r, buf, 1));
    int rw = open("fifo", O_RDWR | O_NONBLOCK);
    FACT_BOOL("rdwr_open_ok", rw >= 0);
    CHECK_RET("mknod_reg", mknod("reg", S_IFREG | 0600, 0));
    stat("reg", &st);
    FACT_BOOL("reg_is_regular", S_ISREG(st.st_mode) && st.st_size == 0);
    CHECK_RET("mknod_existing", mknod("fifo", S_IFIFO | 0644, 0));
    CHECK_RET("mkfifo_existing", mkfifo("reg", 0644));
    CHECK_RET("mknod_bad_type", mknod("bad", 0170000 | 0644, 0));
    CHECK_RET("mknod_dir_type", mknod("dd", S_IFDIR | 0755, 0));
    DONE();
}
