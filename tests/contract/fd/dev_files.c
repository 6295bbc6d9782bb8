/* /dev/null, /dev/zero, /dev/urandom (mem(4), random(4)): null reads EOF and swallows writes, zero reads zeros, urandom reads full counts; all are character devices. */
#include "../lib/contract.h"

int main(void)
{
    char buf[64];
    struct stat st;
    int n = open("/dev/null", O_RDWR), z = open("/dev/zero", O_RDWR), u = open("/dev/urandom", O_RDONLY);
    SETUP(n); SETUP(z); SETUP(u);
    CHECK_RET("null_read", read(n, buf, sizeof buf));
    CHECK_RET("null_write", write(n, buf, 64));
    memset(buf, 'x', sizeof buf);
    CHECK_RET("zero_read", read(z, buf, sizeof buf));
    int allz = 1;
    for (int i = 0; i < 64; i++) if (buf[i]) allz = 0;
    FACT_BOOL("zero_all_zero", allz);
    CHECK_RET("zero_write", write(z, buf, 10));
    CHECK_RET("urandom_read", read(u, buf, sizeof buf));
    fstat(n, &st); FACT_BOOL("null_is_chr", S_ISCHR(st.st_mode));
    fstat(z, &st); FACT_BOOL("zero_is_chr", S_ISCHR(st.st_mode));
    fstat(u, &st); FACT_BOOL("urandom_is_chr", S_ISCHR(st.st_mode));
    CHECK_RET("null_read_zero_len", read(n, buf, 0));
    stat("/dev/null", &st);
    FACT("null_mode", "%o", st.st_mode & 07777);
    DONE();
}
