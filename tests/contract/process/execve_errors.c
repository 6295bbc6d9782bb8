/* execve(2) errors: ENOENT (missing file or #! interpreter), EACCES (no x bit, a directory), ENOEXEC (non-ELF without #!, truncated ELF, empty file), ENOTDIR, ELOOP; a failed execve returns to the caller. */
#include "../lib/contract.h"
#include <sys/wait.h>

int main(void)
{
    char *args[] = { "x", NULL }, *env[] = { NULL };
    CHECK_RET("missing", execve("./missing", args, env));
    SETUP(write_file("noexec", "\x7f" "ELF garbage"));
    CHECK_RET("no_x_bit", execve("./noexec", args, env));
    SETUP(mkdir("dir", 0755));
    CHECK_RET("directory", execve("./dir", args, env));
    SETUP(write_file("text", "just some text, no shebang\n"));
    SETUP(chmod("text", 0755));
    CHECK_RET("non_elf_text", execve("./text", args, env));
    SETUP(write_file("badelf", "\x7f" "ELF\x02\x01\x01"));
    SETUP(chmod("badelf", 0755));
    CHECK_RET("truncated_elf", execve("./badelf", args, env));
    SETUP(write_file("empty", ""));
    SETUP(chmod("empty", 0755));
    CHECK_RET("empty_file", execve("./empty", args, env));
    CHECK_RET("file_as_dir", execve("./text/x", args, env));
    CHECK_RET("empty_path", execve("", args, env));
    SETUP(symlink("loop", "loop"));
    CHECK_RET("symlink_loop", execve("./loop", args, env));
    SETUP(write_file("shebang_missing", "#!/nonexistent/interpreter\n"));
    SETUP(chmod("shebang_missing", 0755));
    CHECK_RET("shebang_missing_interpreter", execve("./shebang_missing", args, env));
    FACT_INT("still_running", 1);
    DONE();
}
