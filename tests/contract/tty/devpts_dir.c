/* devpts(5) directory operations: the root has only lookup, so creating is EACCES and
 * mkdir, mknod, symlink, link, unlink and rename are EPERM (rmdir of a node is ENOTDIR
 * first, as may_delete checks); a missing index is ENOENT, the directory opens O_RDONLY. */
#include "pty.h"

int main(void)
{
    CHECK_RET("create", open("/dev/pts/x", O_CREAT | O_RDWR, 0600));
    CHECK_RET("mkdir", mkdir("/dev/pts/d", 0700));
    CHECK_RET("mknod", mknod("/dev/pts/n", S_IFIFO | 0600, 0));
    CHECK_RET("symlink", symlink("x", "/dev/pts/l"));
    CHECK_RET("unlink", unlink("/dev/pts/ptmx"));
    CHECK_RET("unlink_missing", unlink("/dev/pts/missing"));
    CHECK_RET("rename", rename("/dev/pts/ptmx", "/dev/pts/ptmx2"));
    CHECK_RET("rmdir_node", rmdir("/dev/pts/ptmx"));
    CHECK_RET("link", link("/dev/pts/ptmx", "/dev/pts/p2"));
    CHECK_RET("open_dir_write", open("/dev/pts", O_RDWR));
    CHECK_OK("open_dir", open("/dev/pts", O_RDONLY | O_DIRECTORY));
    CHECK_RET("lookup_missing", open("/dev/pts/99999", O_RDWR));
    DONE();
}
