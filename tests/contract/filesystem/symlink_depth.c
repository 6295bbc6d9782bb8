/* path_resolution(7): up to 40 symlinks are followed in one lookup (MAXSYMLINKS), the 41st gives ELOOP; O_NOFOLLOW|O_PATH and lstat never follow the last one. */
#include "../lib/contract.h"

int main(void)
{
    SETUP(write_file("t", "end"));
    char prev[16] = "t", cur[16];
    for (int i = 1; i <= 41; i++) {
        snprintf(cur, sizeof cur, "s%d", i);
        SETUP(symlink(prev, cur));
        strcpy(prev, cur);
    }
    char buf[8] = {0};
    CHECK_RET("follow_40", read_file("s40", buf, sizeof buf));
    FACT_STR("data_40", buf);
    CHECK_RET("follow_41", open("s41", O_RDONLY));
    struct stat st;
    CHECK_RET("lstat_41", lstat("s41", &st));
    CHECK_OK("opath_nofollow_41", open("s41", O_PATH | O_NOFOLLOW));
    DONE();
}
