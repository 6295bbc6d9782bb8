/* path_resolution(7): ENOTDIR for a file used as a directory, ENAMETOOLONG for a >255-byte component or >=PATH_MAX path, ELOOP for symlink cycles, ENOENT for empty path. */
#include "../lib/contract.h"
#include <limits.h>

int main(void)
{
    SETUP(write_file("file", "x"));
    struct stat st;
    CHECK_RET("file_as_dir", stat("file/x", &st));
    CHECK_RET("file_as_dir_open_creat", open("file/x", O_CREAT | O_WRONLY, 0644));
    CHECK_RET("mkdir_under_file", mkdir("file/d", 0755));
    char name[300];
    memset(name, 'a', 256); name[256] = 0;
    CHECK_RET("component_256", stat(name, &st));
    CHECK_RET("creat_component_256", open(name, O_CREAT | O_WRONLY, 0644));
    name[255] = 0;
    CHECK_RET("component_255_missing", stat(name, &st));
    CHECK_OK("creat_component_255", open(name, O_CREAT | O_WRONLY, 0644));
    static char longp[PATH_MAX + 10];
    for (int i = 0; i < PATH_MAX + 2; i += 2) { longp[i] = 'a'; longp[i + 1] = '/'; }
    longp[PATH_MAX + 2] = 0;
    CHECK_RET("path_over_path_max", stat(longp, &st));
    SETUP(symlink("loop2", "loop1"));
    SETUP(symlink("loop1", "loop2"));
    CHECK_RET("symlink_cycle_stat", stat("loop1", &st));
    CHECK_RET("symlink_cycle_open", open("loop1", O_RDONLY));
    CHECK_RET("symlink_cycle_lstat", lstat("loop1", &st));
    SETUP(symlink("self", "self"));
    CHECK_RET("self_loop_component", stat("self/x", &st));
    CHECK_RET("empty_path_stat", stat("", &st));
    CHECK_RET("missing_component", stat("nodir/file", &st));
    CHECK_RET("dotdot_through_file", stat("file/..", &st));
    DONE();
}
