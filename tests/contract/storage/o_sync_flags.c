/* open(2) O_SYNC/O_DSYNC: writes succeed and the flags show in F_GETFL (O_SYNC includes the O_DSYNC bit); F_SETFL silently ignores O_SYNC (fcntl(2): only O_APPEND, O_ASYNC, O_DIRECT, O_NOATIME, O_NONBLOCK are changeable). */
#include "../lib/contract.h"

int main(void)
{
    int s = open("sync", O_WRONLY | O_CREAT | O_SYNC, 0644);
    SETUP(s);
    CHECK_RET("write_osync", write(s, "abc", 3));
    int fl = fcntl(s, F_GETFL);
    FACT_BOOL("getfl_has_sync", (fl & O_SYNC) == O_SYNC);
    FACT_BOOL("getfl_has_dsync_bit", fl & O_DSYNC);
    int d = open("dsync", O_WRONLY | O_CREAT | O_DSYNC, 0644);
    CHECK_RET("write_odsync", write(d, "abc", 3));
    fl = fcntl(d, F_GETFL);
    FACT_BOOL("dsync_only", (fl & O_DSYNC) && (fl & O_SYNC) != O_SYNC);
    CHECK_RET("setfl_add_sync_ret", fcntl(d, F_SETFL, fl | O_SYNC));
    FACT_BOOL("setfl_sync_ignored", (fcntl(d, F_GETFL) & O_SYNC) != O_SYNC);
    DONE();
}
