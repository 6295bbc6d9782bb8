/* The demo disk's program (seed 000, exec_disk): run from the ext2 disk, it proves the
   path block cache -> ext2 -> execve -> exit. */
#include <stdio.h>

int main(void)
{
    printf("hello from disk!\n");
    return 0;
}
