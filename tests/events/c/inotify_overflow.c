/* inotify(7) queue overflow: past max_queued_events (16384) one IN_Q_OVERFLOW event with wd -1 ends the queue and later events are dropped until it drains; reading everything back, FIONREAD, and a blocking read woken by a new event afterwards. */
#include "../../contract/lib/contract.h"
#include <sys/inotify.h>
#include <sys/ioctl.h>

int main(void)
{
    SETUP(mkdir("w", 0755));
    int fd = inotify_init1(IN_NONBLOCK);
    SETUP(fd);
    SETUP(inotify_add_watch(fd, "w", IN_CREATE | IN_DELETE));
    for (int i = 0; i < 8300; i++) {
        SETUP(mkdir("w/d", 0755));
        SETUP(rmdir("w/d"));
    }
    int bytes = 0;
    SETUP(ioctl(fd, FIONREAD, &bytes));
    FACT_INT("fionread", bytes);
    static char buf[1 << 16] __attribute__((aligned(8)));
    long events = 0, creates = 0, deletes = 0, overflow = 0, last_wd = 0;
    unsigned last_mask = 0;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) break;
        for (char *p = buf; p < buf + n;) {
            struct inotify_event *e = (struct inotify_event *)p;
            events++;
            creates += (e->mask & IN_CREATE) != 0;
            deletes += (e->mask & IN_DELETE) != 0;
            overflow += (e->mask & IN_Q_OVERFLOW) != 0;
            last_wd = e->wd;
            last_mask = e->mask;
            p += sizeof *e + e->len;
        }
    }
    FACT_INT("events", events);
    FACT_INT("creates", creates);
    FACT_INT("deletes", deletes);
    FACT_INT("overflow_events", overflow);
    FACT_INT("last_wd", last_wd);
    FACT("last_mask", "0x%x", last_mask);
    SETUP(mkdir("w/e", 0755));
    CHECK_RET("after_drain_read", read(fd, buf, sizeof buf));
    DONE();
}
