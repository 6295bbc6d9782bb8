/* Every write path on a read-only mount: EROFS (after the errors Linux reports first:
 * EEXIST for an existing name, ENOENT under a missing directory). Natively the program
 * makes the read-only bind mount itself (args: SRC TARGET, in a private mount namespace);
 * under Kevlar it is given the --bind HOST:/data:ro directory (arg: /data). */
#include "../c/fs.h"
#include <sys/syscall.h>
#include <sys/time.h>
#include <stdint.h>

int main(int argc, char **argv)
{
    if (argc == 3) {
        SETUP(unshare(CLONE_NEWNS));
        SETUP(mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL));
        SETUP(mount(argv[1], argv[2], NULL, MS_BIND, NULL));
        SETUP(mount(NULL, argv[2], NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
        SETUP(chdir(argv[2]));
    } else {
        SETUP(chdir(argv[1]));
    }
    char buf[64] = {0};
    CHECK_RET("read_existing", read_file("f", buf, sizeof buf));
    FACT_STR("content", buf);
    CHECK_RET("open_wronly", open("f", O_WRONLY));
    CHECK_RET("open_rdwr", open("f", O_RDWR));
    CHECK_RET("open_rdonly_trunc", open("f", O_RDONLY | O_TRUNC));
    CHECK_RET("open_creat_new", open("new", O_CREAT | O_WRONLY, 0644));
    CHECK_RET("open_creat_existing_rdonly", open("f", O_CREAT | O_RDONLY, 0644) >= 0 ? 0 : -1);
    CHECK_RET("open_creat_excl_existing", open("f", O_CREAT | O_EXCL | O_WRONLY, 0644));
    CHECK_RET("open_creat_missing_dir", open("nodir/x", O_CREAT | O_WRONLY, 0644));
    CHECK_RET("creat", creat("new2", 0644));
    CHECK_RET("mkdir_new", mkdir("nd", 0755));
    CHECK_RET("mkdir_existing", mkdir("d", 0755));
    CHECK_RET("rmdir", rmdir("d"));
    CHECK_RET("rmdir_missing", rmdir("missing"));
    CHECK_RET("unlink", unlink("f"));
    CHECK_RET("unlink_missing", unlink("missing"));
    CHECK_RET("rename", rename("f", "g"));
    CHECK_RET("rename_missing", rename("missing", "g"));
    CHECK_RET("link", link("f", "h"));
    CHECK_RET("symlink", symlink("f", "s"));
    CHECK_RET("symlink_existing", symlink("f", "l"));
    CHECK_RET("mkfifo", mkfifo("p", 0644));
    CHECK_RET("chmod", chmod("f", 0600));
    CHECK_RET("chmod_via_link", chmod("l", 0600));
    CHECK_RET("chown", chown("f", 0, 0));
    CHECK_RET("lchown_link", lchown("l", 0, 0));
    CHECK_RET("utimes_now", utimes("f", NULL));
    struct timeval tv[2] = {{1, 0}, {2, 0}};
    CHECK_RET("utimes_explicit", utimes("f", tv));
    CHECK_RET("utimensat_nofollow", utimensat(AT_FDCWD, "l", NULL, AT_SYMLINK_NOFOLLOW));
    CHECK_RET("truncate", truncate("f", 0));
    CHECK_RET("access_w", access("f", W_OK));
    CHECK_RET("access_r", access("f", R_OK));
    CHECK_RET("access_w_dir", access("d", W_OK));
    int ro = open("f", O_RDONLY);
    CHECK_RET("ftruncate_rdonly_fd", ftruncate(ro, 0));
    CHECK_RET("fallocate_rdonly_fd", fallocate(ro, 0, 0, 10));
    CHECK_RET("fchmod_ro_fd", fchmod(ro, 0600));
    CHECK_RET("fchown_ro_fd", fchown(ro, 0, 0));
    CHECK_RET("futimens_ro_fd", futimens(ro, NULL));
    struct { uint64_t flags, mode, resolve; } how = {O_CREAT | O_RDWR, 0600, 0x08};
    CHECK_RET("openat2_creat", syscall(SYS_openat2, AT_FDCWD, "o2", &how, sizeof how));
    CHECK_RET("o_tmpfile", open(".", O_TMPFILE | O_RDWR, 0600));
    CHECK_RET("renameat2_exchange", syscall(SYS_renameat2, AT_FDCWD, "f", AT_FDCWD, "d", 2));
    DONE();
}
