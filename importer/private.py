"""What a run leaves is its user's alone: folders 0700 and files 0600, whatever the umask.

Customer lists are personal data, and a run folder or journal readable by every
account on a shared machine leaks them. Where the OS has no POSIX modes (Windows)
the files stay in the folders the user chose, protected as those are.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import IO

from .errors import UsageError

POSIX_MODES = os.name != "nt"
FOLDER_MODE = 0o700
FILE_MODE = 0o600


def make_folder(path: Path) -> Path:
    """Create `path` (and any missing parents, private too: a reports folder the run makes holds the runs' folders) and
    make it private; an existing folder is made private too, its existing parents are left as they are."""
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    path.mkdir(parents=True, exist_ok=True)
    if POSIX_MODES:
        for folder in {path, *missing}:
            os.chmod(folder, FOLDER_MODE)
    return path


def create_file(path: Path) -> Path:
    """Create (or empty) `path` as a private file, so that a library opening it by name keeps its mode."""
    os.close(_open(path))
    return path


def keep_aside(path: Path) -> Path:
    """Keep a database file that cannot be read (and its -wal and -shm) beside the others, under a name no run
    opens, where the merchant can still find it; returns its new name."""
    from datetime import datetime, timezone

    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.stem}.unreadable-{stamp}{path.suffix}")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(f"{path}{suffix}"):
            os.replace(f"{path}{suffix}", f"{kept}{suffix}")
    return kept


def open_text(path: Path, mode: str = "w") -> IO[str]:
    """A private text file opened for writing (`w`) or appending (`a`), UTF-8, newlines as written."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if mode == "a" else os.O_TRUNC)
    return os.fdopen(_open(path, flags), mode, encoding="utf-8", newline="")


def write_text(path: Path, text: str) -> None:
    with open_text(path) as f:
        f.write(text)


def _open(path: Path, flags: int = os.O_WRONLY | os.O_CREAT | os.O_TRUNC) -> int:
    handle = os.open(path, flags | getattr(os, "O_BINARY", 0), FILE_MODE)
    if POSIX_MODES and stat.S_ISREG(os.fstat(handle).st_mode):  # never a device such as /dev/null
        os.chmod(path, FILE_MODE)  # the umask may have taken bits off; an existing file keeps its old mode otherwise
    return handle


def check_file(path: Path, option: str) -> None:
    """Refuse a file a run could not write to, before anything is read or sent (exit 2)."""
    existed = path.exists()
    try:
        open_text(path, "a").close()
        if not existed:
            path.unlink()
    except OSError as exc:
        raise UsageError(f"{option} {path}: cannot write there ({exc.strerror})") from None


def check_folder(path: Path, option: str) -> None:
    """Refuse a folder a run could not create its run folder in, before anything is read or sent (exit 2).

    A folder that does not exist yet is not created here (a refused run leaves nothing):
    the nearest one that exists must be a folder this user can write in.
    """
    existing = path
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(f"{option} {path}: cannot write there ({existing} is not a folder)")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"{option} {path}: cannot write there (permission denied)")
