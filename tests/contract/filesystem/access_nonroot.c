/* access(2)/open(2) permission checks: root bypasses rw bits but needs some x bit for X_OK; a uid 65534 child gets EACCES per mode bits, and search permission on directories is enforced. */
#include "../lib/contract.h"
#include <sys/wait.h>

int main(void)
{
    SETUP(mkdir("w", 0755));
    SETUP(write_file("w/secret", "s"));
    SETUP(chmod("w/secret", 0600));
    SETUP(write_file("w/public", "p"));
    SETUP(chmod("w/public", 0644));
    SETUP(write_file("w/script", "x"));
    SETUP(chmod("w/script", 0755));
    SETUP(write_file("w/none", "n"));
    SETUP(chmod("w/none", 0000));
    SETUP(mkdir("w/noexec", 0644));
    SETUP(write_file("w/noexec/f", "x"));
    CHECK_RET("root_read_0000", access("w/none", R_OK | W_OK));
    CHECK_RET("root_exec_0644", access("w/public", X_OK));
    CHECK_RET("root_exec_0755", access("w/script", X_OK));
    CHECK_RET("root_search_0644_dir", access("w/noexec/f", R_OK));
    int p[2];
    SETUP(pipe(p));
    pid_t c = fork();
    if (c == 0) {
        if (chdir("w") || setgid(65534) || setuid(65534)) _exit(99);
        char res[12];
        int i = 0;
#define T(expr) res[i++] = (expr) == 0 ? 'Y' : (errno == EACCES ? 'A' : 'E')
        T(access("secret", R_OK));
        T(access("public", R_OK));
        T(access("public", W_OK));
        T(access("script", X_OK));
        T(access("noexec/f", F_OK));
        T(open("secret", O_RDONLY) >= 0 ? 0 : -1);
        T(open("public", O_WRONLY) >= 0 ? 0 : -1);
        T(open("newfile", O_CREAT | O_WRONLY, 0644) >= 0 ? 0 : -1);
        T(access(".", W_OK));
        T(access("none", F_OK));
        write(p[1], res, i);
        _exit(0);
    }
    close(p[1]);
    char r[16] = {0};
    read(p[0], r, sizeof r - 1);
    int st;
    waitpid(c, &st, 0);
    const char *keys[] = { "nonroot_read_0600", "nonroot_read_0644", "nonroot_write_0644", "nonroot_exec_0755",
                           "nonroot_search_0644_dir", "nonroot_open_0600", "nonroot_open_w_0644",
                           "nonroot_create_in_0755_root_dir", "nonroot_access_w_dir", "nonroot_f_ok_0000" };
    for (int i = 0; i < 10; i++) FACT_STR(keys[i], r[i] == 'Y' ? "0" : r[i] == 'A' ? "EACCES" : "other");
    FACT_INT("child_exit", WEXITSTATUS(st));
    DONE();
}
