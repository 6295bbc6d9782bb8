/* inotify(7) rename: IN_MOVED_FROM and IN_MOVED_TO carry the same non-zero cookie (also across two watched dirs); IN_MOVE_SELF on the moved watched file. */
#include "../lib/contract.h"
#include <sys/inotify.h>

struct ev { unsigned mask, cookie; int wd; char name[64]; };

static int collect(int fd, struct ev *out, int max)
{
    char buf[4096] __attribute__((aligned(8)));
    ssize_t n = read(fd, buf, sizeof buf);
    int k = 0;
    for (char *p = buf; n > 0 && p < buf + n && k < max; k++) {
        struct inotify_event *e = (struct inotify_event *)p;
        out[k].mask = e->mask; out[k].cookie = e->cookie; out[k].wd = e->wd;
        snprintf(out[k].name, sizeof out[k].name, "%s", e->len ? e->name : "");
        p += sizeof *e + e->len;
    }
    return k;
}

int main(void)
{
    SETUP(mkdir("a", 0755));
    SETUP(mkdir("b", 0755));
    SETUP(write_file("a/f", "x"));
    int fd = inotify_init1(IN_NONBLOCK);
    int wa = inotify_add_watch(fd, "a", IN_MOVE);
    int wb = inotify_add_watch(fd, "b", IN_MOVE);
    SETUP(rename("a/f", "a/g"));
    struct ev e[8];
    int n = collect(fd, e, 8);
    FACT_INT("same_dir_events", n);
    if (n == 2) {
        FACT("same_dir_ev0", "0x%x:%s", e[0].mask, e[0].name);
        FACT("same_dir_ev1", "0x%x:%s", e[1].mask, e[1].name);
        FACT_BOOL("same_dir_cookie_nonzero", e[0].cookie != 0);
        FACT_BOOL("same_dir_cookie_same", e[0].cookie == e[1].cookie);
    }
    unsigned prev = n ? e[0].cookie : 0;
    SETUP(rename("a/g", "b/h"));
    n = collect(fd, e, 8);
    FACT_INT("cross_dir_events", n);
    if (n == 2) {
        FACT("cross_dir_ev0", "0x%x:%s", e[0].mask, e[0].name);
        FACT("cross_dir_ev1", "0x%x:%s", e[1].mask, e[1].name);
        FACT_BOOL("from_wd_a", e[0].wd == wa);
        FACT_BOOL("to_wd_b", e[1].wd == wb);
        FACT_BOOL("cross_dir_cookie_same", e[0].cookie == e[1].cookie);
        FACT_BOOL("cookie_differs_from_previous", e[0].cookie != prev);
    }
    int ws = inotify_add_watch(fd, "b/h", IN_MOVE_SELF);
    SETUP(rename("b/h", "a/back"));
    n = collect(fd, e, 8);
    int self = 0;
    for (int i = 0; i < n; i++) if (e[i].wd == ws && e[i].mask == IN_MOVE_SELF) self = 1;
    FACT_BOOL("move_self_seen", self);
    FACT_INT("events_incl_self", n);
    DONE();
}
