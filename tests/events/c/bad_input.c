/* Bad input to the readiness and event calls gets Linux's errno, in Linux's order: unmapped pointers, negative and huge timeouts and counts, sigsets of the wrong size, invalid timespecs, closed and wrong-type fds, bad flags. */
#include "../../contract/lib/contract.h"
#include <poll.h>
#include <limits.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <stdint.h>

#define BAD ((void *)16)

int main(void)
{
    int p[2];
    SETUP(pipe(p));
    sigset_t m; sigemptyset(&m);
    struct pollfd pf = { p[0], POLLIN, 0 };
    struct timespec zero = { 0, 0 }, bad_ns = { 0, -1 }, neg = { -5, 0 }, huge = { LONG_MAX, 999999999 };
    /* poll / ppoll */
    CHECK_RET("poll_bad_array", poll(BAD, 1, 0));
    CHECK_RET("poll_nfds_over_rlimit", syscall(SYS_poll, &pf, 1u << 20, 0));
    CHECK_RET("poll_nfds_huge", syscall(SYS_poll, &pf, 0xffffffffu, 0));
    CHECK_RET("poll_int_min_timeout_ready", (write(p[1], "x", 1), syscall(SYS_poll, &pf, 1, INT_MIN)));
    char c; read(p[0], &c, 1);
    CHECK_RET("poll_zero_fds_zero_timeout", poll(NULL, 0, 0));
    CHECK_RET("ppoll_bad_ts_ptr", syscall(SYS_ppoll, &pf, 1, BAD, NULL, 8));
    CHECK_RET("ppoll_bad_nsec", syscall(SYS_ppoll, &pf, 1, &bad_ns, NULL, 8));
    CHECK_RET("ppoll_negative", syscall(SYS_ppoll, &pf, 1, &neg, NULL, 8));
    CHECK_RET("ppoll_sigsetsize_4", syscall(SYS_ppoll, &pf, 1, &zero, &m, 4));
    CHECK_RET("ppoll_sigsetsize_16", syscall(SYS_ppoll, &pf, 1, &zero, &m, 16));
    CHECK_RET("ppoll_null_mask_any_size", syscall(SYS_ppoll, &pf, 1, &zero, NULL, 3));
    CHECK_RET("ppoll_bad_mask_ptr", syscall(SYS_ppoll, &pf, 1, &zero, BAD, 8));
    CHECK_RET("ppoll_order_ts_before_mask", syscall(SYS_ppoll, &pf, 1, &bad_ns, &m, 4));
    CHECK_RET("ppoll_huge_ready", (write(p[1], "x", 1), syscall(SYS_ppoll, &pf, 1, &huge, NULL, 8)));
    FACT_BOOL("ppoll_huge_left_saturated", huge.tv_sec < LONG_MAX && huge.tv_sec > LONG_MAX - 100000000L);
    read(p[0], &c, 1);
    /* select / pselect6 */
    fd_set r; FD_ZERO(&r); FD_SET(p[0], &r);
    struct timeval tz = { 0, 0 }, tneg_usec = { 0, -1 }, tbig_usec = { 0, 1500000 };
    CHECK_RET("select_bad_set", syscall(SYS_select, p[0] + 1, BAD, NULL, NULL, &tz));
    CHECK_RET("select_bad_tv", syscall(SYS_select, p[0] + 1, &r, NULL, NULL, BAD));
    CHECK_RET("select_negative_usec", syscall(SYS_select, p[0] + 1, &r, NULL, NULL, &tneg_usec));
    FD_ZERO(&r); FD_SET(p[0], &r);
    CHECK_RET("select_usec_over_1s_ok", (write(p[1], "x", 1), syscall(SYS_select, p[0] + 1, &r, NULL, NULL, &tbig_usec)));
    FACT_BOOL("select_usec_written_back", tbig_usec.tv_sec == 1 && tbig_usec.tv_usec <= 500000);
    read(p[0], &c, 1);
    FD_ZERO(&r); FD_SET(p[0], &r);
    CHECK_RET("select_nfds_beyond_table_ignored", syscall(SYS_select, 100000, &r, NULL, NULL, &tz));
    CHECK_RET("select_order_tv_before_nfds", syscall(SYS_select, -1, NULL, NULL, NULL, &tneg_usec));
    struct { const sigset_t *ss; size_t len; } sig = { &m, 4 }, sig_null = { NULL, 4 };
    CHECK_RET("pselect_sigsetsize_4", syscall(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &zero, &sig));
    CHECK_RET("pselect_null_mask_any_size", syscall(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &zero, &sig_null));
    CHECK_RET("pselect_bad_sig_struct", syscall(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &zero, BAD));
    CHECK_RET("pselect_bad_ts", syscall(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &bad_ns, NULL));
    /* an O_PATH fd: POLLNVAL for poll, ready in every set for select, EBADF for epoll */
    int opath = open(".", O_PATH);
    struct pollfd po = { opath, POLLIN, 0 };
    CHECK_RET("poll_o_path", poll(&po, 1, 0));
    FACT("poll_o_path_revents", "0x%x", po.revents);
    fd_set or, ow, oe;
    FD_ZERO(&or); FD_ZERO(&ow); FD_ZERO(&oe);
    FD_SET(opath, &or); FD_SET(opath, &ow); FD_SET(opath, &oe);
    CHECK_RET("select_o_path", syscall(SYS_select, opath + 1, &or, &ow, &oe, &tz));
    FACT_BOOL("select_o_path_all_sets", FD_ISSET(opath, &or) && FD_ISSET(opath, &ow) && FD_ISSET(opath, &oe));
    /* epoll */
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN }, out[2];
    CHECK_RET("ctl_bad_event_ptr", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], BAD));
    CHECK_RET("ctl_del_ignores_event_ptr", (epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), epoll_ctl(ep, EPOLL_CTL_DEL, p[0], BAD)));
    CHECK_RET("ctl_bad_op_bad_ptr", epoll_ctl(ep, 7, p[0], BAD));
    CHECK_RET("ctl_negative_fd", epoll_ctl(ep, EPOLL_CTL_ADD, -1, &ev));
    CHECK_RET("ctl_self_bad_op", epoll_ctl(ep, 9, ep, &ev));
    CHECK_RET("wait_maxevents_huge", epoll_wait(ep, out, INT_MAX, 0));
    CHECK_RET("wait_maxevents_limit", epoll_wait(ep, out, INT_MAX / 12 + 1, 0));
    CHECK_RET("wait_negative_timeout_ready", (epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), write(p[1], "x", 1), epoll_wait(ep, out, 2, -12345)));
    read(p[0], &c, 1);
    CHECK_RET("wait_int_min_timeout_ready", (write(p[1], "x", 1), epoll_wait(ep, out, 2, INT_MIN)));
    read(p[0], &c, 1);
    CHECK_RET("wait_kernel_address", epoll_wait(ep, (void *)0xffff800000000000ul, 2, 0));
    CHECK_RET("pwait_sigsetsize_4", syscall(SYS_epoll_pwait, ep, out, 2, 0, &m, 4));
    CHECK_RET("pwait_bad_mask_ptr", syscall(SYS_epoll_pwait, ep, out, 2, 0, BAD, 8));
    CHECK_RET("pwait_null_mask_any_size", syscall(SYS_epoll_pwait, ep, out, 2, 0, NULL, 99));
    CHECK_RET("pwait_mask_checked_before_fd", syscall(SYS_epoll_pwait, 999, out, 2, 0, &m, 4));
    CHECK_RET("wait_checks_maxevents_before_fd", epoll_wait(999, out, 0, 0));
    CHECK_RET("wait_checks_buffer_before_fd", epoll_wait(999, (void *)0xffff800000000000ul, 1, 0));
    /* eventfd / timerfd / signalfd / inotify */
    int efd = eventfd(0, EFD_NONBLOCK);
    CHECK_RET("eventfd_write_bad_ptr", write(efd, BAD, 8));
    CHECK_RET("eventfd_read_bad_ptr", (write(efd, &(uint64_t){1}, 8), read(efd, BAD, 8)));
    uint64_t v;
    CHECK_RET("eventfd_value_kept_after_efault", read(efd, &v, 8));
    CHECK_RET("eventfd2_bad_flags", syscall(SYS_eventfd2, 0, 0x10));
    CHECK_RET("eventfd_semaphore_flag_ok", syscall(SYS_eventfd2, 0, EFD_SEMAPHORE) >= 0 ? 0 : -1);
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    struct itimerspec its = { { 0, 0 }, { 1, 0 } };
    CHECK_RET("timerfd_settime_bad_new", timerfd_settime(tfd, 0, BAD, NULL));
    CHECK_RET("timerfd_settime_bad_old", timerfd_settime(tfd, 0, &its, BAD));
    struct itimerspec cur;
    timerfd_gettime(tfd, &cur);
    FACT_BOOL("timer_armed_despite_bad_old", cur.it_value.tv_sec == 0 || cur.it_value.tv_sec == 1);
    CHECK_RET("timerfd_gettime_bad", timerfd_gettime(tfd, BAD));
    CHECK_RET("timerfd_settime_bad_flags", timerfd_settime(tfd, 4, &its, NULL));
    struct itimerspec negi = { { -1, 0 }, { 1, 0 } };
    CHECK_RET("timerfd_negative_interval", timerfd_settime(tfd, 0, &negi, NULL));
    CHECK_RET("timerfd_settime_closed_fd", timerfd_settime(999, 0, &its, NULL));
    CHECK_RET("timerfd_order_flags_before_fd", timerfd_settime(999, 4, &its, NULL));
    CHECK_RET("timerfd_gettime_wrong_type", timerfd_gettime(efd, &cur));
    CHECK_RET("timerfd_create_realtime_alarm", timerfd_create(CLOCK_REALTIME_ALARM, 0) >= 0 ? 0 : -1);
    CHECK_RET("timerfd_create_boottime", timerfd_create(CLOCK_BOOTTIME, 0) >= 0 ? 0 : -1);
    struct itimerspec far = { { 0, 0 }, { 1L << 40, 0 } };
    CHECK_RET("timerfd_far_future", timerfd_settime(tfd, 0, &far, NULL));
    timerfd_gettime(tfd, &cur);
    FACT_BOOL("timerfd_far_clamped_to_ktime_max", cur.it_value.tv_sec > 1000000000L && cur.it_value.tv_sec < (1L << 34));
    struct itimerspec max = { { LONG_MAX / 1000000000L, 0 }, { LONG_MAX, 999999999 } };
    CHECK_RET("timerfd_max", timerfd_settime(tfd, 0, &max, NULL));
    struct pollfd tp = { tfd, POLLIN, 0 };
    CHECK_RET("timerfd_max_not_ready", poll(&tp, 1, 20));
    /* TFD_TIMER_CANCEL_ON_SET is accepted (Kevlar's guests never set the clock) and
       TFD_IOC_SET_TICKS sets the count a read returns */
    struct timespec rnow;
    clock_gettime(CLOCK_REALTIME, &rnow);
    int rtf = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
    struct itimerspec later = { { 0, 0 }, { rnow.tv_sec + 100, 0 } };
    CHECK_RET("cancel_on_set_abs", timerfd_settime(rtf, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &later, NULL));
    CHECK_RET("cancel_on_set_relative", timerfd_settime(rtf, TFD_TIMER_CANCEL_ON_SET, &later, NULL));
    CHECK_RET("cancel_on_set_read", read(rtf, &v, 8));
    uint64_t ticks = 5;
    CHECK_RET("set_ticks", ioctl(tfd, 0x40085400, &ticks));
    CHECK_RET("read_set_ticks", read(tfd, &v, 8));
    FACT_INT("ticks_read", v);
    ticks = 0;
    CHECK_RET("set_ticks_zero", ioctl(tfd, 0x40085400, &ticks));
    CHECK_RET("set_ticks_bad_ptr", ioctl(tfd, 0x40085400, BAD));
    CHECK_RET("timerfd_other_ioctl", ioctl(tfd, 0x5401, &ticks));
    CHECK_RET("timerfd_fionread", ioctl(tfd, FIONREAD, &ticks));
    CHECK_RET("eventfd_fionread", ioctl(efd, FIONREAD, &ticks));
    CHECK_RET("timerfd_create_process_cputime", timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0));
    CHECK_RET("timerfd_create_negative_clock", timerfd_create(-1, 0));
    CHECK_RET("signalfd_bad_mask_ptr", syscall(SYS_signalfd4, -1, BAD, 8, 0));
    CHECK_RET("signalfd_sizemask_4", syscall(SYS_signalfd4, -1, &m, 4, 0));
    CHECK_RET("signalfd_order_size_before_flags", syscall(SYS_signalfd4, -1, &m, 4, 0x4242));
    CHECK_RET("signalfd_bad_fd", syscall(SYS_signalfd4, 999, &m, 8, 0));
    CHECK_RET("signalfd_fd_minus_2", syscall(SYS_signalfd4, -2, &m, 8, 0));
    int sfd = signalfd(-1, &m, SFD_NONBLOCK);
    struct signalfd_siginfo si;
    CHECK_RET("signalfd_read_bad_ptr_nothing_pending", read(sfd, BAD, sizeof si));
    CHECK_RET("signalfd_read_zero", read(sfd, &si, 0));
    int ifd = inotify_init1(IN_NONBLOCK);
    CHECK_RET("inotify_add_bad_path", inotify_add_watch(ifd, BAD, IN_ALL_EVENTS));
    CHECK_RET("inotify_add_empty_path", inotify_add_watch(ifd, "", IN_ALL_EVENTS));
    CHECK_RET("inotify_add_wrong_fd_type", inotify_add_watch(efd, ".", IN_ALL_EVENTS));
    CHECK_RET("inotify_rm_wrong_fd_type", inotify_rm_watch(efd, 1));
    CHECK_RET("inotify_read_bad_ptr_empty", read(ifd, BAD, 4096));
    SETUP(mkdir("d", 0755));
    SETUP(inotify_add_watch(ifd, "d", IN_CREATE));
    SETUP(write_file("d/f", ""));
    CHECK_RET("inotify_read_bad_ptr_with_event", read(ifd, BAD, 4096));
    char buf[256];
    CHECK_RET("inotify_event_kept_after_efault", read(ifd, buf, sizeof buf));
    CHECK_RET("inotify_init1_bad", inotify_init1(0x1));
    CHECK_RET("inotify_unknown_bit_with_event", inotify_add_watch(ifd, "d", IN_MODIFY | 0x10000));
    CHECK_RET("inotify_unknown_bit_bad_fd", inotify_add_watch(-1, "d", IN_MODIFY | 0x400000));
    CHECK_RET("inotify_zero_mask_bad_fd", inotify_add_watch(-1, "d", 0));
    DONE();
}
