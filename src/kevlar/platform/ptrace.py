"""ptrace(2) requests, options, events and the x86_64 register layout.

Shared by the pure engine (ctypes) and the Cython engine (_fast/engine.pyx mirrors the
numbers it needs in C). include/uapi/linux/ptrace.h and arch/x86/include/asm/user_64.h.
"""

PTRACE_PEEKDATA = 2
PTRACE_POKEDATA = 5
PTRACE_CONT = 7
PTRACE_KILL = 8
PTRACE_GETREGS = 12
PTRACE_SETREGS = 13
PTRACE_DETACH = 17
PTRACE_SYSCALL = 24
PTRACE_SETOPTIONS = 0x4200
PTRACE_GETEVENTMSG = 0x4201
PTRACE_GETSIGINFO = 0x4202
PTRACE_SETSIGINFO = 0x4203
PTRACE_SEIZE = 0x4206
PTRACE_INTERRUPT = 0x4207
PTRACE_LISTEN = 0x4208

PTRACE_O_TRACESYSGOOD = 0x1
PTRACE_O_TRACEFORK = 0x2
PTRACE_O_TRACEVFORK = 0x4
PTRACE_O_TRACECLONE = 0x8
PTRACE_O_TRACEEXEC = 0x10
PTRACE_O_TRACEVFORKDONE = 0x20
PTRACE_O_TRACEEXIT = 0x40
PTRACE_O_TRACESECCOMP = 0x80
PTRACE_O_EXITKILL = 0x100000

# What Kevlar asks for: follow everything, see seccomp stops, and take every guest down
# with the tracer (invariant 3).
TRACE_OPTIONS = (PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK
                 | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESECCOMP
                 | PTRACE_O_EXITKILL)

PTRACE_EVENT_FORK = 1
PTRACE_EVENT_VFORK = 2
PTRACE_EVENT_CLONE = 3
PTRACE_EVENT_EXEC = 4
PTRACE_EVENT_VFORK_DONE = 5
PTRACE_EVENT_EXIT = 6
PTRACE_EVENT_SECCOMP = 7
PTRACE_EVENT_STOP = 128

SIGTRAP = 5
# waitpid status >> 8 at a seccomp stop, and at a syscall stop with TRACESYSGOOD.
SECCOMP_STOP = SIGTRAP | (PTRACE_EVENT_SECCOMP << 8)
SYSCALL_STOP = SIGTRAP | 0x80

# struct user_regs_struct: 27 unsigned longs, in this order.
REG_NAMES = ("r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx",
             "rdx", "rsi", "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base",
             "gs_base", "ds", "es", "fs", "gs")
NREGS = len(REG_NAMES)
R15, R14, R13, R12, RBP, RBX, R11, R10, R9, R8, RAX, RCX, RDX, RSI, RDI, ORIG_RAX, RIP = range(17)
RSP = 19
# Syscall argument registers, in order (x86_64 syscall ABI).
ARG_REGS = (RDI, RSI, RDX, R10, R8, R9)

WALL = 0x40000000
WNOHANG = 1
