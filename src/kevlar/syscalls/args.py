"""Argument decoding for syscall handlers, declared by annotation.

A handler says how it reads each register: `def sys_read(task, fd: Fd, buf: Ptr,
count: Size)`. The table binds it once (bind_arguments) into a function that takes the
six raw u64 registers, so decoding costs one generated call, not a loop per syscall.
"""

import inspect


def Int(value: int) -> int:
    """A C int: the low 32 bits, signed."""
    value &= 0xFFFFFFFF
    return value - 0x100000000 if value & 0x80000000 else value


def UInt(value: int) -> int:
    """A C unsigned int: the low 32 bits."""
    return value & 0xFFFFFFFF


def Long(value: int) -> int:
    """A C long: all 64 bits, signed."""
    return value - (1 << 64) if value >> 63 else value


# Raw 64-bit values need no conversion; these names say what the register holds.
Ptr = ULong = Size = "raw"
Fd = Pid = Int
Flags = Mode = UInt


def bind_arguments(name: str, handler):
    """Return call(task, a0..a5) -> handler(task, decoded args...)."""
    params = list(inspect.signature(handler).parameters.values())[1:]
    if len(params) > 6:
        raise TypeError(f"{name}: a syscall has at most six arguments")
    env = {"handler": handler}
    exprs = []
    for i, param in enumerate(params):
        conv = param.annotation
        if conv is inspect.Parameter.empty or conv == "raw":
            exprs.append(f"a{i}")
        elif callable(conv):
            env[f"c{i}"] = conv
            exprs.append(f"c{i}(a{i})")
        else:
            raise TypeError(f"{name}: argument {param.name} has no decoder ({conv!r})")
    source = (f"def call_{name}(task, a0, a1, a2, a3, a4, a5):\n"
              f"    return handler(task{''.join(', ' + e for e in exprs)})\n")
    exec(compile(source, f"<syscall {name}>", "exec"), env)  # noqa: S102 - generated glue
    return env[f"call_{name}"]
