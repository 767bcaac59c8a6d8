"""Python as on Windows, for tests on Linux: every process started with this folder on
PYTHONPATH lacks what a Windows Python lacks.

- The POSIX-only modules (fcntl, termios, resource, pwd, grp) cannot be imported, nor
  uvloop (it has no Windows build, so the package does not install it there).
- The POSIX-only functions of `os` are gone (os.fchmod, os.getuid, os.fork, ...).
- asyncio's loop has no signal handlers: `add_signal_handler` raises NotImplementedError.

filelock is loaded first, with fcntl and all of `os` kept for it alone: on Windows it
locks with msvcrt, an OS lock that goes with its process as flock does, and that is the
lock it keeps here. Loaded without fcntl on Linux it would use a lock file instead, which
no platform's import uses.
"""

import asyncio
import os
import sys
import types

import filelock

whole_os = types.ModuleType("os")
whole_os.__dict__.update(vars(os))
for module in list(sys.modules.values()):
    if module.__name__.startswith(filelock.__name__) and getattr(module, "os", None) is os:
        module.os = whole_os  # type: ignore[attr-defined]

for name in ("fcntl", "termios", "resource", "pwd", "grp", "uvloop"):
    sys.modules[name] = None  # type: ignore[assignment]  # "import fcntl" now raises ImportError

POSIX_ONLY = (
    "fchmod", "fchown", "chown", "lchown", "getuid", "geteuid", "getgid", "getegid", "getgroups",
    "fork", "forkpty", "wait3", "wait4", "getpgid", "setsid", "killpg", "mkfifo", "getloadavg",
    "sched_setaffinity", "sched_getaffinity",
)
for name in POSIX_ONLY:
    if hasattr(os, name):
        delattr(os, name)


def _no_signal_handlers(self: asyncio.AbstractEventLoop, sig: int, callback: object, *args: object) -> None:
    raise NotImplementedError


asyncio.SelectorEventLoop.add_signal_handler = _no_signal_handlers  # type: ignore[method-assign]
