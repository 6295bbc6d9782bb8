/* fcntl(2) F_GETFL/F_SETFL: access mode via O_ACCMODE, O_APPEND/O_NONBLOCK settable, access mode and O_CLOEXEC not part of/changeable by F_SETFL. */
#include "../lib/contract.h"

int main(void)
{
    int r = open("f", O_RDONLY | O_CREAT, 0644);
    int w = open("f", O_WRONLY);
    int rw = open("f", O_RDWR | O_APPEND | O_CLOEXEC);
    SETUP(r); SETUP(w); SETUP(rw);
    FACT_BOOL("rdonly_accmode", (fcntl(r, F_GETFL) & O_ACCMODE) == O_RDONLY);
    FACT_BOOL("wronly_accmode", (fcntl(w, F_GETFL) & O_ACCMODE) == O_WRONLY);
    FACT_BOOL("rdwr_accmode", (fcntl(rw, F_GETFL) & O_ACCMODE) == O_RDWR);
    FACT_BOOL("append_in_getfl", fcntl(rw, F_GETFL) & O_APPEND);
    FACT_BOOL("cloexec_not_in_getfl", !(fcntl(rw, F_GETFL) & O_CLOEXEC));
    FACT_BOOL("creat_not_in_getfl", !(fcntl(r, F_GETFL) & O_CREAT));
    CHECK_RET("setfl_nonblock", fcntl(r, F_SETFL, O_NONBLOCK));
    FACT_BOOL("nonblock_set", fcntl(r, F_GETFL) & O_NONBLOCK);
    CHECK_RET("setfl_try_rdwr", fcntl(r, F_SETFL, O_RDWR));
    FACT_BOOL("accmode_unchanged", (fcntl(r, F_GETFL) & O_ACCMODE) == O_RDONLY);
    FACT_BOOL("nonblock_cleared", !(fcntl(r, F_GETFL) & O_NONBLOCK));
    CHECK_RET("setfl_append", fcntl(w, F_SETFL, O_APPEND));
    FACT_BOOL("append_set", fcntl(w, F_GETFL) & O_APPEND);
    /* status flags belong to the open file description: visible through a dup */
    int d = dup(w);
    FACT_BOOL("append_shared_by_dup", fcntl(d, F_GETFL) & O_APPEND);
    int p[2];
    SETUP(pipe(p));
    FACT_BOOL("pipe_read_end_rdonly", (fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY);
    FACT_BOOL("pipe_write_end_wronly", (fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY);
    CHECK_RET("getfl_closed", fcntl(99, F_GETFL));
    DONE();
}
