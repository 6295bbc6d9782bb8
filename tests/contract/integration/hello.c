/* HELPER (not a contract test): the static binary stored as /hello on the mini_storage ext2 disk; prints "hello from disk!" and exits 0. */
#include <unistd.h>

int main(void)
{
    static const char msg[] = "hello from disk!\n";
    return write(1, msg, sizeof msg - 1) == (ssize_t)(sizeof msg - 1) ? 0 : 1;
}
