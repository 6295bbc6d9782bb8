/* ioctl_iflags(2) on tmpfs (mm/shmem.c shmem_fileattr_set): FS_IOC_GETFLAGS/SETFLAGS keep APPEND, IMMUTABLE, NODUMP and NOATIME (EOPNOTSUPP for others), changing APPEND/IMMUTABLE needs CAP_LINUX_IMMUTABLE and others need ownership (EPERM); immutable files refuse writes, truncation, unlink, rename, link, chmod, chown, xattrs (EPERM), append-only files only take O_APPEND writes; NODUMP/NOATIME are inherited from the directory; FS_IOC_FSGETXATTR shows them as xflags. */
#include "../lib/contract.h"
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>

#define FS_IOC_GETFLAGS 0x80086601
#define FS_IOC_SETFLAGS 0x40086602
#define FS_IOC_FSGETXATTR 0x801c581f
#define FS_SYNC_FL 0x8
#define FS_IMMUTABLE_FL 0x10
#define FS_APPEND_FL 0x20
#define FS_NODUMP_FL 0x40
#define FS_NOATIME_FL 0x80
struct fsxattr { unsigned xflags, extsize, nextents, projid, cowextsize; unsigned char pad[8]; };

static const char *rc(long r) { return r < 0 ? errname(errno) : "0"; }

static const char *setflags(const char *p, int flags)
{
    int fd = open(p, O_RDONLY);
    if (fd < 0) return errname(errno);
    long r = ioctl(fd, FS_IOC_SETFLAGS, &flags);
    int e = errno;
    close(fd);
    errno = e;
    return rc(r);
}

static int getflags(const char *p)
{
    int fd = open(p, O_RDONLY), flags = -1;
    if (fd < 0) return -errno;
    if (ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0) flags = -errno;
    close(fd);
    return flags;
}

static const char *openrc(const char *p, int flags)
{
    int fd = open(p, flags, 0644);
    if (fd < 0) return errname(errno);
    close(fd);
    return "0";
}

int main(void)
{
    char dir[] = "/dev/shm/kevlar-iflags-XXXXXX";
    SETUP(mkdtemp(dir) ? 0 : -1);
    SETUP(chdir(dir));
    SETUP(chmod(".", 0777));
    int fd = open("f", O_CREAT | O_WRONLY, 0666);
    SETUP(fd);
    SETUP(write(fd, "abc", 3));
    FACT_INT("flags_new", getflags("f"));
    FACT_STR("set_sync", setflags("f", FS_SYNC_FL));
    FACT_STR("set_nodump", setflags("f", FS_NODUMP_FL | FS_NOATIME_FL));
    FACT("flags_now", "%x", getflags("f"));
    struct fsxattr fx;
    memset(&fx, 0xff, sizeof fx);
    FACT_STR("fsgetxattr", rc(ioctl(fd, FS_IOC_FSGETXATTR, &fx)));
    FACT("fsx", "%x %u %u %u %u", fx.xflags, fx.extsize, fx.nextents, fx.projid, fx.cowextsize);
    FACT_STR("getflags_efault", rc(ioctl(fd, FS_IOC_GETFLAGS, (void *)8)));
    FACT_STR("setflags_efault", rc(ioctl(fd, FS_IOC_SETFLAGS, (void *)8)));

    /* Inheritance from the directory. */
    SETUP(mkdir("d", 0777));
    FACT_STR("set_dir", setflags("d", FS_NODUMP_FL | FS_APPEND_FL));
    FACT_STR("create_in_append_dir", openrc("d/n", O_CREAT | O_WRONLY));
    FACT("inherited", "%x", getflags("d/n"));
    FACT_STR("unlink_in_append_dir", rc(unlink("d/n")));
    FACT_STR("dir_flags_clear", setflags("d", 0));
    SETUP(unlink("d/n"));

    /* Immutable. */
    FACT_STR("set_immutable", setflags("f", FS_IMMUTABLE_FL));
    FACT_STR("write_open_fd", rc(write(fd, "x", 1)));
    FACT_STR("open_write", openrc("f", O_WRONLY));
    FACT_STR("open_read", openrc("f", O_RDONLY));
    FACT_STR("truncate", rc(truncate("f", 0)));
    FACT_STR("ftruncate", rc(ftruncate(fd, 0)));
    FACT_STR("unlink", rc(unlink("f")));
    FACT_STR("rename", rc(rename("f", "g")));
    FACT_STR("link", rc(link("f", "h")));
    FACT_STR("chmod", rc(chmod("f", 0600)));
    FACT_STR("chown", rc(chown("f", 1, 1)));
    FACT_STR("utimes_now", rc(utimensat(AT_FDCWD, "f", NULL, 0)));
    FACT_STR("setxattr", rc(setxattr("f", "user.a", "1", 1, 0)));
    FACT_STR("access_w", rc(access("f", W_OK)));
    FACT_STR("rename_onto", rc(rename("d", "f")));

    /* Not root: no CAP_LINUX_IMMUTABLE, not the owner. */
    int p[2];
    SETUP(pipe(p));
    pid_t c = fork();
    if (c == 0) {
        char out[4];
        close(p[0]);
        int o = open("u", O_CREAT | O_WRONLY, 0644);
        if (o >= 0) close(o);
        if (chown("u", 65534, 65534) || setgid(65534) || setuid(65534)) _exit(1);
        out[0] = setflags("u", FS_APPEND_FL)[1];        /* EPERM: 'P' */
        out[1] = setflags("u", FS_NODUMP_FL)[0];        /* owner: '0' */
        out[2] = setflags("f", FS_IMMUTABLE_FL)[1];     /* not the owner: 'P' */
        out[3] = setflags("f", FS_NODUMP_FL)[1];
        write(p[1], out, 4);
        _exit(0);
    }
    close(p[1]);
    char out[5] = {0};
    read(p[0], out, 4);
    waitpid(c, NULL, 0);
    FACT_STR("user_results", out);
    FACT("user_owned_flags", "%x", getflags("u"));

    FACT_STR("clear_immutable", setflags("f", 0));
    FACT_STR("write_after", rc(write(fd, "x", 1)));
    close(fd);

    /* Append-only. */
    FACT_STR("set_append", setflags("f", FS_APPEND_FL));
    FACT_STR("open_wronly", openrc("f", O_WRONLY));
    FACT_STR("open_append", openrc("f", O_WRONLY | O_APPEND));
    FACT_STR("open_append_trunc", openrc("f", O_WRONLY | O_APPEND | O_TRUNC));
    fd = open("f", O_WRONLY | O_APPEND);
    SETUP(fd);
    FACT_STR("append_write", rc(write(fd, "yz", 2)));
    FACT_STR("pwrite", rc(pwrite(fd, "q", 1, 0)));
    FACT_STR("clear_append_fl", rc(fcntl(fd, F_SETFL, 0)));
    FACT_STR("truncate_append", rc(truncate("f", 1)));
    FACT_STR("ftruncate_append", rc(ftruncate(fd, 1)));
    FACT_STR("unlink_append", rc(unlink("f")));
    FACT_STR("chmod_append", rc(chmod("f", 0600)));
    struct stat st;
    SETUP(stat("f", &st));
    FACT_INT("size", st.st_size);
    close(fd);
    FACT_STR("clear", setflags("f", 0));
    SETUP(unlink("f"));
    SETUP(unlink("u"));
    SETUP(rmdir("d"));
    SETUP(chdir("/"));
    SETUP(rmdir(dir));
    DONE();
}
