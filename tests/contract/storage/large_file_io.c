/* read(2)/write(2) bulk data integrity: a 4 MiB patterned file written in odd-sized chunks reads back identically with pread at unaligned offsets; st_size and SEEK_END agree. */
#include "../lib/contract.h"

static unsigned char pat(long i) { return (unsigned char)((i * 2654435761UL) >> 13); }

int main(void)
{
    const long N = 4L << 20;
    int fd = open("big", O_RDWR | O_CREAT | O_TRUNC, 0644);
    SETUP(fd);
    static unsigned char buf[70001];
    long off = 0;
    while (off < N) {
        long n = N - off < (long)sizeof buf ? N - off : (long)sizeof buf;
        for (long i = 0; i < n; i++) buf[i] = pat(off + i);
        if (write(fd, buf, n) != n) { FACT_STR("write", "short"); break; }
        off += n;
    }
    struct stat st;
    fstat(fd, &st);
    FACT_INT("st_size", st.st_size);
    FACT_INT("seek_end", lseek(fd, 0, SEEK_END));
    int ok = 1;
    lseek(fd, 0, SEEK_SET);
    off = 0;
    for (;;) {
        ssize_t r = read(fd, buf, 65536);
        if (r <= 0) break;
        for (ssize_t i = 0; i < r; i++) if (buf[i] != pat(off + i)) ok = 0;
        off += r;
    }
    FACT_INT("read_total", off);
    FACT_BOOL("sequential_content_ok", ok);
    long offs[] = { 1, 4095, 4096, 65537, 1048575, N - 7 };
    ok = 1;
    for (int k = 0; k < 6; k++) {
        unsigned char b[7];
        if (pread(fd, b, 7, offs[k]) != 7) ok = 0;
        for (int i = 0; i < 7; i++) if (b[i] != pat(offs[k] + i)) ok = 0;
    }
    FACT_BOOL("pread_unaligned_ok", ok);
    DONE();
}
