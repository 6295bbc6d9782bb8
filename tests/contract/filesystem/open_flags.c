/* open(2) flag combinations: O_CREAT|O_EXCL on existing EEXIST, O_TRUNC empties, O_DIRECTORY on a file ENOTDIR, O_NOFOLLOW on a symlink ELOOP, writing a directory EISDIR, O_CREAT in a missing dir ENOENT. */
#include "../lib/contract.h"

int main(void)
{
    SETUP(write_file("f", "content"));
    SETUP(mkdir("d", 0755));
    SETUP(symlink("f", "lnk"));
    SETUP(symlink("d", "dlnk"));
    CHECK_RET("creat_excl_existing", open("f", O_CREAT | O_EXCL | O_WRONLY, 0644));
    CHECK_OK("creat_excl_new", open("new", O_CREAT | O_EXCL | O_WRONLY, 0644));
    CHECK_RET("creat_excl_on_symlink", open("lnk", O_CREAT | O_EXCL | O_WRONLY, 0644));
    SETUP(symlink("target-missing", "dangling"));
    CHECK_RET("creat_excl_dangling", open("dangling", O_CREAT | O_EXCL | O_WRONLY, 0644));
    CHECK_OK("creat_through_dangling", open("dangling", O_CREAT | O_WRONLY, 0644));
    CHECK_RET("dangling_target_created", access("target-missing", F_OK));
    int fd = open("f", O_WRONLY | O_TRUNC);
    struct stat st; fstat(fd, &st);
    FACT_INT("size_after_trunc", st.st_size);
    CHECK_RET("o_directory_on_file", open("f", O_RDONLY | O_DIRECTORY));
    CHECK_OK("o_directory_on_dir", open("d", O_RDONLY | O_DIRECTORY));
    CHECK_OK("o_directory_via_symlink", open("dlnk", O_RDONLY | O_DIRECTORY));
    CHECK_RET("o_nofollow_symlink", open("lnk", O_RDONLY | O_NOFOLLOW));
    CHECK_OK("o_nofollow_regular", open("f", O_RDONLY | O_NOFOLLOW));
    CHECK_OK("o_nofollow_intermediate_ok", open("dlnk/../f", O_RDONLY | O_NOFOLLOW));
    CHECK_RET("dir_wronly", open("d", O_WRONLY));
    CHECK_RET("dir_rdwr", open("d", O_RDWR));
    CHECK_RET("dir_creat", open("d", O_CREAT | O_RDONLY, 0644));
    CHECK_OK("dir_rdonly", open("d", O_RDONLY));
    CHECK_RET("creat_missing_dir", open("missing/f", O_CREAT | O_WRONLY, 0644));
    CHECK_RET("open_missing", open("missing", O_RDONLY));
    CHECK_RET("creat_directory_flag", open("x", O_CREAT | O_DIRECTORY | O_RDONLY, 0644));
    CHECK_RET("trunc_rdonly_dir", open("d", O_RDONLY | O_TRUNC));
    CHECK_RET("empty_path", open("", O_RDONLY));
    CHECK_RET("bad_flags_accmode_3_on_dir", open("d", 3));
    DONE();
}
