/* The storage benchmark's guest: reads one file sequentially twice (a "cold" pass, then a
   warm one) and then N random aligned 4 KiB blocks, and prints MB/s for each, timed with
   CLOCK_MONOTONIC inside the guest. With "random" as the third argument it only does the
   random reads (on a cold cache). Usage: storage_read FILE [RANDOM_READS [random]] */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double sequential(const char *path)
{
    static char buf[128 * 1024];
    int fd = open(path, O_RDONLY);
    if (fd < 0) { perror(path); exit(1); }
    double start = now();
    long long total = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        total += n;
    double took = now() - start;
    close(fd);
    return total / took / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "usage: %s FILE [RANDOM_READS]\n", argv[0]); return 2; }
    int reads = argc > 2 ? atoi(argv[2]) : 2000;
    int random_only = argc > 3 && !strcmp(argv[3], "random");
    double cold = random_only ? 0 : sequential(argv[1]);
    double warm = random_only ? 0 : sequential(argv[1]);
    int fd = open(argv[1], O_RDONLY);
    off_t size = lseek(fd, 0, SEEK_END);
    long long blocks = size / 4096;
    unsigned seed = 12345;
    char buf[4096];
    double start = now();
    for (int i = 0; i < reads; i++) {
        seed = seed * 1103515245 + 12345;
        off_t block = (off_t)((seed >> 8) % blocks);
        if (pread(fd, buf, sizeof buf, block * 4096) != (ssize_t)sizeof buf) { perror("pread"); return 1; }
    }
    double random_mbs = reads * 4096.0 / (now() - start) / 1e6;
    if (!random_only)
        printf("sequential_cold %.1f\nsequential_warm %.1f\n", cold, warm);
    printf("random_4k %.1f\n", random_mbs);
    return 0;
}
