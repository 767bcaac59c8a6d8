"""One snapshot of the input: what an import checked is what it sends.

An import reads its file more than once: a pass that checks it (every line
readable, the rows counted, the content hashed for the import's key), then the
pass that sends. A file rewritten, truncated or reordered between them (an export
still being written, a sync client) would send rows of neither version. So every
pass reads the file through `Blocks`, a whole block at a time, and keeps each
block's digest: the checking pass records them (the `Snapshot`), and a later pass
of the same table compares each block with it before a byte of that block reaches
the reader, so no row of a changed file is ever sent. A change stops the import
(`FileChanged`, exit 2) before it sends more.

A source that cannot be read twice (a pipe, a FIFO, `<(gunzip -c x.gz)`,
standard input) is copied once into the run's private state first
(`read_once`), and every pass reads that copy.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..private import create_file, make_folder

BLOCK = 1 << 18  # the bytes a parser is handed at a time, each compared with the snapshot first
STDIN = "-"


class FileChanged(InputError):
    """The input's content is not the one an earlier pass of this import read."""


def changed(path: Path) -> FileChanged:
    return FileChanged(f"{path}: the file changed while it was being imported; nothing more was sent (run again to import it as it is now)")


@dataclass(frozen=True)
class Snapshot:
    """What one pass read: the size and modification time it started from, each block's digest, the content's
    hash (what the import's key is made of) and the records counted (None for a workbook)."""

    size: int
    mtime_ns: int
    blocks: tuple[bytes, ...]
    content: hashlib.blake2b = field(compare=False)
    lines: int = 0  # line breaks in the bytes
    rows: int | None = None  # records parsed, where the pass parsed them

    def unchanged(self, path: Path) -> bool:
        """Whether the file still has the size and modification time it had when read (a cheap first look)."""
        try:
            now = path.stat()
        except OSError:
            return False
        return (now.st_size, now.st_mtime_ns) == (self.size, self.mtime_ns)


@dataclass
class Watch:
    """The snapshot a table's later passes must match, and the readers of it still open (see `Blocks`)."""

    expected: Snapshot | None = None
    readers: list[Blocks] = field(default_factory=list)
    needed: bool = True  # False once no pass of the table will be compared with a snapshot or taken as one
    sends: bool = True  # False when no row read from the table is sent (a dry run, the preview): its reader may read ahead freely

    def release(self) -> None:
        """No pass of this table is compared with a snapshot or taken as one (a dry run): the blocks read from now on
        are handed on without a digest, since nothing would read it."""
        self.needed = False

    def expect(self, snapshot: Snapshot) -> None:
        """From now on every block read must match `snapshot`; those read already are compared at once."""
        self.expected = snapshot
        for reader in self.readers:
            reader.compare_all()


class Blocks(io.RawIOBase):
    """A file read a whole block at a time, each block's digest kept; with a `Watch` that expects a snapshot,
    a block that differs from it raises FileChanged before any of its bytes are handed on."""

    def __init__(self, path: Path, watch: Watch | None = None) -> None:
        super().__init__()
        self.path = path
        self._file = path.open("rb")
        opened = os.fstat(self._file.fileno())
        self._size, self._mtime_ns = opened.st_size, opened.st_mtime_ns
        self._watch = watch
        self._buffer = memoryview(b"")
        self._at_end = False
        self.digests: list[bytes] = []
        self.content = hashlib.blake2b(digest_size=16)
        self.lines = 0
        if watch is not None:
            watch.readers.append(self)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if not self._buffer and not self._at_end:
            block = self._file.read(BLOCK)
            if block:
                self._add(block)
                self._buffer = memoryview(block)
            else:
                self._at_end = True
                self.compare_all()
        count = min(len(buffer), len(self._buffer))
        buffer[:count] = self._buffer[:count]
        self._buffer = self._buffer[count:]
        return count

    def restart(self) -> None:
        """Read again from the first byte, as a new reader would (a parser that gave up part way hands the file to another)."""
        self._file.seek(0)
        self._buffer, self._at_end = memoryview(b""), False
        self.digests, self.content, self.lines = [], hashlib.blake2b(digest_size=16), 0

    def _add(self, block: bytes) -> None:
        if self._watch is not None and not self._watch.needed:
            return
        self.digests.append(hashlib.blake2b(block, digest_size=16).digest())
        self.content.update(block)
        self.lines += block.count(b"\n")
        self._compare(len(self.digests) - 1)

    def _compare(self, index: int) -> None:
        expected = self._watch.expected if self._watch is not None else None
        if expected is not None and (index >= len(expected.blocks) or expected.blocks[index] != self.digests[index]):
            raise changed(self.path)

    def compare_all(self) -> None:
        """Compare every block read so far with the snapshot expected (and, at the end, that no block is missing)."""
        expected = self._watch.expected if self._watch is not None else None
        if expected is None:
            return
        for index in range(len(self.digests)):
            self._compare(index)
        if self._at_end and len(self.digests) != len(expected.blocks):
            raise changed(self.path)

    def snapshot(self, rows: int | None = None) -> Snapshot:
        """What this reader read, once it has read to the end; FileChanged when the file changed while it read."""
        while self.read(BLOCK):  # a parser may stop short of the end (trailing blank lines); the key is of every byte
            pass
        now = os.stat(self.path)
        if (now.st_size, now.st_mtime_ns) != (self._size, self._mtime_ns):
            raise changed(self.path)
        return Snapshot(self._size, self._mtime_ns, tuple(self.digests), self.content, self.lines, rows)

    def close(self) -> None:
        if self._watch is not None and self in self._watch.readers:
            self._watch.readers.remove(self)
        self._file.close()
        super().close()


@contextmanager
def read_once(path: Path, state_dir: Path) -> Iterator[Path]:
    """The file every pass reads: a regular file where it is; a source that cannot be read twice (`-` for standard
    input, a pipe, a FIFO, a device) copied once into the private state folder, the copy removed after the run."""
    if str(path) != STDIN:
        try:
            mode = path.stat().st_mode
            regular = stat.S_ISREG(mode) or stat.S_ISDIR(mode)  # a folder: open_tables says what it is
        except OSError:
            regular = True  # open_tables says what is wrong with it
        if regular:
            yield path
            return
    copy = create_file(make_folder(state_dir) / f"input-{os.getpid()}-{os.urandom(4).hex()}{path.suffix}")
    try:
        try:
            with copy.open("wb") as target:
                if str(path) == STDIN:
                    shutil.copyfileobj(sys.stdin.buffer, target, BLOCK)
                else:
                    with path.open("rb") as source:
                        shutil.copyfileobj(source, target, BLOCK)
        except OSError as exc:
            raise InputError(f"{path}: cannot read it ({exc.strerror})") from None
        yield copy
    finally:
        copy.unlink(missing_ok=True)
